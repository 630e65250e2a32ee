import type { ResolvedEdge, ResolvedEndpoint, ResolvedVariant } from '../../model/serving';
import type { CodeObject } from '../assets';
import type { PolicyStatement } from '../iam/policy';
import type { SecurityContext } from '../security-context';
import { secretReadStatements } from '../iam/secrets';
import { vpcInterfaceStatements } from '../iam/statements';

type Scope = Pick<SecurityContext, 'partition' | 'region' | 'account' | 'keyArn' | 'network'>;

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** A bucket's ARN from its name (bucket names are global, so the ARN needs no lookup). */
export const s3Arn = (partition: string, bucketName: string): string => `arn:${partition}:s3:::${bucketName}`;

/** Everything the endpoint's execution role reads and writes, computed from the resolved endpoint. */
export interface ExecutionRoleInputs {
  readonly endpoint: ResolvedEndpoint;
  readonly modelsBucketName: string;
  /**
   * The objects behind the variants' `artifact.file` (uploads, or objects outside the lake), by
   * variant name: the role reads exactly these.
   */
  readonly archives: ReadonlyMap<string, Pick<CodeObject, 'arn' | 'bucketName'>>;
  /** ARN of the endpoint's log group (without `:*`). */
  readonly logGroupArn: string;
  /** SNS topics the endpoint publishes to (async notifications). */
  readonly topicArns: readonly string[];
  /** Set when registry models are promoted from another environment: their reads there, instead of the own models bucket. */
  readonly promotedReads?: readonly PolicyStatement[];
}

