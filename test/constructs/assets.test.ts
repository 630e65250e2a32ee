import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { gzipStored, tarEntries, tarGzDirectory } from '../../src/constructs/tar';
import { crc32 } from '../../src/constructs/data/zip';
import { synthesizeModule } from '../../src/synth/module';
import { MAIN_FILE, synthesize } from '../../src/synth/synth';
import { compileData, MINIMAL, ROOT } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A spec beside test/fixtures/assets (glue/clean.py, spark/agg.py, emr/tls.zip, training/, buildspec.yml). */
const SPEC_FILE = join('test', 'fixtures', 'assets', 'pipeline.yaml');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'assets');
const NETWORK = {
  vpc: { cidr: '10.20.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] },
  endpoints: { interface: ['logs', 'glue', 'kms', 'sts'] },
};
const KPIS = {
  kpis: [{ name: 'auc', metric: 'metrics.auc', threshold: 0.8, direction: 'higher-is-better' }],
};
const SPEC = {
  ...MINIMAL,
  goals: KPIS,
  network: NETWORK,
  data: {
    glue: { jobs: [{ name: 'clean', script: 'glue/clean.py' }] },
    emr: { cluster: { tlsCertificates: 'emr/tls.zip' } },
  },
  orchestration: { workflow: { steps: [{ name: 'agg', type: 'emr', script: 'spark/agg.py' }] } },
  training: {
    algorithm: 'sklearn',
    entryPoint: 'train.py',
    data: { prefix: 'churn/' },
    code: { directory: 'training' },
    processing: { script: 'preprocess.py', input: { prefix: 'exports/' } },
    evaluation: { script: 'evaluate.py' },
  },
  cicd: {
    source: { git: { repository: 'acme/churn' } },
    build: { buildspecFile: 'buildspec.yml' },
    deploy: { enabled: false },
  },
};

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const ref = (id: string) => ({
  bucket: '${aws_s3_bucket.lake_models.bucket}',
  key: `\${aws_s3_object.assets_${id}.key}`,
});
const uriOf = (id: string) => `s3://${ref(id).bucket}/${ref(id).key}`;
const arnOf = (id: string) => `arn:aws:s3:::${ref(id).bucket}/${ref(id).key}`;
const statements = (r: Json, name: string): Json[] =>
  JSON.parse(r.aws_iam_role_policy[name].policy).Statement;

function synth(spec: object, file = SPEC_FILE): Json {
  return JSON.parse(Testing.synth(new PipelineStack(testApp(), 'demo', compileData(spec, file)))).resource;
}

describe('GIVEN local scripts, a certificate zip, a training directory and a buildspec', () => {
  const r = synth(SPEC);
  const objects = r.aws_s3_object as Json;

  test('THEN each is one aws_s3_object named after its consumer, content-addressed, encrypted with the pipeline key', () => {
    expect(Object.keys(objects).sort()).toEqual([
      'assets_cicd_buildspec',
      'assets_emr_tls_certificates',
      'assets_glue_clean',
      'assets_training_evaluate',
      'assets_training_preprocess',
      'assets_training_source',
      'assets_workflow_agg',
    ]);
    const bytes = readFileSync(join(FIXTURES, 'glue', 'clean.py'));
    expect(objects.assets_glue_clean).toEqual({
      bucket: '${aws_s3_bucket.lake_models.id}',
      key: `demo/assets/${sha256(bytes).slice(0, 32)}/clean.py`,
      source: '${path.module}/assets/glue-clean-clean.py',
      source_hash: sha256(bytes),
      server_side_encryption: 'aws:kms',
      kms_key_id: '${aws_kms_key.kms.arn}',
      bucket_key_enabled: true,
      lifecycle: { create_before_destroy: true },
    });
    // The certificate zip (key material) travels as a file, never as content in the JSON.
    expect(objects.assets_emr_tls_certificates.content).toBeUndefined();
    expect(objects.assets_emr_tls_certificates.source).toBe(
      '${path.module}/assets/emr-tls-certificates-tls.zip',
    );
    expect(objects.assets_training_source.key).toMatch(/^demo\/assets\/[0-9a-f]{32}\/sourcedir\.tar\.gz$/);
  });

  test('THEN every consumer reads the upload itself (an implicit dependency), and its role may read only that object', () => {
    expect(r.aws_glue_job.glue_jobs_clean.command.script_location).toBe(uriOf('glue_clean'));
    expect(statements(r, 'glue_jobs_clean').find((s) => s.Sid === 'ScriptReadObjects')!.Resource).toEqual([
      arnOf('glue_clean'),
    ]);

    const tls = JSON.parse(r.aws_emr_security_configuration.emr.configuration);
    expect(
      tls.EncryptionConfiguration.InTransitEncryptionConfiguration.TLSCertificateConfiguration.S3Object,
    ).toBe(uriOf('emr_tls_certificates'));
    expect(statements(r, 'emr_instance').find((s) => s.Sid === 'ClusterReadObjects')!.Resource).toEqual([
      arnOf('workflow_agg'),
      arnOf('emr_tls_certificates'),
    ]);
    // Only the EMR roles read the certificate zip: no other policy names it.
    const readers = Object.entries(r.aws_iam_role_policy as Json)
      .filter(([, p]) => (p.policy as string).includes('assets_emr_tls_certificates'))
      .map(([n]) => n);
    expect(readers).toEqual(['emr_instance']);

    const definition = JSON.parse(r.aws_sfn_state_machine.workflow.definition);
    expect(definition.States.agg.Parameters.Step.HadoopJarStep.Args).toContain(uriOf('workflow_agg'));

    expect(r.aws_codebuild_project.cicd_build.source.buildspec).toBe(arnOf('cicd_buildspec'));
    expect(statements(r, 'cicd_build').find((s) => s.Sid === 'ReadBuildspec')!.Resource).toBe(
      arnOf('cicd_buildspec'),
    );
  });

  test('THEN the training jobs run the uploaded scripts and archive, and the role reads exactly those objects', () => {
    const definition = JSON.parse(r.aws_sagemaker_pipeline.training.pipeline_definition);
    const steps = Object.fromEntries(definition.Steps.map((s: Json) => [s.Name, s]));
    const codeInput = (step: string) =>
      steps[step].Arguments.ProcessingInputs.find((i: Json) => i.InputName === 'code').S3Input.S3Uri;
    expect(codeInput('Preprocess')).toBe(uriOf('training_preprocess'));
    expect(codeInput('Evaluate')).toBe(uriOf('training_evaluate'));
    const channel = steps.Train.Arguments.InputDataConfig.find((c: Json) => c.ChannelName === 'code');
    expect(channel.DataSource.S3DataSource.S3Uri).toBe(uriOf('training_source'));
    expect(steps.Train.Arguments.HyperParameters.sagemaker_submit_directory).toBe(
      '"/opt/ml/input/data/code/sourcedir.tar.gz"',
    );
    const policy = statements(r, 'training');
    expect(policy.find((s) => s.Sid === 'ReadCode')!.Resource).toEqual([
      arnOf('training_evaluate'),
      arnOf('training_preprocess'),
      arnOf('training_source'),
    ]);
    expect(policy.find((s) => s.Sid === 'ListCode')!.Condition).toEqual({
      StringLike: {
        's3:prefix': [
          ref('training_evaluate').key,
          ref('training_preprocess').key,
          ref('training_source').key,
        ],
      },
    });
    // No prefix grant on the asset store: the training role cannot read the certificate zip.
    expect(JSON.stringify(policy)).not.toContain('/demo/assets/');
    // Nothing is published by the build when the code ships from a directory.
    expect(statements(r, 'cicd_build').find((s) => s.Sid === 'PublishTrainingCode')).toBeUndefined();
  });

  test('THEN the uploaded bytes are the files under assets/, and the archive is the directory', () => {
    const files = synthesize(compileData(SPEC, SPEC_FILE)).files;
    expect([...files.keys()]).toEqual([
      MAIN_FILE,
      'assets/cicd-buildspec-buildspec.yml',
      'assets/emr-tls-certificates-tls.zip',
      'assets/glue-clean-clean.py',
      'assets/training-evaluate-evaluate.py',
      'assets/training-preprocess-preprocess.py',
      'assets/training-source-sourcedir.tar.gz',
      'assets/workflow-agg-agg.py',
    ]);
    expect(Buffer.from(files.get('assets/glue-clean-clean.py') as Uint8Array)).toEqual(
      readFileSync(join(FIXTURES, 'glue', 'clean.py')),
    );
    const archive = files.get('assets/training-source-sourcedir.tar.gz') as Uint8Array;
    expect(Buffer.from(archive)).toEqual(Buffer.from(tarGzDirectory(join(FIXTURES, 'training'))));
    const listed = spawnSync('tar', ['-tzvf', '-'], { input: Buffer.from(archive), encoding: 'utf8' });
    expect(listed.status).toBe(0);
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/).slice(-1)[0]),
    ).toEqual(['evaluate.py', 'preprocess.py', 'train.py', 'util/helpers.py']);
  });

  test('THEN a changed file ships as a new object key (its consumers follow); the address stays', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-assets-'));
    cpSync(FIXTURES, dir, { recursive: true });
    const before = synth(SPEC, join(dir, 'pipeline.yaml'));
    writeFileSync(join(dir, 'glue', 'clean.py'), 'print("clean the events, v2")\n');
    const after = synth(SPEC, join(dir, 'pipeline.yaml'));
    expect(after.aws_s3_object.assets_glue_clean.key).not.toBe(before.aws_s3_object.assets_glue_clean.key);
    expect(after.aws_s3_object.assets_workflow_agg).toEqual(before.aws_s3_object.assets_workflow_agg);
    expect(after.aws_glue_job.glue_jobs_clean.command.script_location).toBe(uriOf('glue_clean'));
  });

  test('THEN the same spec gives the same bytes twice, archives included', () => {
    const a = synthesize(compileData(SPEC, SPEC_FILE)).files;
    const b = synthesize(compileData(SPEC, SPEC_FILE)).files;
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [k, v] of a) expect(Buffer.from(v as Uint8Array)).toEqual(Buffer.from(b.get(k) as Uint8Array));
  });
});

