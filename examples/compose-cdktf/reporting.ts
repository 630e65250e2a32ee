import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Construct } from 'constructs';

/** What the reporting team's construct needs from the pipeline. */
export interface ReportingProps {
  /** Prefix of the report bucket's name (the pipeline's own bucket prefix). */
  readonly bucketPrefix: string;
  /** The pipeline key: the reports and the topic are encrypted with it. */
  readonly keyArn: string;
  /** The pipeline's bucket the reports are computed from. */
  readonly source: S3Bucket;
}

/**
 * The team's own resources, next to the pipeline: a private, TLS-only bucket of reports and a topic
 * announcing them, both encrypted with the pipeline key, and a policy for the report job
 * that reads the pipeline's curated data and writes reports. Ids are lowercase: PipelineStack
 * names addresses after them (aws_s3_bucket.reporting_bucket, ...).
 */
export class Reporting extends Construct {
  readonly bucket: S3Bucket;
  readonly topic: SnsTopic;
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: ReportingProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', { bucket: `${props.bucketPrefix}-reports` });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.keyArn },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    // Like the pipeline's own buckets: no request without TLS.
    new S3BucketPolicy(this, 'tls-only', {
      bucket: this.bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });
    this.topic = new SnsTopic(this, 'topic', {
      name: `${props.bucketPrefix}-reports`,
      kmsMasterKeyId: props.keyArn,
    });
    this.policy = new IamPolicy(this, 'policy', {
      name: `${props.bucketPrefix}-reports`,
      description: 'Reads the pipeline curated data, writes reports and announces them',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ListCurated', Effect: 'Allow', Action: 's3:ListBucket', Resource: props.source.arn },
          { Sid: 'ReadCurated', Effect: 'Allow', Action: 's3:GetObject', Resource: `${props.source.arn}/*` },
          { Sid: 'WriteReports', Effect: 'Allow', Action: 's3:PutObject', Resource: `${this.bucket.arn}/*` },
          { Sid: 'Announce', Effect: 'Allow', Action: 'sns:Publish', Resource: this.topic.arn },
          {
            // Both buckets and the topic are SSE-KMS with the pipeline key.
            Sid: 'UsePipelineKey',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: props.keyArn,
          },
        ],
      }),
    });
  }
}
