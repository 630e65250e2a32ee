import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { UsageError } from '../../src/compiler/diagnostics';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { crc32, zipDirectory, zipEntries } from '../../src/constructs/data/zip';
import { MAIN_FILE, synthesize } from '../../src/synth/synth';
import { runCli } from '../harness/cli';
import { compileSpec, readSpecFile } from '../../src/compiler';
import { compileData, MINIMAL, ROOT } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const KEY = '${aws_kms_key.kms.arn}';
const SPEC_FILE = join('test', 'fixtures', 'functions', 'pipeline.yaml');
const NETWORK = { vpc: { cidr: '10.20.0.0/16', availabilityZones: ['us-east-1a'] } };
const FUNCTIONS = [
  {
    name: 'filter',
    code: { directory: 'filter' },
    handler: 'index.handler',
    reservedConcurrency: 5,
    environment: { TARGET: 'curated' },
    triggers: [{ bucket: 'raw', prefix: 'incoming/', suffix: '.json' }],
    writes: [{ bucket: 'curated', prefix: 'filtered/' }],
  },
  {
    name: 'extract',
    code: { s3: 's3://acme-shared-code/code/extract.zip' },
    handler: 'index.handler',
    runtime: 'nodejs20.x',
    triggers: [{ bucket: 'raw', prefix: 'other/' }],
  },
];

function synth(spec: object): Resources {
  const stack = new PipelineStack(testApp(), 'demo', compileData(spec, SPEC_FILE));
  return JSON.parse(Testing.synth(stack)).resource;
}

/** The fixture directory's zip: pinned, so a change in the writer (or Node) shows up as a diff. */
const FIXTURE_ZIP_SHA256 = 'e5dd888ac43ba1399b54c349008312e6129ca54835b96ff7795626aca49b20a3';

