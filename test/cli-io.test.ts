/**
 * The CLI's contract with the shell (issue 16, "a CLI that never surprises"), through the
 * built binary (`npm run build` first): I/O problems, closed pipes, colors, `--json` on
 * failure, exit codes, `-` for stdin, help examples and cut values.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { colorEnabled, EXIT } from '../src/cli-io';
import { ioCause, IoError, showAround, showValue } from '../src/compiler/diagnostics';
import { ROOT } from './harness/spec';

const BIN = join(ROOT, 'bin', 'pipeform.js');
const QUICKSTART = join(ROOT, 'examples', 'quickstart', 'pipeline.yaml');
const LLM = join(ROOT, 'examples', 'llm-finetune-eks', 'pipeline.yaml');
const BATCH_ETL_DIR = join(ROOT, 'examples', 'batch-etl');
const BAD = join(ROOT, 'test', 'fixtures', 'bad', 'unknown-key.yaml');
const IS_ROOT = process.getuid?.() === 0;
const STACK = /\n\s+at .+:\d+:\d+\)?/;
const ESC = '\u001b[';

/** The environment of every spawn: no color settings inherited from whoever runs jest. */
const ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };

function cli(args: string[], opts: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input: opts.input ?? '',
    cwd: opts.cwd ?? ROOT,
    env: { ...ENV, ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), `pipeform-${prefix}-`));

/** Exit 2, and stderr is exactly one line naming `path` and the errno code. */
function expectIoLine(r: SpawnSyncReturns<string>, path: string, code: RegExp): void {
  expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: EXIT.usage });
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(path);
  expect(lines[0]).toMatch(code);
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr).not.toContain('internal error');
}

describe('user-caused I/O problems exit 2 with one line naming the path and the cause', () => {
  test('an --out that runs through a file (ENOTDIR), for every command that writes', () => {
    const dir = tmp('enotdir');
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const out = join(file, 'out');
    expectIoLine(cli(['synth', QUICKSTART, '--out', out]), file, /ENOTDIR/);
    expectIoLine(cli(['module', QUICKSTART, '--out', out]), file, /ENOTDIR/);
    expectIoLine(cli(['release', QUICKSTART, '--out', out, '--version', '1.0.0']), file, /ENOTDIR/);
    expectIoLine(cli(['graph', QUICKSTART, '--out', join(out, 'g.mmd')]), file, /ENOTDIR/);
    expectIoLine(cli(['init', out]), file, /ENOTDIR/);
    expectIoLine(cli(['cost', QUICKSTART, '--infracost-usage', join(file, 'usage.yml')]), file, /ENOTDIR/);
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
  });

  // As root, mode bits do not stop a write; /sys is read-only for root too (EPERM or EROFS).
  const sysWritable = (() => {
    if (!existsSync('/sys')) return true;
    try {
      mkdirSync('/sys/pipeform-probe');
      return true;
    } catch {
      return false;
    }
  })();
  (sysWritable ? test.skip : test)('a read-only --out (under /sys), also as root', () => {
    expectIoLine(
      cli(['synth', QUICKSTART, '--out', '/sys/pipeform-out']),
      '/sys/pipeform-out',
      /EPERM|EROFS|EACCES/,
    );
  });

  (IS_ROOT ? test.skip : test)(
    'an --out without write permission (EACCES; skipped as root, who may write anyway)',
    () => {
      const dir = tmp('eacces');
      chmodSync(dir, 0o500);
      try {
        expectIoLine(cli(['synth', QUICKSTART, '--out', join(dir, 'out')]), dir, /EACCES/);
      } finally {
        chmodSync(dir, 0o700);
      }
    },
  );

  (IS_ROOT ? test.skip : test)('an unreadable spec (EACCES; skipped as root)', () => {
    const spec = join(tmp('unreadable'), 'pipeline.yaml');
    writeFileSync(spec, readFileSync(QUICKSTART));
    chmodSync(spec, 0);
    expectIoLine(cli(['validate', spec]), spec, /EACCES/);
  });

  test('a directory where main.tf.json goes (EISDIR): one line, and no staging file left behind', () => {
    const out = join(tmp('eisdir'), 'out');
    mkdirSync(join(out, 'main.tf.json', 'x'), { recursive: true });
    expectIoLine(cli(['synth', QUICKSTART, '--out', out]), join(out, 'main.tf.json'), /EISDIR/);
    expect(readdirSync(out)).toEqual(['main.tf.json']);
  });

  test('a corrupt release manifest is named, not a JSON stack trace', () => {
    const out = tmp('manifest');
    mkdirSync(join(out, 'v1.0.0'));
    writeFileSync(join(out, 'v1.0.0', 'pipeform-release.json'), '{bad');
    const r = cli(['release', QUICKSTART, '--out', out, '--bump', 'auto']);
    expect(r.status).toBe(EXIT.usage);
    expect(r.stderr).toContain(join(out, 'v1.0.0', 'pipeform-release.json'));
    expect(r.stderr).not.toMatch(STACK);
  });

  test('a missing spec and a spec that is a directory', () => {
    expectIoLine(cli(['validate', '/no/such/pipeline.yaml']), '/no/such/pipeline.yaml', /ENOENT/);
    expectIoLine(cli(['cost', ROOT]), ROOT, /is a directory/);
  });

  test('a full standard output (ENOSPC on /dev/full) is one line and exit 2, not a crash', () => {
    if (!existsSync('/dev/full')) return;
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" schema > /dev/full`], {
      encoding: 'utf8',
      env: ENV,
    });
    expectIoLine(r, 'standard output', /ENOSPC/);
  });

  test('the causes read as words, with the errno code', () => {
    const err = (code: string) => Object.assign(new Error(`${code}: x, mkdir '/a'`), { code });
    expect(ioCause(err('ENOSPC'))).toBe('no space left on the device (ENOSPC)');
    expect(ioCause(err('EROFS'))).toBe('read-only file system (EROFS)');
    expect(new IoError('write', '/a/b', err('EACCES')).message).toBe(
      'cannot write /a/b: permission denied (EACCES)',
    );
  });
});

