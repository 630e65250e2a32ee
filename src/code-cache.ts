/**
 * Loads a CommonJS file (the construct-layer bundle, dist/bundle/synth.js) with a V8 code
 * cache, so that a synth does not compile the same 4.7 MB of JavaScript again on every run.
 *
 * Why our own loader: Node 20 (our floor) has no `module.enableCompileCache` (Node 22.1), and
 * `require` offers no hook for cached data. `v8-compile-cache` does this for every module by
 * replacing `Module.prototype._compile`; pipeform needs it for one file, and must not change
 * how a library user's own modules load. What it gives is in docs/benchmarks.md.
 *
 * The cache is taken at process exit, after the synth ran, so it holds the bytecode of every
 * function the synth compiled lazily, not only the top level: that is where the time is. It is
 * taken again when a run took code paths the entry was not made on ({@link noteCodePath}):
 * otherwise whatever spec ran first after an install would decide, for good, which functions
 * every later run gets precompiled.
 *
 * Safety: cached data is bytecode, so a file someone else could write would run as our code.
 * The cache lives in a directory only this user can write (created 0700; an existing one is
 * used only when it is owned by this user and writable by nobody else), each entry carries
 * a SHA-256 of its bytes and is keyed by the source's SHA-256 and path, Node's version, the
 * V8 cache tag, the architecture and the caller's variant; anything that does not match is
 * ignored and rewritten. V8 checks
 * again and rejects data made for another source or another set of flags.
 * `PIPEFORM_NO_CODE_CACHE=1` turns it off (a plain `require`).
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
  rmSync,
} from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import { Script } from 'node:vm';

/** What happened to the cache on this load (for tests and `PIPEFORM_DEBUG_CODE_CACHE`). */
export type CodeCacheOutcome = 'disabled' | 'used' | 'rejected' | 'missing' | 'unsafe-dir';

/** Where the cache of this user lives. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'pipeform');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `pipeform-v8-${uid}`);
}

const MAGIC = 'pipeform-v8-cache-2\n';
const HASH_BYTES = 32;

/**
 * A directory only this user can write, created if missing; undefined when it cannot be
 * made safe (then no cache is read or written).
 */
function safeDir(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const s = statSync(dir);
    const uid = typeof process.getuid === 'function' ? process.getuid() : s.uid;
    if (!s.isDirectory() || s.uid !== uid || (s.mode & 0o022) !== 0) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * The cache entry's file name: which source at which path, for which Node, V8 and CPU. The
 * path is part of the key because V8 keeps the script name of the run that made the cache:
 * the same bundle installed in two places would otherwise print the other one's path in a
 * stack trace (and its source map would not be found).
 */
function entryName(sourceHash: string, file: string, variant: string): string {
  const key = createHash('sha256')
    .update(
      `${sourceHash}\0${file}\0${process.version}\0${cachedDataVersionTag()}\0${process.arch}\0${variant}`,
    )
    .digest('hex')
    .slice(0, 32);
  return `${key}.v8`;
}

/** An entry: V8's cached data, and the code paths of the runs it was made on ({@link noteCodePath}). */
interface Entry {
  readonly data: Buffer;
  readonly paths: ReadonlySet<string>;
}

/** The entry when it is intact and ours; undefined otherwise. */
function readEntry(path: string): Entry | undefined {
  let bytes: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      const s = fstatSync(fd);
      const uid = typeof process.getuid === 'function' ? process.getuid() : s.uid;
      if (s.uid !== uid || (s.mode & 0o022) !== 0) return undefined;
    } finally {
      closeSync(fd);
    }
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  const head = Buffer.byteLength(MAGIC);
  if (bytes.length <= head + HASH_BYTES || bytes.toString('latin1', 0, head) !== MAGIC) return undefined;
  const hash = bytes.subarray(head, head + HASH_BYTES);
  const body = bytes.subarray(head + HASH_BYTES);
  if (!createHash('sha256').update(body).digest().equals(hash)) return undefined;
  // The body: the paths as one line of JSON, then the data.
  const newline = body.indexOf(0x0a);
  if (newline < 0) return undefined;
  let paths: unknown;
  try {
    paths = JSON.parse(body.toString('utf8', 0, newline));
  } catch {
    return undefined;
  }
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) return undefined;
  return { data: body.subarray(newline + 1), paths: new Set(paths) };
}

/** Writes the entry atomically (a reader sees the old entry or the whole new one). */
function writeEntry(path: string, data: Buffer, paths: ReadonlySet<string>): void {
  const body = Buffer.concat([Buffer.from(`${JSON.stringify([...paths].sort())}\n`), data]);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, MAGIC);
      writeSync(fd, createHash('sha256').update(body).digest());
      writeSync(fd, body);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch {
    // A cache that cannot be written (read-only home, full disk) only costs speed.
    rmSync(tmp, { force: true });
    return;
  }
  evictOldEntries(dirname(path));
}

