import type {
  ResolvedBaseModel,
  ResolvedChannel,
  ResolvedDistribution,
  ResolvedImage,
  ResolvedInstance,
  ResolvedParameterRange,
  ResolvedProcessingJob,
  ResolvedS3Location,
  ResolvedTraining,
  ResolvedTrainingCode,
  ResolvedTuning,
  TrainingAlgorithm,
} from '../../model/training';
import type {
  PipelineSpec,
  Training,
  TrainingEvaluation,
  TrainingProcessing,
} from '../../spec/types.generated';
import { join, posix } from 'node:path';
import type { ResolvedCodeLocation } from '../../model/assets';
import type { ResolvedKpi } from '../../model/resolved';
import type { ResolvedMlflowClient } from '../../model/tracking';
import {
  algorithmKind,
  BUILTIN_IMAGES,
  DEFAULTS,
  FRAMEWORK_IMAGES,
  jumpstartBucket,
  kpiSource,
  parseEcrImage,
  resolveInstance,
  trainingNetworkIsolation,
} from '../../areas/training/catalog';
import { parseS3Uri } from '../../areas/assets/catalog';
import { localPath } from './assets';
import { resolveValues, uniqueSecrets } from './secrets';
import { defaultBucketPrefix } from './storage';
import { mlflowClient, withTrackingUri } from './tracking';

/** The scikit-learn image: the default for preprocessing, and evaluation of models without Python tooling. */
const SKLEARN_PROCESSING: ResolvedImage = {
  kind: 'prebuilt',
  repository: 'sagemaker-scikit-learn',
  tag: '1.2-1-cpu-py3',
};

/** A user image by URI. */
function uriImage(uri: string): ResolvedImage {
  const p = parseEcrImage(uri);
  if (!p) throw new Error(`internal: ${JSON.stringify(uri)} passed the check stage but is no ECR image`);
  return { kind: 'uri', uri, account: p.account, region: p.region, repository: p.repository };
}

/** The framework image tag: `<version>-<cpu|gpu>-<python>`, the SageMaker SDK's format. */
function frameworkTag(version: string, python: string, instance: ResolvedInstance): string {
  return `${version}-${instance.accelerator === 'nvidia' ? 'gpu' : 'cpu'}-${python}`;
}

/** The image training runs in. */
function trainingImage(t: Training, algorithm: TrainingAlgorithm, instance: ResolvedInstance): ResolvedImage {
  if (t.image) return uriImage(t.image);
  const builtin = BUILTIN_IMAGES[algorithm];
  if (builtin) return { kind: 'prebuilt', repository: builtin.repository, tag: t.version ?? builtin.version };
  const fw = FRAMEWORK_IMAGES[algorithm];
  if (!fw) throw new Error(`internal: ${algorithm} needs an image, which the check stage requires`);
  return {
    kind: 'prebuilt',
    repository: fw.training,
    tag: frameworkTag(t.version ?? fw.version, t.pythonVersion ?? fw.python, instance),
  };
}

/** The image the evaluation step runs in when the spec names none. */
function evaluationImage(
  t: Training,
  algorithm: TrainingAlgorithm,
  training: ResolvedImage,
  instance: ResolvedInstance,
): ResolvedImage {
  if (t.evaluation?.image) return uriImage(t.evaluation.image);
  // DeepAR and Linear Learner images have no Python tooling to load a model in a script.
  if (algorithm === 'deepar' || algorithm === 'linear-learner') return SKLEARN_PROCESSING;
  const fw = FRAMEWORK_IMAGES[algorithm];
  if (fw && !t.image) {
    return {
      kind: 'prebuilt',
      repository: fw.training,
      tag: frameworkTag(t.version ?? fw.version, t.pythonVersion ?? fw.python, instance),
    };
  }
  return training;
}

