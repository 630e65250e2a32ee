import { Testing } from 'cdktf';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { compileData, MINIMAL } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const KEY = '${aws_kms_key.kms.arn}';
const NETWORK = {
  vpc: { cidr: '10.20.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] },
  endpoints: { interface: ['logs', 'glue', 'kms', 'sts'] },
};
const GLUE = {
  databases: [{ name: 'lake' }],
  crawlers: [
    {
      name: 'raw-events',
      database: 'lake',
      targets: [{ bucket: 'raw', prefix: 'events/' }],
      schedule: 'cron(0 2 * * ? *)',
    },
  ],
  jobs: [
    {
      name: 'clean',
      script: 's3://acme-shared-code/scripts/clean.py',
      reads: [{ bucket: 'raw', prefix: 'events/' }],
      writes: [{ bucket: 'curated', prefix: 'events/' }],
      arguments: { '--target': 'events' },
    },
    {
      name: 'urgent',
      script: 's3://acme-shared-code/scripts/u.py',
      flex: false,
      autoScaling: false,
      bookmarks: false,
    },
  ],
  workflows: [
    {
      name: 'nightly',
      schedule: 'cron(0 3 * * ? *)',
      stages: [
        { name: 'crawl', crawlers: ['raw-events'] },
        { name: 'clean', jobs: ['clean', 'urgent'] },
      ],
    },
  ],
};

function synth(spec: object): Resources {
  const stack = new PipelineStack(testApp(), 'demo', compileData(spec));
  return JSON.parse(Testing.synth(stack)).resource;
}
const statements = (r: Resources, name: string) =>
  JSON.parse(r.aws_iam_role_policy[name].policy as string).Statement as {
    Sid: string;
    Action: string | string[];
    Resource: string | string[];
    Condition?: object;
  }[];

describe('Glue', () => {
  const r = synth({ ...MINIMAL, network: NETWORK, data: { glue: GLUE } });

  test('one security configuration: S3 SSE-KMS, CloudWatch SSE-KMS, bookmarks CSE-KMS, all with the pipeline key', () => {
    expect(r.aws_glue_security_configuration.glue).toEqual({
      name: 'demo-glue',
      encryption_configuration: {
        s3_encryption: { s3_encryption_mode: 'SSE-KMS', kms_key_arn: KEY },
        cloudwatch_encryption: { cloudwatch_encryption_mode: 'SSE-KMS', kms_key_arn: KEY },
        job_bookmarks_encryption: { job_bookmarks_encryption_mode: 'CSE-KMS', kms_key_arn: KEY },
      },
    });
  });

  test('every job and crawler carries the security configuration', () => {
    const sc = '${aws_glue_security_configuration.glue.name}';
    for (const j of Object.values(r.aws_glue_job)) expect(j.security_configuration).toBe(sc);
    for (const c of Object.values(r.aws_glue_crawler)) expect(c.security_configuration).toBe(sc);
  });

  test('Data Catalog encryption: metadata SSE-KMS and encrypted connection passwords', () => {
    expect(r.aws_glue_data_catalog_encryption_settings.glue).toEqual({
      catalog_id: '123456789012',
      data_catalog_encryption_settings: {
        encryption_at_rest: { catalog_encryption_mode: 'SSE-KMS', sse_aws_kms_key_id: KEY },
        connection_password_encryption: { return_connection_password_encrypted: true, aws_kms_key_id: KEY },
      },
    });
    expect(r.aws_glue_catalog_database.glue_databases_lake.name).toBe('demo_lake');
  });

  test('a non-urgent job: Glue 5.0, Flex, auto scaling, bookmarks, timeout, retries, logging that runs cannot turn off', () => {
    const job = r.aws_glue_job.glue_jobs_clean;
    expect(job).toMatchObject({
      name: 'demo-clean',
      glue_version: '5.0',
      worker_type: 'G.1X',
      number_of_workers: 10,
      execution_class: 'FLEX',
      timeout: 120,
      max_retries: 1,
      command: {
        name: 'glueetl',
        python_version: '3',
        script_location: 's3://acme-shared-code/scripts/clean.py',
      },
      default_arguments: {
        '--enable-auto-scaling': 'true',
        '--job-bookmark-option': 'job-bookmark-enable',
        '--job-language': 'python',
        '--target': 'events',
      },
      non_overridable_arguments: {
        '--enable-continuous-cloudwatch-log': 'true',
        '--enable-continuous-log-filter': 'true',
        '--enable-glue-datacatalog': 'true',
        '--enable-metrics': 'true',
        '--enable-observability-metrics': 'true',
      },
      connections: ['${aws_glue_connection.glue.name}'],
    });
  });

  test('an urgent job opts out of Flex, auto scaling and bookmarks explicitly', () => {
    const job = r.aws_glue_job.glue_jobs_urgent;
    expect(job.execution_class).toBe('STANDARD');
    expect(job.default_arguments).toEqual({
      '--job-bookmark-option': 'job-bookmark-disable',
      '--job-language': 'python',
    });
  });

  test('jobs run in the first private subnet with the workload security group', () => {
    expect(r.aws_glue_connection.glue).toEqual({
      name: 'demo-network',
      description: 'pipeform demo: runs Glue jobs in the private subnets',
      connection_type: 'NETWORK',
      physical_connection_requirements: {
        availability_zone: 'us-east-1a',
        subnet_id: '${aws_subnet.network_private_us_east_1a.id}',
        security_group_id_list: ['${aws_security_group.network_workloads.id}'],
      },
    });
  });

  test('log groups Glue writes to exist, encrypted with the key and with retention', () => {
    const groups = Object.fromEntries(
      Object.entries(r.aws_cloudwatch_log_group)
        .filter(([k]) => k.startsWith('glue'))
        .map(([k, v]) => [k, v.name]),
    );
    expect(groups).toEqual({
      glue: '/aws-glue/jobs/logs-v2-demo-glue',
      glue_crawlers_raw_events: '/aws-glue/crawlers-role/demo-glue-crawler-raw-events-demo-glue',
      glue_jobs_clean_error: '/aws-glue/jobs/demo-glue-role/demo-glue-job-clean/error',
      glue_jobs_clean_output: '/aws-glue/jobs/demo-glue-role/demo-glue-job-clean/output',
      glue_jobs_urgent_error: '/aws-glue/jobs/demo-glue-role/demo-glue-job-urgent/error',
      glue_jobs_urgent_output: '/aws-glue/jobs/demo-glue-role/demo-glue-job-urgent/output',
    });
    for (const k of Object.keys(groups)) {
      expect(r.aws_cloudwatch_log_group[k]).toMatchObject({ kms_key_id: KEY, retention_in_days: 365 });
    }
  });

  test('a crawler: schedule, schema-change policy, its prefixes only', () => {
    expect(r.aws_glue_crawler.glue_crawlers_raw_events).toMatchObject({
      name: 'demo-raw-events',
      database_name: '${aws_glue_catalog_database.glue_databases_lake.name}',
      schedule: 'cron(0 2 * * ? *)',
      s3_target: [{ path: 's3://${aws_s3_bucket.lake_raw.bucket}/events/' }],
      recrawl_policy: { recrawl_behavior: 'CRAWL_EVERYTHING' },
      schema_change_policy: {
        update_behavior: 'UPDATE_IN_DATABASE',
        delete_behavior: 'DEPRECATE_IN_DATABASE',
      },
    });
    const s = statements(r, 'glue_crawlers_raw_events');
    expect(s.find((x) => x.Sid === 'CrawlListRaw')).toEqual({
      Sid: 'CrawlListRaw',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: '${aws_s3_bucket.lake_raw.arn}',
      Condition: { StringLike: { 's3:prefix': ['events/', 'events/*'] } },
    });
    expect(s.find((x) => x.Sid === 'CrawlGetRaw')!.Resource).toEqual([
      '${aws_s3_bucket.lake_raw.arn}/events/*',
    ]);
    expect(s.find((x) => x.Sid === 'CrawlerCatalog')!.Resource).toEqual([
      'arn:aws:glue:us-east-1:123456789012:catalog',
      'arn:aws:glue:us-east-1:123456789012:database/demo_lake',
      'arn:aws:glue:us-east-1:123456789012:table/demo_lake/*',
    ]);
  });

  test('a job role: the script, its reads and writes, its log groups, the key; no wildcard actions', () => {
    const s = statements(r, 'glue_jobs_clean');
    expect(s.find((x) => x.Sid === 'ScriptReadObjects')!.Resource).toEqual([
      'arn:aws:s3:::acme-shared-code/scripts/clean.py',
    ]);
    expect(s.find((x) => x.Sid === 'WritePutCurated')!.Resource).toEqual([
      '${aws_s3_bucket.lake_curated.arn}/events/*',
    ]);
    expect(s.find((x) => x.Sid === 'UseThePipelineKey')!.Resource).toBe(KEY);
    for (const x of s) {
      for (const a of [x.Action].flat()) expect(a).not.toMatch(/:\*$|^\*$/);
    }
    const role = r.aws_iam_role.glue_jobs_clean;
    expect(JSON.parse(role.assume_role_policy as string).Statement[0].Principal).toEqual({
      Service: ['glue.amazonaws.com'],
    });
  });

  test('the workflow: a scheduled start trigger, then a conditional trigger on every member of the stage before', () => {
    expect(r.aws_glue_trigger.glue_workflows_nightly_crawl).toMatchObject({
      name: 'demo-nightly-crawl',
      type: 'SCHEDULED',
      schedule: 'cron(0 3 * * ? *)',
      start_on_creation: true,
      actions: [{ crawler_name: '${aws_glue_crawler.glue_crawlers_raw_events.name}' }],
      workflow_name: '${aws_glue_workflow.glue_workflows_nightly.name}',
    });
    expect(r.aws_glue_trigger.glue_workflows_nightly_clean).toMatchObject({
      type: 'CONDITIONAL',
      actions: [
        { job_name: '${aws_glue_job.glue_jobs_clean.name}' },
        { job_name: '${aws_glue_job.glue_jobs_urgent.name}' },
      ],
      predicate: {
        logical: 'AND',
        conditions: [
          {
            crawler_name: '${aws_glue_crawler.glue_crawlers_raw_events.name}',
            crawl_state: 'SUCCEEDED',
            logical_operator: 'EQUALS',
          },
        ],
      },
    });
  });

  test('without a network: no connection; catalog encryption can be left to someone else; on-demand workflow', () => {
    const plain = synth({
      ...MINIMAL,
      data: {
        glue: {
          ...GLUE,
          catalogEncryption: false,
          workflows: [{ name: 'manual', stages: [{ name: 'crawl', crawlers: ['raw-events'] }] }],
        },
      },
    });
    expect(plain.aws_glue_connection).toBeUndefined();
    expect(plain.aws_glue_job.glue_jobs_clean.connections).toBeUndefined();
    expect(plain.aws_glue_data_catalog_encryption_settings).toBeUndefined();
    expect(plain.aws_glue_trigger.glue_workflows_manual_crawl).toMatchObject({ type: 'ON_DEMAND' });
    expect(plain.aws_glue_trigger.glue_workflows_manual_crawl.start_on_creation).toBeUndefined();
  });
});
