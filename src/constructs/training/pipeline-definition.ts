/**
 * The SageMaker Pipelines definition (schema version 2020-12-01) as typed data, built from
 * the resolved training pipeline and serialized with sorted keys, so the same spec always
 * gives the same bytes. Terraform does not look inside the definition; these types are what
 * keeps it well formed. Field names are the SageMaker API's own (CreateTrainingJob,
 * CreateProcessingJob, CreateHyperParameterTuningJob, CreateModelPackage).
 */

import type { ResolvedCodeLocation } from '../../model/assets';
import type {
  ResolvedDistribution,
  ResolvedProcessingJob,
  ResolvedTraining,
  ResolvedTuning,
} from '../../model/training';

// ---------------------------------------------------------------------------
// Expressions

/** A reference to a parameter, an execution variable or a step property. */
export interface Get {
  readonly Get: string;
}
/** String concatenation evaluated at run time. */
export interface Join {
  readonly 'Std:Join': { readonly On: string; readonly Values: readonly (string | number | Get)[] };
}
/** A value read from a step's property file (a JSON document in S3). */
export interface JsonGet {
  readonly 'Std:JsonGet': { readonly PropertyFile: Get; readonly Path: string };
}
/** A string, or an expression that yields one. */
export type Str = string | Get | Join;

// ---------------------------------------------------------------------------
// Shapes shared by job steps

