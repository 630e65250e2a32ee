import { Testing } from 'cdktf';
import { SAGEMAKER_ACCOUNT_LOG_GROUPS } from '../../src/constructs/account-log-groups';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { globsOverlap } from '../harness/dead-grants';
import { compileData, MINIMAL } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

type Json = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

const synth = (security: object, extra: object = {}): Json =>
  JSON.parse(
    Testing.synth(new PipelineStack(testApp(), 'demo', compileData({ ...MINIMAL, security, ...extra }))),
  );

describe('security.accountLogGroups', () => {
  test('GIVEN manage THEN every account-shared SageMaker log group has the key, the retention and survives destroy', () => {
    const config = synth({ accountLogGroups: 'manage', logRetentionDays: 731 });
    const groups = config.resource.aws_cloudwatch_log_group;
    const names = Object.values(SAGEMAKER_ACCOUNT_LOG_GROUPS).sort();
    expect(
      Object.values(groups)
        .map((g) => g.name)
        .sort(),
    ).toEqual(names);
    expect(names).toEqual(
      expect.arrayContaining([
        '/aws/sagemaker/ProcessingJobs',
        '/aws/sagemaker/TrainingJobs',
        '/aws/sagemaker/studio',
      ]),
    );
    for (const g of Object.values(groups)) {
      expect(g).toEqual({
        name: g.name,
        kms_key_id: '${aws_kms_key.kms.arn}',
        retention_in_days: 731,
        skip_destroy: true,
      });
    }
    // Addresses come from names, never positions.
    expect(groups.account_logs_training_jobs.name).toBe('/aws/sagemaker/TrainingJobs');
  });

  test('GIVEN hipaa THEN they keep the preset retention of 6 years', () => {
    const config = synth(
      { accountLogGroups: 'manage', dataResidency: ['us-east-1'] },
      {
        compliance: ['hipaa'],
        network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } },
        state: {
          backend: 's3',
          s3: { bucket: 'tf-state', kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k' },
        },
      },
    );
    expect(config.resource.aws_cloudwatch_log_group.account_logs_processing_jobs.retention_in_days).toBe(
      2192,
    );
  });

  test('THEN the key policy lets CloudWatch Logs of this account encrypt exactly such groups', () => {
    const config = synth({ accountLogGroups: 'manage' });
    const policy = JSON.parse(String(config.resource.aws_kms_key.kms.policy)) as {
      Statement: {
        Sid: string;
        Principal: { Service?: string };
        Condition?: Record<string, Record<string, string>>;
      }[];
    };
    const logs = policy.Statement.find((s) => s.Principal.Service === 'logs.us-east-1.amazonaws.com');
    const allowed = logs?.Condition?.ArnLike?.['kms:EncryptionContext:aws:logs:arn'];
    expect(allowed).toBeDefined();
    for (const name of Object.values(SAGEMAKER_ACCOUNT_LOG_GROUPS)) {
      expect(globsOverlap(allowed!, `arn:aws:logs:us-east-1:123456789012:log-group:${name}`)).toBe(true);
    }
    expect(
      globsOverlap(allowed!, 'arn:aws:logs:us-east-1:210987654321:log-group:/aws/sagemaker/TrainingJobs'),
    ).toBe(false);
  });

  test.each(['unmanaged', 'external', undefined])('GIVEN %s THEN pipeform creates none of them', (mode) => {
    const config = synth(mode ? { accountLogGroups: mode } : {});
    const names = Object.values(config.resource.aws_cloudwatch_log_group ?? {}).map((g) => g.name);
    for (const name of Object.values(SAGEMAKER_ACCOUNT_LOG_GROUPS)) expect(names).not.toContain(name);
  });
});
