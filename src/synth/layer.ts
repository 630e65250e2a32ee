/**
 * The construct layer as the CLI loads it. Compiled (dist/src/synth/layer.js) it is the
 * single-file bundle `dist/bundle/synth.js` that `npm run build` makes with esbuild
 * (scripts/bundle.mjs): one file instead of ~550 (cdktf, constructs, the provider modules,
 * src/constructs) halves a synth, since module resolution and compilation was half of it
 * (docs/benchmarks.md). Run from the TypeScript sources (ts-jest) there is no bundle, and
 * the modules themselves are loaded. The library entries (src/index.ts, src/constructs)
 * never come here: a user's cdktf app must share one cdktf with pipeform's constructs.
 *
 * A missing bundle in dist is an error, not a silent fallback to the unbundled modules, so
 * a broken build cannot pass the tests that prove the CLI loads the bundle (test/bundle.test.ts).
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { codePaths, requireWithCodeCache } from '../code-cache';
import { sourceStack } from '../source-stack';
import type * as Entry from './layer-entry';

/* eslint-disable @typescript-eslint/no-require-imports -- which file to load is decided at run time */

/**
 * How the construct bundle reaches the modules it shares with the compiler (the diagnostics
 * whose `UsageError` the CLI tests with `instanceof`, the model, `yaml`): it asks this
 * function, set before the bundle loads, instead of requiring its own copy. core-modules.js
 * is written by scripts/bundle.mjs beside this file with one static `require` per module
 * the bundle shares, so it returns this process's copy: dist/src's modules when the CLI runs
 * unbundled (dist/src/cli.js), and the CLI bundle's own copies when it runs from
 * dist/bundle/cli.js, where esbuild bundled core-modules.js and its requires.
 */
const CORE = Symbol.for('pipeform.core');

function load(): typeof Entry {
  if (__filename.endsWith('.ts')) return require('./layer-entry') as typeof Entry;
  // dist/src/synth/layer.js, or inside dist/bundle/cli.js.
  const dir = basename(__dirname) === 'bundle' ? __dirname : join(__dirname, '..', '..', 'bundle');
  const bundle = join(dir, 'synth.js');
  if (!existsSync(bundle))
    throw new Error(`${bundle} is missing: run \`npm run build\` (it bundles the construct layer)`);
  const core = globalThis as unknown as Record<symbol, ((id: string) => unknown) | undefined>;
  core[CORE] ??= (require('./core-modules') as { loadCore(id: string): unknown }).loadCore;
  const entry = requireWithCodeCache(bundle, { variant: sectionsOfRun() }) as typeof Entry;
  return {
    ...entry,
    synthesizeTargets: withSourceStack(entry.synthesizeTargets, bundle),
    synthesizeModule: withSourceStack(entry.synthesizeModule, bundle),
    synthesize: withSourceStack(entry.synthesize, bundle),
    environmentModule: withSourceStack(entry.environmentModule, bundle),
    planRelease: withSourceStack(entry.planRelease, bundle),
    latestRelease: withSourceStack(entry.latestRelease, bundle),
  };
}

/**
 * A bug inside the bundle prints a stack trace (src/cli.ts prints it for anything that is not
 * a user mistake); its frames are rewritten to the sources (src/*.ts, node_modules/*) through
 * the bundle's source map, so it still points at the line to fix. Done only when such a
 * stack is read, not with `process.setSourceMapsEnabled(true)`: that parses the 3 MB map at load
 * and costs every synth ~40 ms of CPU and ~24 MB of RSS (docs/benchmarks.md).
 */
function withSourceStack<A extends unknown[], R>(f: (...args: A) => R, bundle: string): (...args: A) => R {
  return (...args: A): R => {
    try {
      return f(...args);
    } catch (e) {
      if (e instanceof Error && typeof e.stack === 'string') {
        // Mapped when read: a user mistake (a UsageError from a construct) never prints its stack.
        const raw = e.stack;
        let mapped: string | undefined;
        Object.defineProperty(e, 'stack', {
          configurable: true,
          get: () => (mapped ??= sourceStack(raw, bundle)),
          set: (value: string) => {
            mapped = value;
          },
        });
      }
      throw e;
    }
  };
}

/**
 * The code cache entry of the construct bundle is per set of spec sections (the paths the
 * CLI noted before it loads this layer, src/cli.ts), so a quickstart-sized spec loads an
 * entry of its own size: one entry for every spec would hold the constructs of the largest
 * ever synthesized, and V8 deserializes an entry whole (docs/benchmarks.md). Options within
 * the sections (a spec growing a serving deploy) rewrite that entry instead.
 */
function sectionsOfRun(): string {
  return [...codePaths()]
    .filter((p) => !p.includes('.') && !p.startsWith('command '))
    .sort()
    .join(' ');
}

const layer = load();

export const {
  synthesizeTargets,
  synthesizeModule,
  synthesize,
  environmentModule,
  SHARED_MODULE_DIR,
  planRelease,
  latestRelease,
  MANIFEST_FILE,
  ReleaseError,
} = layer;