describe('a closed pipe ends quietly with exit 0', () => {
  /** Spawns the CLI with its stdout on a pipe whose read side is closed after `keep` bytes. */
  function closedPipe(
    args: string[],
    keep: number,
  ): Promise<{ code: number | null; stderr: string; got: string }> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: ROOT,
        env: ENV,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let got = '';
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      if (keep === 0) child.stdout.destroy();
      else
        child.stdout.on('data', (c: Buffer) => {
          got += c.toString();
          if (got.length >= keep) child.stdout.destroy();
        });
      child.on('close', (code) => done({ code, stderr, got }));
    });
  }

  test('schema (200 kB, more than a pipe holds) read 10 bytes at a time', async () => {
    const r = await closedPipe(['schema'], 10);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.got.startsWith('{\n  "$schema"')).toBe(true);
  });

  test('synth with the reader gone before the first line: the files are still written', async () => {
    const out = join(tmp('epipe'), 'tf');
    const r = await closedPipe(['synth', QUICKSTART, '--out', out], 0);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(join(out, 'main.tf.json'))).toBe(true);
  });

  test('through a shell pipe into head', () => {
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${BIN}" schema | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`],
      {
        encoding: 'utf8',
        env: ENV,
      },
    );
    expect(r.stdout.trim()).toBe('0');
    expect(r.stderr).toBe('');
  });
});

describe('colors: only on a terminal, and NO_COLOR set to a non-empty value turns them off', () => {
  test('the decision', () => {
    expect(colorEnabled(true, {})).toBe(true);
    expect(colorEnabled(true, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: '0' })).toBe(false);
    expect(colorEnabled(true, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled(false, {})).toBe(false);
  });

  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  /** Runs a shell command on a pseudo-terminal (util-linux `script`); returns what the terminal showed. */
  const onTty = (command: string, env: NodeJS.ProcessEnv = {}) =>
    spawnSync('script', ['-qec', command, '/dev/null'], {
      encoding: 'utf8',
      cwd: ROOT,
      env: { ...ENV, TERM: 'xterm', ...env },
    });
  const node = `"${process.execPath}" "${BIN}"`;

  (hasScript ? test : test.skip)('the matrix on a pseudo-terminal (script -qc)', () => {
    const tty = onTty(`${node} validate "${QUICKSTART}"`);
    expect(tty.status).toBe(0);
    expect(tty.stdout).toContain(`${ESC}32mvalid`);
    expect(onTty(`${node} validate "${QUICKSTART}"`, { NO_COLOR: '' }).stdout).toContain(`${ESC}32m`);
    expect(onTty(`${node} validate "${QUICKSTART}"`, { NO_COLOR: '1' }).stdout).not.toContain(ESC);
    // stdout redirected, stderr still the terminal: the file gets no color, stderr does.
    const file = join(tmp('color'), 'out.txt');
    const redirected = onTty(`${node} validate "${QUICKSTART}" > "${file}"`);
    expect(redirected.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^valid /);
    const bad = onTty(`${node} validate "${BAD}" > "${file}"`);
    expect(bad.stdout).toContain(`${ESC}31merror`);
    const badRedirected = onTty(`${node} validate "${BAD}" 2> "${file}"`);
    expect(badRedirected.status).toBe(EXIT.invalidSpec);
    expect(readFileSync(file, 'utf8')).toMatch(/^error .*unknown-key\.yaml:9:7/);
  });

  test('nothing colored when neither stream is a terminal, whatever NO_COLOR says', () => {
    for (const NO_COLOR of [undefined, '', '1']) {
      const r = cli(['validate', BAD], { env: NO_COLOR === undefined ? {} : { NO_COLOR } });
      expect(r.status).toBe(EXIT.invalidSpec);
      expect(r.stderr + r.stdout).not.toContain(ESC);
    }
  });
});

