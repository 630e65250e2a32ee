import type { ResolvedImage, ResolvedS3Location, ResolvedTraining } from '../../model/training';
import type { PolicyStatement } from '../iam/policy';
import { secretReadStatements } from '../iam/secrets';
import { NETWORK_INTERFACE_SERVICES, networkInterfaceStatements } from '../iam/statements';
import { mlflowClientStatements } from '../tracking/statements';

/** What the role statements refer to besides the resolved pipeline. */
export interface TrainingRoleContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly keyArn: string;
  /** The role's own ARN (computed from its name and path: the role cannot reference itself). */
  readonly roleArn: string;
  readonly vpcId: string;
  /** The uploaded code objects (local code directory): the jobs read exactly these. */
  readonly codeObjects: readonly { readonly bucket: string; readonly key: string; readonly arn: string }[];
}

/** Log groups SageMaker writes job logs to (shared by the account, created by SageMaker). */
export const SAGEMAKER_LOG_GROUPS = ['/aws/sagemaker/ProcessingJobs', '/aws/sagemaker/TrainingJobs'];

/** Object ARNs under a location. */
const objects = (p: string, l: ResolvedS3Location) => `arn:${p}:s3:::${l.bucketName}/${l.prefix}*`;
const bucketArn = (p: string, l: ResolvedS3Location) => `arn:${p}:s3:::${l.bucketName}`;
const unique = (values: string[]) => [...new Set(values)].sort();

/** Listing a bucket, limited to the given prefixes (SageMaker lists S3Prefix channels and checkpoints). */
function list(sid: string, p: string, locations: ResolvedS3Location[]): PolicyStatement[] {
  const byBucket = new Map<string, string[]>();
  for (const l of locations)
    byBucket.set(l.bucketName, [...(byBucket.get(l.bucketName) ?? []), `${l.prefix}*`]);
  return [...byBucket.keys()].sort().map((bucket, i) => ({
    Sid: `${sid}${i === 0 ? '' : i + 1}`,
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: `arn:${p}:s3:::${bucket}`,
    Condition: { StringLike: { 's3:prefix': unique(byBucket.get(bucket) ?? []) } },
  }));
}

/**
 * Reading the uploaded code: exactly these objects, and listing exactly their keys (a job's
 * S3Prefix input lists the prefix, here the object's own key).
 */
function codeObjectStatements(p: string, objects: TrainingRoleContext['codeObjects']): PolicyStatement[] {
  if (objects.length === 0) return [];
  const buckets = [...new Set(objects.map((o) => o.bucket))];
  return [
    { Sid: 'ReadCode', Effect: 'Allow', Action: 's3:GetObject', Resource: objects.map((o) => o.arn) },
    ...buckets.map((b, i): PolicyStatement => ({
      Sid: `ListCode${i === 0 ? '' : i + 1}`,
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: `arn:${p}:s3:::${b}`,
      Condition: { StringLike: { 's3:prefix': objects.filter((o) => o.bucket === b).map((o) => o.key) } },
    })),
  ];
}

/**
 * The pipeline role's statements. One role runs the pipeline and its jobs (SageMaker passes
 * it on to each job), scoped to what this pipeline touches: its S3 prefixes, the key, jobs
 * SageMaker Pipelines names `pipelines-<execution id>-<step>-<suffix>`, its model package
 * group, ENIs in the pipeline VPC, the SageMaker log groups, and the ECR repositories of
 * user images. Tuning job names carry no such prefix (their 32-character limit leaves room
 * only for a generated name), so tuning actions are scoped to this account and region.
 */