describe('Lambda', () => {
  const r = synth({ ...MINIMAL, network: NETWORK, orchestration: { functions: FUNCTIONS } });
  const filter = r.aws_lambda_function.lambda_filter;

  test('a function from a local directory: the asset zip beside main.tf.json, its hash, arm64, tracing, key', () => {
    const zip = zipDirectory(join(ROOT, 'test', 'fixtures', 'functions', 'filter'));
    expect(filter).toMatchObject({
      function_name: 'demo-filter',
      filename: '${path.module}/assets/lambda-filter.zip',
      source_code_hash: createHash('sha256').update(zip).digest('base64'),
      handler: 'index.handler',
      runtime: 'python3.12',
      architectures: ['arm64'],
      memory_size: 256,
      timeout: 60,
      reserved_concurrent_executions: 5,
      kms_key_arn: KEY,
      environment: { variables: { TARGET: 'curated' } },
      tracing_config: { mode: 'Active' },
      dead_letter_config: { target_arn: '${aws_sqs_queue.lambda_filter.arn}' },
      vpc_config: {
        subnet_ids: ['${aws_subnet.network_private_us_east_1a.id}'],
        security_group_ids: ['${aws_security_group.network_workloads.id}'],
      },
    });
    expect(filter.depends_on).toEqual([
      'aws_cloudwatch_log_group.lambda_filter',
      'aws_iam_role_policy.lambda_filter',
    ]);
  });

  test("a function from a bucket of the user's own reads its zip where it is", () => {
    expect(r.aws_lambda_function.lambda_extract).toMatchObject({
      s3_bucket: 'acme-shared-code',
      s3_key: 'code/extract.zip',
      runtime: 'nodejs20.x',
    });
    expect(r.aws_lambda_function.lambda_extract.filename).toBeUndefined();
  });

  test('an encrypted dead-letter queue kept 14 days; a log group /aws/lambda/<name> with the key and retention', () => {
    expect(r.aws_sqs_queue.lambda_filter).toEqual({
      name: 'demo-filter-dlq',
      kms_master_key_id: KEY,
      kms_data_key_reuse_period_seconds: 300,
      message_retention_seconds: 1209600,
    });
    expect(r.aws_cloudwatch_log_group.lambda_filter).toEqual({
      name: '/aws/lambda/demo-filter',
      kms_key_id: KEY,
      retention_in_days: 365,
    });
  });

  test('one notification per bucket holding every function trigger on it, after the invoke permissions', () => {
    expect(Object.keys(r.aws_s3_bucket_notification)).toEqual(['lambda_triggers_raw']);
    expect(r.aws_s3_bucket_notification.lambda_triggers_raw).toEqual({
      bucket: '${aws_s3_bucket.lake_raw.id}',
      lambda_function: [
        {
          id: 'extract-other',
          lambda_function_arn: '${aws_lambda_function.lambda_extract.arn}',
          events: ['s3:ObjectCreated:*'],
          filter_prefix: 'other/',
        },
        {
          id: 'filter-incoming-json',
          lambda_function_arn: '${aws_lambda_function.lambda_filter.arn}',
          events: ['s3:ObjectCreated:*'],
          filter_prefix: 'incoming/',
          filter_suffix: '.json',
        },
      ],
      depends_on: [
        'aws_lambda_permission.lambda_extract_invoke_from_raw',
        'aws_lambda_permission.lambda_filter_invoke_from_raw',
      ],
    });
    expect(r.aws_lambda_permission.lambda_filter_invoke_from_raw).toMatchObject({
      action: 'lambda:InvokeFunction',
      principal: 's3.amazonaws.com',
      source_arn: '${aws_s3_bucket.lake_raw.arn}',
      source_account: '123456789012',
    });
  });

  test('the role: its log group, trigger and write prefixes, its queue, traces, ENIs in the private subnets', () => {
    const s = JSON.parse(r.aws_iam_role_policy.lambda_filter.policy as string).Statement as {
      Sid: string;
      Resource: unknown;
    }[];
    const bySid = Object.fromEntries(s.map((x) => [x.Sid, x.Resource]));
    expect(bySid.FunctionLogs).toEqual([
      '${aws_cloudwatch_log_group.lambda_filter.arn}',
      '${aws_cloudwatch_log_group.lambda_filter.arn}:*',
    ]);
    expect(bySid.ReadGetRaw).toEqual(['${aws_s3_bucket.lake_raw.arn}/incoming/*']);
    expect(bySid.WritePutCurated).toEqual(['${aws_s3_bucket.lake_curated.arn}/filtered/*']);
    expect(bySid.DeadLetters).toBe('${aws_sqs_queue.lambda_filter.arn}');
    expect(bySid.CreateEnisInPrivateSubnets).toContain(
      'arn:aws:ec2:us-east-1:123456789012:subnet/${aws_subnet.network_private_us_east_1a.id}',
    );
  });

  test('without a network there is no VPC config; without a DLQ no queue', () => {
    const plain = synth({
      ...MINIMAL,
      orchestration: { functions: [{ ...FUNCTIONS[1], deadLetterQueue: false }] },
    });
    expect(plain.aws_lambda_function.lambda_extract.vpc_config).toBeUndefined();
    expect(plain.aws_lambda_function.lambda_extract.dead_letter_config).toBeUndefined();
    expect(plain.aws_sqs_queue).toBeUndefined();
  });

  test('synthesis writes the zip beside main.tf.json, byte-identical on every run', () => {
    const spec = compileData({ ...MINIMAL, orchestration: { functions: FUNCTIONS } }, SPEC_FILE);
    const a = synthesize(spec).files;
    const b = synthesize(spec).files;
    expect([...a.keys()]).toEqual([MAIN_FILE, 'assets/lambda-filter.zip']);
    expect(Buffer.from(a.get('assets/lambda-filter.zip') as Uint8Array)).toEqual(
      Buffer.from(b.get('assets/lambda-filter.zip') as Uint8Array),
    );
  });

  test('a missing code directory is a spec error at its line:column (validate finds it, no stack trace)', async () => {
    expect(() =>
      compileData(
        { ...MINIMAL, orchestration: { functions: [{ ...FUNCTIONS[0], code: { directory: 'nope' } }] } },
        SPEC_FILE,
      ),
    ).toThrow(
      /pipeline\.yaml:9:20: orchestration\.functions\[0\]\.code\.directory: local directory "nope" cannot be shipped: it does not exist \[assets\/local-file\]/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-lambda-'));
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\norchestration:\n  functions:\n    - {name: f, code: {directory: missing}, handler: index.handler}\n',
    );
    const run = await runCli(['validate', join(dir, 'pipeline.yaml')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pipeline.yaml:7:35: orchestration.functions[0].code.directory');
  });

  test('a directory that vanishes between check and build is a usage error naming the function', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-lambda-'));
    mkdirSync(join(dir, 'f'));
    writeFileSync(join(dir, 'f', 'index.py'), 'def handler(e, c):\n    return e\n');
    const spec = compileData(
      {
        ...MINIMAL,
        orchestration: { functions: [{ name: 'f', code: { directory: 'f' }, handler: 'index.handler' }] },
      },
      join(dir, 'pipeline.yaml'),
    );
    rmSync(join(dir, 'f'), { recursive: true });
    expect(() => synthesize(spec)).toThrow(UsageError);
    expect(() => synthesize(spec)).toThrow(/function f: code.directory f: .*f does not exist/);
  });
});

describe('deterministic zip', () => {
  test('entries sorted, fixed time and modes, stored: the same bytes whatever the input order', () => {
    const a = { path: 'b.txt', data: Buffer.from('b') };
    const b = { path: 'a/bootstrap', data: Buffer.from('#!/bin/sh\n') };
    const zip = Buffer.from(zipEntries([a, b]));
    expect(zip).toEqual(Buffer.from(zipEntries([b, a])));
    // First local header: the sorted-first entry, stored (method 0), 1980-01-01 00:00.
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt16LE(8)).toBe(0);
    expect(zip.readUInt16LE(10)).toBe(0);
    expect(zip.readUInt16LE(12)).toBe(0x21);
    expect(zip.subarray(30, 30 + 11).toString()).toBe('a/bootstrap');
    // Central directory: bootstrap is executable, the rest 0644.
    const cd = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect(zip.readUInt32LE(cd + 38) >>> 16).toBe(0o100755);
  });

  test('the batch-etl example zips match the committed ones byte for byte (run `npm run gen:examples` after a change)', () => {
    const file = join('examples', 'batch-etl', 'pipeline.yaml');
    const { resolved } = compileSpec(file, readSpecFile(join(ROOT, file)));
    const assets = [...synthesize(resolved, file).files.entries()].filter(([path]) =>
      path.startsWith('assets/'),
    );
    expect(assets.map(([path]) => path)).toEqual([
      'assets/emr-tls-certificates-tls-certificates.zip',
      'assets/glue-sessionize-sessionize.py',
      'assets/lambda-quality-check.zip',
      'assets/lambda-validate-events.zip',
      'assets/workflow-customer-features-customer_features.py',
    ]);
    for (const [path, bytes] of assets) {
      expect(
        Buffer.from(bytes as Uint8Array).equals(readFileSync(join(ROOT, 'generated', 'batch-etl', path))),
      ).toBe(true);
    }
  });

  test('CRC-32 matches the reference value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  test('the fixture directory always zips to the same bytes (pinned hash)', () => {
    const zip = zipDirectory(join(ROOT, 'test', 'fixtures', 'functions', 'filter'));
    expect(createHash('sha256').update(zip).digest('hex')).toBe(FIXTURE_ZIP_SHA256);
    expect(readFileSync(join(ROOT, 'test', 'fixtures', 'functions', 'filter', 'index.py'), 'utf8')).toContain(
      'def handler',
    );
  });
});