describe('--json never leaves stdout empty', () => {
  const out = () => join(tmp('json'), 'out');
  test.each([
    ['validate', [BAD]],
    ['synth', [BAD, '--out', out()]],
    ['module', [BAD, '--out', out()]],
    ['release', [BAD, '--out', out(), '--version', '1.0.0']],
    ['advise', [BAD]],
    ['cost', [BAD]],
    ['graph', [BAD]],
  ])('%s on an invalid spec: the error object with the diagnostics', (command, args) => {
    const r = cli([command, '--json', ...args]);
    expect(r.status).toBe(EXIT.invalidSpec);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      command,
      file: BAD,
      valid: false,
      ok: false,
      exitCode: 1,
      error: { kind: 'invalid-spec' },
    });
    expect(json.diagnostics[0]).toMatchObject({
      file: BAD,
      line: 9,
      col: 7,
      path: 'storage.buckets.raw.versoning',
    });
  });

  test('graph --json: the diagram model, and the file written', () => {
    const ok = cli(['graph', '--json', QUICKSTART]);
    expect(ok.status).toBe(0);
    const model = JSON.parse(ok.stdout);
    expect(model).toMatchObject({ command: 'graph', format: 'mermaid', files: [] });
    expect(Object.keys(model.graph).length).toBeGreaterThan(0);
    const file = join(tmp('graph'), 'g.mmd');
    const written = cli(['graph', '--json', '--out', file, QUICKSTART]);
    expect(JSON.parse(written.stdout)).toMatchObject({ files: [file], graph: model.graph });
    expect(readFileSync(file, 'utf8')).toMatch(/^flowchart|^graph|^%%/);
  });

  test('init with a starter that would be invalid', () => {
    const r = cli(['init', tmp('json-init'), '--region', 'mars-1', '--json']);
    expect(r.status).toBe(EXIT.invalidSpec);
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'init', valid: false, exitCode: 1 });
  });

  test('I/O and usage errors are JSON objects too', () => {
    const missing = JSON.parse(cli(['cost', '--json', '/no/such.yaml']).stdout);
    expect(missing).toMatchObject({
      command: 'cost',
      exitCode: 2,
      error: { kind: 'io', path: '/no/such.yaml', errno: 'ENOENT' },
    });
    const usage = cli(['synth', '--json']);
    expect(usage.status).toBe(EXIT.usage);
    expect(JSON.parse(usage.stdout)).toMatchObject({
      command: 'synth',
      exitCode: 2,
      error: { kind: 'usage' },
    });
  });
});

describe('exit codes', () => {
  test('findings (advise --strict) and an invalid spec differ', () => {
    expect(cli(['advise', '--strict', LLM]).status).toBe(EXIT.findings);
    const json = cli(['advise', '--strict', '--json', LLM]);
    expect(json.status).toBe(EXIT.findings);
    expect(JSON.parse(json.stdout).warnings).toBeGreaterThan(0);
    expect(cli(['advise', '--strict', BAD]).status).toBe(EXIT.invalidSpec);
    expect(cli(['advise', '--strict', QUICKSTART]).status).toBe(EXIT.ok);
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
  });

  test('--help lists them, and every command has examples', () => {
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    for (const [code, words] of [
      [EXIT.invalidSpec, 'invalid spec'],
      [EXIT.usage, 'I/O'],
      [EXIT.findings, '--strict'],
    ] as const)
      expect(help.stdout).toMatch(new RegExp(`\\n  ${code} +.*${words}`));
    for (const command of [
      'validate',
      'synth',
      'module',
      'release',
      'advise',
      'cost',
      'graph',
      'init',
      'schema',
    ]) {
      const r = cli([command, '--help']);
      expect({ command, status: r.status }).toEqual({ command, status: 0 });
      expect(r.stdout).toMatch(new RegExp(`\\nExamples:\\n  \\$ pipeform ${command}\\b`));
    }
  });
});

