import { Testing } from 'cdktf';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { compileData, MINIMAL } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

function synth(spec: object) {
  const app = testApp();
  return JSON.parse(Testing.synth(new PipelineStack(app, 'demo', compileData(spec))));
}

describe('PipelineStack', () => {
  test('provider: region, allowed account, default tags with the user tags', () => {
    const out = synth({ ...MINIMAL, tags: { team: 'ml' } });
    expect(out.provider.aws[0]).toEqual({
      region: 'us-east-1',
      allowed_account_ids: ['123456789012'],
      default_tags: [
        { tags: { team: 'ml', 'pipeform:managed-by': 'pipeform', 'pipeform:pipeline': 'demo' } },
      ],
    });
    expect(out.terraform.required_providers.aws).toEqual({ source: 'hashicorp/aws', version: '5.100.0' });
  });

  test('KMS key: rotation, deletion window, and a key policy without wildcard principals', () => {
    const out = synth({
      ...MINIMAL,
      security: {
        kms: {
          rotationPeriodDays: 90,
          deletionWindowDays: 7,
          admins: ['arn:aws:iam::123456789012:role/admin'],
        },
      },
    });
    const key = out.resource.aws_kms_key.kms;
    expect(key).toMatchObject({
      enable_key_rotation: true,
      rotation_period_in_days: 90,
      deletion_window_in_days: 7,
    });
    const policy = JSON.parse(key.policy);
    for (const s of policy.Statement) {
      expect(s.Principal).not.toBe('*');
      expect(JSON.stringify(s.Principal)).not.toContain('"*"');
    }
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'AccountRootManagesKey',
      'KeyAdministrators',
      'CloudWatchLogsEncryptsPipelineLogGroups',
      'S3LogDeliveryEncryptsAccessLogs',
    ]);
    expect(policy.Statement[1].Principal.AWS).toEqual(['arn:aws:iam::123456789012:role/admin']);
    expect(policy.Statement[1].Action).not.toContain('kms:Decrypt');
    expect(out.resource.aws_kms_alias.kms.name).toBe('alias/demo');
  });

  test('an existing key is used everywhere and no key is created', () => {
    const arn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const out = synth({ ...MINIMAL, security: { kms: { existingKeyArn: arn } } });
    expect(out.resource.aws_kms_key).toBeUndefined();
    expect(
      out.resource.aws_s3_bucket_server_side_encryption_configuration.lake_raw.rule[0]
        .apply_server_side_encryption_by_default.kms_master_key_id,
    ).toBe(arn);
    expect(out.output.kms_key_arn.value).toBe(arn);
  });

  test('local backend by default; S3 backend with native lock file and Terraform >= 1.10', () => {
    expect(synth(MINIMAL).terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
    const out = synth({ ...MINIMAL, state: { backend: 's3', s3: { bucket: 'tf-state' } } });
    expect(out.terraform.backend.s3).toEqual({
      bucket: 'tf-state',
      key: 'pipeform/demo/terraform.tfstate',
      region: 'us-east-1',
      encrypt: true,
      use_lockfile: true,
    });
    expect(out.terraform.required_version).toBe('>= 1.10.0');
  });

  test('outputs: key, bucket names and ARNs by spec name, KPIs', () => {
    const out = synth({
      ...MINIMAL,
      goals: { kpis: [{ name: 'auc', metric: 'm.auc', threshold: 0.9, direction: 'higher-is-better' }] },
    });
    expect(Object.keys(out.output).sort()).toEqual(['bucket_arns', 'bucket_names', 'kms_key_arn', 'kpis']);
    expect(out.output.bucket_names.value.raw).toBe('${aws_s3_bucket.lake_raw.bucket}');
    expect(out.output.kpis.value).toEqual({
      auc: { metric: 'm.auc', threshold: 0.9, direction: 'higher-is-better' },
    });
  });

  test('addresses depend on names only: adding a bucket changes no existing address', () => {
    const addresses = (o: { resource: Record<string, object> }) =>
      Object.entries(o.resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
    const before = addresses(synth(MINIMAL));
    const after = addresses(synth({ ...MINIMAL, storage: { buckets: { aaa: {} } } }));
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after.length).toBeGreaterThan(before.length);
  });
});
