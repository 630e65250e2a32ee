/**
 * Day 0, judged from the committed Terraform alone (generated/, not pipeform's internals):
 * every script, code archive, certificate and buildspec a resource reads from a bucket that
 * the same configuration creates must be written there by the same configuration, either
 * by an aws_s3_object or by the CI/CD build that publishes the training code (its
 * PIPEFORM_CODE_URI, with a role that may put objects there). Objects in buckets the
 * configuration does not create are read where they are. Every uploaded file and Lambda
 * zip exists beside main.tf.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDirs, examples, ROOT } from './harness/spec';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One place a resource reads code from. */
interface CodeRead {
  readonly where: string;
  readonly uri: string;
}

/** `s3://bucket/key`, or an S3 object ARN, as bucket and key (each may be a reference). */
function split(uri: string): { bucket: string; key: string } | undefined {
  const m = /^(?:s3:\/\/|arn:[a-z-]+:s3:::)([^/]+)\/(.+)$/.exec(uri);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

const parse = (text: unknown): Json => JSON.parse(text as string);
const entries = (r: Json, type: string): [string, Json][] => Object.entries((r[type] ?? {}) as Json);

/** Every code location the configuration's resources read, by resource. */
function codeReads(config: Json): CodeRead[] {
  const r = (config.resource ?? {}) as Json;
  const reads: CodeRead[] = [];
  const add = (where: string, uri: unknown) => {
    if (typeof uri === 'string' && split(uri)) reads.push({ where, uri });
  };
  for (const [n, j] of entries(r, 'aws_glue_job')) add(`aws_glue_job.${n}`, j.command?.script_location);
  for (const [n, f] of entries(r, 'aws_lambda_function')) {
    if (f.s3_bucket) add(`aws_lambda_function.${n}`, `s3://${f.s3_bucket}/${f.s3_key}`);
  }
  for (const [n, c] of entries(r, 'aws_emr_security_configuration')) {
    const tls = parse(c.configuration).EncryptionConfiguration?.InTransitEncryptionConfiguration;
    add(`aws_emr_security_configuration.${n}`, tls?.TLSCertificateConfiguration?.S3Object);
  }
  for (const [n, sm] of entries(r, 'aws_sfn_state_machine')) {
    for (const [state, s] of Object.entries(parse(sm.definition).States as Json)) {
      const args: unknown[] = s.Parameters?.Step?.HadoopJarStep?.Args ?? [];
      // spark-submit [options] <script> [script args]: the script is the first s3:// argument.
      add(
        `aws_sfn_state_machine.${n} ${state}`,
        args.find((a) => typeof a === 'string' && a.startsWith('s3://')),
      );
      add(`aws_sfn_state_machine.${n} ${state}`, s.Parameters?.JobDriver?.SparkSubmit?.EntryPoint);
    }
  }
  for (const [n, p] of entries(r, 'aws_sagemaker_pipeline')) {
    for (const step of parse(p.pipeline_definition).Steps as Json[]) {
      const where = `aws_sagemaker_pipeline.${n} ${step.Name}`;
      const a = step.Arguments ?? {};
      for (const i of a.ProcessingInputs ?? []) if (i.InputName === 'code') add(where, i.S3Input.S3Uri);
      for (const c of a.InputDataConfig ?? a.TrainingJobDefinition?.InputDataConfig ?? []) {
        if (c.ChannelName === 'code') add(where, c.DataSource.S3DataSource.S3Uri);
      }
      for (const c of a.InferenceSpecification?.Containers ?? [])
        add(where, c.Environment?.SAGEMAKER_SUBMIT_DIRECTORY);
    }
  }
  for (const [n, b] of entries(r, 'aws_codebuild_project'))
    add(`aws_codebuild_project.${n}`, b.source?.buildspec);
  return reads;
}

/** Why a read would find nothing on the first run; undefined when the configuration ships the object. */
function day0Problem(config: Json, read: CodeRead): string | undefined {
  const r = (config.resource ?? {}) as Json;
  const loc = split(read.uri);
  if (loc === undefined) return undefined;
  const buckets = entries(r, 'aws_s3_bucket');
  const created = buckets.find(
    ([n, b]) =>
      loc.bucket === b.bucket ||
      loc.bucket === `\${aws_s3_bucket.${n}.bucket}` ||
      loc.bucket === `\${aws_s3_bucket.${n}.id}`,
  );
  // A bucket of someone else's: read where it is.
  if (created === undefined) return undefined;
  const [bucketAddress, bucket] = created;
  const upload = /^\$\{aws_s3_object\.([A-Za-z0-9_-]+)\.key\}$/.exec(loc.key);
  if (upload) {
    const object = (r.aws_s3_object ?? {})[upload[1]] as Json | undefined;
    if (object === undefined)
      return `${read.uri} names aws_s3_object.${upload[1]}, which the configuration lacks`;
    const same = [
      `\${aws_s3_bucket.${bucketAddress}.id}`,
      `\${aws_s3_bucket.${bucketAddress}.bucket}`,
      bucket.bucket,
    ];
    return same.includes(object.bucket)
      ? undefined
      : `aws_s3_object.${upload[1]} is written to another bucket`;
  }
  // A literal key: only the CI/CD build's published code prefix is written by the configuration.
  for (const [n, project] of entries(r, 'aws_codebuild_project')) {
    const env: Json[] = project.environment?.environment_variable ?? [];
    const published = split(env.find((e) => e.name === 'PIPEFORM_CODE_URI')?.value ?? '');
    if (!published || published.bucket !== bucket.bucket || !loc.key.startsWith(published.key)) continue;
    const role = /^\$\{aws_iam_role\.([A-Za-z0-9_-]+)\.arn\}$/.exec(project.service_role)?.[1];
    const policies = entries(r, 'aws_iam_role_policy').filter(
      ([, p]) => p.role === `\${aws_iam_role.${role}.id}`,
    );
    const target = `arn:aws:s3:::${bucket.bucket}/${published.key}*`;
    const mayPut = policies.some(([, p]) =>
      (parse(p.policy).Statement as Json[]).some(
        (s) =>
          s.Effect === 'Allow' &&
          [s.Action].flat().includes('s3:PutObject') &&
          [s.Resource].flat().includes(target),
      ),
    );
    if (mayPut) return undefined;
    return `aws_codebuild_project.${n} names ${published.key} but its role may not put objects there`;
  }
  return `${read.uri} is a key in ${bucket.bucket}, which this configuration creates, and nothing in it writes that key`;
}

const configs = examples().flatMap(({ name }) =>
  configDirs(name).map((dir) => ({ label: join(name, dir), dir: join(ROOT, 'generated', name, dir) })),
);
const load = (dir: string): Json => JSON.parse(readFileSync(join(dir, 'main.tf.json'), 'utf8'));

describe('day 0: every example ships the code it reads (judged from generated/)', () => {
  test.each(configs.map((c) => [c.label, c.dir]))('%s', (_label, dir) => {
    const config = load(dir);
    const problems = codeReads(config).flatMap((read) => {
      const p = day0Problem(config, read);
      return p ? [`${read.where}: ${p}`] : [];
    });
    expect(problems).toEqual([]);
    // What the configuration uploads and deploys from local files is beside main.tf.json.
    const r = config.resource ?? {};
    const local = [
      ...entries(r, 'aws_s3_object').map(([, o]) => o.source as string | undefined),
      ...entries(r, 'aws_lambda_function').map(([, f]) => f.filename as string | undefined),
    ].filter((p): p is string => p !== undefined);
    for (const p of local) expect(existsSync(join(dir, p.replace('${path.module}/', '')))).toBe(true);
    // Key material and code travel as files: no object carries inline content.
    for (const [, o] of entries(r, 'aws_s3_object')) {
      expect(o.content).toBeUndefined();
      expect(o.content_base64).toBeUndefined();
    }
  });

  test('the examples that run code read it from uploads (or the published code prefix), not from nowhere', () => {
    const reads = (name: string) => codeReads(load(join(ROOT, 'generated', name)));
    for (const name of ['batch-etl', 'complete', 'tabular-xgboost']) {
      const uploaded = reads(name).filter((x) => x.uri.includes('${aws_s3_object.'));
      expect(uploaded.length).toBeGreaterThan(0);
    }
    // mlops-cicd: training code from the prefix the build publishes, the buildspec uploaded.
    const cicd = reads('mlops-cicd');
    expect(cicd.filter((x) => x.uri.includes('/churn/code/')).length).toBeGreaterThan(0);
    expect(cicd.find((x) => x.where === 'aws_codebuild_project.cicd_build')?.uri).toContain('aws_s3_object.');
  });
});

describe('the day-0 checker itself fails on what it must catch', () => {
  const batch = () => load(join(ROOT, 'generated', 'batch-etl'));

  test('a script read from a key of a created bucket that nothing writes', () => {
    const config = batch();
    config.resource.aws_glue_job.glue_jobs_sessionize.command.script_location =
      's3://${aws_s3_bucket.lake_artifacts.bucket}/glue/sessionize.py';
    const [read] = codeReads(config).filter((x) => x.where === 'aws_glue_job.glue_jobs_sessionize');
    expect(day0Problem(config, read)).toContain('nothing in it writes that key');
  });

  test('an upload the configuration lacks, or one written to another bucket', () => {
    const config = batch();
    delete config.resource.aws_s3_object.assets_glue_sessionize;
    const [read] = codeReads(config).filter((x) => x.where === 'aws_glue_job.glue_jobs_sessionize');
    expect(day0Problem(config, read)).toContain('which the configuration lacks');
    const moved = batch();
    moved.resource.aws_s3_object.assets_workflow_customer_features.bucket = '${aws_s3_bucket.lake_raw.id}';
    const step = codeReads(moved).find((x) => x.where.startsWith('aws_sfn_state_machine'))!;
    expect(day0Problem(moved, step)).toContain('written to another bucket');
  });

  test('a published code prefix whose build may not put objects there', () => {
    const config = load(join(ROOT, 'generated', 'mlops-cicd'));
    const policy = config.resource.aws_iam_role_policy.cicd_build;
    const doc = JSON.parse(policy.policy);
    doc.Statement = doc.Statement.filter((s: Json) => s.Sid !== 'PublishTrainingCode');
    policy.policy = JSON.stringify(doc);
    const read = codeReads(config).find((x) => x.uri.includes('/churn/code/'))!;
    expect(day0Problem(config, read)).toContain('its role may not put objects there');
  });

  test('an object in a bucket the configuration does not create is read where it is', () => {
    const config = batch();
    config.resource.aws_glue_job.glue_jobs_sessionize.command.script_location =
      's3://acme-shared-code/glue/x.py';
    const [read] = codeReads(config).filter((x) => x.where === 'aws_glue_job.glue_jobs_sessionize');
    expect(day0Problem(config, read)).toBeUndefined();
  });
});
