/**
 * The resolved SageMaker training pipeline: every default applied, every name, S3 location
 * and image decided, so the construct layer only serializes. (The EKS training cluster under
 * `training.eks` is resolved separately, as `ResolvedSpec.eks`.)
 */

import type { ResolvedCodeLocation } from './assets';
import type { ResolvedKpi } from './resolved';
import type { ResolvedSecretRef } from './secrets';
import type { ResolvedMlflowClient } from './tracking';

/** What trains the model. */
export type TrainingAlgorithm =
  'xgboost' | 'linear-learner' | 'deepar' | 'lightgbm' | 'pytorch' | 'tensorflow' | 'sklearn' | 'custom';

/**
 * How the algorithm runs: an AWS built-in algorithm container (`builtin`), a framework
 * container in script mode (`framework`), or the user's own image (`image`).
 */
export type AlgorithmKind = 'builtin' | 'framework' | 'image';

/** A container image: an AWS image resolved per region without an AWS call, or a user's ECR URI. */
export type ResolvedImage =
  | {
      readonly kind: 'prebuilt';
      /** Repository name `aws_sagemaker_prebuilt_ecr_image` knows, e.g. `sagemaker-xgboost`. */
      readonly repository: string;
      readonly tag: string;
    }
  | {
      readonly kind: 'uri';
      readonly uri: string;
      /** Registry account, region and repository: the pull permissions of the pipeline role. */
      readonly account: string;
      readonly region: string;
      readonly repository: string;
    };

/** An S3 location under a data-lake bucket. */
export interface ResolvedS3Location {
  /** Global bucket name. */
  readonly bucketName: string;
  /** Key prefix, empty or ending in `/`. */
  readonly prefix: string;
  /** `s3://<bucketName>/<prefix>`. */
  readonly uri: string;
}

/** Where the training code comes from. */
export type ResolvedTrainingCode =
  /** A directory beside the spec: its scripts (and, for frameworks, its tar.gz) are assets. */
  | { readonly kind: 'directory'; readonly directory: string; readonly path: string }
  /** A prefix in a bucket the configuration does not create. */
  | { readonly kind: 's3'; readonly location: ResolvedS3Location }
  /** A data-lake prefix that the CI/CD build publishes (PIPEFORM_CODE_URI). */
  | { readonly kind: 'lake'; readonly location: ResolvedS3Location };

/** An instance type with what the pipeline derives from it. */
export interface ResolvedInstance {
  readonly type: string;
  /** GPUs (or Neuron devices) per instance; 0 for CPU instances. */
  readonly accelerators: number;
  readonly accelerator: 'none' | 'nvidia' | 'neuron';
  /**
   * EBS volume (size and KMS key) settable: false for types with local NVMe storage, which
   * SageMaker refuses a volume key for (the instance encrypts that storage itself).
   */
  readonly ebsVolume: boolean;
}

/** A processing job of the pipeline (preprocessing or evaluation). */
export interface ResolvedProcessingJob {
  /** Step name in the pipeline definition. */
  readonly stepName: string;
  readonly image: ResolvedImage;
  /** The script: an asset from the code directory, or an object under the S3 code prefix. */
  readonly script: ResolvedCodeLocation;
  /** The script's file name inside the container's code directory. */
  readonly scriptName: string;
  readonly instance: ResolvedInstance;
  readonly instanceCount: number;
  readonly volumeSizeGb: number;
  readonly maxRuntimeSeconds: number;
  readonly arguments: readonly string[];
  /** The container's environment, sorted; a secret reference appears as its name under `<NAME>_SECRET_ID`. */
  readonly environment: Readonly<Record<string, string>>;
}

/** The optional preprocessing step. */
export interface ResolvedPreprocessing extends ResolvedProcessingJob {
  /** Its input; the InputDataPrefix parameter defaults to `input.uri`. */
  readonly input: ResolvedS3Location;
}

/** A data channel of the training job. */
export interface ResolvedChannel {
  /** Channel name (`train`, `validation`, `test`). */
  readonly name: string;
  readonly contentType?: string;
  /** Each instance gets its own share (ShardedByS3Key) instead of a full copy. */
  readonly sharded: boolean;
}

/** Distributed training, with the SageMaker SDK's distribution settings decided. */
export type ResolvedDistribution =
  | { readonly strategy: 'data-parallel' }
  | {
      readonly strategy: 'model-parallel';
      readonly processesPerHost: number;
      readonly customMpiOptions: string;
      readonly partitions: number;
      readonly tensorParallelDegree: number;
      readonly microbatches: number;
      readonly ddp: boolean;
    }
  | {
      readonly strategy: 'horovod' | 'mpi';
      readonly processesPerHost: number;
      readonly customMpiOptions: string;
    };

/** One hyperparameter range of the tuning job. */
export type ResolvedParameterRange =
  | {
      readonly name: string;
      readonly type: 'continuous' | 'integer';
      readonly min: number;
      readonly max: number;
      readonly scaling: 'Auto' | 'Linear' | 'Logarithmic' | 'ReverseLogarithmic';
    }
  | { readonly name: string; readonly type: 'categorical'; readonly values: readonly string[] };

/** Automatic model tuning. */
export interface ResolvedTuning {
  readonly objective: { readonly metric: string; readonly type: 'Maximize' | 'Minimize' };
  readonly strategy: 'Bayesian' | 'Random' | 'Hyperband';
  /** Sorted by name. */
  readonly ranges: readonly ResolvedParameterRange[];
  readonly maxJobs: number;
  readonly maxParallelJobs: number;
  readonly earlyStopping: 'Auto' | 'Off';
  readonly hyperband?: { readonly minResource: number; readonly maxResource: number };
}