/** What SageMaker needs at runtime to serve the endpoint, each statement scoped to what it touches. */
export function executionRoleStatements(p: ExecutionRoleInputs, sec: Scope): PolicyStatement[] {
  const ep = p.endpoint;
  const variants: ResolvedVariant[] = [...ep.variants, ...(ep.shadow ? [ep.shadow] : [])];
  const reads: string[] = [];
  const prefixes: [string, string][] = [];
  const repositories: string[] = [];
  const touched = new Set<string>();
  for (const v of variants) {
    const s = v.model.source;
    if (s.kind === 'registry' && p.promotedReads) continue;
    if (s.kind === 'registry') {
      // Registered packages keep their artifacts in the models bucket, wherever training wrote them.
      reads.push(`${s3Arn(sec.partition, p.modelsBucketName)}/*`);
      touched.add(p.modelsBucketName);
      // Their images are the account's own repositories (AWS-owned images need no grant).
      repositories.push(`arn:${sec.partition}:ecr:${sec.region}:${sec.account}:repository/*`);
      continue;
    }
    if (s.image.kind === 'uri') repositories.push(s.image.repositoryArn);
    const l = s.location;
    if (l.kind !== 'lake') {
      const archive = p.archives.get(v.name);
      if (archive === undefined) throw new Error(`internal: variant ${v.name} has no located archive`);
      reads.push(archive.arn);
      touched.add(archive.bucketName);
      continue;
    }
    const arn = s3Arn(sec.partition, l.bucketName);
    touched.add(l.bucketName);
    if (ep.type === 'multi-model') {
      reads.push(`${arn}/${l.key}*`);
      prefixes.push([arn, l.key]);
    } else reads.push(`${arn}/${l.key}`);
  }
  const statements: PolicyStatement[] = [
    ...(reads.length > 0
      ? [
          {
            Sid: 'ReadModelArtifacts',
            Effect: 'Allow' as const,
            Action: 's3:GetObject',
            Resource: sorted(reads),
          },
        ]
      : []),
    ...(variants.some((v) => v.model.source.kind === 'registry') ? (p.promotedReads ?? []) : []),
  ];
  for (const [arn, prefix] of prefixes) {
    statements.push({
      Sid: 'ListMultiModelPrefix',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: arn,
      Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    });
  }
  if (ep.dataCapture) {
    const arn = s3Arn(sec.partition, ep.dataCapture.bucketName);
    touched.add(ep.dataCapture.bucketName);
    statements.push({
      Sid: 'WriteDataCapture',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: `${arn}/${ep.dataCapture.prefix}*`,
    });
  }
  if (ep.async) {
    const arn = s3Arn(sec.partition, ep.async.bucketName);
    touched.add(ep.async.bucketName);
    statements.push(
      {
        Sid: 'ReadAsyncInputs',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: `${arn}/${ep.async.prefix}input/*`,
      },
      {
        Sid: 'WriteAsyncResults',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:PutObject'],
        Resource: [`${arn}/${ep.async.prefix}failures/*`, `${arn}/${ep.async.prefix}output/*`],
      },
    );
  }
  if (touched.size > 0) {
    statements.push({
      Sid: 'LocateBuckets',
      Effect: 'Allow',
      Action: 's3:GetBucketLocation',
      Resource: sorted([...touched].map((b) => s3Arn(sec.partition, b))),
    });
  }
  statements.push(
    {
      Sid: 'UsePipelineKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
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
      Sid: 'WriteContainerLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      Resource: [p.logGroupArn, `${p.logGroupArn}:*`],
    },
  );
  if (repositories.length > 0) {
    statements.push(
      {
        // ECR issues registry tokens only on "*"; the pulls below are scoped to repositories.
        Sid: 'EcrToken',
        Effect: 'Allow',
        Action: 'ecr:GetAuthorizationToken',
        Resource: '*',
      },
      {
        Sid: 'PullModelImages',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Resource: sorted(repositories),
      },
    );
  }
  if (ep.inVpc) {
    if (sec.network === undefined)
      throw new Error(`internal: endpoint ${ep.name} runs in the VPC without the network`);
    statements.push(
      ...vpcInterfaceStatements(sec, sec.network.vpcId, {
        create: 'EndpointInterfacesInPipelineVpc',
        manage: 'ManageEndpointInterfaces',
        describe: 'DescribeNetwork',
      }),
    );
  }
  if (p.topicArns.length > 0) {
    statements.push({
      Sid: 'NotifyAsyncResults',
      Effect: 'Allow',
      Action: 'sns:Publish',
      Resource: [...p.topicArns],
    });
  }
  statements.push(
    ...secretReadStatements(
      variants.flatMap((v) => v.model.secrets),
      sec,
    ),
  );
  return statements;
}

/** The front door may invoke this one endpoint and nothing else. */
export function frontDoorStatements(endpoint: ResolvedEndpoint, sec: Scope): PolicyStatement[] {
  return [
    {
      Sid: 'InvokeThisEndpoint',
      Effect: 'Allow',
      Action: 'sagemaker:InvokeEndpoint',
      Resource: `arn:${sec.partition}:sagemaker:${sec.region}:${sec.account}:endpoint/${endpoint.endpointName}`,
    },
  ];
}

/** What edge devices do with the fleet's credentials: report in, upload captured data, fetch packages. */
export function edgeFleetStatements(
  edge: ResolvedEdge,
  modelsBucketArn: string,
  sec: Scope,
): PolicyStatement[] {
  const fleet = `arn:${sec.partition}:sagemaker:${sec.region}:${sec.account}:device-fleet/${edge.fleetName}`;
  return [
    {
      Sid: 'ReportToTheFleet',
      Effect: 'Allow',
      Action: ['sagemaker:GetDeviceRegistration', 'sagemaker:SendHeartbeat'],
      Resource: [fleet, `${fleet}/device/*`],
    },
    {
      Sid: 'EdgeDataAndPackages',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: `${modelsBucketArn}/${edge.prefix}*`,
    },
    { Sid: 'LocateModelsBucket', Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: modelsBucketArn },
    {
      Sid: 'UsePipelineKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: sec.keyArn,
    },
  ];
}
