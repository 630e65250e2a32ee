import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './harness/cli';
import { ROOT } from './harness/spec';

const BAD = join(ROOT, 'test', 'fixtures', 'bad');
const QUICKSTART = join(ROOT, 'examples', 'quickstart', 'pipeline.yaml');

/**
 * The bad-input corpus: every fixture says what it expects on its first line,
 * `# expect: LINE:COL message fragment`; the two that cannot hold a comment are listed here.
 */
const NO_HEADER: Record<string, [number, number, string]> = {
  'empty.yaml': [1, 1, 'file is empty'],
  'comment-only.yaml': [1, 1, 'must be a YAML mapping'],
};

function corpus(): [string, number, number, string][] {
  return readdirSync(BAD)
    .sort()
    .map((fixture) => {
      if (NO_HEADER[fixture]) return [fixture, ...NO_HEADER[fixture]];
      const first = readFileSync(join(BAD, fixture)).toString('latin1').split('\n')[0];
      const m = /^# expect: (\d+):(\d+) (.+)$/.exec(first);
      if (!m) throw new Error(`${fixture}: first line must be "# expect: LINE:COL message"`);
      return [fixture, Number(m[1]), Number(m[2]), m[3]];
    });
}

describe('bad-input corpus', () => {
  test.each(corpus())(
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

describe('the precompiled validator (dist, npm run build)', () => {
  test('points into the schema the CLI parses, instead of holding it again as literals', () => {
    const code = readFileSync(join(ROOT, 'dist', 'src', 'spec', 'validate.generated.js'), 'utf8');
    expect(code).toContain('= require("../../schemas/pipeline.schema.json");');
    expect(code.match(/\.definitions\["[A-Za-z]+"\]/g)?.length).toBeGreaterThan(100);
    expect(code).not.toMatch(/const schema\d+ = \{/);
    // In the CLI bundle the schema's text is there once: the validator and src/spec/schema.ts share it.
    const cli = readFileSync(join(ROOT, 'dist', 'bundle', 'cli.js'), 'utf8');
    expect(cli.split('"$id":"https://pipeform.dev/schemas/pipeline.schema.json"').length - 1).toBe(1);
  });

  test('reports exactly what the run-time compiled schema reports, for every fixture', async () => {
    const files = readdirSync(BAD)
      .sort()
      .map((f) => join(BAD, f));
    const script = `const { run } = require(${JSON.stringify(join(ROOT, 'dist', 'src', 'cli.js'))});
      (async () => {
        const out = [];
        for (const f of ${JSON.stringify(files)}) {
          let text = '';
          await run(['validate', '--json', f], { stdout: (t) => (text += t), stderr: () => {}, env: {}, isTTY: false });
          out.push(text);
        }
        process.stdout.write(JSON.stringify(out));
      })();`;
    const child = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const precompiled: string[] = JSON.parse(child.stdout);
    expect(existsSync(join(ROOT, 'dist', 'src', 'spec', 'validate.generated.js'))).toBe(true);
    for (const [i, f] of files.entries()) {
      const own = await runCli(['validate', '--json', f]);
      expect({ f, out: precompiled[i] }).toEqual({ f, out: own.stdout });
    }
  });
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
    expect(parsed.diagnostics[0]).toMatchObject({ line: 9, col: 7, path: 'storage.buckets.raw.versoning' });
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
    // Where the modeline points is test/editor-schema.test.ts's subject.
    expect(text.split('\n')[0]).toMatch(
      /^# yaml-language-server: \$schema=\S+\/schemas\/pipeline\.editor\.schema\.json$/,
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
      const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](cdktf|@cdktf|cdktn|@cdktn)[\\\\/]/.test(k));
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

describe('--json on the commands that write', () => {
  test('init and synth print what they wrote as one JSON object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-json-'));
    const init = await runCli(['init', dir, '--name', 'jsondemo', '--json']);
    expect(init.code).toBe(0);
    expect(JSON.parse(init.stdout)).toEqual({
      command: 'init',
      directory: dir,
      files: [join(dir, 'pipeline.yaml')],
      name: 'jsondemo',
      region: 'us-east-1',
    });
    const out = join(dir, 'out');
    const synth = await runCli(['synth', join(dir, 'pipeline.yaml'), '--out', out, '--json']);
    expect(synth.code).toBe(0);
    const report = JSON.parse(synth.stdout);
    expect(report).toMatchObject({ command: 'synth', directory: out });
    expect(report.files).toContain(join(out, 'main.tf.json'));
    expect(report.targets).toHaveLength(1);
    expect(report.targets[0].name).toBe('jsondemo');
    expect(report.targets[0].resources).toBe(
      Object.values(report.targets[0].resourcesByArea as Record<string, number>).reduce((a, b) => a + b, 0),
    );
    expect(report.targets[0].resources).toBeGreaterThan(0);
  });
});