/** Private subnets and security groups of a job. */
export interface VpcConfig {
  readonly Subnets: readonly string[];
  readonly SecurityGroupIds: readonly string[];
}
/** How long a training job may run (and, on spot, wait). */
export interface StoppingCondition {
  readonly MaxRuntimeInSeconds: number;
  /** Managed spot only: at least MaxRuntimeInSeconds. */
  readonly MaxWaitTimeInSeconds?: number;
}
/** Training instances and their encrypted volume. */
export interface ResourceConfig {
  readonly InstanceType: Str;
  readonly InstanceCount: number;
  /** Omitted for instance types with local NVMe storage (SageMaker refuses a volume there). */
  readonly VolumeSizeInGB?: number;
  readonly VolumeKmsKeyId?: string;
}
/** One input data channel of a training job. */
export interface Channel {
  readonly ChannelName: string;
  readonly DataSource: {
    readonly S3DataSource: {
      readonly S3DataType: 'S3Prefix';
      readonly S3Uri: Str;
      readonly S3DataDistributionType: 'FullyReplicated' | 'ShardedByS3Key';
      /** A gated model's end-user license agreement, accepted (the model channel only). */
      readonly ModelAccessConfig?: { readonly AcceptEula: true };
    };
  };
  readonly ContentType?: string;
  readonly InputMode?: 'File' | 'FastFile' | 'Pipe';
}
/** The training image, input mode and the metrics extracted from its logs. */
export interface AlgorithmSpecification {
  readonly TrainingImage: string;
  readonly TrainingInputMode: 'File' | 'FastFile' | 'Pipe';
  readonly MetricDefinitions?: readonly { readonly Name: string; readonly Regex: string }[];
}
/** Where spot-interruptible jobs keep checkpoints. */
export interface CheckpointConfig {
  readonly S3Uri: Str;
  readonly LocalPath: string;
}
/** What a training job and a tuning job's training job definition share. */
export interface TrainingJobShape {
  readonly AlgorithmSpecification: AlgorithmSpecification;
  readonly RoleArn: string;
  readonly InputDataConfig: readonly Channel[];
  readonly OutputDataConfig: { readonly S3OutputPath: string; readonly KmsKeyId: string };
  readonly ResourceConfig: ResourceConfig;
  readonly StoppingCondition: StoppingCondition;
  readonly VpcConfig: VpcConfig;
  readonly EnableNetworkIsolation: boolean;
  readonly EnableInterContainerTrafficEncryption: boolean;
  readonly EnableManagedSpotTraining: boolean;
  readonly CheckpointConfig?: CheckpointConfig;
  /** The container's environment (secret references arrive as names, see compiler/secrets.ts). */
  readonly Environment?: Readonly<Record<string, string>>;
}
/** CreateTrainingJob arguments of a Training step. */
export interface TrainingJobArguments extends TrainingJobShape {
  readonly HyperParameters: Readonly<Record<string, string>>;
}
/** CreateHyperParameterTuningJob arguments of a Tuning step. */
export interface TuningJobArguments {
  readonly HyperParameterTuningJobConfig: {
    readonly Strategy: ResolvedTuning['strategy'];
    readonly StrategyConfig?: {
      readonly HyperbandStrategyConfig: { readonly MinResource: number; readonly MaxResource: number };
    };
    readonly HyperParameterTuningJobObjective: {
      readonly Type: 'Maximize' | 'Minimize';
      readonly MetricName: string;
    };
    readonly ResourceLimits: {
      readonly MaxNumberOfTrainingJobs: number;
      readonly MaxParallelTrainingJobs: number;
    };
    readonly ParameterRanges: {
      readonly ContinuousParameterRanges: readonly NumericRange[];
      readonly IntegerParameterRanges: readonly NumericRange[];
      readonly CategoricalParameterRanges: readonly {
        readonly Name: string;
        readonly Values: readonly string[];
      }[];
    };
    readonly TrainingJobEarlyStoppingType: 'Auto' | 'Off';
  };
  readonly TrainingJobDefinition: TrainingJobShape & {
    readonly StaticHyperParameters: Readonly<Record<string, string>>;
  };
}
/** A continuous or integer hyperparameter range (bounds as text, as the API takes them). */
export interface NumericRange {
  readonly Name: string;
  readonly MinValue: string;
  readonly MaxValue: string;
  readonly ScalingType: 'Auto' | 'Linear' | 'Logarithmic' | 'ReverseLogarithmic';
}
/** An S3 input of a processing job. */
export interface ProcessingInput {
  readonly InputName: string;
  readonly AppManaged: false;
  readonly S3Input: {
    readonly S3Uri: Str;
    readonly LocalPath: string;
    readonly S3DataType: 'S3Prefix';
    readonly S3InputMode: 'File';
    readonly S3DataDistributionType: 'FullyReplicated';
    readonly S3CompressionType: 'None';
  };
}
/** An S3 output of a processing job, uploaded when the job ends. */
export interface ProcessingOutput {
  readonly OutputName: string;
  readonly AppManaged: false;
  readonly S3Output: { readonly S3Uri: Str; readonly LocalPath: string; readonly S3UploadMode: 'EndOfJob' };
}
/** CreateProcessingJob arguments of a Processing step. */
export interface ProcessingJobArguments {
  readonly ProcessingResources: {
    readonly ClusterConfig: {
      readonly InstanceType: string;
      readonly InstanceCount: number;
      readonly VolumeSizeInGB?: number;
      readonly VolumeKmsKeyId?: string;
    };
  };
  readonly AppSpecification: {
    readonly ImageUri: string;
    readonly ContainerEntrypoint: readonly string[];
    readonly ContainerArguments?: readonly string[];
  };
  readonly RoleArn: string;
  readonly ProcessingInputs: readonly ProcessingInput[];
  readonly ProcessingOutputConfig: {
    readonly Outputs: readonly ProcessingOutput[];
    readonly KmsKeyId: string;
  };
  readonly StoppingCondition: { readonly MaxRuntimeInSeconds: number };
  readonly Environment?: Readonly<Record<string, string>>;
  readonly NetworkConfig: {
    readonly EnableInterContainerTrafficEncryption: boolean;
    readonly EnableNetworkIsolation: boolean;
    readonly VpcConfig: VpcConfig;
  };
}
/** CreateModelPackage arguments of a RegisterModel step. */
export interface RegisterModelArguments {
  readonly ModelPackageGroupName: string;
  readonly ModelPackageDescription: string;
  readonly ModelApprovalStatus: 'PendingManualApproval' | 'Approved';
  readonly InferenceSpecification: {
    readonly Containers: readonly {
      readonly Image: string;
      readonly ModelDataUrl: Str;
      readonly Environment?: Readonly<Record<string, string>>;
    }[];
    readonly SupportedContentTypes: readonly string[];
    readonly SupportedResponseMIMETypes: readonly string[];
    readonly SupportedRealtimeInferenceInstanceTypes: readonly string[];
    readonly SupportedTransformInstanceTypes: readonly string[];
  };
  /** The evaluation report as the version's model-quality statistics; absent without an evaluation step. */
  readonly ModelMetrics?: {
    readonly ModelQuality: {
      readonly Statistics: { readonly ContentType: 'application/json'; readonly S3Uri: Str };
    };
  };
  readonly CustomerMetadataProperties: Readonly<Record<string, string>>;
}

/**
 * A condition of the KPI gate: the metric compared with the KPI threshold, read from the
 * evaluation report (Std:JsonGet) or from the training (or best tuning) job's properties (Get).
 */
