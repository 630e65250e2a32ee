import type { ResolvedCicd, ResolvedCicdSource, ResolvedCodeBuildSecretVariable } from '../../model/cicd';
import type { ResolvedSecretRef } from '../../model/secrets';
import type { CicdGitSource, PipelineSpec, SecretRef } from '../../spec/types.generated';
import { isSecretRef } from '../secrets';
import { resolveCodeFile } from './assets';
import { resolveSecretRef, uniqueSecrets } from './secrets';
import { cicdDeployEndpoints, normalizeServing } from './serving';
import { partitionOf } from '../arn';
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
export function normalizeCicd(spec: PipelineSpec, specFile: string): ResolvedCicd | undefined {
  const c = spec.cicd;
  const training = normalizeTraining(spec, specFile);
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
  // The build publishes the training code only where the pipeline reads it from the lake.
  const published = training.code.kind === 'lake' ? training.code.location : undefined;
  const environment: Record<string, string> = {
    ...plain,
    ...(published ? { PIPEFORM_CODE_URI: published.uri } : {}),
    PIPEFORM_MODEL_PACKAGE_GROUP: training.modelPackageGroupName,
    PIPEFORM_PIPELINE: p,
    PIPEFORM_TRAINING_PIPELINE: training.pipelineName,
  };

  const deployOn = c.deploy?.enabled ?? true;
  let deploy: ResolvedCicd['deploy'];
  if (deployOn) {
    const names = cicdDeployEndpoints(spec);
    deploy = {
      targets: (normalizeServing(spec, specFile)?.endpoints ?? [])
        .filter((e) => names.includes(e.name))
        .map((e) => ({ endpoint: e.name, endpointName: e.endpointName })),
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
      ...(b.buildspecFile
        ? { buildspecFile: resolveCodeFile(b.buildspecFile, specFile, 'cicd-buildspec') }
        : {}),
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
      ...(published ? { code: published } : {}),
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
