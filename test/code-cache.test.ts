/**
 * src/code-cache.ts: the construct-layer bundle and the precompiled schema validator load
 * through a V8 code cache. These tests run the built module and CLI (`npm run build` first) in
 * fresh processes, because the cache is written at process exit: the first run writes an
 * entry, the next one uses it; a corrupt, foreign, stale or unsafely stored entry is never
 * used; `PIPEFORM_NO_CODE_CACHE` turns it off; and the CLI writes the same bytes either way.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeCacheDir, MAX_ENTRIES } from '../src/code-cache';
import { ROOT } from './harness/spec';

const MODULE = join(ROOT, 'dist', 'src', 'code-cache.js');
const CLI = join(ROOT, 'bin', 'pipeform.js');

let work: string;
let cacheHome: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'pipeform-code-cache-'));
  cacheHome = join(work, 'xdg');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A module that requires a sibling and counts its own executions in a global. */
function writeModule(
  body = "module.exports = { answer: require('./dep').n + 1, file: __filename, dir: __dirname };",
) {
  writeFileSync(join(work, 'dep.js'), 'exports.n = 41;\n');
  writeFileSync(join(work, 'mod.js'), `globalThis.runs = (globalThis.runs || 0) + 1;\n${body}\n`);
  return join(work, 'mod.js');
}

/** Loads `file` twice through the cache in a fresh node; returns the outcome and what it exported. */
function load(file: string, env: NodeJS.ProcessEnv = {}, paths: readonly string[] = [], variant?: string) {
  const options = `{ onOutcome: (o) => outcomes.push(o), variant: ${JSON.stringify(variant)} }`;
  const script = `
    const { requireWithCodeCache, noteCodePath } = require(${JSON.stringify(MODULE)});
    noteCodePath(...${JSON.stringify(paths)});
    const outcomes = [];
    const a = requireWithCodeCache(${JSON.stringify(file)}, ${options});
    const b = requireWithCodeCache(${JSON.stringify(file)}, ${options});
    const same = a === b && require(${JSON.stringify(file)}) === a;
    process.stdout.write(JSON.stringify({ outcomes, exports: a, same, runs: globalThis.runs }));`;
  const r = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, PIPEFORM_NO_CODE_CACHE: '', XDG_CACHE_HOME: cacheHome, ...env },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as {
    outcomes: string[];
    exports: { answer: number; file: string; dir: string };
    same: boolean;
    runs: number;
  };
}

const entries = () => readdirSync(join(cacheHome, 'pipeform')).filter((f) => f.endsWith('.v8'));

