import { Testing } from 'cdktf';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { compileData, MINIMAL } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const KEY = '${aws_kms_key.kms.arn}';
const FEATURES = [
  { name: 'customer_id', type: 'string' },
  { name: 'event_time', type: 'fractional' },
  { name: 'tenure', type: 'integral' },
];
const GROUPS = [
  {
    name: 'customers',
    recordId: 'customer_id',
    eventTime: 'event_time',
    features: FEATURES,
    onlineTtlDays: 30,
  },
  { name: 'history', recordId: 'customer_id', eventTime: 'event_time', features: FEATURES, online: false },
];

function synth(spec: object): Resources {
  return JSON.parse(Testing.synth(new PipelineStack(testApp(), 'demo', compileData(spec)))).resource;
}

describe('Feature Store', () => {
  const r = synth({ ...MINIMAL, features: { groups: GROUPS } });

  test('online store encrypted with the key, on-demand throughput, TTL', () => {
    expect(r.aws_sagemaker_feature_group.features_customers).toMatchObject({
      feature_group_name: 'demo-customers',
      record_identifier_feature_name: 'customer_id',
      event_time_feature_name: 'event_time',
      role_arn: '${aws_iam_role.features.arn}',
      feature_definition: [
        { feature_name: 'customer_id', feature_type: 'String' },
        { feature_name: 'event_time', feature_type: 'Fractional' },
        { feature_name: 'tenure', feature_type: 'Integral' },
      ],
      online_store_config: {
        enable_online_store: true,
        storage_type: 'Standard',
        security_config: { kms_key_id: KEY },
        ttl_duration: { unit: 'Days', value: 30 },
      },
      throughput_config: { throughput_mode: 'OnDemand' },
    });
  });

  test('offline store in the features bucket with the key, cataloged in the feature-store Glue database', () => {
    for (const g of ['customers', 'history']) {
      expect(r.aws_sagemaker_feature_group[`features_${g}`].offline_store_config).toEqual({
        s3_storage_config: {
          s3_uri: 's3://${aws_s3_bucket.lake_features.bucket}/feature-store/',
          kms_key_id: KEY,
        },
        data_catalog_config: {
          catalog: 'AwsDataCatalog',
          database: '${aws_glue_catalog_database.features.name}',
          table_name: `demo_${g}`,
        },
        disable_glue_table_creation: false,
        table_format: 'Iceberg',
      });
    }
    expect(r.aws_glue_catalog_database.features.name).toBe('demo_feature_store');
    expect(r.aws_sagemaker_feature_group.features_history.online_store_config).toBeUndefined();
  });

  test('one role: the offline prefix, the feature-store database, the key; SageMaker trust', () => {
    const s = JSON.parse(r.aws_iam_role_policy.features.policy as string).Statement as {
      Sid: string;
      Resource: unknown;
    }[];
    const bySid = Object.fromEntries(s.map((x) => [x.Sid, x.Resource]));
    expect(bySid.OfflineStorePutFeatures).toEqual(['${aws_s3_bucket.lake_features.arn}/feature-store/*']);
    expect(bySid.OfflineStoreCatalog).toEqual([
      'arn:aws:glue:us-east-1:123456789012:catalog',
      'arn:aws:glue:us-east-1:123456789012:database/demo_feature_store',
      'arn:aws:glue:us-east-1:123456789012:table/demo_feature_store/*',
    ]);
    expect(bySid.UseThePipelineKey).toBe(KEY);
    expect(JSON.parse(r.aws_iam_role.features.assume_role_policy as string).Statement[0].Principal).toEqual({
      Service: ['sagemaker.amazonaws.com'],
    });
  });
});