export interface Comparison {
  readonly Type: 'GreaterThanOrEqualTo' | 'LessThanOrEqualTo';
  readonly LeftValue: JsonGet | Get;
  readonly RightValue: number;
}

// ---------------------------------------------------------------------------
// Steps

/** A JSON output of a processing step that later steps read with Std:JsonGet. */
export interface PropertyFile {
  readonly PropertyFileName: string;
  readonly OutputName: string;
  readonly FilePath: string;
}
/** A processing job step. */
export interface ProcessingStep {
  readonly Name: string;
  readonly Type: 'Processing';
  readonly Arguments: ProcessingJobArguments;
  readonly PropertyFiles?: readonly PropertyFile[];
}
/** A training job step. */
export interface TrainingStep {
  readonly Name: string;
  readonly Type: 'Training';
  readonly Arguments: TrainingJobArguments;
}
/** A hyperparameter tuning job step. */
export interface TuningStep {
  readonly Name: string;
  readonly Type: 'Tuning';
  readonly Arguments: TuningJobArguments;
}
/** Invokes a Lambda function; later steps read what it returns through OutputParameters. */
export interface LambdaStep {
  readonly Name: string;
  readonly Type: 'Lambda';
  readonly FunctionArn: string;
  readonly Arguments: Readonly<Record<string, string>>;
  readonly OutputParameters: readonly { readonly OutputName: string; readonly OutputType: 'String' }[];
}
/** Registers a model package version. */
export interface RegisterModelStep {
  readonly Name: string;
  readonly Type: 'RegisterModel';
  readonly Arguments: RegisterModelArguments;
}
/** Ends the execution as failed, with a message. */
export interface FailStep {
  readonly Name: string;
  readonly Type: 'Fail';
  readonly Arguments: { readonly ErrorMessage: Str };
}
/** Runs IfSteps when every condition holds, ElseSteps otherwise. */
export interface ConditionStep {
  readonly Name: string;
  readonly Type: 'Condition';
  readonly Arguments: {
    /** All must hold (the list is a conjunction). */
    readonly Conditions: readonly Comparison[];
    readonly IfSteps: readonly Step[];
    readonly ElseSteps: readonly Step[];
  };
}
/** Any step of the definition. */
export type Step =
  LambdaStep | ProcessingStep | TrainingStep | TuningStep | ConditionStep | RegisterModelStep | FailStep;

/** A pipeline parameter a run may override. */
export interface Parameter {
  readonly Name: string;
  readonly Type: 'String';
  readonly DefaultValue: string;
  readonly EnumValues?: readonly string[];
}

/** A SageMaker Pipelines definition. */
export interface PipelineDefinition {
  readonly Version: '2020-12-01';
  readonly Metadata: Readonly<Record<string, never>>;
  readonly Parameters: readonly Parameter[];
  readonly Steps: readonly Step[];
}

// ---------------------------------------------------------------------------
// Builder

/** Values only Terraform knows: references to the role, key, network and image data sources. */
export interface DefinitionRefs {
  readonly region: string;
  readonly roleArn: string;
  readonly keyArn: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly images: {
    readonly training: string;
    /** Absent without an evaluation step. */
    readonly evaluation?: string;
    readonly inference: string;
    readonly preprocessing?: string;
  };
  /** `training.baseModel.champion`: the lookup function the first step invokes. */
  readonly championFunctionArn?: string;
  /** `s3://` URIs of the code the jobs run (the uploads' own, when the code is local, so the pipeline waits for them). */
  readonly code: {
    readonly evaluation?: string;
    readonly preprocessing?: string;
    /** Script mode: the source archive. */
    readonly sourceArchive?: string;
  };
}

/** Step, parameter and file names of the definition (what users see in SageMaker Studio). */
export const STEP = {
  champion: 'FindChampion',
  preprocess: 'Preprocess',
  train: 'Train',
  tune: 'Tune',
  evaluate: 'Evaluate',
  gate: 'CheckKpis',
  register: 'RegisterModel',
  fail: 'KpiGateFailed',
} as const;
/** The champion lookup step's output: the model channel's URI. */
export const CHAMPION_OUTPUT = 'ModelDataUrl';
/** Parameter names of the definition. */
export const PARAMETER = {
  instanceType: 'InstanceType',
  trainingData: 'TrainingDataPrefix',
  inputData: 'InputDataPrefix',
} as const;
/** The evaluation report: property file, processing output and file names. */
export const REPORT = {
  propertyFile: 'EvaluationReport',
  output: 'evaluation',
  file: 'evaluation.json',
} as const;

