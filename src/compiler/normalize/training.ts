import type {
  AlgorithmKind,
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
import { localPath, parseS3Uri } from './assets';
import { resolveValues, uniqueSecrets } from './secrets';
import { defaultBucketPrefix } from './storage';
import { mlflowClient, withTrackingUri } from './tracking';

/** What pipeform knows about one SageMaker instance type. */
export interface InstanceInfo {
  /** GPUs (or Neuron devices) per instance. */
  readonly accelerators: number;
  readonly accelerator: 'none' | 'nvidia' | 'neuron';
  /** Elastic Fabric Adapter: low-latency networking between nodes (NCCL, MPI). */
  readonly efa: boolean;
  /** EBS volume with a KMS key; false when the type has local NVMe storage instead. */
  readonly ebsVolume: boolean;
  /** The SageMaker distributed data parallel library (smddp) runs on it. */
  readonly smddp: boolean;
  /** Where SageMaker offers it. */
  readonly training: boolean;
  readonly processing: boolean;
  readonly inference: boolean;
}

type Flags = Partial<InstanceInfo>;
const table: Record<string, InstanceInfo> = {};
/** Adds `ml.<family>.<size>` for each size; a size's own flags override the family's. */
function family(name: string, sizes: Record<string, Flags | number>, flags: Flags = {}): void {
  for (const [size, own] of Object.entries(sizes)) {
    const ownFlags = typeof own === 'number' ? { accelerators: own } : own;
    table[`ml.${name}.${size}`] = {
      accelerators: 0,
      accelerator: 'none',
      efa: false,
      ebsVolume: true,
      smddp: false,
      training: true,
      processing: true,
      inference: true,
      ...flags,
      ...ownFlags,
    };
  }
}
const efa = (accelerators: number): Flags => ({ accelerators, efa: true });
const sizes = (...names: string[]) => Object.fromEntries(names.map((n) => [n, {}]));
// CPU, EBS-backed.
family('m5', sizes('large', 'xlarge', '2xlarge', '4xlarge', '12xlarge', '24xlarge'));
family(
  'm6i',
  sizes('large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge'),
);
family('c5', sizes('xlarge', '2xlarge', '4xlarge', '9xlarge', '18xlarge'));
family('c5n', { ...sizes('xlarge', '2xlarge', '4xlarge', '9xlarge'), '18xlarge': { efa: true } });
family(
  'c6i',
  sizes('xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge'),
);
family('r5', sizes('large', 'xlarge', '2xlarge', '4xlarge', '12xlarge', '24xlarge'));
family('t3', sizes('medium', 'large', 'xlarge', '2xlarge'), { training: false, inference: false });
family('t2', sizes('medium', 'large', 'xlarge', '2xlarge'), { training: false, processing: false });
// CPU with local NVMe storage.
family('m5d', sizes('large', 'xlarge', '2xlarge', '4xlarge', '12xlarge', '24xlarge'), { ebsVolume: false });
// NVIDIA GPUs. EFA per the EC2 list of EFA-capable types; smddp per the SMDDP library's list.
family('p3', { '2xlarge': 1, '8xlarge': 4, '16xlarge': 8 }, { accelerator: 'nvidia' });
family('p3dn', { '24xlarge': efa(8) }, { accelerator: 'nvidia', ebsVolume: false, inference: false });
family('p4d', { '24xlarge': efa(8) }, { accelerator: 'nvidia', ebsVolume: false, smddp: true });
family('p4de', { '24xlarge': efa(8) }, { accelerator: 'nvidia', ebsVolume: false, smddp: true });
family('p5', { '48xlarge': efa(8) }, { accelerator: 'nvidia', ebsVolume: false, smddp: true });
family(
  'g4dn',
  { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': efa(1), '12xlarge': efa(4), '16xlarge': efa(1) },
  { accelerator: 'nvidia', ebsVolume: false },
);
family(
  'g5',
  {
    xlarge: 1,
    '2xlarge': 1,
    '4xlarge': 1,
    '8xlarge': efa(1),
    '12xlarge': efa(4),
    '16xlarge': efa(1),
    '24xlarge': efa(4),
    '48xlarge': efa(8),
  },
  { accelerator: 'nvidia', ebsVolume: false },
);
// AWS Trainium (training) and Inferentia (inference) need Neuron images.
family(
  'trn1',
  { '2xlarge': 1, '32xlarge': efa(16) },
  { accelerator: 'neuron', ebsVolume: false, inference: false },
);
family('trn1n', { '32xlarge': efa(16) }, { accelerator: 'neuron', ebsVolume: false, inference: false });
family(
  'inf2',
  { xlarge: 1, '8xlarge': 1, '24xlarge': 6, '48xlarge': 12 },
  { accelerator: 'neuron', training: false, processing: false },
);

/**
 * The SageMaker instance types pipeform accepts, with what it derives from each: a small,
 * documented table (GPU count, EFA, local NVMe storage, smddp support, where it is offered).
 * A type not listed is a check error with a "did you mean".
 */
export const INSTANCE_TYPES: Readonly<Record<string, InstanceInfo>> = table;

/** Built-in algorithms: the repository `aws_sagemaker_prebuilt_ecr_image` knows and the default tag. */
export const BUILTIN_IMAGES: Readonly<Record<string, { repository: string; version: string }>> = {
  xgboost: { repository: 'sagemaker-xgboost', version: '1.7-1' },
  'linear-learner': { repository: 'linear-learner', version: '1' },
  deepar: { repository: 'forecasting-deepar', version: '1' },
};

/** Framework containers (script mode): training and inference repositories, default versions. */
export const FRAMEWORK_IMAGES: Readonly<
  Record<string, { training: string; inference: string; version: string; python: string }>
> = {
  pytorch: {
    training: 'pytorch-training',
    inference: 'pytorch-inference',
    version: '2.3.0',
    python: 'py311',
  },
  tensorflow: {
    training: 'tensorflow-training',
    inference: 'tensorflow-inference',
    version: '2.14.1',
    python: 'py310',
  },
  sklearn: {
    training: 'sagemaker-scikit-learn',
    inference: 'sagemaker-scikit-learn',
    version: '1.2-1',
    python: 'py3',
  },
};

/** The scikit-learn image: the default for preprocessing, and evaluation of models without Python tooling. */
const SKLEARN_PROCESSING: ResolvedImage = {
  kind: 'prebuilt',
  repository: 'sagemaker-scikit-learn',
  tag: '1.2-1-cpu-py3',
};

/** Hyperparameters each built-in algorithm cannot run without (static or tuned). */
export const REQUIRED_HYPERPARAMETERS: Readonly<Record<string, readonly string[]>> = {
  xgboost: ['num_round'],
  'linear-learner': ['predictor_type'],
  deepar: ['context_length', 'epochs', 'prediction_length', 'time_freq'],
};

/** Which side of a metric is better: the optimization direction AWS documents for it. */
export type MetricDirection = 'maximize' | 'minimize';

const metrics = (prefix: string, names: Record<string, MetricDirection>) =>
  Object.fromEntries(Object.entries(names).map(([n, d]) => [`${prefix}:${n}`, d]));

/**
 * The metrics each built-in algorithm emits (its FinalMetricDataList), with the
 * optimization direction AWS documents, restricted to the channels pipeform gives it:
 * - xgboost: "Evaluation Metrics Computed by the XGBoost Algorithm",
 *   https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost-tuning.html (the validation
 *   metrics; the job reports only those its `eval_metric` names, by default the objective's own);
 * - linear-learner: "Metrics computed by the linear learner algorithm",
 *   https://docs.aws.amazon.com/sagemaker/latest/dg/linear-learner-tuning.html (the
 *   validation half: pipeform's channels are train and validation, so the test:* metrics
 *   never appear);
 * - deepar: "Metrics Computed by the DeepAR Algorithm",
 *   https://docs.aws.amazon.com/sagemaker/latest/dg/deepar-tuning.html ("The DeepAR
 *   algorithm reports three metrics, which are computed during training").
 */
export const BUILTIN_METRICS: Readonly<Record<string, Readonly<Record<string, MetricDirection>>>> = {
  xgboost: metrics('validation', {
    accuracy: 'maximize',
    auc: 'maximize',
    error: 'minimize',
    f1: 'maximize',
    logloss: 'minimize',
    mae: 'minimize',
    map: 'maximize',
    merror: 'minimize',
    mlogloss: 'minimize',
    mse: 'minimize',
    ndcg: 'maximize',
    rmse: 'minimize',
  }),
  'linear-learner': metrics('validation', {
    absolute_loss: 'minimize',
    binary_classification_accuracy: 'maximize',
    binary_f_beta: 'maximize',
    dcg: 'maximize',
    macro_f_beta: 'maximize',
    macro_precision: 'maximize',
    macro_recall: 'maximize',
    mse: 'minimize',
    multiclass_accuracy: 'maximize',
    multiclass_top_k_accuracy: 'maximize',
    objective_loss: 'minimize',
    precision: 'maximize',
    recall: 'maximize',
    rmse: 'minimize',
    roc_auc_score: 'maximize',
  }),
  deepar: {
    'test:RMSE': 'minimize',
    'test:mean_wQuantileLoss': 'minimize',
    'train:final_loss': 'minimize',
  },
};

/** Where a KPI's metric comes from, with its default. */
export const kpiSource = (k: { readonly source?: 'evaluation' | 'training' }): 'evaluation' | 'training' =>
  k.source ?? 'evaluation';

/** How an algorithm runs. */
export function algorithmKind(algorithm: TrainingAlgorithm): AlgorithmKind {
  if (algorithm in BUILTIN_IMAGES) return 'builtin';
  if (algorithm in FRAMEWORK_IMAGES) return 'framework';
  return 'image';
}

/** The parts of an ECR image URI; undefined when the text is not one. */
export function parseEcrImage(
  uri: string,
): { account: string; region: string; repository: string; reference: string } | undefined {
  const m =
    /^([0-9]{12})\.dkr\.ecr\.([a-z]{2}(?:-[a-z]+)+-[0-9])\.amazonaws\.com(?:\.cn)?\/([a-z0-9]+(?:[._/-][a-z0-9]+)*)(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/.exec(
      uri,
    );
  return m ? { account: m[1], region: m[2], repository: m[3], reference: m[4] } : undefined;
}

/** Network isolation of the training, tuning, preprocessing and evaluation containers, with its default (on). */
export const trainingNetworkIsolation = (t: Training): boolean => t.networkIsolation ?? true;

/** Keys of `training` that belong to the SageMaker pipeline (everything but `eks`). */
export function sageMakerKeys(t: Training | undefined): string[] {
  return Object.keys(t ?? {}).filter((k) => k !== 'eks');
}

/** A resolved instance type; unknown types (refused by the check stage) resolve as CPU with EBS. */
export function resolveInstance(type: string): ResolvedInstance {
  const info = INSTANCE_TYPES[type];
  return {
    type,
    accelerators: info?.accelerators ?? 0,
    accelerator: info?.accelerator ?? 'none',
    ebsVolume: info?.ebsVolume ?? true,
  };
}

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

/** The name the source archive gets when the spec names none. */
export const DEFAULT_SOURCE_ARCHIVE = 'sourcedir.tar.gz';

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
    location: location(bucketName(c.bucket ?? 'models'), c.prefix ?? `${pipeline}/code/`),
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
  image: ResolvedImage,
  code: ResolvedTrainingCode,
  mlflow: ResolvedMlflowClient | undefined,
): ResolvedProcessingJob {
  return {
    stepName,
    image,
    script: codeFile(code, job.script, `training-${stepName.toLowerCase()}`),
    scriptName: baseName(job.script),
    instance: resolveInstance(job.instanceType ?? 'ml.m5.xlarge'),
    instanceCount: job.instanceCount ?? 1,
    volumeSizeGb: job.volumeSizeGb ?? 30,
    maxRuntimeSeconds: job.maxRuntimeSeconds ?? 3600,
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
  const strategy = tuning.strategy ?? 'bayesian';
  const ranges: ResolvedParameterRange[] = tuning.ranges.map((r) =>
    r.type === 'categorical'
      ? { name: r.name, type: 'categorical', values: [...(r.values ?? [])] }
      : {
          name: r.name,
          type: r.type,
          min: r.min ?? 0,
          max: r.max ?? 0,
          scaling: SCALING[r.scaling ?? 'auto'],
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
    maxJobs: tuning.maxJobs ?? 20,
    maxParallelJobs: tuning.maxParallelJobs ?? 2,
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
      partitions: mp.partitions ?? 1,
      tensorParallelDegree: mp.tensorParallelDegree ?? 1,
      microbatches: mp.microbatches ?? 4,
      ddp: mp.ddp ?? true,
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

  const instance = resolveInstance(t.instanceType ?? 'ml.m5.xlarge');
  const image = trainingImage(t, algorithm, instance);
  const code = resolveTrainingCode(t, p, bucket, specFile);
  const data = location(bucket(t.data.bucket ?? 'curated'), t.data.prefix);
  const contentType = t.data.contentType ?? DEFAULT_CONTENT_TYPE[algorithm];
  const channelNames = algorithm === 'deepar' ? ['train', 'test'] : ['train', 'validation'];
  const channels: ResolvedChannel[] = channelNames.map((name) => ({
    name,
    ...(contentType ? { contentType } : {}),
    sharded: name === 'train' && (t.data?.sharded ?? false),
  }));
  const baseModel = resolveBaseModel(t, p, bucket);
  const spot = t.spot ?? true;
  const maxRuntimeSeconds = t.maxRuntimeSeconds ?? 86400;
  const checkpointsOn = t.checkpointing?.enabled ?? true;
  const evaluation = t.evaluation;
  const inferenceInstance = resolveInstance(t.registration?.inferenceInstanceTypes?.[0] ?? 'ml.m5.large');
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
              t.sourceArchive ?? DEFAULT_SOURCE_ARCHIVE,
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
    instanceCount: t.instanceCount ?? 1,
    volumeSizeGb: t.volumeSizeGb ?? 30,
    maxRuntimeSeconds,
    ...(spot
      ? { spot: { maxWaitSeconds: t.maxWaitSeconds ?? Math.min(2 * maxRuntimeSeconds, 2419200) } }
      : {}),
    ...(checkpointsOn
      ? {
          checkpoints: {
            location: location(bucket('checkpoints'), `${p}/training/checkpoints/`),
            localPath: t.checkpointing?.localPath ?? '/opt/ml/checkpoints',
          },
        }
      : {}),
    networkIsolation: trainingNetworkIsolation(t),
    interContainerEncryption: t.interContainerEncryption ?? true,
    data: { ...data, inputMode: t.data.inputMode ?? 'File' },
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
              preprocessing.image ? uriImage(preprocessing.image) : SKLEARN_PROCESSING,
              code,
              mlflow,
            ),
            input: location(bucket(preprocessing.input.bucket ?? 'raw'), preprocessing.input.prefix),
          },
        }
      : {}),
    ...(evaluation
      ? {
          evaluation: processingJob(
            'Evaluate',
            evaluation,
            evaluationImage(t, algorithm, image, resolveInstance(evaluation.instanceType ?? 'ml.m5.xlarge')),
            code,
            mlflow,
          ),
        }
      : {}),
    ...(distribution ? { distribution } : {}),
    ...(tuning ? { tuning } : {}),
    registration: {
      approvalStatus: t.registration?.approval === 'automatic' ? 'Approved' : 'PendingManualApproval',
      image: inferenceImage(t, algorithm, image, inferenceInstance),
      inferenceInstanceTypes: [...(t.registration?.inferenceInstanceTypes ?? ['ml.m5.large'])],
      transformInstanceTypes: [...(t.registration?.transformInstanceTypes ?? ['ml.m5.large'])],
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
  bucket: (name: string) => string,
): ResolvedBaseModel | undefined {
  const b = t.baseModel;
  const pinned = (uri: string) => {
    const p = parseS3Uri(uri);
    if (!p) throw new Error(`internal: ${JSON.stringify(uri)} passed the schema but is no S3 URI`);
    return { bucketName: p.bucketName, key: p.key, uri };
  };
  if (b?.champion === true) {
    const models = bucket('models');
    const placeholder = championPlaceholderKey(pipeline);
    return {
      kind: 'champion',
      functionName: `${pipeline}-champion`,
      roleComponent: 'champion',
      logGroupName: `/aws/lambda/${pipeline}-champion`,
      fallback:
        b.s3 !== undefined
          ? pinned(b.s3)
          : { bucketName: models, key: placeholder, uri: `s3://${models}/${placeholder}` },
      placeholder: b.s3 === undefined,
    };
  }
  if (b?.s3 !== undefined) return { kind: 's3', ...pinned(b.s3) };
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