/** The image the registered model serves with. */
function inferenceImage(
  t: Training,
  algorithm: TrainingAlgorithm,
  training: ResolvedImage,
  instance: ResolvedInstance,
): ResolvedImage {
  const fw = FRAMEWORK_IMAGES[algorithm];
  if (!fw) return training;
  const version = t.version ?? fw.version;
  const processor = instance.accelerator === 'nvidia' ? 'gpu' : 'cpu';
  // TensorFlow Serving images are tagged without a Python version.
  const tag =
    algorithm === 'tensorflow'
      ? `${version}-${processor}`
      : `${version}-${processor}-${t.pythonVersion ?? fw.python}`;
  return { kind: 'prebuilt', repository: fw.inference, tag };
}

const location = (bucketName: string, prefix: string): ResolvedS3Location => ({
  bucketName,
  prefix,
  uri: `s3://${bucketName}/${prefix}`,
});

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The last path segment of a script: where it lands in the container's code directory. */
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * Where the training code comes from: `code.directory` (local), `code.s3` (a prefix outside
 * the pipeline's buckets) or a data-lake prefix (the default, which the CI/CD build publishes;
 * the check stage refuses it without cicd).
 */
export function resolveTrainingCode(
  t: Training,
  pipeline: string,
  bucketName: (name: string) => string,
  specFile: string,
): ResolvedTrainingCode {
  const c = t.code ?? {};
  if (c.directory !== undefined) {
    return { kind: 'directory', directory: c.directory, path: localPath(specFile, c.directory) };
  }
  const external = c.s3 ? parseS3Uri(c.s3) : undefined;
  if (external) return { kind: 's3', location: location(external.bucketName, external.key) };
  return {
    kind: 'lake',
    location: location(bucketName(c.bucket ?? DEFAULTS.codeBucket), c.prefix ?? `${pipeline}/code/`),
  };
}

/**
 * A file of the training code: an asset from the code directory (its path inside the
 * directory is `relative`), or the object `<prefix><relative>` of an S3 code location.
 */
function codeFile(
  code: ResolvedTrainingCode,
  relative: string,
  id: string,
  packaging: 'file' | 'tar.gz' = 'file',
): ResolvedCodeLocation {
  if (code.kind !== 'directory') {
    return { kind: 's3', bucketName: code.location.bucketName, key: `${code.location.prefix}${relative}` };
  }
  return {
    kind: 'asset',
    asset: {
      id,
      source: packaging === 'file' ? posix.join(code.directory, relative) : code.directory,
      path: packaging === 'file' ? join(code.path, relative) : code.path,
      packaging,
      fileName: baseName(relative),
    },
  };
}

function processingJob(
  stepName: string,
  job: TrainingProcessing | TrainingEvaluation,
  defaults: (typeof DEFAULTS)['processing' | 'evaluation'],
  image: ResolvedImage,
  code: ResolvedTrainingCode,
  mlflow: ResolvedMlflowClient | undefined,
): ResolvedProcessingJob {
  return {
    stepName,
    image,
    script: codeFile(code, job.script, `training-${stepName.toLowerCase()}`),
    scriptName: baseName(job.script),
    instance: resolveInstance(job.instanceType ?? defaults.instanceType),
    instanceCount: job.instanceCount ?? defaults.instanceCount,
    volumeSizeGb: job.volumeSizeGb ?? defaults.volumeSizeGb,
    maxRuntimeSeconds: job.maxRuntimeSeconds ?? defaults.maxRuntimeSeconds,
    arguments: [...(job.arguments ?? [])],
    environment: withTrackingUri(resolveValues(job.environment, 'env').values, mlflow),
  };
}

const SCALING = {
  auto: 'Auto',
  linear: 'Linear',
  logarithmic: 'Logarithmic',
  'reverse-logarithmic': 'ReverseLogarithmic',
} as const;

const STRATEGY = { bayesian: 'Bayesian', random: 'Random', hyperband: 'Hyperband' } as const;

