import type { ResolvedCicd, ResolvedCicdSource, ResolvedCodeBuildSecretVariable } from '../../model/cicd';
import type { ResolvedSecretRef } from '../../model/secrets';
import type { CicdGitSource, PipelineSpec, SecretRef } from '../../spec/types.generated';
import {
  ARTIFACT_FOLDER_LENGTH,
  cicdPipelineName,
  COMPUTE_TYPES,
  DEFAULTS,
  PROVIDER_TYPES,
  VERSION_VARIABLE,
} from '../../areas/cicd/catalog';
import { isSecretRef } from '../secrets';
import { resolveCodeFile } from './assets';
import { resolveSecretRef, uniqueSecrets } from './secrets';
import { cicdDeployEndpoints, normalizeServing } from './serving';
import { partitionOf } from '../arn';
import { defaultBucketPrefix } from './storage';
import { normalizeTraining } from './training';

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

function resolveGit(g: CicdGitSource, pipeline: string): ResolvedCicdSource {
  const provider = g.provider ?? DEFAULTS.git.provider;
  const arn = g.connectionArn;
  return {
    kind: 'git',
    connection:
      arn === undefined
        ? { kind: 'create', name: `${pipeline}-git`, providerType: PROVIDER_TYPES[provider] }
        : { kind: 'existing', arn },
    repository: g.repository,
    branch: g.branch ?? DEFAULTS.git.branch,
    detectChanges: g.detectChanges ?? DEFAULTS.git.detectChanges,
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
  const pipelineName = cicdPipelineName(p);
  const artifactBucket = c.artifactBucket ?? DEFAULTS.artifactBucket;
  const b = c.build ?? {};
  const image = b.image ?? DEFAULTS.build.image;

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

  const deployOn = c.deploy?.enabled ?? DEFAULTS.deployEnabled;
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
      buildspec: b.buildspec ?? DEFAULTS.build.buildspec,
      ...(b.buildspecFile
        ? { buildspecFile: resolveCodeFile(b.buildspecFile, specFile, 'cicd-buildspec') }
        : {}),
      computeType: COMPUTE_TYPES[b.computeType ?? DEFAULTS.build.computeType],
      image,
      environmentType: image.includes('aarch64') ? 'ARM_CONTAINER' : 'LINUX_CONTAINER',
      timeoutMinutes: b.timeoutMinutes ?? DEFAULTS.build.timeoutMinutes,
      vpc: b.vpc ?? DEFAULTS.build.vpc,
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
            timeoutMinutes: c.approval?.timeoutMinutes ?? DEFAULTS.approvalTimeoutMinutes,
          },
          deploy,
        }
      : {}),
  };
}