export function trainingRoleStatements(t: ResolvedTraining, c: TrainingRoleContext): PolicyStatement[] {
  const { partition: p, region: r, account: a } = c;
  const sm = (resource: string) => `arn:${p}:sagemaker:${r}:${a}:${resource}`;
  // A built-in gated on its own metrics runs no script: no code to read, no report to write,
  // no processing job to start.
  const processing = t.evaluation !== undefined || t.preprocessing !== undefined;
  const usesCode = processing || t.scriptMode !== undefined;
  const codePrefix = t.code.kind === 'directory' || !usesCode ? [] : [t.code.location];
  const reads = [t.data, ...codePrefix, ...(t.preprocessing ? [t.preprocessing.input] : [])];
  // A pinned base model: the object itself, and listing its key (an S3Prefix channel lists it).
  // The champion's artifacts are this pipeline's own (the artifacts prefix, read and written
  // already); its first-run model is the user's pinned object or the placeholder.
  const base =
    t.baseModel?.kind === 's3'
      ? t.baseModel
      : t.baseModel?.kind === 'champion'
        ? t.baseModel.fallback
        : undefined;
  const writes = [t.artifacts, ...(t.evaluation ? [t.reports] : []), ...(t.preprocessing ? [t.data] : [])];
  const statements: PolicyStatement[] = [
    {
      Sid: 'ReadDataAndCode',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: unique(reads.map((l) => objects(p, l))),
    },
    {
      Sid: 'WriteArtifactsAndReports',
      Effect: 'Allow',
      Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      Resource: unique(writes.map((l) => objects(p, l))),
    },
    ...(base
      ? [
          {
            Sid: 'ReadBaseModel',
            Effect: 'Allow' as const,
            Action: 's3:GetObject',
            // A key ending in '/' is a prefix (uncompressed JumpStart artifacts): its objects.
            Resource: `arn:${p}:s3:::${base.bucketName}/${base.key}${base.key.endsWith('/') ? '*' : ''}`,
          },
        ]
      : []),
    ...list('ListPipelinePrefixes', p, [
      ...reads,
      ...writes,
      ...(base ? [{ bucketName: base.bucketName, prefix: base.key, uri: base.uri }] : []),
    ]),
    ...codeObjectStatements(p, c.codeObjects),
  ];
  if (t.checkpoints) {
    const l = t.checkpoints.location;
    statements.push(
      {
        Sid: 'Checkpoints',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        Resource: objects(p, l),
      },
      {
        Sid: 'ListCheckpoints',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn(p, l),
        Condition: { StringLike: { 's3:prefix': [`${l.prefix}*`] } },
      },
    );
  }
  statements.push(
    {
      Sid: 'UsePipelineKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: c.keyArn,
    },
    {
      // Encrypted training and processing volumes: SageMaker takes a grant on the key for them.
      Sid: 'GrantKeyToVolumes',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: c.keyArn,
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    },
    {
      Sid: 'RunPipelineJobs',
      Effect: 'Allow',
      Action: [
        'sagemaker:AddTags',
        ...(processing ? ['sagemaker:CreateProcessingJob'] : []),
        'sagemaker:CreateTrainingJob',
        ...(processing ? ['sagemaker:DescribeProcessingJob'] : []),
        'sagemaker:DescribeTrainingJob',
        ...(processing ? ['sagemaker:StopProcessingJob'] : []),
        'sagemaker:StopTrainingJob',
      ],
      Resource: [...(processing ? [sm('processing-job/pipelines-*')] : []), sm('training-job/pipelines-*')],
    },
  );
  if (t.baseModel?.kind === 'champion') {
    statements.push({
      Sid: 'LookUpChampion',
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: `arn:${p}:lambda:${r}:${a}:function:${t.baseModel.functionName}`,
    });
  }
  if (t.tuning) {
    statements.push({
      Sid: 'RunTuningJobs',
      Effect: 'Allow',
      Action: [
        'sagemaker:AddTags',
        'sagemaker:CreateHyperParameterTuningJob',
        'sagemaker:DescribeHyperParameterTuningJob',
        'sagemaker:ListTrainingJobsForHyperParameterTuningJob',
        'sagemaker:StopHyperParameterTuningJob',
      ],
      Resource: sm('hyper-parameter-tuning-job/*'),
    });
  }
  statements.push(
    {
      Sid: 'RegisterModels',
      Effect: 'Allow',
      Action: [
        'sagemaker:AddTags',
        'sagemaker:CreateModelPackage',
        'sagemaker:DescribeModelPackage',
        'sagemaker:DescribeModelPackageGroup',
      ],
      Resource: [
        sm(`model-package-group/${t.modelPackageGroupName}`),
        sm(`model-package/${t.modelPackageGroupName}/*`),
      ],
    },
    {
      Sid: 'PassOwnRoleToJobs',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: c.roleArn,
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    },
    // Jobs in VPC mode: SageMaker creates ENIs in the pipeline VPC's subnets and groups only.
    ...networkInterfaceStatements(c, c.vpcId, {
      service: NETWORK_INTERFACE_SERVICES.sagemaker,
      sids: {
        create: 'JobNetworkInterfacesInPipelineVpc',
        manage: 'JobNetworkInterfaces',
        describe: 'DescribeJobNetwork',
      },
    }),
    {
      Sid: 'JobLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      Resource: SAGEMAKER_LOG_GROUPS.flatMap((g) => [
        `arn:${p}:logs:${r}:${a}:log-group:${g}`,
        `arn:${p}:logs:${r}:${a}:log-group:${g}:log-stream:*`,
      ]),
    },
    {
      // PutMetricData has no resource; the namespace condition keeps it to SageMaker's job metrics.
      Sid: 'JobMetrics',
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*'] } },
    },
  );
  const repositories = userRepositories(t, p);
  if (repositories.length > 0) {
    statements.push(
      {
        Sid: 'PullUserImages',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Resource: repositories,
      },
      {
        // An ECR login token is account-wide: the action has no resource.
        Sid: 'EcrLogin',
        Effect: 'Allow',
        Action: 'ecr:GetAuthorizationToken',
        Resource: '*',
      },
    );
  }
  statements.push(...secretReadStatements(t.secrets, c));
  // tracking.mlflow: the jobs log runs and models to the pipeline's tracking server.
  if (t.mlflow) statements.push(...mlflowClientStatements(t.mlflow, p, 'job'));
  return statements;
}

/** ECR repository ARNs of the user images the pipeline runs (AWS images need no pull permission). */
function userRepositories(t: ResolvedTraining, p: string): string[] {
  const images: ResolvedImage[] = [
    t.image,
    ...(t.evaluation ? [t.evaluation.image] : []),
    t.registration.image,
    ...(t.preprocessing ? [t.preprocessing.image] : []),
  ];
  return unique(
    images.flatMap((i) =>
      i.kind === 'uri' ? [`arn:${p}:ecr:${i.region}:${i.account}:repository/${i.repository}`] : [],
    ),
  );
}