/**
 * The most entries a cache directory keeps. Entries are a few MB each (one per bundle, path
 * and Node version), and nothing else ever removes them under `$XDG_CACHE_HOME`: without a
 * bound, every pipeform or Node upgrade would leave its entries behind.
 */
export const MAX_ENTRIES = 16;

/** Keeps the {@link MAX_ENTRIES} most recently written entries, removes the others. */
function evictOldEntries(dir: string): void {
  try {
    const entries = readdirSync(dir)
      .filter((f) => f.endsWith('.v8'))
      .map((f) => ({ path: join(dir, f), mtime: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const e of entries.slice(MAX_ENTRIES)) rmSync(e.path, { force: true });
  } catch {
    // Another process evicting at the same time, or a file gone: the next write tries again.
  }
}

/**
 * Where the code paths of this run are kept: on `globalThis`, because the CLI bundle holds
 * its own copy of this module (which loads the construct bundle) beside the one
 * bin/pipeform.js loads the CLI bundle with, and both must see the same paths.
 */
const RUN_PATHS = Symbol.for('pipeform.codeCachePaths');

function runPaths(): Set<string> {
  const g = globalThis as { [RUN_PATHS]?: Set<string> };
  return (g[RUN_PATHS] ??= new Set<string>());
}

/**
 * Names a code path this run takes (the CLI notes its command and the spec's sections): a
 * cache entry made by runs that never took it is rewritten at exit with what this run
 * compiled too.
 */
export function noteCodePath(...paths: readonly string[]): void {
  const run = runPaths();
  for (const p of paths) run.add(p);
}

/** The code paths this run has noted so far ({@link noteCodePath}). */
export function codePaths(): ReadonlySet<string> {
  return new Set(runPaths());
}

/**
 * `require(file)` through a V8 code cache. The module is registered in `require.cache` as
 * `require` would, so a later `require(file)` returns the same exports, and the file's own
 * `require` resolves from its directory. Reports what it did to `onOutcome`.
 */
export function requireWithCodeCache(
  file: string,
  options: {
    env?: NodeJS.ProcessEnv;
    onOutcome?: (o: CodeCacheOutcome) => void;
    /**
     * Which of the file's entries to use: runs of one variant share an entry, each variant has
     * its own (the construct bundle's variant is the set of spec sections, src/synth/layer.ts).
     */
    variant?: string;
  } = {},
): unknown {
  const env = options.env ?? process.env;
  const report = (o: CodeCacheOutcome) => {
    options.onOutcome?.(o);
    if (env.PIPEFORM_DEBUG_CODE_CACHE) process.stderr.write(`pipeform: code cache ${o} for ${file}\n`);
  };
  const localRequire = createRequire(file);
  if (env.PIPEFORM_NO_CODE_CACHE) {
    report('disabled');
    return localRequire(file);
  }
  const cached = Module as unknown as { _cache: Record<string, Module> };
  if (cached._cache[file]) return cached._cache[file].exports;

  // Hashed as the bytes read, not as the decoded string: hashing a string re-encodes it to
  // UTF-8 first, which took as long again as the hash (~12 ms of a synth for 6.8 MB of bundles).
  // The digest is the same either way, so entries written before stay valid.
  const bytes = readFileSync(file);
  const source = bytes.toString('utf8');
  const dir = safeDir(codeCacheDir(env));
  const entry = dir
    ? join(dir, entryName(createHash('sha256').update(bytes).digest('hex'), file, options.variant ?? ''))
    : undefined;
  const found = entry ? readEntry(entry) : undefined;
  const cachedData = found?.data;

  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const outcome: CodeCacheOutcome = !dir
    ? 'unsafe-dir'
    : !cachedData
      ? 'missing'
      : script.cachedDataRejected
        ? 'rejected'
        : 'used';
  report(outcome);

  const mod = new Module(file, require.main);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(
    dirname(file),
  );
  cached._cache[file] = mod;
  try {
    const wrapper = script.runInThisContext() as (
      exports: unknown,
      require: NodeJS.Require,
      module: Module,
      filename: string,
      dirname: string,
    ) => void;
    wrapper.call(mod.exports, mod.exports, localRequire, mod, file, dirname(file));
    mod.loaded = true;
  } catch (e) {
    delete cached._cache[file];
    throw e;
  }
  if (entry) {
    // At exit the functions the run compiled lazily are in the script too: cache them all,
    // when there was no usable entry or this run took paths the entry was not made on (a
    // cache made by a small spec would otherwise leave a larger one compiling lazily on every
    // run; measured in docs/benchmarks.md). The entry's paths are those of every run that
    // made it, so alternating runs settle on one entry holding both.
    const known = outcome === 'used' && found ? found.paths : new Set<string>();
    process.once('exit', () => {
      const paths = runPaths();
      if (outcome === 'used' && [...paths].every((p) => known.has(p))) return;
      writeEntry(entry, script.createCachedData(), new Set([...known, ...paths]));
    });
  }
  return mod.exports;
}