const get = (path: string): Get => ({ Get: path });
const join = (...values: (string | number | Get)[]): Join => ({ 'Std:Join': { On: '', Values: values } });
const executionId = get('Execution.PipelineExecutionId');

/** SageMaker's container paths: processing code and data, the script-mode code channel. */
const PROCESSING_ROOT = '/opt/ml/processing';
const CODE_CHANNEL_DIR = '/opt/ml/input/data/code';

/** The file name the source archive has in the code channel: its last key segment. */
function sourceArchiveName(l: ResolvedCodeLocation): string {
  return l.kind === 'asset' ? l.asset.fileName : l.key.slice(l.key.lastIndexOf('/') + 1);
}

/** Hyperparameter values as the SDK sends them: JSON-encoded for frameworks, plain text otherwise. */
function encode(value: string | number | boolean, json: boolean): string {
  return json ? JSON.stringify(value) : String(value);
}

/** The distribution hyperparameters the SageMaker SDK emits for a strategy (JSON-encoded, read by the training toolkit). */
export function distributionHyperparameters(
  d: ResolvedDistribution,
  instanceType: string,
): Record<string, string> {
  const j = (v: unknown) => JSON.stringify(v);
  if (d.strategy === 'data-parallel') {
    return {
      sagemaker_distributed_dataparallel_enabled: j(true),
      sagemaker_distributed_dataparallel_custom_mpi_options: j(''),
      sagemaker_instance_type: j(instanceType),
    };
  }
  const mpi = {
    sagemaker_mpi_enabled: j(true),
    sagemaker_mpi_num_of_processes_per_host: j(d.processesPerHost),
    sagemaker_mpi_custom_mpi_options: j(d.customMpiOptions),
  };
  if (d.strategy === 'model-parallel') {
    return {
      ...mpi,
      // smdistributed with only modelparallel: data parallel off, the instance type named.
      sagemaker_distributed_dataparallel_enabled: j(false),
      sagemaker_instance_type: j(instanceType),
      mp_parameters: j({
        ddp: d.ddp,
        microbatches: d.microbatches,
        partitions: d.partitions,
        tensor_parallel_degree: d.tensorParallelDegree,
      }),
    };
  }
  return mpi;
}

/** The source archive's URI in script mode (the check stage and normalize guarantee both). */
function sourceArchiveUri(refs: DefinitionRefs): string {
  if (refs.code.sourceArchive === undefined)
    throw new Error('internal: script mode without a source archive');
  return refs.code.sourceArchive;
}

/** The static hyperparameters of the training (or tuning) job. */
export function trainingHyperparameters(t: ResolvedTraining, refs: DefinitionRefs): Record<string, string> {
  const json = t.kind === 'framework';
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(t.hyperparameters)) out[k] = encode(v, json);
  if (t.scriptMode) {
    out.sagemaker_program = JSON.stringify(t.scriptMode.entryPoint);
    // Network isolation keeps the container off S3: the archive arrives as the 'code' channel.
    out.sagemaker_submit_directory = JSON.stringify(
      t.networkIsolation
        ? `${CODE_CHANNEL_DIR}/${sourceArchiveName(t.scriptMode.sourceArchive)}`
        : sourceArchiveUri(refs),
    );
    out.sagemaker_container_log_level = JSON.stringify(20);
    out.sagemaker_region = JSON.stringify(refs.region);
  }
  if (t.distribution) Object.assign(out, distributionHyperparameters(t.distribution, t.instance.type));
  // The argument names of the Hugging Face example scripts (run_glue.py, run_clm.py, ...):
  // SageMaker passes each hyperparameter to the script as `--<name> <value>`.
  if (t.baseModel?.kind === 'huggingface') {
    out.model_name_or_path = encode(t.baseModel.modelId, json);
    if (t.baseModel.revision !== undefined) out.model_revision = encode(t.baseModel.revision, json);
  }
  return out;
}

/** Where each data channel comes from: the preprocessing outputs, or the data prefix parameter. */
function channelSource(t: ResolvedTraining, channel: string): Str {
  return t.preprocessing
    ? get(`Steps.${STEP.preprocess}.ProcessingOutputConfig.Outputs['${channel}'].S3Output.S3Uri`)
    : join(get(`Parameters.${PARAMETER.trainingData}`), `${channel}/`);
}

function vpc(refs: DefinitionRefs): VpcConfig {
  return { Subnets: refs.subnetIds, SecurityGroupIds: refs.securityGroupIds };
}

