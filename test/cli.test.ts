import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './harness/cli';
import { ROOT } from './harness/spec';

const BAD = join(ROOT, 'test', 'fixtures', 'bad');
const QUICKSTART = join(ROOT, 'examples', 'quickstart', 'pipeline.yaml');

/** [fixture, line, col, message fragment]: every case must exit 1 and write nothing. */
const corpus: [string, number, number, string][] = [
  ['malformed.yaml', 4, 1, 'YAML syntax error'],
  ['duplicate-key.yaml', 5, 1, 'duplicate key'],
  ['alias-bomb.yaml', 1, 1, 'alias bomb'],
  ['binary.yaml', 5, 16, 'looks binary'],
  ['not-utf8.yaml', 5, 17, 'not valid UTF-8'],
  ['empty.yaml', 1, 1, 'file is empty'],
  ['comment-only.yaml', 1, 1, 'must be a YAML mapping'],
  ['list-at-top.yaml', 1, 1, 'must be a YAML mapping'],
  ['wrong-type.yaml', 4, 10, 'account: expected string, got number'],
  ['unknown-key.yaml', 8, 7, 'unknown key "versoning"; did you mean "versioning"?'],
  ['unknown-top-key.yaml', 5, 1, 'unknown key "goal"; did you mean "goals"?'],
  ['enum-near-miss.yaml', 3, 9, '"us-east1" is not allowed; did you mean "us-east-1"?'],
  ['api-version.yaml', 1, 13, 'allowed values: pipeform/v1'],
  ['missing-account.yaml', 1, 1, 'missing required key "account"'],
  ['interpolation-value.yaml', 5, 14, 'contains "${"'],
  ['interpolation-key.yaml', 6, 3, 'is not a valid name here'],
  ['path-separator-name.yaml', 2, 7, 'name: "demo/../etc" does not match'],
  ['path-separator-bucket.yaml', 7, 5, 'key "raw/x" is not a valid name here'],
  ['cross-region-key.yaml', 7, 21, 'is in region eu-west-1, but the pipeline region is us-east-1'],
  ['cross-region-state-key.yaml', 10, 16, 'state key is in region us-west-2'],
  ['s3-backend-missing.yaml', 6, 12, "backend 's3' needs a 'state.s3' block"],
  ['duplicate-kpi.yaml', 11, 13, 'KPI name "auc" is already used'],
  ['lifecycle-standard-ia.yaml', 10, 27, 'S3 requires at least 30'],
  ['lifecycle-expire-before-archive.yaml', 9, 26, 'before or when they transition'],
  ['kms-admin-other-account.yaml', 8, 9, 'not the pipeline account'],
  ['bucket-name-too-long.yaml', 2, 1, 'S3 allows 63'],
  ['out-of-range.yaml', 7, 25, 'must be >= 7'],
];

describe('bad-input corpus', () => {
  test('every fixture has a case', () => {
    expect(readdirSync(BAD).sort()).toEqual(corpus.map((c) => c[0]).sort());
  });

  test.each(corpus)(
    '%s: exit 1 at %i:%i, no stack trace, nothing written',
    async (fixture, line, col, message) => {
      const out = join(mkdtempSync(join(tmpdir(), 'pipeform-bad-')), 'out');
      const file = join(BAD, fixture);
      const r = await runCli(['synth', file, '--out', out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${file}:${line}:${col}:`);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
      expect(existsSync(out)).toBe(false);
      const v = await runCli(['validate', file]);
      expect(v.code).toBe(1);
    },
  );
});

describe('pipeform CLI', () => {
  test('validate: exit 0 and a one-line verdict', async () => {
    const r = await runCli(['validate', QUICKSTART]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('valid');
  });

  test('validate --json: machine-readable diagnostics', async () => {
    const r = await runCli(['validate', '--json', join(BAD, 'unknown-key.yaml')]);
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.valid).toBe(false);
    expect(parsed.diagnostics[0]).toMatchObject({ line: 8, col: 7, path: 'storage.buckets.raw.versoning' });
    const ok = JSON.parse((await runCli(['validate', '--json', QUICKSTART])).stdout);
    expect(ok).toMatchObject({ valid: true, resolved: { name: 'quickstart' } });
  });

  test('usage and I/O errors exit 2 without a stack trace', async () => {
    const missing = await runCli(['validate', '/no/such/pipeline.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    expect((await runCli(['validate', ROOT])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['synth'])).code).toBe(2);
  });

  test('synth writes main.tf.json and a per-area summary', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pipeform-synth-')), 'tf');
    const r = await runCli(['synth', QUICKSTART, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+ resources: kms 2, lake \d+/);
    expect(readdirSync(out)).toEqual(['main.tf.json']);
    expect(JSON.parse(readFileSync(join(out, 'main.tf.json'), 'utf8')).resource.aws_s3_bucket).toBeDefined();
  });

  test('init writes a valid starter with the schema modeline, and refuses to overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-init-'));
    expect((await runCli(['init', dir, '--name', 'fraud', '--region', 'eu-west-1'])).code).toBe(0);
    const text = readFileSync(join(dir, 'pipeline.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=https://pipeform.dev/schemas/pipeline.schema.json',
    );
    expect((await runCli(['validate', join(dir, 'pipeline.yaml')])).code).toBe(0);
    const again = await runCli(['init', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
    const bad = await runCli(['init', mkdtempSync(join(tmpdir(), 'pipeform-init-')), '--region', 'mars-1']);
    expect(bad.code).toBe(1);
  });

  test('schema prints the JSON Schema', async () => {
    const r = await runCli(['schema']);
    expect(JSON.parse(r.stdout).$id).toBe('https://pipeform.dev/schemas/pipeline.schema.json');
  });

  test('the real binary: NO_COLOR respected, validate never loads cdktf', () => {
    const probe = `require(${JSON.stringify(join(ROOT, 'dist', 'src', 'cli.js'))}).run(['validate', ${JSON.stringify(QUICKSTART)}]).then((c) => {
      const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](cdktf|@cdktf)[\\\\/]/.test(k));
      process.stdout.write(JSON.stringify({ c, loaded: loaded.length }));
    });`;
    const r = spawnSync(process.execPath, ['-e', probe], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stdout).toMatch(/^valid .*\{"c":0,"loaded":0\}$/s);
    expect(r.stdout).not.toContain('\u001b[');
    const bin = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'pipeform.js'), 'validate', join(BAD, 'unknown-key.yaml')],
      { encoding: 'utf8' },
    );
    expect(bin.status).toBe(1);
    expect(bin.stderr).not.toContain('\u001b[');
  });
});
