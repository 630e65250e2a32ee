import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import type { ResolvedBucket, ResolvedLifecycle, ResolvedStorage } from '../model/resolved';
import { policyJson, type PolicyStatement } from './iam/policy';
import type { SecurityContext } from './security-context';
import type { StackOutput } from './outputs';

/** Prefix under the logs bucket where S3 server access logs of each bucket land. */
export const ACCESS_LOG_PREFIX = 's3-access';

/** Props of {@link DataLakeBucket}. */
export interface DataLakeBucketProps {
  readonly bucket: ResolvedBucket;
  readonly security: SecurityContext;
  /** The logs bucket; undefined for the logs bucket itself. */
  readonly logsBucket?: S3Bucket;
  /** Prefix shared by every bucket of the pipeline (scopes the log-delivery grant). */
  readonly bucketPrefix: string;
  /** More statements of the bucket policy (grants to other accounts). */
  readonly grants?: readonly PolicyStatement[];
}

/** Lifecycle rules for one bucket; exported for tests. */
export function lifecycleRules(
  l: ResolvedLifecycle,
  versioning: boolean,
): S3BucketLifecycleConfigurationRule[] {
  const whole = [{ prefix: '' }];
  const rules: S3BucketLifecycleConfigurationRule[] = [];
  const tier =
    l.tiering === 'none'
      ? []
      : [
          {
            days: l.tieringAfterDays,
            storageClass: l.tiering === 'standard-ia' ? 'STANDARD_IA' : 'INTELLIGENT_TIERING',
          },
        ];
  const archive = l.archive ? [{ days: l.archive.afterDays, storageClass: l.archive.storageClass }] : [];
  if (l.archive && l.archive.prefix !== '') {
    if (tier.length > 0) rules.push({ id: 'tiering', status: 'Enabled', filter: whole, transition: tier });
    rules.push({
      id: 'archive',
      status: 'Enabled',
      filter: [{ prefix: l.archive.prefix }],
      transition: archive,
    });
  } else if (tier.length + archive.length > 0) {
    rules.push({ id: 'tiering', status: 'Enabled', filter: whole, transition: [...tier, ...archive] });
  }
  if (l.expireAfterDays !== undefined) {
    rules.push({
      id: 'expire-current',
      status: 'Enabled',
      filter: whole,
      expiration: [{ days: l.expireAfterDays }],
    });
  }
  if (versioning) {
    rules.push({
      id: 'expire-noncurrent',
      status: 'Enabled',
      filter: whole,
      noncurrentVersionExpiration: [{ noncurrentDays: l.noncurrentVersionExpiryDays }],
      expiration: [{ expiredObjectDeleteMarker: true }],
    });
  }
  rules.push({
    id: 'abort-incomplete-uploads',
    status: 'Enabled',
    filter: whole,
    abortIncompleteMultipartUpload: [{ daysAfterInitiation: l.abortIncompleteUploadsAfterDays }],
  });
  return rules;
}

/**
 * One data-lake bucket, secure by default: SSE-KMS with a bucket key, versioning, all four
 * public-access blocks, BucketOwnerEnforced, a TLS-only policy, access logging and
 * lifecycle tiering.
 */
export class DataLakeBucket extends Construct {
  readonly resource: S3Bucket;