/** The training job shape shared by the training step and the tuning step's job definition. */
function trainingJob(
  t: ResolvedTraining,
  refs: DefinitionRefs,
  opts: { readonly checkpoints: boolean } = { checkpoints: true },
): TrainingJobShape {
  const channels: Channel[] = t.channels.map((c) => ({
    ChannelName: c.name,
    DataSource: {
      S3DataSource: {
        S3DataType: 'S3Prefix',
        S3Uri: channelSource(t, c.name),
        S3DataDistributionType: c.sharded ? 'ShardedByS3Key' : 'FullyReplicated',
      },
    },
    ...(c.contentType ? { ContentType: c.contentType } : {}),
  }));
  // Transfer learning from a pinned artifact: SageMaker's `model` channel, the one its
  // incremental training documents ("the model artifacts ... in the model channel",
  // https://docs.aws.amazon.com/sagemaker/latest/dg/incremental-training.html), with the
  // content type it names for a model artifact.
  // The champion's artifact is known only when the run starts: the lookup step's output.
  if (t.baseModel?.kind === 's3' || t.baseModel?.kind === 'champion') {
    channels.push({
      ChannelName: 'model',
      DataSource: {
        S3DataSource: {
          S3DataType: 'S3Prefix',
          S3Uri:
            t.baseModel.kind === 's3'
              ? t.baseModel.uri
              : get(`Steps.${STEP.champion}.OutputParameters['${CHAMPION_OUTPUT}']`),
          S3DataDistributionType: 'FullyReplicated',
          // A gated JumpStart model: the user accepted its EULA (baseModel.jumpstart.acceptEula),
          // sent as the SageMaker Python SDK sends accept_eula on its model channel
          // (sagemaker-train defaults.py, get_model_artifact_input).
          ...(t.baseModel.kind === 's3' && t.baseModel.jumpstart?.gated
            ? { ModelAccessConfig: { AcceptEula: true } }
            : {}),
        },
      },
      ContentType: 'application/x-sagemaker-model',
      InputMode: 'File',
    });
  }
  if (t.scriptMode && t.networkIsolation) {
    channels.push({
      ChannelName: 'code',
      DataSource: {
        S3DataSource: {
          S3DataType: 'S3Prefix',
          S3Uri: sourceArchiveUri(refs),
          S3DataDistributionType: 'FullyReplicated',
        },
      },
      InputMode: 'File',
    });
  }
  return {
    AlgorithmSpecification: {
      TrainingImage: refs.images.training,
      TrainingInputMode: t.data.inputMode,
      ...(t.metricDefinitions.length > 0
        ? { MetricDefinitions: t.metricDefinitions.map((m) => ({ Name: m.name, Regex: m.regex })) }
        : {}),
    },
    RoleArn: refs.roleArn,
    InputDataConfig: channels,
    OutputDataConfig: { S3OutputPath: t.artifacts.uri, KmsKeyId: refs.keyArn },
    ResourceConfig: {
      InstanceType: get(`Parameters.${PARAMETER.instanceType}`),
      InstanceCount: t.instanceCount,
      ...(t.instance.ebsVolume ? { VolumeSizeInGB: t.volumeSizeGb, VolumeKmsKeyId: refs.keyArn } : {}),
    },
    StoppingCondition: {
      MaxRuntimeInSeconds: t.maxRuntimeSeconds,
      ...(t.spot ? { MaxWaitTimeInSeconds: t.spot.maxWaitSeconds } : {}),
    },
    VpcConfig: vpc(refs),
    EnableNetworkIsolation: t.networkIsolation,
    EnableInterContainerTrafficEncryption: t.interContainerEncryption,
    EnableManagedSpotTraining: t.spot !== undefined,
    // CreateTrainingJob and the tuning job's training job definition both take Environment.
    ...(Object.keys(t.environment).length > 0 ? { Environment: { ...t.environment } } : {}),
    // One folder per execution: a new run never resumes an earlier run's checkpoints.
    ...(t.checkpoints && opts.checkpoints
      ? {
          CheckpointConfig: {
            S3Uri: join(t.checkpoints.location.uri, executionId, '/'),
            LocalPath: t.checkpoints.localPath,
          },
        }
      : {}),
  };
}