describe('- reads the spec from standard input', () => {
  test('a valid spec, and diagnostics that name <stdin>', () => {
    const ok = cli(['validate', '-'], { input: readFileSync(QUICKSTART, 'utf8') });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('<stdin>');
    const bad = cli(['validate', '-'], { input: readFileSync(BAD, 'utf8') });
    expect(bad.status).toBe(EXIT.invalidSpec);
    expect(bad.stderr).toContain('<stdin>:9:7: storage.buckets.raw.versoning');
    const json = JSON.parse(cli(['advise', '--json', '-'], { input: readFileSync(BAD, 'utf8') }).stdout);
    expect(json).toMatchObject({ file: '<stdin>', diagnostics: [{ file: '<stdin>' }] });
  });

  test('the files a stdin spec names resolve against the working directory', () => {
    const spec = readFileSync(join(BATCH_ETL_DIR, 'pipeline.yaml'), 'utf8');
    expect(cli(['validate', '-'], { input: spec, cwd: BATCH_ETL_DIR }).status).toBe(0);
    const elsewhere = cli(['validate', '-'], { input: spec, cwd: tmp('stdin') });
    expect(elsewhere.status).toBe(EXIT.invalidSpec);
    expect(elsewhere.stderr).toMatch(/<stdin>:\d+:\d+: .*does not exist/);
  });
});

describe('no message prints a whole value longer than a line', () => {
  test('a 6,000-item list over maxItems is cut, saying how much was left out', () => {
    const items = Array.from({ length: 6000 }, (_, i) => ['hipaa', 'gdpr', 'pci-dss'][i % 3]).join(', ');
    const spec = `${readFileSync(QUICKSTART, 'utf8')}\ncompliance: [${items}]\n`;
    const r = cli(['validate', '-'], { input: spec });
    expect(r.status).toBe(EXIT.invalidSpec);
    expect(r.stderr).toContain('must NOT have more than 3 items');
    expect(r.stderr).toContain('(5993 more items, 6000 in all)');
    for (const line of r.stderr.split('\n')) expect(line.length).toBeLessThan(240);
  });

  test('a long string with a template sequence is shown around the sequence', () => {
    const purpose = `${'a'.repeat(50)}\${var.x}${'b'.repeat(60)}`; // under the schema's 128
    const spec = readFileSync(QUICKSTART, 'utf8').replace('clickstream events as ingested', purpose);
    const r = cli(['validate', '-'], { input: spec });
    expect(r.status).toBe(EXIT.invalidSpec);
    expect(r.stderr).toMatch(
      /value "…a+\$\{var\.x\}b+…" \(\d+ characters before and \d+ after left out\) contains "\$\{"/,
    );
    expect(r.stderr).not.toContain('b'.repeat(60));
  });

  test('strings, lists and mappings', () => {
    expect(showAround('short ${x}', 6)).toBe('"short ${x}"');
    expect(showAround(`${'a'.repeat(100)}\${x}`, 100)).toBe(
      `"…${'a'.repeat(56)}\${x}" (44 characters before left out)`,
    );
    expect(showValue('short')).toBe('"short"');
    expect(showValue('x'.repeat(500))).toBe(`"${'x'.repeat(58)}…" (442 more characters)`);
    expect(showValue([1, 2, 3])).toBe('[1,2,3]');
    const long = showValue(Array.from({ length: 100 }, (_, i) => i));
    expect(long).toMatch(/^\[0,1,2,.*,…\] \(\d+ more items, 100 in all\)$/);
    expect(long.length).toBeLessThan(100);
    const obj = showValue(
      Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key${i}`, 'v'.repeat(30)])),
    );
    expect(obj).toMatch(/ \(\d+ more keys, 50 in all\)$/);
    expect(obj.length).toBeLessThan(120);
  });
});
