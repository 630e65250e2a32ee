import type {
  ResolvedModelMonitor,
  ResolvedMonitorLocation,
  ResolvedRetraining,
} from '../../model/monitoring';
import type { PolicyStatement } from '../iam/policy';
import type { SecurityContext } from '../security-context';
import { NETWORK_INTERFACE_SERVICES, networkInterfaceStatements } from '../iam/statements';

type Scope = Pick<SecurityContext, 'partition' | 'region' | 'account' | 'keyArn'>;

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();
const bucketArn = (sec: Scope, bucketName: string) => `arn:${sec.partition}:s3:::${bucketName}`;
const objects = (sec: Scope, l: ResolvedMonitorLocation) => `${bucketArn(sec, l.bucketName)}/${l.prefix}*`;

/** The log group every SageMaker processing job (Model Monitor's included) writes to. */
export const PROCESSING_LOG_GROUP = '/aws/sagemaker/ProcessingJobs';

/**
 * What a monitor's jobs need: read the endpoint's captured data, the baselines and the
 * ground truth (listing only those prefixes), write reports, use the key (volumes through
 * grants), write job logs, publish Model Monitor's metrics, and place their network
 * interfaces in the pipeline's subnets.
 */
export function monitorRoleStatements(m: ResolvedModelMonitor, sec: Scope, vpcId: string): PolicyStatement[] {
  const reads: ResolvedMonitorLocation[] = [
    m.capture,
    ...(m.dataQuality ? [m.dataQuality.baseline] : []),
    ...(m.modelQuality ? [m.modelQuality.groundTruth] : []),
    ...(m.modelQuality?.baseline ? [m.modelQuality.baseline] : []),
    ...(m.bias ? [m.bias.groundTruth, m.bias.baseline] : []),
    ...(m.explainability ? [m.explainability.baseline] : []),
  ];
  const writes: ResolvedMonitorLocation[] = [
    ...(m.dataQuality ? [m.dataQuality.reports] : []),
    ...(m.modelQuality ? [m.modelQuality.reports] : []),
    ...(m.bias ? [m.bias.reports] : []),
    ...(m.explainability ? [m.explainability.reports] : []),
  ];
  const prefixesByBucket = new Map<string, string[]>();
  for (const l of reads)
    prefixesByBucket.set(l.bucketName, [...(prefixesByBucket.get(l.bucketName) ?? []), l.prefix]);
  const arn = (service: string, resource: string) =>
    `arn:${sec.partition}:${service}:${sec.region}:${sec.account}:${resource}`;
  return [
    {
      Sid: 'ReadCaptureBaselinesGroundTruth',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: sorted(reads.map((l) => objects(sec, l))),
    },
    ...[...prefixesByBucket.keys()].sort().map((bucket, i): PolicyStatement => ({
      Sid: `ListMonitoredPrefixes${i}`,
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn(sec, bucket),
      Condition: {
        StringLike: { 's3:prefix': sorted((prefixesByBucket.get(bucket) ?? []).map((p) => `${p}*`)) },
      },
    })),
    {
      Sid: 'WriteReports',
      Effect: 'Allow',
      Action: ['s3:AbortMultipartUpload', 's3:PutObject'],
      Resource: sorted(writes.map((l) => objects(sec, l))),
    },
    {
      Sid: 'LocateBuckets',
      Effect: 'Allow',
      Action: 's3:GetBucketLocation',
      Resource: sorted([...reads, ...writes].map((l) => bucketArn(sec, l.bucketName))),
    },
    {
      Sid: 'UsePipelineKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: sec.keyArn,
    },
    {
      // Encrypted ML storage volumes are attached through grants for AWS resources only.
      Sid: 'GrantKeyToVolumes',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: sec.keyArn,
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    },
    {
      Sid: 'JobLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      Resource: [
        arn('logs', `log-group:${PROCESSING_LOG_GROUP}`),
        arn('logs', `log-group:${PROCESSING_LOG_GROUP}:log-stream:*`),
      ],
    },
    {
      // PutMetricData has no resource; the namespace condition keeps it to Model Monitor's metrics.
      Sid: 'PublishMonitorMetrics',
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringLike: { 'cloudwatch:namespace': ['aws/sagemaker/Endpoints/*'] } },
    },
    // Clarify computes SHAP values by calling the monitored endpoint itself: only that one.
    ...(m.explainability
      ? [
          {
            Sid: 'InvokeMonitoredEndpoint',
            Effect: 'Allow',
            Action: 'sagemaker:InvokeEndpoint',
            Resource: arn('sagemaker', `endpoint/${m.endpointName}`),
          } satisfies PolicyStatement,
        ]
      : []),
    // The jobs run in the pipeline's private subnets: their interfaces only there.
    ...networkInterfaceStatements(sec, vpcId, {
      service: NETWORK_INTERFACE_SERVICES.sagemaker,
      sids: {
        create: 'JobNetworkInterfacesInPipelineVpc',
        manage: 'JobNetworkInterfaces',
        describe: 'DescribeNetwork',
      },
    }),
  ];
}