/**
 * The training job of every tuning trial: the training job without a checkpoint location.
 * A tuning job has one `CheckpointConfig` for all the jobs it launches
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_HyperParameterTrainingJobDefinition.html),
 * and nothing in it can name the trial: SageMaker documents no per-job suffix for
 * checkpoints (unlike model artifacts, written under `<S3OutputPath>/<job name>/`). Since
 * "existing checkpoints in S3 are written to the SageMaker AI container at the start of the
 * job" and deletions sync back (https://docs.aws.amazon.com/sagemaker/latest/dg/model-checkpoints.html),
 * parallel trials sharing one prefix would resume each other's state, trained with other
 * hyperparameters, and delete each other's files. So trials keep spot capacity but no
 * checkpoints: an interrupted trial starts over when capacity returns.
 */
function trialJob(t: ResolvedTraining, refs: DefinitionRefs): TrainingJobShape {
  return trainingJob(t, refs, { checkpoints: false });
}

function tuningStep(t: ResolvedTraining, tuning: ResolvedTuning, refs: DefinitionRefs): TuningStep {
  const numeric = (type: 'continuous' | 'integer'): NumericRange[] =>
    tuning.ranges.flatMap((r) =>
      r.type === type
        ? [{ Name: r.name, MinValue: String(r.min), MaxValue: String(r.max), ScalingType: r.scaling }]
        : [],
    );
  // Framework containers JSON-decode every hyperparameter, tuned categorical values included.
  const json = t.kind === 'framework';
  return {
    Name: STEP.tune,
    Type: 'Tuning',
    Arguments: {
      HyperParameterTuningJobConfig: {
        Strategy: tuning.strategy,
        ...(tuning.hyperband
          ? {
              StrategyConfig: {
                HyperbandStrategyConfig: {
                  MinResource: tuning.hyperband.minResource,
                  MaxResource: tuning.hyperband.maxResource,
                },
              },
            }
          : {}),
        HyperParameterTuningJobObjective: {
          Type: tuning.objective.type,
          MetricName: tuning.objective.metric,
        },
        ResourceLimits: {
          MaxNumberOfTrainingJobs: tuning.maxJobs,
          MaxParallelTrainingJobs: tuning.maxParallelJobs,
        },
        ParameterRanges: {
          ContinuousParameterRanges: numeric('continuous'),
          IntegerParameterRanges: numeric('integer'),
          CategoricalParameterRanges: tuning.ranges.flatMap((r) =>
            r.type === 'categorical' ? [{ Name: r.name, Values: r.values.map((v) => encode(v, json)) }] : [],
          ),
        },
        TrainingJobEarlyStoppingType: tuning.earlyStopping,
      },
      TrainingJobDefinition: {
        ...trialJob(t, refs),
        StaticHyperParameters: trainingHyperparameters(t, refs),
      },
    },
  };
}

/** The model artifact to evaluate and register: the training job's, or the best tuning job's. */
function modelArtifact(t: ResolvedTraining): Str {
  if (!t.tuning) return get(`Steps.${STEP.train}.ModelArtifacts.S3ModelArtifacts`);
  // The tuning step lists its training jobs best first; each writes <output path>/<job>/output/model.tar.gz.
  return join(
    t.artifacts.uri,
    get(`Steps.${STEP.tune}.TrainingJobSummaries[0].TrainingJobName`),
    '/output/model.tar.gz',
  );
}

function processingInput(name: string, uri: Str, localPath: string): ProcessingInput {
  return {
    InputName: name,
    AppManaged: false,
    S3Input: {
      S3Uri: uri,
      LocalPath: localPath,
      S3DataType: 'S3Prefix',
      S3InputMode: 'File',
      S3DataDistributionType: 'FullyReplicated',
      S3CompressionType: 'None',
    },
  };
}

function processingArguments(
  t: ResolvedTraining,
  job: ResolvedProcessingJob,
  image: string,
  scriptUri: string,
  refs: DefinitionRefs,
  inputs: ProcessingInput[],
  outputs: ProcessingOutput[],
): ProcessingJobArguments {
  return {
    ProcessingResources: {
      ClusterConfig: {
        InstanceType: job.instance.type,
        InstanceCount: job.instanceCount,
        ...(job.instance.ebsVolume ? { VolumeSizeInGB: job.volumeSizeGb, VolumeKmsKeyId: refs.keyArn } : {}),
      },
    },
    AppSpecification: {
      ImageUri: image,
      ContainerEntrypoint: ['python3', `${PROCESSING_ROOT}/input/code/${job.scriptName}`],
      ...(job.arguments.length > 0 ? { ContainerArguments: job.arguments } : {}),
    },
    RoleArn: refs.roleArn,
    ProcessingInputs: [...inputs, processingInput('code', scriptUri, `${PROCESSING_ROOT}/input/code`)],
    ProcessingOutputConfig: { Outputs: outputs, KmsKeyId: refs.keyArn },
    StoppingCondition: { MaxRuntimeInSeconds: job.maxRuntimeSeconds },
    ...(Object.keys(job.environment).length > 0 ? { Environment: { ...job.environment } } : {}),
    NetworkConfig: {
      EnableInterContainerTrafficEncryption: t.interContainerEncryption,
      EnableNetworkIsolation: t.networkIsolation,
      VpcConfig: vpc(refs),
    },
  };
}