describe('GIVEN the same spec emitted as a module', () => {
  test('THEN the assets travel with it and are read relative to the module', () => {
    const m = synthesizeModule(compileData(SPEC, SPEC_FILE), 'pipeline.yaml');
    expect([...m.files.keys()].filter((k) => k.startsWith('assets/'))).toHaveLength(7);
    expect(m.files.get('main.tf.json')).toContain('"source": "${path.module}/assets/glue-clean-clean.py"');
  });

  test('THEN Lambda code directories work in modules too (the zip is carried along)', () => {
    const spec = compileData(
      {
        ...MINIMAL,
        orchestration: { functions: [{ name: 'filter', code: { directory: 'filter' }, handler: 'i.h' }] },
      },
      join('test', 'fixtures', 'functions', 'pipeline.yaml'),
    );
    const m = synthesizeModule(spec, 'pipeline.yaml');
    expect(m.files.get('assets/lambda-filter.zip')).toBeInstanceOf(Uint8Array);
    expect(m.files.get('main.tf.json')).toContain('"filename": "${path.module}/assets/lambda-filter.zip"');
  });
});

describe('deterministic tar.gz', () => {
  const entries = [
    { path: 'b.py', data: Buffer.from('print(2)\n') },
    { path: 'a/x.py', data: Buffer.from('print(1)\n') },
  ];

  test('entries sorted, ustar headers with fixed time, owner and mode: the same bytes whatever the input order', () => {
    const tar = Buffer.from(tarEntries(entries));
    expect(tar).toEqual(Buffer.from(tarEntries([...entries].reverse())));
    expect(tar.subarray(0, 6).toString()).toBe('a/x.py');
    expect(tar.subarray(100, 107).toString()).toBe('0000644'); // mode
    expect(tar.subarray(108, 115).toString()).toBe('0000000'); // uid
    expect(tar.subarray(116, 123).toString()).toBe('0000000'); // gid
    expect(tar.subarray(136, 147).toString()).toBe((315532800).toString(8).padStart(11, '0')); // 1980-01-01
    expect(tar.subarray(257, 262).toString()).toBe('ustar');
    // Two headers, two padded bodies, two end blocks.
    expect(tar.length).toBe(6 * 512);
  });

  test('the gzip member has no timestamp and no name, and gunzips to the tar (stored deflate blocks)', () => {
    const tar = tarEntries(entries);
    const gz = Buffer.from(gzipStored(tar));
    expect([...gz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    expect(gz.readUInt32LE(gz.length - 8)).toBe(crc32(tar));
    const gunzip = spawnSync('gzip', ['-dc'], { input: gz });
    expect(gunzip.status).toBe(0);
    expect(Buffer.from(gunzip.stdout)).toEqual(Buffer.from(tar));
  });

  test('data larger than one stored block (64 KiB) spans several blocks and still round-trips', () => {
    const big = Buffer.alloc(150_000, 7);
    const gz = Buffer.from(gzipStored(big));
    expect(spawnSync('gzip', ['-dc'], { input: gz }).stdout).toEqual(big);
  });

  test('a path longer than 100 bytes is split into ustar prefix and name', () => {
    const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/f.py`;
    const tar = Buffer.from(tarEntries([{ path: long, data: Buffer.from('x') }]));
    expect(tar.subarray(0, 100).toString().replace(/\0+$/, '')).toBe(`${'e'.repeat(60)}/f.py`);
    expect(tar.subarray(345, 345 + 60).toString()).toBe('d'.repeat(60));
    const listed = spawnSync('tar', ['-tf', '-'], { input: tar, encoding: 'utf8' });
    expect(listed.stdout.trim()).toBe(long);
  });
});