function resolveTuning(t: Training): ResolvedTuning | undefined {
  const tuning = t.tuning;
  if (!tuning) return undefined;
  const strategy = tuning.strategy ?? DEFAULTS.tuning.strategy;
  const ranges: ResolvedParameterRange[] = tuning.ranges.map((r) =>
    r.type === 'categorical'
      ? { name: r.name, type: 'categorical', values: [...(r.values ?? [])] }
      : {
          name: r.name,
          type: r.type,
          min: r.min ?? 0,
          max: r.max ?? 0,
          scaling: SCALING[r.scaling ?? DEFAULTS.tuning.rangeScaling],
        },
  );
  // Hyperband stops weak jobs itself; SageMaker refuses its early stopping on top.
  const earlyStopping = tuning.earlyStopping ?? (strategy === 'hyperband' ? 'off' : 'auto');
  return {
    objective: {
      metric: tuning.objective.metric,
      type: tuning.objective.direction === 'maximize' ? 'Maximize' : 'Minimize',
    },
    strategy: STRATEGY[strategy],
    ranges: ranges.sort(byName),
    maxJobs: tuning.maxJobs ?? DEFAULTS.tuning.maxJobs,
    maxParallelJobs: tuning.maxParallelJobs ?? DEFAULTS.tuning.maxParallelJobs,
    earlyStopping: earlyStopping === 'auto' ? 'Auto' : 'Off',
    ...(tuning.hyperband
      ? {
          hyperband: { minResource: tuning.hyperband.minResource, maxResource: tuning.hyperband.maxResource },
        }
      : {}),
  };
}

function resolveDistribution(t: Training, instance: ResolvedInstance): ResolvedDistribution | undefined {
  const d = t.distributed;
  if (!d) return undefined;
  if (d.strategy === 'data-parallel') return { strategy: 'data-parallel' };
  const mpi = {
    processesPerHost: d.processesPerHost ?? Math.max(1, instance.accelerators),
    customMpiOptions: d.customMpiOptions ?? '',
  };
  if (d.strategy === 'model-parallel') {
    const mp = d.modelParallel ?? {};
    return {
      strategy: 'model-parallel',
      ...mpi,
      partitions: mp.partitions ?? DEFAULTS.modelParallel.partitions,
      tensorParallelDegree: mp.tensorParallelDegree ?? DEFAULTS.modelParallel.tensorParallelDegree,
      microbatches: mp.microbatches ?? DEFAULTS.modelParallel.microbatches,
      ddp: mp.ddp ?? DEFAULTS.modelParallel.ddp,
    };
  }
  return { strategy: d.strategy, ...mpi };
}

/** Channel content type when the spec names none. */
const DEFAULT_CONTENT_TYPE: Readonly<Record<string, string>> = {
  xgboost: 'text/csv',
  'linear-learner': 'text/csv',
  lightgbm: 'text/csv',
};

/**
 * Resolves the SageMaker training pipeline; undefined when `training` holds none (no key
 * besides `eks`, which is resolved on its own). Names: the pipeline `<pipeline>-training`,
 * the model package group `<pipeline>-models`; S3 locations under the data-lake buckets.
 */