const output = (name: string, uri: Str, localPath: string): ProcessingOutput => ({
  OutputName: name,
  AppManaged: false,
  S3Output: { S3Uri: uri, LocalPath: localPath, S3UploadMode: 'EndOfJob' },
});

/** The channels preprocessing writes: the training channels plus the test set evaluation reads. */
export function preprocessingOutputs(t: ResolvedTraining): string[] {
  return [...new Set([...t.channels.map((c) => c.name), 'test'])];
}

/**
 * Where the gate reads a training metric. A Training step's properties are DescribeTrainingJob's
 * response, so `FinalMetricDataList['<name>'].Value` is the final value the job reported (the
 * SageMaker Python SDK's pipeline guide gates on `step_train.properties.FinalMetricDataList['val:acc'].Value`,
 * which serializes to this Get). A Tuning step's properties are DescribeHyperParameterTuningJob
 * plus ListTrainingJobsForHyperParameterTuningJob, whose summaries carry only the objective
 * metric (FinalHyperParameterTuningJobObjectiveMetric): the check stage lets a tuned KPI name
 * nothing else. The summary read is `TrainingJobSummaries[0]`, the job whose artifact
 * `modelArtifact` evaluates and registers, so the gate judges the very model it lets through.
 */
function trainingMetric(t: ResolvedTraining, metric: string): Get {
  return t.tuning
    ? get(`Steps.${STEP.tune}.TrainingJobSummaries[0].FinalHyperParameterTuningJobObjectiveMetric.Value`)
    : get(`Steps.${STEP.train}.FinalMetricDataList['${metric}'].Value`);
}

/** One gate condition per KPI: higher-is-better must reach the threshold, lower-is-better stay at or under it. */
export function kpiConditions(t: ResolvedTraining): Comparison[] {
  return t.kpis.map((k) => ({
    Type: k.direction === 'higher-is-better' ? 'GreaterThanOrEqualTo' : 'LessThanOrEqualTo',
    LeftValue:
      k.source === 'training'
        ? trainingMetric(t, k.metric)
        : {
            'Std:JsonGet': {
              PropertyFile: get(`Steps.${STEP.evaluate}.PropertyFiles.${REPORT.propertyFile}`),
              Path: k.metric,
            },
          },
    RightValue: k.threshold,
  }));
}

