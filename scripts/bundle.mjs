// Bundles the CLI into two files with source maps back to src/*.ts: the construct layer the
// CLI loads on a synth (dist/src/synth/layer-entry.js: src/constructs, src/synth, src/release,
// cdktf, constructs and the provider modules they import) into dist/bundle/synth.js, and the
// CLI itself (dist/src/cli.js with the compiler) into dist/bundle/cli.js, which
// bin/pipeform.js loads. Run by `npm run build` after tsc. Why and what it gives:
// docs/benchmarks.md; how the two share modules: docs/architecture.md.
//
// It bundles tsc's output rather than the .ts sources, so the bundled code is the code the
// unbundled modules run (same emit, same class-field semantics), and esbuild chains tsc's
// source maps so a stack trace still names src/<file>.ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';
import { cdktfResolveFastPath } from './lib/cdktf-resolve-fast-path.mjs';
import { providerNoHcl } from './lib/provider-no-hcl.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST_SRC = join(ROOT, 'dist', 'src');
const OUT = join(ROOT, 'dist', 'bundle', 'synth.js');
/** The src folders whose modules go into the bundle; they are loaded by nothing else in the CLI. */
const BUNDLED = ['constructs', 'synth', 'release'];

/** The packages bundled with the construct layer (and whatever they import themselves). */
const CONSTRUCT_LAYER_PACKAGES = ['cdktf', 'constructs', '@cdktf/provider-aws'];

/**
 * Modules of dist/src outside BUNDLED (compiler, model, spec, version) and the packages of
 * pipeform's own code other than the construct layer's (yaml) are shared with the compiler:
 * the CLI has already loaded them, and a second copy inside the bundle would break
 * `instanceof` (a UsageError thrown by a construct must be the CLI's UsageError) and double
 * their cost. The bundle asks for each by id through `globalThis[Symbol.for('pipeform.core')]`,
 * which src/synth/layer.ts sets from core-modules.js (written below): one static require per
 * shared module, so it returns whichever copy the running CLI has (dist/src's, or the CLI
 * bundle's).
 */
const shared = new Set();
const shareWithCompiler = {
  name: 'pipeform-core-shared',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (!args.importer.startsWith(DIST_SRC + sep) || args.path.startsWith('node:')) return undefined;
      const pkg = args.path.startsWith('@')
        ? args.path.split('/').slice(0, 2).join('/')
        : args.path.split('/')[0];
      if (CONSTRUCT_LAYER_PACKAGES.includes(pkg) || builtinModules.includes(pkg)) return undefined;
      shared.add(args.path);
      return { path: args.path, namespace: 'pipeform-core' };
    });
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.startsWith(DIST_SRC + sep)) return undefined;
      const target = join(dirname(args.importer), args.path);
      const rel = relative(DIST_SRC, target);
      if (BUNDLED.some((d) => rel === d || rel.startsWith(d + sep))) return undefined;
      // tsc keeps `require('../version')`; Node resolves it to a file or a folder's index.js.
      const file = existsSync(`${target}.js`) ? `${target}.js` : join(target, 'index.js');
      const id = `./${relative(DIST_SRC, file).split(sep).join('/')}`;
      shared.add(id);
      return { path: id, namespace: 'pipeform-core' };
    });
    b.onLoad({ filter: /.*/, namespace: 'pipeform-core' }, (args) => ({
      contents: `module.exports = globalThis[Symbol.for('pipeform.core')](${JSON.stringify(args.path)});\n`,
      loader: 'js',
    }));
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
        'exports.captureStackTrace = function () { return []; };\n' +
        // A marker test/bundle.test.ts finds in the (minified) bundle: the stub is in.
        'exports.pipeformNoTokenCreationStack = true;\n',
      loader: 'js',
    }));
  },
};

/**
 * cdktf's lib/private/fs.js requires `archiver` at load for one function, `archiveSync`, which
 * only a `TerraformAsset` of type ARCHIVE calls. pipeform declares no TerraformAsset (it zips
 * and tars assets itself: src/constructs/data/zip.ts, src/constructs/tar.ts; test/bundle.test.ts
 * greps src/ for it), yet archiver and what it pulls in (async, readable-stream, glob,
 * graceful-fs, zlib, ~1 MB of source) ran at every synth's start. In the bundle `archiver`
 * is a function that says so if it is ever called.
 */
