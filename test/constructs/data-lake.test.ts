import { Testing } from 'cdktf';
import { lifecycleRules } from '../../src/constructs/data-lake';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { compileData, MINIMAL } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function synth(spec: object): { resource: Resources; output: Record<string, unknown> } {
  const app = testApp();
  const stack = new PipelineStack(app, 'demo', compileData(spec));
  return JSON.parse(Testing.synth(stack));
}

describe('DataLake', () => {
  const { resource } = synth(MINIMAL);
  const names = ['checkpoints', 'curated', 'features', 'logs', 'models', 'raw'].map((n) => `lake_${n}`);

  test('GIVEN a minimal spec THEN six buckets with addresses from their names and no force_destroy', () => {
    expect(Object.keys(resource.aws_s3_bucket).sort()).toEqual(names);
    expect(resource.aws_s3_bucket.lake_raw).toMatchObject({
      bucket: 'demo-123456789012-us-east-1-raw',
      force_destroy: false,
    });
  });

  test('every bucket: SSE-KMS with the pipeline key and a bucket key', () => {
    for (const n of names) {
      expect(resource.aws_s3_bucket_server_side_encryption_configuration[n].rule).toEqual([
        {
          apply_server_side_encryption_by_default: {
            kms_master_key_id: '${aws_kms_key.kms.arn}',
            sse_algorithm: 'aws:kms',
          },
          bucket_key_enabled: true,
        },
      ]);
    }
  });

  test('every bucket: all four public-access blocks, owner-enforced, versioned', () => {
    for (const n of names) {
      expect(resource.aws_s3_bucket_public_access_block[n]).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(resource.aws_s3_bucket_ownership_controls[n].rule).toEqual({
        object_ownership: 'BucketOwnerEnforced',
      });
      expect(resource.aws_s3_bucket_versioning[n].versioning_configuration).toEqual({ status: 'Enabled' });
    }
  });

  test('every bucket: a TLS-only policy applied after the public-access block', () => {
    for (const n of names) {
      const policy = resource.aws_s3_bucket_policy[n];
      const doc = JSON.parse(policy.policy as string);
      expect(doc.Statement[0]).toMatchObject({
        Effect: 'Deny',
        Principal: '*',
        Condition: { Bool: { 'aws:SecureTransport': false } },
      });
      expect(doc.Statement[1]).toMatchObject({
        Effect: 'Deny',
        Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
      });
      expect(policy.depends_on).toEqual([`aws_s3_bucket_public_access_block.${n}`]);
    }
  });

  test('access logs go to the logs bucket, which admits only this account and the pipeline buckets', () => {
    expect(Object.keys(resource.aws_s3_bucket_logging).sort()).toEqual(
      names.filter((n) => n !== 'lake_logs'),
    );
    expect(resource.aws_s3_bucket_logging.lake_raw).toMatchObject({
      target_bucket: '${aws_s3_bucket.lake_logs.id}',
      target_prefix: 's3-access/raw/',
    });
    const logsPolicy = JSON.parse(resource.aws_s3_bucket_policy.lake_logs.policy as string);
    expect(logsPolicy.Statement[2]).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::demo-123456789012-us-east-1-*' },
      },
    });
  });

  test('lifecycle: Intelligent-Tiering, checkpoints to Glacier after 30 days, noncurrent expiry, multipart abort', () => {
    const rules = resource.aws_s3_bucket_lifecycle_configuration.lake_checkpoints.rule as { id: string }[];
    expect(rules.map((r) => r.id)).toEqual(['tiering', 'expire-noncurrent', 'abort-incomplete-uploads']);
    expect(rules[0]).toMatchObject({
      transition: [
        { days: 0, storage_class: 'INTELLIGENT_TIERING' },
        { days: 30, storage_class: 'GLACIER' },
      ],
    });
    const raw = resource.aws_s3_bucket_lifecycle_configuration.lake_raw.rule as Record<string, unknown>[];
    expect(raw[0].transition).toEqual([{ days: 0, storage_class: 'INTELLIGENT_TIERING' }]);
    expect(raw[1].noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
    expect(raw[2].abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
  });

  test('GIVEN versioning off and forceDestroy on THEN no versioning resource and no noncurrent rule', () => {
    const r = synth({
      ...MINIMAL,
      storage: { buckets: { scratch: { versioning: false, forceDestroy: true } } },
    }).resource;
    expect(r.aws_s3_bucket_versioning.lake_scratch).toBeUndefined();
    expect(r.aws_s3_bucket.lake_scratch.force_destroy).toBe(true);
    const ids = (r.aws_s3_bucket_lifecycle_configuration.lake_scratch.rule as { id: string }[]).map(
      (x) => x.id,
    );
    expect(ids).toEqual(['tiering', 'abort-incomplete-uploads']);
  });
});

describe('lifecycleRules', () => {
  test('an archive prefix gets a rule of its own', () => {
    const rules = lifecycleRules(
      {
        tiering: 'standard-ia',
        tieringAfterDays: 30,
        archive: { afterDays: 365, storageClass: 'GLACIER_IR', prefix: 'archive/' },
        expireAfterDays: 400,
        noncurrentVersionExpiryDays: 60,
        abortIncompleteUploadsAfterDays: 3,
      },
      true,
    );
    expect(rules.map((r) => r.id)).toEqual([
      'tiering',
      'archive',
      'expire-current',
      'expire-noncurrent',
      'abort-incomplete-uploads',
    ]);
    expect(rules[1]).toMatchObject({
      filter: [{ prefix: 'archive/' }],
      transition: [{ days: 365, storageClass: 'GLACIER_IR' }],
    });
  });

  test('tiering none and no archive: no transition rule', () => {
    const rules = lifecycleRules(
      {
        tiering: 'none',
        tieringAfterDays: 0,
        noncurrentVersionExpiryDays: 1,
        abortIncompleteUploadsAfterDays: 1,
      },
      false,
    );
    expect(rules.map((r) => r.id)).toEqual(['abort-incomplete-uploads']);
  });
});
