'use strict';

/**
 * Baseline for `npm run bench`: the data-lake stack written the common way, loading the
 * provider through its package root (all ~2,135 resource modules) instead of deep paths.
 * Usage: node scripts/bench-baseline/baseline.cjs <outdir>
 */
const { App, TerraformStack } = require('cdktf');
const aws = require('@cdktf/provider-aws');

const outdir = process.argv[2];
if (!outdir) {
  process.stderr.write('usage: node baseline.cjs <outdir>\n');
  process.exit(2);
}

const account = '123456789012';
const region = 'eu-west-1';
const prefix = 'acme-churn-prod';

const app = new App({ outdir });
const stack = new TerraformStack(app, 'baseline');

new aws.provider.AwsProvider(stack, 'aws', {
  region,
  allowedAccountIds: [account],
  defaultTags: [{ tags: { 'pipeform:pipeline': 'churn', team: 'ml-platform' } }],
});

const key = new aws.kmsKey.KmsKey(stack, 'key', {
  description: 'churn data lake',
  enableKeyRotation: true,
  rotationPeriodInDays: 180,
  deletionWindowInDays: 30,
  policy: JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountRootManagesKey',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  }),
});

for (const name of ['raw', 'curated', 'features', 'models', 'checkpoints', 'logs']) {
  const bucket = new aws.s3Bucket.S3Bucket(stack, `${name}-bucket`, { bucket: `${prefix}-${name}` });
  new aws.s3BucketOwnershipControls.S3BucketOwnershipControls(stack, `${name}-ownership`, {
    bucket: bucket.id,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  new aws.s3BucketPublicAccessBlock.S3BucketPublicAccessBlock(stack, `${name}-public-access`, {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new aws.s3BucketServerSideEncryptionConfiguration.S3BucketServerSideEncryptionConfigurationA(
    stack,
    `${name}-encryption`,
    {
      bucket: bucket.id,
      rule: [
        {
          bucketKeyEnabled: true,
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn },
        },
      ],
    },
  );
  const versioning = new aws.s3BucketVersioning.S3BucketVersioningA(stack, `${name}-versioning`, {
    bucket: bucket.id,
    versioningConfiguration: { status: 'Enabled' },
  });
  new aws.s3BucketPolicy.S3BucketPolicy(stack, `${name}-policy`, {
    bucket: bucket.id,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucket.arn, `${bucket.arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    }),
  });
  new aws.s3BucketLifecycleConfiguration.S3BucketLifecycleConfiguration(stack, `${name}-lifecycle`, {
    bucket: bucket.id,
    dependsOn: [versioning],
    rule: [
      {
        id: 'tiering',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        transition: [{ days: 0, storageClass: 'INTELLIGENT_TIERING' }],
      },
      {
        id: 'expire-noncurrent',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrentVersionExpiration: [{ noncurrentDays: 60 }],
        expiration: [{ expiredObjectDeleteMarker: true }],
      },
      {
        id: 'abort-incomplete-uploads',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 3 }],
      },
    ],
  });
}

app.synth();