export function normalizeTraining(spec: PipelineSpec, specFile: string): ResolvedTraining | undefined {
  const t = spec.training;
  if (!t || !t.algorithm || !t.data) return undefined;
  const kpis = resolveKpis(spec);
  // Without an evaluation step every KPI must read a training metric (the check stage says so).
  if (!t.evaluation && kpis.some((k) => k.source === 'evaluation')) return undefined;
  const p = spec.name;
  const bucketPrefix = spec.storage?.bucketPrefix ?? defaultBucketPrefix(spec);
  const bucket = (name: string) => `${bucketPrefix}-${name}`;
  const algorithm = t.algorithm;
  const kind = algorithmKind(algorithm);

  const instance = resolveInstance(t.instanceType ?? DEFAULTS.instanceType);
  const image = trainingImage(t, algorithm, instance);
  const code = resolveTrainingCode(t, p, bucket, specFile);
  const data = location(bucket(t.data.bucket ?? DEFAULTS.data.bucket), t.data.prefix);
  const contentType = t.data.contentType ?? DEFAULT_CONTENT_TYPE[algorithm];
  const channelNames = algorithm === 'deepar' ? ['train', 'test'] : ['train', 'validation'];
  const channels: ResolvedChannel[] = channelNames.map((name) => ({
    name,
    ...(contentType ? { contentType } : {}),
    sharded: name === 'train' && (t.data?.sharded ?? DEFAULTS.data.sharded),
  }));
  const baseModel = resolveBaseModel(t, p, spec.region, bucket);
  const spot = t.spot ?? DEFAULTS.spot;
  const maxRuntimeSeconds = t.maxRuntimeSeconds ?? DEFAULTS.maxRuntimeSeconds;
  const checkpointsOn = t.checkpointing?.enabled ?? DEFAULTS.checkpointing.enabled;
  const evaluation = t.evaluation;
  const inferenceInstance = resolveInstance(
    (t.registration?.inferenceInstanceTypes ?? DEFAULTS.registration.inferenceInstanceTypes)[0],
  );
  const contentTypes = [...(t.registration?.contentTypes ?? [contentType ?? 'application/json'])];
  const distribution = resolveDistribution(t, instance);
  const tuning = resolveTuning(t);
  const preprocessing = t.processing;
  const problem = spec.goals?.problem;
  const environment = resolveValues(t.environment, 'env');
  const mlflow = mlflowClient(spec);
  // One role runs every job of the pipeline: it reads the secrets any of them references.
  const secrets = uniqueSecrets(
    [t.environment, preprocessing?.environment, evaluation?.environment].flatMap(
      (e) => resolveValues(e, 'env').secrets,
    ),
  );

  return {
    pipelineName: `${p}-training`,
    modelPackageGroupName: `${p}-models`,
    roleComponent: 'training',
    description: `pipeform ${p}: ${kind === 'framework' ? `${algorithm} script` : algorithm} training with a KPI gate${evaluation ? '' : ' on its own metrics'} and model registration`,
    registryDescription: (problem ?? `Models of the ${p} pipeline that passed its KPI gate`).slice(0, 1024),
    algorithm,
    kind,
    image,
    ...(kind === 'framework' && t.entryPoint
      ? {
          scriptMode: {
            entryPoint: t.entryPoint,
            sourceArchive: codeFile(
              code,
              t.sourceArchive ?? DEFAULTS.sourceArchive,
              'training-source',
              'tar.gz',
            ),
          },
        }
      : {}),
    hyperparameters: Object.fromEntries(
      Object.keys(t.hyperparameters ?? {})
        .sort()
        .map((k) => [k, (t.hyperparameters ?? {})[k]]),
    ),
    environment: withTrackingUri(environment.values, mlflow),
    secrets,
    ...(mlflow ? { mlflow } : {}),
    metricDefinitions: (t.metricDefinitions ?? [])
      .map((m) => ({ name: m.name, regex: m.regex }))
      .sort(byName),
    instance,
    // A distributed strategy was validated for one instance type: runs cannot change it.
    instanceTypeChoices: distribution
      ? [instance.type]
      : [
          instance.type,
          ...[...new Set(t.instanceTypeChoices ?? [])].filter((c) => c !== instance.type).sort(),
        ],
    instanceCount: t.instanceCount ?? DEFAULTS.instanceCount,
    volumeSizeGb: t.volumeSizeGb ?? DEFAULTS.volumeSizeGb,
    maxRuntimeSeconds,
    ...(spot
      ? { spot: { maxWaitSeconds: t.maxWaitSeconds ?? Math.min(2 * maxRuntimeSeconds, 2419200) } }
      : {}),
    ...(checkpointsOn
      ? {
          checkpoints: {
            location: location(bucket('checkpoints'), `${p}/training/checkpoints/`),
            localPath: t.checkpointing?.localPath ?? DEFAULTS.checkpointing.localPath,
          },
        }
      : {}),
    networkIsolation: trainingNetworkIsolation(t),
    interContainerEncryption: t.interContainerEncryption ?? DEFAULTS.interContainerEncryption,
    data: { ...data, inputMode: t.data.inputMode ?? DEFAULTS.data.inputMode },
    channels,
    ...(baseModel ? { baseModel } : {}),
    code,
    artifacts: location(bucket('models'), `${p}/training/artifacts/`),
    reports: location(bucket('models'), `${p}/training/evaluation/`),
    ...(preprocessing
      ? {
          preprocessing: {
            ...processingJob(
              'Preprocess',
              preprocessing,
              DEFAULTS.processing,
              preprocessing.image ? uriImage(preprocessing.image) : SKLEARN_PROCESSING,
              code,
              mlflow,
            ),
            input: location(
              bucket(preprocessing.input.bucket ?? DEFAULTS.processing.inputBucket),
              preprocessing.input.prefix,
            ),
          },
        }
      : {}),
    ...(evaluation
      ? {
          evaluation: processingJob(
            'Evaluate',
            evaluation,
            DEFAULTS.evaluation,
            evaluationImage(
              t,
              algorithm,
              image,
              resolveInstance(evaluation.instanceType ?? DEFAULTS.evaluation.instanceType),
            ),
            code,
            mlflow,
          ),
        }
      : {}),
    ...(distribution ? { distribution } : {}),
    ...(tuning ? { tuning } : {}),
    registration: {
      approvalStatus:
        (t.registration?.approval ?? DEFAULTS.registration.approval) === 'automatic'
          ? 'Approved'
          : 'PendingManualApproval',
      image: inferenceImage(t, algorithm, image, inferenceInstance),
      inferenceInstanceTypes: [
        ...(t.registration?.inferenceInstanceTypes ?? DEFAULTS.registration.inferenceInstanceTypes),
      ],
      transformInstanceTypes: [
        ...(t.registration?.transformInstanceTypes ?? DEFAULTS.registration.transformInstanceTypes),
      ],
      contentTypes,
      responseTypes: [...(t.registration?.responseTypes ?? contentTypes)],
    },
    kpis,
  };
}

