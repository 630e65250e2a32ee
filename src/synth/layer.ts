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
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload, type SourceMapping } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type * as Entry from './layer-entry';

/* eslint-disable @typescript-eslint/no-require-imports -- which file to load is decided at run time */

function load(): typeof Entry {
  if (__filename.endsWith('.ts')) return require('./layer-entry') as typeof Entry;
  const bundle = join(__dirname, '..', '..', 'bundle', 'synth.js');
  if (!existsSync(bundle))
    throw new Error(`${bundle} is missing: run \`npm run build\` (it bundles the construct layer)`);
  const entry = require(bundle) as typeof Entry;
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

function sourceStack(stack: string, bundle: string): string {
  let map: SourceMap;
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as SourceMapPayload);
  } catch {
    return stack; // no map (or a broken one): the bundle's own positions are still true
  }
  const frame = new RegExp(`${bundle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`, 'g');
  return stack.replace(frame, (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as Partial<SourceMapping>;
    if (
      entry.originalSource === undefined ||
      entry.originalLine === undefined ||
      entry.originalColumn === undefined
    )
      return whole;
    return `${resolve(dirname(bundle), entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
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