describe('V8 code cache', () => {
  test('the first load writes an entry at exit, the next load uses it; the module runs once per process', () => {
    const file = writeModule();
    const first = load(file);
    expect(first).toEqual({
      outcomes: ['missing'],
      exports: { answer: 42, file, dir: work },
      same: true,
      runs: 1,
    });
    expect(entries()).toHaveLength(1);
    expect(statSync(join(cacheHome, 'pipeform')).mode & 0o777).toBe(0o700);
    expect(statSync(join(cacheHome, 'pipeform', entries()[0])).mode & 0o777).toBe(0o600);
    expect(load(file).outcomes).toEqual(['used']);
  });

  test('a changed source gets its own entry (never the old bytecode)', () => {
    const file = writeModule();
    load(file);
    writeModule("module.exports = { answer: require('./dep').n + 2, file: __filename, dir: __dirname };");
    const changed = load(file);
    expect(changed.outcomes).toEqual(['missing']);
    expect(changed.exports.answer).toBe(43);
    expect(entries()).toHaveLength(2);
  });

  test('the same source at another path gets its own entry, and its stack traces name that path', () => {
    // V8 keeps the script name of the run that made the cache: one entry for two paths would
    // name the first in the second's stack traces (and miss its source map).
    const body =
      "module.exports = { answer: 42, file: new Error('where').stack.split('\\n')[1], dir: __dirname };";
    const a = writeModule(body);
    const other = join(work, 'copy');
    mkdirSync(other);
    writeFileSync(join(other, 'mod.js'), readFileSync(a));
    load(a);
    expect(load(a)).toMatchObject({ outcomes: ['used'], exports: { file: expect.stringContaining(a) } });
    const b = join(other, 'mod.js');
    expect(load(b)).toMatchObject({ outcomes: ['missing'], exports: { file: expect.stringContaining(b) } });
    expect(load(b)).toMatchObject({ outcomes: ['used'], exports: { file: expect.stringContaining(b) } });
    expect(entries()).toHaveLength(2);
  });

  test('a write keeps the newest MAX_ENTRIES entries and removes older ones', () => {
    // Entries from earlier versions (other sources) would otherwise stay forever.
    const dir = join(cacheHome, 'pipeform');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const old = Array.from({ length: MAX_ENTRIES + 4 }, (_, i) => {
      const f = join(dir, `old-${String(i).padStart(2, '0')}.v8`);
      writeFileSync(f, 'x', { mode: 0o600 });
      const t = new Date(Date.UTC(2026, 0, 1 + i));
      utimesSync(f, t, t);
      return f;
    });
    load(writeModule());
    const left = entries();
    expect(left).toHaveLength(MAX_ENTRIES);
    // The new entry and the newest old ones stay; the oldest five go.
    expect(left.filter((f) => !f.startsWith('old-'))).toHaveLength(1);
    expect(left).not.toContain('old-04.v8');
    expect(left).toContain('old-05.v8');
    expect(old).toHaveLength(MAX_ENTRIES + 4);
  });

  test('a run on paths the entry was not made on rewrites it with both; a run on known paths does not', () => {
    const file = writeModule();
    const entry = () => join(cacheHome, 'pipeform', entries()[0]);
    // The paths are a line of JSON after the magic line and the SHA-256.
    const pathsOf = () => {
      const body = readFileSync(entry()).subarray('pipeform-v8-cache-2\n'.length + 32);
      return JSON.parse(body.toString('utf8', 0, body.indexOf(0x0a))) as string[];
    };
    const written = () => statSync(entry()).mtimeMs;
    expect(load(file, {}, ['command validate', 'serving']).outcomes).toEqual(['missing']);
    expect(pathsOf()).toEqual(['command validate', 'serving']);
    // Known paths, or fewer: the entry is left as it is.
    utimesSync(entry(), 1000, 1000);
    expect(load(file, {}, ['serving']).outcomes).toEqual(['used']);
    expect(load(file, {}, ['command validate', 'serving']).outcomes).toEqual(['used']);
    expect(written()).toBe(1000 * 1000);
    // A new path: rewritten at exit with the union, and used (not rejected) by the next run.
    expect(load(file, {}, ['command validate', 'eks']).outcomes).toEqual(['used']);
    expect(written()).not.toBe(1000 * 1000);
    expect(pathsOf()).toEqual(['command validate', 'eks', 'serving']);
    expect(load(file, {}, ['eks', 'serving'])).toMatchObject({ outcomes: ['used'], exports: { answer: 42 } });
    expect(entries()).toHaveLength(1);
  });

  test('each variant of a file has its own entry', () => {
    const file = writeModule();
    expect(load(file, {}, [], 'serving').outcomes).toEqual(['missing']);
    expect(load(file, {}, [], 'eks serving').outcomes).toEqual(['missing']);
    expect(entries()).toHaveLength(2);
    expect(load(file, {}, [], 'serving').outcomes).toEqual(['used']);
    expect(load(file, {}, [], 'eks serving').outcomes).toEqual(['used']);
    expect(load(file).outcomes).toEqual(['missing']);
    expect(entries()).toHaveLength(3);
  });

  test('a corrupt entry is ignored and rewritten', () => {
    const file = writeModule();
    load(file);
    const entry = join(cacheHome, 'pipeform', entries()[0]);
    const bytes = readFileSync(entry);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(entry, bytes, { mode: 0o600 });
    expect(load(file)).toMatchObject({ outcomes: ['missing'], exports: { answer: 42 } });
    expect(load(file).outcomes).toEqual(['used']);
  });

  test('a cache directory others can write is neither read nor written', () => {
    const file = writeModule();
    load(file);
    chmodSync(join(cacheHome, 'pipeform'), 0o777);
    expect(load(file)).toMatchObject({ outcomes: ['unsafe-dir'], exports: { answer: 42 } });
  });

  test('an entry another user owns, or others can write, is not used', () => {
    const file = writeModule();
    load(file);
    const entry = join(cacheHome, 'pipeform', entries()[0]);
    chmodSync(entry, 0o666);
    expect(load(file).outcomes).toEqual(['missing']);
    if (process.getuid?.() === 0) {
      load(file); // rewritten, ours again
      chownSync(entry, 65534, 65534);
      expect(load(file).outcomes).toEqual(['missing']);
    }
  });

  test('PIPEFORM_NO_CODE_CACHE loads with a plain require and writes nothing', () => {
    const file = writeModule();
    expect(load(file, { PIPEFORM_NO_CODE_CACHE: '1' })).toMatchObject({
      outcomes: ['disabled', 'disabled'],
      exports: { answer: 42 },
      same: true,
      runs: 1,
    });
    expect(() => readdirSync(join(cacheHome, 'pipeform'))).toThrow();
  });

  test('the cache lives under XDG_CACHE_HOME, else in a per-user folder of the temp directory', () => {
    expect(codeCacheDir({ XDG_CACHE_HOME: '/x' })).toBe(join('/x', 'pipeform'));
    expect(codeCacheDir({})).toBe(join(tmpdir(), `pipeform-v8-${process.getuid?.() ?? 'user'}`));
  });

  test('the CLI notes its command and spec sections: a larger spec rewrites what a smaller one cached', () => {
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, ...args], {
        encoding: 'utf8',
        cwd: ROOT,
        env: { ...process.env, XDG_CACHE_HOME: cacheHome, PIPEFORM_NO_CODE_CACHE: '' },
      });
      expect(r.status).toBe(0);
    };
    const dir = join(cacheHome, 'pipeform');
    const age = () => {
      for (const f of entries()) utimesSync(join(dir, f), 1000, 1000);
    };
    const rewritten = () => entries().filter((f) => statSync(join(dir, f)).mtimeMs !== 1000 * 1000).length;
    const example = (name: string) => join(ROOT, 'examples', name, 'pipeline.yaml');
    run('synth', example('quickstart'), '--out', join(work, 'q'));
    expect(entries()).toHaveLength(2);
    age();
    run('synth', example('quickstart'), '--out', join(work, 'q'));
    expect(rewritten()).toBe(0);
    // The complete example sets sections quickstart does not: the CLI bundle's entry is
    // rewritten, and the construct bundle gets an entry of its own for those sections.
    run('synth', example('complete'), '--out', join(work, 'c'));
    expect(entries()).toHaveLength(3);
    expect(rewritten()).toBe(2);
    age();
    run('synth', example('quickstart'), '--out', join(work, 'q'));
    run('synth', example('complete'), '--out', join(work, 'c'));
    expect(rewritten()).toBe(0);
    expect(entries()).toHaveLength(3);
  });

  test('bin/pipeform.js loads both bundles through it and writes the same bytes with and without it', () => {
    const spec = join(ROOT, 'examples', 'complete', 'pipeline.yaml');
    const synth = (out: string, env: NodeJS.ProcessEnv) => {
      mkdirSync(out, { recursive: true });
      const r = spawnSync(process.execPath, [CLI, 'synth', spec, '--out', out], {
        encoding: 'utf8',
        cwd: ROOT,
        env: { ...process.env, XDG_CACHE_HOME: cacheHome, PIPEFORM_DEBUG_CODE_CACHE: '1', ...env },
      });
      expect(r.status).toBe(0);
      return r.stderr
        .split('\n')
        .filter((l) => l.startsWith('pipeform: code cache'))
        .map((l) => l.replace(ROOT, '<root>'));
    };
    expect(synth(join(work, 'a'), {})).toEqual([
      'pipeform: code cache missing for <root>/dist/bundle/cli.js',
      'pipeform: code cache missing for <root>/dist/bundle/synth.js',
    ]);
    expect(synth(join(work, 'b'), {})).toEqual([
      'pipeform: code cache used for <root>/dist/bundle/cli.js',
      'pipeform: code cache used for <root>/dist/bundle/synth.js',
    ]);
    synth(join(work, 'c'), { PIPEFORM_NO_CODE_CACHE: '1' });
    const main = (d: string) => readFileSync(join(work, d, 'main.tf.json'), 'utf8');
    expect(main('b')).toBe(main('a'));
    expect(main('c')).toBe(main('a'));
  });
});
