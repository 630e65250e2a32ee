/**
 * The training area's catalog: the instance and image tables, the defaults (read from the
 * schema, never restated), and the predicates the check stage, normalize, advice and cost
 * share. Pure: no cdktf, no normalize imports, so a rule can use it without loading the
 * normalize stage.
 */
import type { AlgorithmKind, ResolvedInstance, TrainingAlgorithm } from '../../model/training';
import { schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';
import type { Training } from '../../spec/types.generated';

const training = (name: string) => schemaPointer('training', name);
const jumpstart = (name: string) => schemaPointer('trainingBaseModel', 'jumpstart', name);
const job = (definition: 'trainingProcessing' | 'trainingEvaluation') => ({
  instanceType: schemaDefault(schemaPointer(definition, 'instanceType'), 'string'),
  instanceCount: schemaDefault(schemaPointer(definition, 'instanceCount'), 'number'),
  volumeSizeGb: schemaDefault(schemaPointer(definition, 'volumeSizeGb'), 'number'),
  maxRuntimeSeconds: schemaDefault(schemaPointer(definition, 'maxRuntimeSeconds'), 'number'),
});

/** The training defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  instanceType: schemaDefault(training('instanceType'), 'string'),
  instanceCount: schemaDefault(training('instanceCount'), 'number'),
  volumeSizeGb: schemaDefault(training('volumeSizeGb'), 'number'),
  maxRuntimeSeconds: schemaDefault(training('maxRuntimeSeconds'), 'number'),
  spot: schemaDefault(training('spot'), 'boolean'),
  networkIsolation: schemaDefault(training('networkIsolation'), 'boolean'),
  interContainerEncryption: schemaDefault(training('interContainerEncryption'), 'boolean'),
  /** The name the source archive gets when the spec names none. */
  sourceArchive: schemaDefault(training('sourceArchive'), 'string'),
  checkpointing: {
    enabled: schemaDefault(schemaPointer('trainingCheckpointing', 'enabled'), 'boolean'),
    localPath: schemaDefault(schemaPointer('trainingCheckpointing', 'localPath'), 'string'),
    waiveSpotRisk: schemaDefault(schemaPointer('trainingCheckpointing', 'waiveSpotRisk'), 'boolean'),
  },
  data: {
    bucket: schemaDefault(schemaPointer('trainingData', 'bucket'), 'string'),
    inputMode: schemaChoiceDefault(schemaPointer('trainingData', 'inputMode'), [
      'File',
      'FastFile',
      'Pipe',
    ] as const),
    sharded: schemaDefault(schemaPointer('trainingData', 'sharded'), 'boolean'),
  },
  /** The data-lake bucket of the training code when it comes from the lake (the default). */
  codeBucket: schemaDefault(schemaPointer('trainingCode', 'bucket'), 'string'),
  baseModel: { champion: schemaDefault(schemaPointer('trainingBaseModel', 'champion'), 'boolean') },
  processing: {
    ...job('trainingProcessing'),
    inputBucket: schemaDefault(schemaPointer('trainingProcessingInput', 'bucket'), 'string'),
  },
  evaluation: job('trainingEvaluation'),
  modelParallel: {
    partitions: schemaDefault(schemaPointer('trainingModelParallel', 'partitions'), 'number'),
    tensorParallelDegree: schemaDefault(
      schemaPointer('trainingModelParallel', 'tensorParallelDegree'),
      'number',
    ),
    microbatches: schemaDefault(schemaPointer('trainingModelParallel', 'microbatches'), 'number'),
    ddp: schemaDefault(schemaPointer('trainingModelParallel', 'ddp'), 'boolean'),
  },
  tuning: {
    strategy: schemaChoiceDefault(schemaPointer('trainingTuning', 'strategy'), [
      'bayesian',
      'random',
      'hyperband',
    ] as const),
    maxJobs: schemaDefault(schemaPointer('trainingTuning', 'maxJobs'), 'number'),
    maxParallelJobs: schemaDefault(schemaPointer('trainingTuning', 'maxParallelJobs'), 'number'),
    rangeScaling: schemaChoiceDefault(schemaPointer('trainingParameterRange', 'scaling'), [
      'auto',
      'linear',
      'logarithmic',
      'reverse-logarithmic',
    ] as const),
  },
  registration: {
    approval: schemaChoiceDefault(schemaPointer('trainingRegistration', 'approval'), [
      'manual',
      'automatic',
    ] as const),
    inferenceInstanceTypes: schemaDefault(
      schemaPointer('trainingRegistration', 'inferenceInstanceTypes'),
      'strings',
    ),
    transformInstanceTypes: schemaDefault(
      schemaPointer('trainingRegistration', 'transformInstanceTypes'),
      'strings',
    ),
  },
  jumpstart: {
    gated: schemaDefault(jumpstart('gated'), 'boolean'),
    acceptEula: schemaDefault(jumpstart('acceptEula'), 'boolean'),
  },
} as const;

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
export const trainingNetworkIsolation = (t: Training): boolean =>
  t.networkIsolation ?? DEFAULTS.networkIsolation;

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

/**
 * The regions SageMaker JumpStart serves models in, each with its two content buckets, from
 * the SageMaker Python SDK's `JUMPSTART_LAUNCHED_REGIONS` (aws/sagemaker-python-sdk,
 * sagemaker-core/src/sagemaker/core/jumpstart/region_config.json, loaded by
 * jumpstart/constants.py as JumpStartLaunchedRegionInfo): `content_bucket`
 * `jumpstart-cache-prod-<region>` and `gated_content_bucket`
 * `jumpstart-private-cache-prod-<region>` in every region listed, China and GovCloud
 * included. The ISO and European Sovereign Cloud regions it also lists are left out: their
 * partitions (aws-iso*, aws-eusc) are not ones pipeform writes ARNs for.
 */
export const JUMPSTART_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-west-1',
  'us-west-2',
];

/**
 * The JumpStart bucket of `region`: the gated one (models with a license agreement, the
 * model spec's `gated_bucket`) or the public one, as the SDK's model_uris.retrieve picks
 * it (jumpstart/artifacts/model_uris.py: `s3://<bucket>/<training_artifact_key>`).
 * Undefined for a region JumpStart does not serve. No AWS call: the buckets are named by
 * region.
 */
export function jumpstartBucket(region: string, gated: boolean): string | undefined {
  if (!JUMPSTART_REGIONS.includes(region)) return undefined;
  return gated ? `jumpstart-private-cache-prod-${region}` : `jumpstart-cache-prod-${region}`;
}