/**
 * The trained model training starts from (transfer learning): an artifact pinned in S3,
 * given to the job as its `model` input channel, or a Hugging Face Hub model id the
 * script loads (hyperparameters `model_name_or_path`, `model_revision`). A JumpStart model is
 * an `s3` artifact in the JumpStart bucket of the pipeline region.
 */
export type ResolvedBaseModel =
  | ({
      readonly kind: 's3';
      /** Set when the object is a SageMaker JumpStart model's artifact (`baseModel.jumpstart`). */
      readonly jumpstart?: ResolvedJumpStartModel;
    } & ResolvedS3Object)
  | { readonly kind: 'huggingface'; readonly modelId: string; readonly revision?: string }
  | {
      /** The newest approved version of the pipeline's own group, looked up when a run starts. */
      readonly kind: 'champion';
      /** The Lambda function the pipeline's lookup step invokes: `<pipeline>-champion`. */
      readonly functionName: string;
      /** Its role component: the role is `<pipeline>-champion`. */
      readonly roleComponent: string;
      readonly logGroupName: string;
      /** The model channel before any version is approved: the user's `s3`, or the placeholder. */
      readonly fallback: ResolvedS3Object;
      /** True when `fallback` is the placeholder object pipeform writes (no `s3` given). */
      readonly placeholder: boolean;
    };

/** A SageMaker JumpStart model pinned by its training artifact's key. */
export interface ResolvedJumpStartModel {
  readonly modelId: string;
  readonly version: string;
  /** In the gated bucket: the model channel accepts the model's EULA (ModelAccessConfig). */
  readonly gated: boolean;
}

/** One S3 object (or, with a key ending in '/', the objects under that prefix). */
export interface ResolvedS3Object {
  readonly bucketName: string;
  readonly key: string;
  /** `s3://<bucketName>/<key>`. */
  readonly uri: string;
}

/** Registration into the model package group. */
export interface ResolvedRegistration {
  readonly approvalStatus: 'PendingManualApproval' | 'Approved';
  readonly image: ResolvedImage;
  readonly inferenceInstanceTypes: readonly string[];
  readonly transformInstanceTypes: readonly string[];
  readonly contentTypes: readonly string[];
  readonly responseTypes: readonly string[];
}

/** The SageMaker training pipeline, fully decided. */
export interface ResolvedTraining {
  /** `<pipeline>-training`. */
  readonly pipelineName: string;
  /** `<pipeline>-models`. */
  readonly modelPackageGroupName: string;
  /** The role factory component: the role is `<pipeline>-training`. */
  readonly roleComponent: string;
  readonly description: string;
  /** Description of the model package group (the problem statement when the spec has one). */
  readonly registryDescription: string;
  readonly algorithm: TrainingAlgorithm;
  readonly kind: AlgorithmKind;
  readonly image: ResolvedImage;
  /** Script mode (frameworks): the entry point and the source archive (built from the code directory, or in S3). */
  readonly scriptMode?: { readonly entryPoint: string; readonly sourceArchive: ResolvedCodeLocation };
  /** The user's static hyperparameters, sorted by name, as written (encoding is the builder's). */
  readonly hyperparameters: Readonly<Record<string, string | number | boolean>>;
  /** The training container's environment, sorted; a secret reference appears as its name under `<NAME>_SECRET_ID`. */
  readonly environment: Readonly<Record<string, string>>;
  /** The secrets and parameters the training, preprocessing and evaluation environments reference: the role may read exactly these. */
  readonly secrets: readonly ResolvedSecretRef[];
  /** The MLflow tracking server the jobs log to (MLFLOW_TRACKING_URI is in every job's environment). */
  readonly mlflow?: ResolvedMlflowClient;
  /** Sorted by name. */
  readonly metricDefinitions: readonly { readonly name: string; readonly regex: string }[];
  readonly instance: ResolvedInstance;
  /** Allowed values of the InstanceType pipeline parameter (the default first, then sorted). */
  readonly instanceTypeChoices: readonly string[];
  readonly instanceCount: number;
  readonly volumeSizeGb: number;
  readonly maxRuntimeSeconds: number;
  /** Managed spot: MaxWaitTimeInSeconds (>= maxRuntimeSeconds); undefined when spot is off. */
  readonly spot?: { readonly maxWaitSeconds: number };
  /** Checkpoints under this prefix (one folder per execution); undefined when off. */
  readonly checkpoints?: { readonly location: ResolvedS3Location; readonly localPath: string };
  readonly networkIsolation: boolean;
  readonly interContainerEncryption: boolean;
  /** Training data root; the TrainingDataPrefix parameter defaults to its URI. */
  readonly data: ResolvedS3Location & { readonly inputMode: 'File' | 'FastFile' | 'Pipe' };
  /** The training job's channels, in order; evaluation always reads `test`. */
  readonly channels: readonly ResolvedChannel[];
  /** Transfer learning: the model training starts from; undefined when it starts from scratch. */
  readonly baseModel?: ResolvedBaseModel;
  readonly code: ResolvedTrainingCode;
  /** Model artifacts of training jobs. */
  readonly artifacts: ResolvedS3Location;
  /** Evaluation reports (one folder per execution). */
  readonly reports: ResolvedS3Location;
  readonly preprocessing?: ResolvedPreprocessing;
  /** The evaluation step; absent when every KPI reads a training metric (source `training`). */
  readonly evaluation?: ResolvedProcessingJob;
  readonly distribution?: ResolvedDistribution;
  readonly tuning?: ResolvedTuning;
  readonly registration: ResolvedRegistration;
  /** The quality gate: every KPI must hold for the model to be registered. */
  readonly kpis: readonly ResolvedKpi[];
}
