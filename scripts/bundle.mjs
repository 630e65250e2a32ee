// Bundles the construct layer the CLI loads (dist/src/synth/layer-entry.js: src/constructs,
// src/synth, src/release, cdktf, constructs and the provider modules they import) into one
// file, dist/bundle/synth.js, with a source map back to src/*.ts. Run by `npm run build`
// after tsc; src/synth/layer.ts loads the bundle. Why and what it gives: docs/benchmarks.md.
//
// It bundles tsc's output rather than the .ts sources, so the bundled code is the code the
// unbundled modules run (same emit, same class-field semantics), and esbuild chains tsc's
// source maps so a stack trace still names src/<file>.ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST_SRC = join(ROOT, 'dist', 'src');
const OUT = join(ROOT, 'dist', 'bundle', 'synth.js');
/** The src folders whose modules go into the bundle; they are loaded by nothing else in the CLI. */
const BUNDLED = ['constructs', 'synth', 'release'];

/** The packages bundled with the construct layer (and whatever they import themselves). */
const CONSTRUCT_LAYER_PACKAGES = ['cdktf', 'constructs', '@cdktf/provider-aws'];

/**
 * Modules of dist/src outside BUNDLED (compiler, model, spec, version) stay external, required
 * from the bundle by their path in dist/src: the CLI has already loaded them, and a second copy
 * inside the bundle would break `instanceof` (a UsageError thrown by a construct must be the
 * CLI's UsageError) and double their cost.
 */
const keepPipeformCoreExternal = {
  name: 'pipeform-core-external',
  setup(b) {
    // Likewise the packages of pipeform's own code other than the construct layer's (yaml):
    // the compiler has loaded them; a construct reuses that copy.
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (!args.importer.startsWith(DIST_SRC + sep) || args.path.startsWith('node:')) return undefined;
      const pkg = args.path.startsWith('@')
        ? args.path.split('/').slice(0, 2).join('/')
        : args.path.split('/')[0];
      return CONSTRUCT_LAYER_PACKAGES.includes(pkg) ? undefined : { path: args.path, external: true };
    });
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.startsWith(DIST_SRC + sep)) return undefined;
      const target = join(dirname(args.importer), args.path);
      const rel = relative(DIST_SRC, target);
      if (BUNDLED.some((d) => rel === d || rel.startsWith(d + sep))) return undefined;
      // tsc keeps `require('../version')`; Node resolves it to a file or a folder's index.js.
      const file = existsSync(`${target}.js`) ? `${target}.js` : join(target, 'index.js');
      const path = relative(dirname(OUT), file).split(sep).join('/');
      return { path: path.startsWith('.') ? path : `./${path}`, external: true };
    });
  },
};

/**
 * cdktf captures a full stack trace (Error.stackTraceLimit = MAX_SAFE_INTEGER) for every Lazy
 * and Intrinsic token it creates, thousands per synth. The trace is kept as `creationStack`
 * and read only to decorate cdktf's error messages; it never reaches the Terraform JSON, and
 * pipeform reads no creationStack (test/bundle.test.ts greps src/ for it). In the bundle the
 * capture returns [] (what cdktf itself returns when no stack is available).
 */
const noTokenStackTraces = {
  name: 'cdktf-no-token-stack-traces',
  setup(b) {
    b.onLoad({ filter: /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/ }, () => ({
      contents:
        '"use strict";\n' +
        // Named so that test/bundle.test.ts can find it in the bundle (comments are dropped).
        'exports.captureStackTrace = function pipeformNoTokenCreationStack() { return []; };\n',
      loader: 'js',
    }));
  },
};

const result = await build({
  entryPoints: [join(DIST_SRC, 'synth', 'layer-entry.js')],
  outfile: OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  // The map points at src/*.ts (through tsc's maps) and node_modules/*; the files are there.
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [keepPipeformCoreExternal, noTokenStackTraces],
});

// Which files went in: test/bundle.test.ts checks none of them is also loaded unbundled.
const inputs = Object.keys(result.metafile.inputs).map((p) =>
  relative(ROOT, join(ROOT, p)).split(sep).join('/'),
);
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(join(dirname(OUT), 'synth.inputs.json'), `${JSON.stringify(inputs.sort(), null, 2)}\n`);
