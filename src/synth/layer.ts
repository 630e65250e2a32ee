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
import { join } from 'node:path';
import type * as Entry from './layer-entry';

/* eslint-disable @typescript-eslint/no-require-imports -- which file to load is decided at run time */

function load(): typeof Entry {
  if (__filename.endsWith('.ts')) return require('./layer-entry') as typeof Entry;
  const bundle = join(__dirname, '..', '..', 'bundle', 'synth.js');
  if (!existsSync(bundle))
    throw new Error(`${bundle} is missing: run \`npm run build\` (it bundles the construct layer)`);
  return require(bundle) as typeof Entry;
}

const layer = load();

export const {
  synthesizeTargets,
  synthesizeModule,
  synthesize,
  planRelease,
  latestRelease,
  MANIFEST_FILE,
  ReleaseError,
} = layer;