const noArchiver = {
  name: 'cdktf-no-archiver',
  setup(b) {
    b.onResolve({ filter: /^archiver$/ }, (args) =>
      /[\\/]cdktf[\\/]lib[\\/]private[\\/]fs\.js$/.test(args.importer)
        ? { path: 'archiver', namespace: 'pipeform-no-archiver' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'pipeform-no-archiver' }, () => ({
      contents:
        '"use strict";\n' +
        'module.exports = function archiver() {\n' +
        '  throw new Error("internal: pipeform\'s construct bundle leaves out archiver, which only cdktf\'s TerraformAsset archives use; pipeform packages its assets itself");\n' +
        '};\n' +
        // A marker test/bundle.test.ts finds in the (minified) bundle: the stub is in.
        'module.exports.pipeformNoArchiver = true;\n',
      loader: 'js',
    }));
  },
};

/**
 * A JSON file of more than 10 kB (the schema, the price table) goes in as
 * `JSON.parse('<text>')` instead of esbuild's object literal: V8 parses JSON text in one
 * fast pass, where a literal goes through the full JavaScript parser and then runs as code
 * (V8's own advice for large data; measured in docs/benchmarks.md).
 */
const largeJsonAsText = {
  name: 'large-json-as-text',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (text.length <= 10_000) return undefined;
      // Parsed and printed again: minified, and a syntax error fails the build, not a run.
      return {
        contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});\n`,
        loader: 'js',
      };
    });
  },
};

/** What both bundles share: one CommonJS file for Node 20, minified, with a linked map. */
const COMMON = {
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
  // Whitespace and syntax only (6.7 MB -> 4.7 MB: less to read, hash and pre-parse per run);
  // identifiers are kept, so a frame of a bug still names its function even before the map
  // rewrites it (minifying them too needs keepNames, which cost more than it saved).
  minifyWhitespace: true,
  minifySyntax: true,
};

/**
 * Which files went into a bundle, as `<name>.inputs.json` beside it: test/bundle.test.ts
 * checks that none of the construct bundle's is also loaded unbundled.
 */
function writeInputs(name, result) {
  const inputs = Object.keys(result.metafile.inputs).map((p) =>
    relative(ROOT, join(ROOT, p)).split(sep).join('/'),
  );
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(join(dirname(OUT), `${name}.inputs.json`), `${JSON.stringify(inputs.sort(), null, 2)}\n`);
}

writeInputs(
  'synth',
  await build({
    ...COMMON,
    // The construct layer, loaded by src/synth/layer.ts on the first synth.
    entryPoints: [join(DIST_SRC, 'synth', 'layer-entry.js')],
    outfile: OUT,
    plugins: [
      shareWithCompiler,
      noTokenStackTraces,
      noArchiver,
      cdktfResolveFastPath,
      providerNoHcl,
      largeJsonAsText,
    ],
  }),
);

// The shared modules, by the ids the bundle asks for (src/synth/layer.ts sets the resolver).
const CORE_MODULES = join(DIST_SRC, 'synth', 'core-modules.js');
const cases = [...shared].sort().map((id) => {
  const from = id.startsWith('./') ? `../${id.slice(2)}` : id;
  return `    case ${JSON.stringify(id)}:\n      return require(${JSON.stringify(from)});`;
});
writeFileSync(
  CORE_MODULES,
  `'use strict';\n// Written by scripts/bundle.mjs: the modules dist/bundle/synth.js shares with the compiler.\n` +
    `exports.loadCore = function loadCore(id) {\n  switch (id) {\n${cases.join('\n')}\n` +
    `    default:\n      throw new Error('internal: the construct bundle asked for ' + id + ', which core-modules.js does not share');\n  }\n};\n`,
);

/**
 * The CLI itself (dist/src/cli.js: commander, the compiler, the precompiled validator, yaml,
 * cost, graph, advice) as one more bundle, dist/bundle/cli.js, which bin/pipeform.js loads
 * through the V8 code cache: validate then resolves and compiles one file instead of ~200.
 * The construct layer stays out of it (src/synth/layer.ts loads dist/bundle/synth.js on the
 * first synth), and so do Ajv's compiler and ajv-formats' entry: src/compiler/validate.ts
 * needs them only when the precompiled validator is missing, which it is not in dist.
 */
writeInputs(
  'cli',
  await build({
    ...COMMON,
    entryPoints: [join(DIST_SRC, 'cli.js')],
    outfile: join(ROOT, 'dist', 'bundle', 'cli.js'),
    external: ['ajv', 'ajv-formats'],
    plugins: [
      largeJsonAsText,
      {
        // layer.ts requires layer-entry only when it runs from the TypeScript sources (ts-jest);
        // bundled, that branch never runs, and following it would put the construct layer in twice.
        name: 'no-unbundled-construct-layer',
        setup(b) {
          b.onResolve({ filter: /\/layer-entry$/ }, (args) => ({ path: args.path, external: true }));
        },
      },
    ],
  }),
);