  constructor(scope: Construct, id: string, props: DataLakeBucketProps) {
    super(scope, id);
    const { bucket: b, security: sec } = props;
    this.resource = new S3Bucket(this, 'Resource', {
      bucket: b.bucketName,
      forceDestroy: b.forceDestroy,
      tags: { 'pipeform:purpose': b.purpose, 'pipeform:bucket': b.name },
    });
    const bucketId = this.resource.id;

    new S3BucketOwnershipControls(this, 'Ownership', {
      bucket: bucketId,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'PublicAccess', {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: bucketId,
      rule: [
        {
          bucketKeyEnabled: true,
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: sec.keyArn },
        },
      ],
    });
    const versioning = b.versioning
      ? new S3BucketVersioningA(this, 'Versioning', {
          bucket: bucketId,
          versioningConfiguration: { status: 'Enabled' },
        })
      : undefined;
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket: bucketId,
      rule: lifecycleRules(b.lifecycle, b.versioning),
      // Rules on noncurrent versions need versioning in place first.
      dependsOn: versioning ? [versioning] : [],
    });
    if (b.accessLogging && props.logsBucket) {
      new S3BucketLoggingA(this, 'Logging', {
        bucket: bucketId,
        targetBucket: props.logsBucket.id,
        targetPrefix: `${ACCESS_LOG_PREFIX}/${b.name}/`,
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: 'EventTime' } },
      });
    }
    new S3BucketPolicy(this, 'Policy', {
      bucket: bucketId,
      policy: policyJson([
        ...bucketPolicyStatements(this.resource.arn, b, sec, props.bucketPrefix),
        ...(props.grants ?? []),
      ]),
      // A public-access block must exist before any policy, or a policy could slip in public.
      dependsOn: [publicAccess],
    });
  }
}

/** TLS-only access for every bucket; the logs bucket also admits S3 log delivery from this account's buckets. */
export function bucketPolicyStatements(
  arn: string,
  b: ResolvedBucket,
  sec: SecurityContext,
  bucketPrefix: string,
): PolicyStatement[] {
  const everything = [arn, `${arn}/*`];
  const statements: PolicyStatement[] = [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: everything,
      Condition: { Bool: { 'aws:SecureTransport': false } },
    },
    {
      Sid: 'DenyOutdatedTls',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: everything,
      Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
    },
  ];
  if (b.role === 'logs') {
    statements.push({
      Sid: 'AllowS3ServerAccessLogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${arn}/${ACCESS_LOG_PREFIX}/*`,
      Condition: {
        StringEquals: { 'aws:SourceAccount': sec.account },
        ArnLike: { 'aws:SourceArn': `arn:${sec.partition}:s3:::${bucketPrefix}-*` },
      },
    });
  }
  return statements;
}

/** Props of {@link DataLake}. */
export interface DataLakeProps {
  readonly storage: ResolvedStorage;
  readonly security: SecurityContext;
  /**
   * Statements other accounts need in a bucket's policy, by bucket spec name (promotion:
   * the serving accounts read the model objects).
   * @default - none
   */
  readonly grants?: ReadonlyMap<string, readonly PolicyStatement[]>;
}

/** The S3 data lake: the logs bucket first, then every other bucket logging into it. */
export class DataLake extends Construct {
  /** Buckets by spec name. */
  readonly buckets: ReadonlyMap<string, S3Bucket>;

  constructor(scope: Construct, id: string, props: DataLakeProps) {
    super(scope, id);
    const buckets = new Map<string, S3Bucket>();
    const logsSpec = props.storage.buckets.find((b) => b.role === 'logs');
    if (logsSpec === undefined) throw new Error('internal: the resolved storage has no logs bucket');
    const logs = new DataLakeBucket(this, logsSpec.name, {
      bucket: logsSpec,
      security: props.security,
      bucketPrefix: props.storage.bucketPrefix,
    }).resource;
    for (const b of props.storage.buckets) {
      if (b === logsSpec) {
        buckets.set(b.name, logs);
        continue;
      }
      const created = new DataLakeBucket(this, b.name, {
        bucket: b,
        security: props.security,
        logsBucket: logs,
        bucketPrefix: props.storage.bucketPrefix,
        ...(props.grants?.get(b.name) ? { grants: props.grants.get(b.name) } : {}),
      });
      buckets.set(b.name, created.resource);
    }
    this.buckets = buckets;
  }

  /** The lake's outputs: bucket names and ARNs by spec name. */
  outputs(): StackOutput[] {
    const buckets = [...this.buckets.entries()];
    return [
      {
        name: 'bucket_names',
        description: 'Data-lake bucket names by spec name.',
        value: Object.fromEntries(buckets.map(([n, b]) => [n, b.bucket])),
      },
      {
        name: 'bucket_arns',
        description: 'Data-lake bucket ARNs by spec name.',
        value: Object.fromEntries(buckets.map(([n, b]) => [n, b.arn])),
      },
    ];
  }
}