/** Where the placeholder of a champion lookup without a first model lives: `<models>/<pipeline>/training/base-model/none`. */
export const championPlaceholderKey = (pipeline: string) => `${pipeline}/training/base-model/none`;

/**
 * The model training starts from, when the spec names one (the check stage allows one
 * source, or `champion` with `s3` as its first-run model).
 */
function resolveBaseModel(
  t: Training,
  pipeline: string,
  region: string,
  bucket: (name: string) => string,
): ResolvedBaseModel | undefined {
  const b = t.baseModel;
  const pinned = (uri: string) => {
    const p = parseS3Uri(uri);
    if (!p) throw new Error(`internal: ${JSON.stringify(uri)} passed the schema but is no S3 URI`);
    return { bucketName: p.bucketName, key: p.key, uri };
  };
  // JumpStart: the bucket is named by region (the check stage refuses a region JumpStart
  // does not serve), the key is the user's.
  const js = b?.jumpstart;
  const jumpstart = js
    ? (() => {
        const gated = js.gated ?? DEFAULTS.jumpstart.gated;
        const bucketName = jumpstartBucket(region, gated);
        if (!bucketName)
          throw new Error(`internal: JumpStart has no bucket in ${region}; the check stage refuses it`);
        return {
          bucketName,
          key: js.artifactKey,
          uri: `s3://${bucketName}/${js.artifactKey}`,
          jumpstart: { modelId: js.modelId, version: js.version, gated },
        };
      })()
    : undefined;
  const first = b?.s3 !== undefined ? pinned(b.s3) : jumpstart;
  if (b !== undefined && (b.champion ?? DEFAULTS.baseModel.champion)) {
    const models = bucket('models');
    const placeholder = championPlaceholderKey(pipeline);
    return {
      kind: 'champion',
      functionName: `${pipeline}-champion`,
      roleComponent: 'champion',
      logGroupName: `/aws/lambda/${pipeline}-champion`,
      fallback: first ?? { bucketName: models, key: placeholder, uri: `s3://${models}/${placeholder}` },
      placeholder: first === undefined,
    };
  }
  if (first) return { kind: 's3', ...first };
  if (b?.huggingface !== undefined) {
    return { kind: 'huggingface', modelId: b.huggingface, ...(b.revision ? { revision: b.revision } : {}) };
  }
  return undefined;
}

/** The spec's KPIs with their source decided (goals.kpis order kept: it is the gate's condition order). */
export function resolveKpis(spec: PipelineSpec): ResolvedKpi[] {
  return (spec.goals?.kpis ?? []).map((k) => ({
    name: k.name,
    metric: k.metric,
    threshold: k.threshold,
    direction: k.direction,
    source: kpiSource(k),
  }));
}
