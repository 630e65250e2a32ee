import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { ResolvedDataLocation } from '../../model/data';
import type { PolicyStatement } from '../iam/policy';
import { NETWORK_INTERFACE_SERVICES, networkInterfaceStatements } from '../iam/statements';
import type { SecurityContext } from '../security-context';

/**
 * Least-privilege statements shared by the data-processing constructs: data-lake access
 * scoped to exact prefixes, use of the pipeline key, writing to named log groups, and the
 * ENI plumbing services need to run in the private subnets.
 */

/** The data lake's buckets by spec name (PipelineStack's `lake.buckets`). */
export type LakeBuckets = ReadonlyMap<string, S3Bucket>;

/** The bucket behind a spec name; the check stage guarantees it exists. */
export function lakeBucket(buckets: LakeBuckets, name: string): S3Bucket {
  const b = buckets.get(name);
  if (b === undefined) throw new Error(`internal: no data-lake bucket ${JSON.stringify(name)}`);
  return b;
}

/** `s3://<bucket>/<key or prefix>` of a lake location. */
export function s3Uri(buckets: LakeBuckets, bucket: string, keyOrPrefix: string): string {
  return `s3://${lakeBucket(buckets, bucket).bucket}/${keyOrPrefix}`;
}

/** Groups locations by bucket, keeping bucket order. */
function byBucket(locations: readonly ResolvedDataLocation[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const l of locations) out.set(l.bucket, [...(out.get(l.bucket) ?? []), l.prefix]);
  return out;
}

/** A statement id from a purpose and a spec name (IAM Sids are alphanumeric). */
export function sid(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split(/[^A-Za-z0-9]+/))
    .filter((p) => p.length > 0)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

/**
 * Read access to exactly these prefixes: GetObject on the objects under them and
 * ListBucket limited to them (`s3:prefix`).
 */
export function s3ReadStatements(
  purpose: string,
  buckets: LakeBuckets,
  locations: readonly ResolvedDataLocation[],
): PolicyStatement[] {
  return [...byBucket(locations).entries()].flatMap(([name, prefixes]): PolicyStatement[] => {
    const arn = lakeBucket(buckets, name).arn;
    const whole = prefixes.includes('');
    return [
      {
        Sid: sid(purpose, 'List', name),
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: arn,
        ...(whole
          ? {}
          : { Condition: { StringLike: { 's3:prefix': prefixes.flatMap((p) => [p, `${p}*`]) } } }),
      },
      {
        Sid: sid(purpose, 'Get', name),
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: whole ? `${arn}/*` : prefixes.map((p) => `${arn}/${p}*`),
      },
    ];
  });
}

/** Write access (put, delete, multipart) to the objects under exactly these prefixes. */
export function s3WriteStatements(
  purpose: string,
  buckets: LakeBuckets,
  locations: readonly ResolvedDataLocation[],
): PolicyStatement[] {
  return [...byBucket(locations).entries()].map(([name, prefixes]) => {
    const arn = lakeBucket(buckets, name).arn;
    return {
      Sid: sid(purpose, 'Put', name),
      Effect: 'Allow',
      Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'],
      Resource: prefixes.includes('') ? `${arn}/*` : prefixes.map((p) => `${arn}/${p}*`),
    };
  });
}

/** Read access to exactly these objects (scripts, certificates, code), by object ARN. */
export function s3ObjectReadStatement(purpose: string, objectArns: readonly string[]): PolicyStatement {
  return {
    Sid: sid(purpose, 'ReadObjects'),
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: [...objectArns],
  };
}

/** Data-key use of the pipeline key (SSE-KMS objects, encrypted logs, queues, catalog). */
export function keyUseStatement(sec: SecurityContext, purpose = 'UseThePipelineKey'): PolicyStatement {
  return {
    Sid: purpose,
    Effect: 'Allow',
    Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
    Resource: sec.keyArn,
  };
}

/** The ARN of a log group by name (without the `:*` suffix). */
export function logGroupArn(sec: SecurityContext, name: string): string {
  return `arn:${sec.partition}:logs:${sec.region}:${sec.account}:log-group:${name}`;
}

/** Writing to these log groups and their streams, nothing else. */
export function logWriteStatement(
  purpose: string,
  groupArns: readonly string[],
  extra: string[] = [],
): PolicyStatement {
  return {
    Sid: sid(purpose, 'Logs'),
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents', ...extra].sort(),
    Resource: groupArns.flatMap((a) => [a, `${a}:*`]),
  };
}

/** An EC2 resource ARN from an id (subnet, security group). */
export function ec2Arn(sec: SecurityContext, type: string, id: string): string {
  return `arn:${sec.partition}:ec2:${sec.region}:${sec.account}:${type}/${id}`;
}

/** ARNs of EC2 resources by id (ids may be references: each is one scalar). */
export function ec2Arns(sec: SecurityContext, type: string, ids: readonly string[]): string[] {
  return ids.map((id) => ec2Arn(sec, type, id));
}

/** The first private subnet, for services that take one subnet. */
export function firstSubnet(sec: SecurityContext): string {
  const ids = sec.network?.privateSubnetIds ?? [];
  if (ids.length === 0) throw new Error('internal: no private subnets');
  return ids[0];
}

/**
 * What Lambda or Glue needs to place ENIs in the pipeline's private subnets with the
 * workload security groups (by id, in the pipeline VPC): the data areas' use of
 * {@link networkInterfaceStatements}. Nothing without a network.
 */
export function eniStatements(sec: SecurityContext, service: 'lambda' | 'glue'): PolicyStatement[] {
  const n = sec.network;
  if (!n) return [];
  return networkInterfaceStatements(sec, n.vpcId, {
    service: NETWORK_INTERFACE_SERVICES[service],
    sids: { create: 'CreateEnisInPrivateSubnets', manage: 'ManageOwnEnis', describe: 'DescribeNetwork' },
    placement: { subnetIds: n.privateSubnetIds, securityGroupIds: n.securityGroupIds },
  });
}

/** Catalog actions on these databases and their tables (plus the catalog itself). */
export function catalogStatement(
  purpose: string,
  sec: SecurityContext,
  databases: readonly string[],
  actions: readonly string[],
): PolicyStatement {
  const base = `arn:${sec.partition}:glue:${sec.region}:${sec.account}`;
  return {
    Sid: sid(purpose, 'Catalog'),
    Effect: 'Allow',
    Action: [...actions].sort(),
    Resource: [
      `${base}:catalog`,
      ...databases.flatMap((d) => [`${base}:database/${d}`, `${base}:table/${d}/*`]),
    ],
  };
}

/** Reading the catalog: databases, tables and partitions. */
export const CATALOG_READ = [
  'glue:BatchGetPartition',
  'glue:GetDatabase',
  'glue:GetDatabases',
  'glue:GetPartition',
  'glue:GetPartitions',
  'glue:GetTable',
  'glue:GetTables',
];

/** Reading and maintaining tables and partitions (jobs writing tables, crawlers). */
export const CATALOG_WRITE = [
  ...CATALOG_READ,
  'glue:BatchCreatePartition',
  'glue:BatchDeletePartition',
  'glue:BatchUpdatePartition',
  'glue:CreatePartition',
  'glue:CreateTable',
  'glue:DeletePartition',
  'glue:UpdatePartition',
  'glue:UpdateTable',
];
