import type {
  ResolvedCicd,
  ResolvedCicdSource,
  ResolvedCodeBuildSecretVariable,
  ResolvedDeployTarget,
  ResolvedDeployVariant,
} from '../../model/cicd';
import type { ResolvedEndpoint } from '../../model/serving';
import type { ResolvedSecretRef } from '../../model/secrets';
import type { CicdGitSource, PipelineSpec, SecretRef } from '../../spec/types.generated';
import { isSecretRef } from '../secrets';
import { resolveSecretRef, uniqueSecrets } from './secrets';
import { normalizeServing, shortHash } from './serving';
import { defaultBucketPrefix } from './storage';
import { normalizeTraining } from './training';

/** CodeBuild compute types by the spec's size names. */
export const COMPUTE_TYPES: Readonly<Record<string, string>> = {
  small: 'BUILD_GENERAL1_SMALL',
  medium: 'BUILD_GENERAL1_MEDIUM',
  large: 'BUILD_GENERAL1_LARGE',
  xlarge: 'BUILD_GENERAL1_XLARGE',
  '2xlarge': 'BUILD_GENERAL1_2XLARGE',
};

/** CodeStar provider types by the spec's provider names. */
const PROVIDER_TYPES = { github: 'GitHub', gitlab: 'GitLab', bitbucket: 'Bitbucket' } as const;

/** The default CodeBuild image: Amazon Linux 2, x86_64, with the AWS CLI v2 and jq. */
export const DEFAULT_BUILD_IMAGE = 'aws/codebuild/amazonlinux2-x86_64-standard:5.0';

/** CodePipeline names the artifact folder after the first 20 characters of the pipeline name. */
const ARTIFACT_FOLDER_LENGTH = 20;

/**
 * Models the deploy creates are named `<prefix>-v<version>-<unix time>`: 18 more characters
 * at most, within SageMaker's 63.
 */
const DEPLOY_MODEL_PREFIX_MAX = 45;

/**
 * A reference as a CodeBuild variable: SECRETS_MANAGER takes
 * `secret-id[:json-key[:version-stage]]` (CodeBuild's `secret-id:json-key:version-stage:version-id`,
 * trailing parts left out), PARAMETER_STORE the parameter's name; CodeBuild substitutes the
 * value when the build starts.
 */
export function codeBuildSecretVariable(name: string, ref: SecretRef): ResolvedCodeBuildSecretVariable {
  if (ref.parameter !== undefined) return { name, type: 'PARAMETER_STORE', value: ref.parameter };
  const parts = [ref.secret ?? '', ref.jsonKey ?? '', ref.versionStage ?? ''];
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return { name, type: 'SECRETS_MANAGER', value: parts.join(':') };
}

/** The pipeline variable that picks the version to deploy, and its default. */
export const VERSION_VARIABLE = { name: 'MODEL_PACKAGE_VERSION', defaultValue: 'latest-approved' } as const;

/** The AWS partition of a region (the compiler may not import the construct layer's helper). */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The deploy model prefix of a variant, cut with a hash of the whole when too long. */
function modelNamePrefix(endpointName: string, variant: string): string {
  const full = `${endpointName}-${variant}-cd`;
  if (full.length <= DEPLOY_MODEL_PREFIX_MAX) return full;
  return `${full.slice(0, DEPLOY_MODEL_PREFIX_MAX - 9).replace(/-+$/, '')}-${shortHash(full)}`;
}

/** Variants of an endpoint that serve `latest-approved` from the registry, sorted by name. */
export function latestApprovedVariants(e: ResolvedEndpoint): ResolvedDeployVariant[] {
  return [...e.variants, ...(e.shadow ? [e.shadow] : [])]
    .flatMap((v) =>
      v.model.source.kind === 'registry' && v.model.source.versionVariable
        ? [
            {
              variant: v.name,
              variable: v.model.source.versionVariable.name,
              modelNamePrefix: modelNamePrefix(e.endpointName, v.name),
            },
          ]
        : [],
    )
    .sort((a, b) => (a.variant < b.variant ? -1 : a.variant > b.variant ? 1 : 0));
}

function resolveGit(g: CicdGitSource, pipeline: string): ResolvedCicdSource {
  const provider = g.provider ?? 'github';
  const arn = g.connectionArn;
  return {
    kind: 'git',
    connection:
      arn === undefined
        ? { kind: 'create', name: `${pipeline}-git`, providerType: PROVIDER_TYPES[provider] }
        : { kind: 'existing', arn },
    repository: g.repository,
    branch: g.branch ?? 'main',
    detectChanges: g.detectChanges ?? true,
  };
}

/**
 * Resolves the CI/CD area: names of the pipeline, projects, topic, rule and roles, the
 * artifact prefix, the build environment, and the endpoints and variants the deploy moves
 * to the approved model package. Undefined without `cicd` or without a training pipeline
 * (the check stage refuses the latter).
 */
