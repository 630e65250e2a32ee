/**
 * IAM statements around the MLflow tracking server: the server's own role, and what its
 * clients (the training pipeline's jobs, the Studio domain's users) are granted. Action
 * names from the Service Authorization Reference, "Amazon SageMaker with MLflow"
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemakerwithmlflow.html):
 * every action but AccessUI is authorized on the `mlflow-tracking-server` resource type.
 */
import type { ResolvedMlflow, ResolvedMlflowClient, ResolvedTrackingLocation } from '../../model/tracking';
import type { PolicyStatement } from '../iam/policy';

/** What the statements refer to besides the resolved tracking server. */
export interface TrackingArns {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly keyArn: string;
}

/**
 * What an MLflow client calls to track runs and log and register models (the calls
 * mlflow.start_run, log_param/log_metric/log_artifact, log_model and register_model make
 * through the sagemaker-mlflow plugin). No deletes: a job never removes what others logged.
 */
export const MLFLOW_LOGGING_ACTIONS = [
  'CreateExperiment',
  'CreateModelVersion',
  'CreateRegisteredModel',
  'CreateRun',
  'FinalizeLoggedModel',
  'GetDownloadURIForModelVersionArtifacts',
  'GetExperiment',
  'GetExperimentByName',
  'GetLatestModelVersions',
  'GetLoggedModel',
  'GetMetricHistory',
  'GetModelVersion',
  'GetModelVersionByAlias',
  'GetRegisteredModel',
  'GetRun',
  'ListArtifacts',
  'ListLoggedModelArtifacts',
  'LogBatch',
  'LogInputs',
  'LogLoggedModelParams',
  'LogMetric',
  'LogModel',
  'LogOutputs',
  'LogParam',
  'SearchExperiments',
  'SearchLoggedModels',
  'SearchModelVersions',
  'SearchRegisteredModels',
  'SearchRuns',
  'SetExperimentTag',
  'SetLoggedModelTags',
  'SetTag',
  'UpdateModelVersion',
  'UpdateRun',
].map((a) => `sagemaker-mlflow:${a}`);

/**
 * What a person curating experiments in Studio does on top of logging: tidy runs and
 * experiments (deleted ones can be restored), move aliases and stages, read traces. Still
 * no deletion of registered models or their versions.
 */
export const MLFLOW_USER_ACTIONS = [
  ...MLFLOW_LOGGING_ACTIONS,
  ...[
    'DeleteExperiment',
    'DeleteRegisteredModelAlias',
    'DeleteRun',
    'DeleteTag',
    'GetTraceInfo',
    'RestoreExperiment',
    'RestoreRun',
    'SearchTraces',
    'SetModelVersionTag',
    'SetRegisteredModelAlias',
    'SetRegisteredModelTag',
    'TransitionModelVersionStage',
    'UpdateExperiment',
    'UpdateRegisteredModel',
  ].map((a) => `sagemaker-mlflow:${a}`),
].sort();

const objects = (p: string, l: ResolvedTrackingLocation) => `arn:${p}:s3:::${l.bucketName}/${l.prefix}*`;

/** Reading and writing the artifact prefix: the MLflow client uploads and downloads artifacts itself. */
function artifactStatements(sid: string, p: string, l: ResolvedTrackingLocation): PolicyStatement[] {
  return [
    {
      Sid: `${sid}Artifacts`,
      Effect: 'Allow',
      Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      Resource: objects(p, l),
    },
    {
      Sid: `${sid}ListArtifacts`,
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: `arn:${p}:s3:::${l.bucketName}`,
      Condition: { StringLike: { 's3:prefix': [l.prefix, `${l.prefix}*`] } },
    },
  ];
}

/** The tracking server's role: its artifact prefix, the key, and (auto-registration) its one model package group. */
export function mlflowServerStatements(m: ResolvedMlflow, c: TrackingArns): PolicyStatement[] {
  const sm = (resource: string) => `arn:${c.partition}:sagemaker:${c.region}:${c.account}:${resource}`;
  return [
    ...artifactStatements('Server', c.partition, m.artifacts),
    {
      Sid: 'UseThePipelineKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*'],
      Resource: c.keyArn,
    },
    ...(m.autoRegistrationGroup
      ? [
          {
            // Automatic registration creates the group named after the MLflow model when it
            // is missing and a package per model version
            // (https://docs.aws.amazon.com/sagemaker/latest/dg/mlflow-track-experiments-model-registration.html).
            Sid: 'RegisterIntoTheModelPackageGroup',
            Effect: 'Allow' as const,
            Action: [
              'sagemaker:AddTags',
              'sagemaker:CreateModelPackage',
              'sagemaker:CreateModelPackageGroup',
              'sagemaker:DescribeModelPackageGroup',
            ],
            Resource: sm(`model-package-group/${m.autoRegistrationGroup}`),
          },
          {
            Sid: 'UpdateItsModelPackages',
            Effect: 'Allow' as const,
            Action: ['sagemaker:AddTags', 'sagemaker:UpdateModelPackage'],
            Resource: sm(`model-package/${m.autoRegistrationGroup}/*`),
          },
        ]
      : []),
  ];
}

/**
 * A client's grants: the MLflow actions on this server only, and the artifact prefix (the
 * key is granted by the client's own role, which every pipeform workload role has).
 * `user`: Studio users also curate and open the MLflow UI (a presigned URL of this server;
 * AccessUI takes no resource-level permissions).
 */
export function mlflowClientStatements(
  client: ResolvedMlflowClient,
  partition: string,
  kind: 'job' | 'user',
): PolicyStatement[] {
  return [
    {
      Sid: 'TrackWithMlflow',
      Effect: 'Allow',
      Action: kind === 'user' ? MLFLOW_USER_ACTIONS : MLFLOW_LOGGING_ACTIONS,
      Resource: client.serverArn,
    },
    ...artifactStatements('Mlflow', partition, client.artifacts),
    ...(kind === 'user'
      ? [
          {
            Sid: 'OpenTheMlflowUi',
            Effect: 'Allow' as const,
            Action: [
              'sagemaker:CreatePresignedMlflowTrackingServerUrl',
              'sagemaker:DescribeMlflowTrackingServer',
            ],
            Resource: client.serverArn,
          },
          {
            Sid: 'AccessTheMlflowUi',
            Effect: 'Allow' as const,
            Action: 'sagemaker-mlflow:AccessUI',
            Resource: '*',
          },
        ]
      : []),
  ];
}