/** The pipeline definition: [preprocess ->] train or tune [-> evaluate] -> KPI gate -> register, or fail. */
export function buildPipelineDefinition(t: ResolvedTraining, refs: DefinitionRefs): PipelineDefinition {
  const steps: Step[] = [];
  const parameters: Parameter[] = [
    {
      Name: PARAMETER.instanceType,
      Type: 'String',
      DefaultValue: t.instance.type,
      EnumValues: t.instanceTypeChoices,
    },
  ];
  if (t.baseModel?.kind === 'champion') {
    if (!refs.championFunctionArn) throw new Error('internal: a champion base model without its lookup');
    // The SageMaker Python SDK's LambdaStep serializes to this shape (FunctionArn,
    // Arguments, OutputParameters); training reads the output, so it runs after the lookup.
    steps.push({
      Name: STEP.champion,
      Type: 'Lambda',
      FunctionArn: refs.championFunctionArn,
      Arguments: {},
      OutputParameters: [{ OutputName: CHAMPION_OUTPUT, OutputType: 'String' }],
    });
  }
  const pre = t.preprocessing;
  if (pre) {
    parameters.push({ Name: PARAMETER.inputData, Type: 'String', DefaultValue: pre.input.uri });
    if (!refs.images.preprocessing || !refs.code.preprocessing)
      throw new Error('internal: preprocessing without its image or script');
    steps.push({
      Name: STEP.preprocess,
      Type: 'Processing',
      Arguments: processingArguments(
        t,
        pre,
        refs.images.preprocessing,
        refs.code.preprocessing,
        refs,
        [processingInput('input', get(`Parameters.${PARAMETER.inputData}`), `${PROCESSING_ROOT}/input/data`)],
        preprocessingOutputs(t).map((c) =>
          // One folder per execution under the data prefix: runs never overwrite each other's data.
          output(c, join(t.data.uri, executionId, `/${c}`), `${PROCESSING_ROOT}/${c}`),
        ),
      ),
    });
  } else {
    parameters.push({ Name: PARAMETER.trainingData, Type: 'String', DefaultValue: t.data.uri });
  }

  if (t.tuning) steps.push(tuningStep(t, t.tuning, refs));
  else {
    steps.push({
      Name: STEP.train,
      Type: 'Training',
      Arguments: { ...trainingJob(t, refs), HyperParameters: trainingHyperparameters(t, refs) },
    });
  }

  const model = modelArtifact(t);
  const evaluation = t.evaluation;
  if (evaluation) {
    if (!refs.images.evaluation || !refs.code.evaluation)
      throw new Error('internal: evaluation without its image or script');
    const report = join(t.reports.uri, executionId);
    const testData: Str = pre
      ? get(`Steps.${STEP.preprocess}.ProcessingOutputConfig.Outputs['test'].S3Output.S3Uri`)
      : join(get(`Parameters.${PARAMETER.trainingData}`), 'test/');
    steps.push({
      Name: STEP.evaluate,
      Type: 'Processing',
      Arguments: processingArguments(
        t,
        evaluation,
        refs.images.evaluation,
        refs.code.evaluation,
        refs,
        [
          processingInput('model', model, `${PROCESSING_ROOT}/model`),
          processingInput('test', testData, `${PROCESSING_ROOT}/test`),
        ],
        [output(REPORT.output, report, `${PROCESSING_ROOT}/evaluation`)],
      ),
      PropertyFiles: [
        { PropertyFileName: REPORT.propertyFile, OutputName: REPORT.output, FilePath: REPORT.file },
      ],
    });
  }

  const r = t.registration;
  const register: RegisterModelStep = {
    Name: STEP.register,
    Type: 'RegisterModel',
    Arguments: {
      ModelPackageGroupName: t.modelPackageGroupName,
      ModelPackageDescription: `${t.algorithm} model of ${t.pipelineName} that met every KPI`,
      ModelApprovalStatus: r.approvalStatus,
      InferenceSpecification: {
        Containers: [
          {
            Image: refs.images.inference,
            ModelDataUrl: model,
            ...(t.scriptMode
              ? {
                  Environment: {
                    SAGEMAKER_CONTAINER_LOG_LEVEL: '20',
                    SAGEMAKER_PROGRAM: t.scriptMode.entryPoint,
                    SAGEMAKER_REGION: refs.region,
                    SAGEMAKER_SUBMIT_DIRECTORY: sourceArchiveUri(refs),
                  },
                }
              : {}),
          },
        ],
        SupportedContentTypes: r.contentTypes,
        SupportedResponseMIMETypes: r.responseTypes,
        SupportedRealtimeInferenceInstanceTypes: r.inferenceInstanceTypes,
        SupportedTransformInstanceTypes: r.transformInstanceTypes,
      },
      ...(evaluation
        ? {
            ModelMetrics: {
              ModelQuality: {
                Statistics: {
                  ContentType: 'application/json' as const,
                  S3Uri: join(t.reports.uri, executionId, `/${REPORT.file}`),
                },
              },
            },
          }
        : {}),
      CustomerMetadataProperties: { 'pipeform:algorithm': t.algorithm, 'pipeform:pipeline': t.pipelineName },
    },
  };
  const missed = t.kpis
    .map((k) => `${k.name} (${k.metric} ${k.direction === 'higher-is-better' ? '>=' : '<='} ${k.threshold})`)
    .join(', ');
  const required = `The model missed at least one KPI and was not registered. Required: ${missed}.`;
  steps.push({
    Name: STEP.gate,
    Type: 'Condition',
    Arguments: {
      Conditions: kpiConditions(t),
      IfSteps: [register],
      ElseSteps: [
        {
          Name: STEP.fail,
          Type: 'Fail',
          Arguments: {
            ErrorMessage: evaluation
              ? join(`${required} Report: ${t.reports.uri}`, executionId, `/${REPORT.file}`)
              : join(
                  `${required} Metrics: the ${t.tuning ? STEP.tune : STEP.train} step of execution `,
                  executionId,
                ),
          },
        },
      ],
    },
  });

  return { Version: '2020-12-01', Metadata: {}, Parameters: parameters, Steps: steps };
}

/** JSON with object keys sorted at every level (array order kept): deterministic bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}