export function normalizeCicd(spec: PipelineSpec): ResolvedCicd | undefined {
  const c = spec.cicd;
  const training = normalizeTraining(spec);
  if (c === undefined || training === undefined) return undefined;
  const p = spec.name;
  const bucketPrefix = spec.storage?.bucketPrefix ?? defaultBucketPrefix(spec);
  const pipelineName = `${p}-cicd`;
  const artifactBucket = c.artifactBucket ?? 'models';
  const b = c.build ?? {};
  const image = b.image ?? DEFAULT_BUILD_IMAGE;

  const source: ResolvedCicdSource = c.source.git
    ? resolveGit(c.source.git, p)
    : {
        kind: 's3',
        bucket: c.source.s3?.bucket ?? '',
        bucketName: `${bucketPrefix}-${c.source.s3?.bucket ?? ''}`,
        key: c.source.s3?.key ?? '',
      };

  const plain: Record<string, string> = {};
  const secretVariables: ResolvedCodeBuildSecretVariable[] = [];
  const secrets: ResolvedSecretRef[] = [];
  for (const [k, v] of Object.entries(b.environment ?? {})) {
    if (isSecretRef(v)) {
      secretVariables.push(codeBuildSecretVariable(k, v));
      secrets.push(resolveSecretRef(v));
    } else plain[k] = v;
  }
  const environment: Record<string, string> = {
    ...plain,
    PIPEFORM_CODE_URI: training.code.uri,
    PIPEFORM_MODEL_PACKAGE_GROUP: training.modelPackageGroupName,
    PIPEFORM_PIPELINE: p,
    PIPEFORM_TRAINING_PIPELINE: training.pipelineName,
  };

  const deployOn = c.deploy?.enabled ?? true;
  let deploy: ResolvedCicd['deploy'];
  if (deployOn) {
    const wanted = c.deploy?.endpoints;
    const endpoints = (normalizeServing(spec)?.endpoints ?? []).filter(
      (e) => latestApprovedVariants(e).length > 0 && (wanted === undefined || wanted.includes(e.name)),
    );
    const targets: ResolvedDeployTarget[] = endpoints.map((e) => {
      const alarms = e.deployment.autoRollback?.alarmNames;
      return {
        endpoint: e.name,
        endpointName: e.endpointName,
        configNamePrefix: e.configNamePrefix,
        variants: latestApprovedVariants(e),
        alarmNames: alarms ? [alarms.clientErrors, alarms.modelLatency, alarms.serverErrors].sort() : [],
      };
    });
    // Endpoints update one after another, each within its own deployment limit.
    const minutes = endpoints.reduce((sum, e) => sum + Math.ceil(e.deployment.maxExecutionSeconds / 60), 15);
    deploy = {
      projectName: `${p}-deploy`,
      roleComponent: 'cicd-deploy',
      logGroupName: `/pipeform/${p}/codebuild/deploy`,
      timeoutMinutes: c.deploy?.timeoutMinutes ?? Math.min(2160, Math.max(10, minutes)),
      targets,
      versionsKey: `${p}/cicd/model-versions.auto.tfvars.json`,
      ruleName: `${p}-model-approved`,
      eventsRoleComponent: 'cicd-events',
    };
  }

  return {
    pipelineName,
    roleComponent: 'cicd-pipeline',
    versionVariable: { ...VERSION_VARIABLE },
    source,
    artifacts: {
      bucket: artifactBucket,
      bucketName: `${bucketPrefix}-${artifactBucket}`,
      prefix: `${pipelineName.slice(0, ARTIFACT_FOLDER_LENGTH)}/`,
    },
    build: {
      projectName: `${p}-build`,
      roleComponent: 'cicd-build',
      buildspec: b.buildspec ?? 'buildspec.yml',
      computeType: COMPUTE_TYPES[b.computeType ?? 'small'],
      image,
      environmentType: image.includes('aarch64') ? 'ARM_CONTAINER' : 'LINUX_CONTAINER',
      timeoutMinutes: b.timeoutMinutes ?? 60,
      vpc: b.vpc ?? false,
      environment: Object.fromEntries(
        Object.entries(environment).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
      ),
      secretVariables: secretVariables.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)),
      secrets: uniqueSecrets(secrets),
      logGroupName: `/pipeform/${p}/codebuild/build`,
      code: training.code,
    },
    modelPackageGroupName: training.modelPackageGroupName,
    modelPackageArnPrefix: `arn:${partitionOf(spec.region)}:sagemaker:${spec.region}:${spec.account}:model-package/${training.modelPackageGroupName}/`,
    trainingPipelineName: training.pipelineName,
    ...(deploy
      ? {
          approval: {
            topicName: `${p}-cicd-approval`,
            emails: [...(c.approval?.notify ?? [])].sort(),
            timeoutMinutes: c.approval?.timeoutMinutes ?? 10080,
          },
          deploy,
        }
      : {}),
  };
}