/**
 * Grafana's data sources and notifications: query this Prometheus workspace, read
 * CloudWatch metrics, alarms and this account's logs, and publish to the alerts topic.
 */
export function grafanaRoleStatements(
  sec: Scope,
  refs: { readonly topicArn: string; readonly prometheusWorkspaceArn?: string },
): PolicyStatement[] {
  const arn = (service: string, resource: string) =>
    `arn:${sec.partition}:${service}:${sec.region}:${sec.account}:${resource}`;
  return [
    ...(refs.prometheusWorkspaceArn
      ? [
          {
            Sid: 'QueryPrometheus',
            Effect: 'Allow' as const,
            Action: [
              'aps:DescribeWorkspace',
              'aps:GetLabels',
              'aps:GetMetricMetadata',
              'aps:GetSeries',
              'aps:QueryMetrics',
            ],
            Resource: refs.prometheusWorkspaceArn,
          },
          {
            // Grafana discovers workspaces by listing; the call takes no resource.
            Sid: 'ListPrometheusWorkspaces',
            Effect: 'Allow' as const,
            Action: 'aps:ListWorkspaces',
            Resource: '*',
          },
        ]
      : []),
    {
      // CloudWatch metric reads and alarm descriptions take no resource-level permissions.
      Sid: 'ReadCloudWatchMetrics',
      Effect: 'Allow',
      Action: [
        'cloudwatch:DescribeAlarmHistory',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:DescribeAlarmsForMetric',
        'cloudwatch:GetInsightRuleReport',
        'cloudwatch:GetMetricData',
        'cloudwatch:ListMetrics',
        'ec2:DescribeInstances',
        'ec2:DescribeRegions',
        'ec2:DescribeTags',
        'logs:DescribeLogGroups',
        'logs:GetQueryResults',
        'logs:StopQuery',
        'tag:GetResources',
      ],
      Resource: '*',
    },
    {
      Sid: 'QueryThisAccountsLogs',
      Effect: 'Allow',
      Action: ['logs:GetLogEvents', 'logs:GetLogGroupFields', 'logs:StartQuery'],
      Resource: arn('logs', 'log-group:*'),
    },
    { Sid: 'NotifyAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: refs.topicArn },
    {
      // The alerts topic and the Prometheus workspace are encrypted with the pipeline key.
      Sid: 'UsePipelineKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*'],
      Resource: sec.keyArn,
    },
  ];
}

/** EventBridge may start the training pipeline, and nothing else. */
export function retrainingRoleStatements(r: ResolvedRetraining): PolicyStatement[] {
  return [
    {
      Sid: 'StartTheTrainingPipeline',
      Effect: 'Allow',
      Action: 'sagemaker:StartPipelineExecution',
      Resource: r.pipelineArn,
    },
  ];
}
