/**
 * The CLI's construct layer is one esbuild bundle (dist/bundle/synth.js, scripts/bundle.mjs).
 * These tests run the built CLI (`npm run build` first): its synth path loads the bundle and no
 * cdktf/provider module files, validate loads neither, no module is loaded both bundled and
 * unbundled, the bundle writes the same bytes as the unbundled modules for every example, a
 * stack trace from inside the bundle names src/*.ts, and what the bundle leaves out of cdktf
 * (token creation stacks) is read nowhere in pipeform.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sourceStack } from '../src/source-stack';
import { ROOT } from './harness/spec';

const DIST = join(ROOT, 'dist');
const BUNDLE = join(DIST, 'bundle', 'synth.js');
const COMPLETE = join(ROOT, 'examples', 'complete', 'pipeline.yaml');
const CDK_FILE = /node_modules[\\/](cdktf|@cdktf|cdktn|@cdktn|constructs)[\\/]/;

/** The .ts files under src/ whose text matches `pattern`. */
function srcFilesMatching(pattern: RegExp): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ts$/.test(e.name) && pattern.test(readFileSync(p, 'utf8'))) found.push(p);
    }
  };
  walk(join(ROOT, 'src'));
  return found;
}

/** Runs a script in a fresh node (from the repository root) and parses the JSON it prints last. */
function probe<T>(script: string): T {
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`probe failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as T;
}

describe('the CLI loads the construct layer as one bundle', () => {
  test('synth through dist loads the bundle and no cdktf, constructs or provider module file', () => {
    const out = probe<{
      code: number;
      cdk: string[];
      bundle: boolean;
      duplicated: string[];
      builtins: string[];
    }>(`
      const { mkdtempSync } = require('node:fs');
      const { join } = require('node:path');
      const out = mkdtempSync(join(require('node:os').tmpdir(), 'pipeform-bundle-'));
      const log = process.stdout.write.bind(process.stdout);
      process.stdout.write = () => true;
      require(${JSON.stringify(join(DIST, 'src', 'cli.js'))}).run(['synth', ${JSON.stringify(COMPLETE)}, '--out', out]).then((code) => {
        const loaded = Object.keys(require.cache);
        const inputs = require(${JSON.stringify(join(DIST, 'bundle', 'synth.inputs.json'))}).map((p) => join(process.cwd(), p));
        log(JSON.stringify({
          code,
          cdk: loaded.filter((f) => ${CDK_FILE}.test(f)),
          bundle: loaded.includes(${JSON.stringify(BUNDLE)}),
          duplicated: inputs.filter((f) => loaded.includes(f)),
          // What archiver needed (the bundle leaves it out): zlib and the stream machinery.
          builtins: process.moduleLoadList.filter((m) => /^NativeModule (zlib|perf_hooks|readline)$/.test(m)),
        }) + '\\n');
        require('node:fs').rmSync(out, { recursive: true, force: true });
      });`);
    expect(out).toEqual({ code: 0, cdk: [], bundle: true, duplicated: [], builtins: [] });
  });

  test('the bundle holds the provider modules and src/constructs, and keeps the compiler outside', () => {
    const inputs = JSON.parse(readFileSync(join(DIST, 'bundle', 'synth.inputs.json'), 'utf8')) as string[];
    expect(inputs).toContain('node_modules/@cdktf/provider-aws/lib/s3-bucket/index.js');
    expect(inputs).toContain('dist/src/constructs/pipeline-stack.js');
    expect(inputs.filter((f) => f.startsWith('dist/src/compiler/'))).toEqual([]);
    // The provider root would pull in every resource module (~5 s); only deep paths go in.
    expect(inputs).not.toContain('node_modules/@cdktf/provider-aws/lib/index.js');
    // The lazy area loaders (src/constructs/areas.ts) stay lazy: a bundled module's body runs
    // on its first require, and an area is required only inside its loader.
    const bundle = readFileSync(BUNDLE, 'utf8');
    expect(bundle).toMatch(/\bserving:\s*\(\)\s*=>\s*require_serving\d*\(\)/);
    const loader = /\bserving:\s*\(\)\s*=>\s*(require_serving\d*)\(\)/.exec(bundle)![1];
    expect(bundle.match(new RegExp(`\\b${loader}\\(\\)`, 'g'))).toHaveLength(1);
  });

  test('validate through dist loads neither the bundle nor cdktf', () => {
    const out = probe<{ code: number; cdk: number; bundle: boolean }>(`
      const log = process.stdout.write.bind(process.stdout);
      process.stdout.write = () => true;
      require(${JSON.stringify(join(DIST, 'src', 'cli.js'))}).run(['validate', ${JSON.stringify(COMPLETE)}]).then((code) => {
        const loaded = Object.keys(require.cache);
        log(JSON.stringify({ code, cdk: loaded.filter((f) => ${CDK_FILE}.test(f)).length,
          bundle: loaded.some((f) => f.includes('bundle')) }) + '\\n');
      });`);
    expect(out).toEqual({ code: 0, cdk: 0, bundle: false });
  });

  test('the bundle writes the same bytes as the unbundled modules, for every example (synth and module)', () => {
    const examples = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `examples/${d.name}/pipeline.yaml`)
      .filter((f) => {
        try {
          return readFileSync(join(ROOT, f)).length > 0;
        } catch {
          return false;
        }
      });
    expect(examples.length).toBeGreaterThan(10);
    // One process per variant: the bundle and the unbundled modules each bring their own cdktf.
    const digests = (layer: string) =>
      probe<Record<string, string>>(`
        const { createHash } = require('node:crypto');
        const { compileSpec, readSpecFile } = require(${JSON.stringify(join(DIST, 'src', 'compiler'))});
        const { synthesizeTargets, synthesizeModule } = require(${JSON.stringify(layer)});
        const out = {};
        const digest = (content) => createHash('sha256').update(content).digest('hex');
        for (const file of ${JSON.stringify(examples)}) {
          const compiled = compileSpec(file, readSpecFile(file));
          for (const [name, content] of synthesizeTargets(compiled, file).files) out[file + ' ' + name] = digest(content);
          // The module path too (its HCL reads the provider's files, found from the bundle's folder).
          if (compiled.environments.length === 0)
            for (const format of ['json', 'hcl'])
              for (const [name, content] of synthesizeModule(compiled.resolved, file, './m', { format }).files)
                out[file + ' module ' + format + ' ' + name] = digest(content);
        }
        console.log(JSON.stringify(out));`);
    // Through layer.js, as the CLI loads it (it gives the bundle the modules it shares).
    const bundled = digests(join(DIST, 'src', 'synth', 'layer.js'));
    const unbundled = digests(join(DIST, 'src', 'synth', 'layer-entry.js'));
    expect(Object.keys(bundled).length).toBeGreaterThan(examples.length);
    expect(bundled).toEqual(unbundled);
  });

  test('a stack trace from inside the bundle names the TypeScript source', () => {
    // A bug, not a user mistake: synthesize() of no spec throws inside src/synth (in build()). Node's own
    // source-map support stays off (it costs every synth); the layer maps the frames itself.
    const out = probe<{ stack: string; nodeMaps: boolean }>(`
      const { synthesize } = require(${JSON.stringify(join(DIST, 'src', 'synth', 'layer.js'))});
      try { synthesize(undefined, 'x.yaml'); } catch (e) {
        console.log(JSON.stringify({ stack: e.stack, nodeMaps: process.sourceMapsEnabled === true }));
      }`);
    expect(out.nodeMaps).toBe(false);
    expect(out.stack.split('\n')[1]).toMatch(/at build \(.*[\\/]src[\\/]synth[\\/]synth\.ts:\d+:\d+\)$/);
    expect(out.stack).not.toMatch(/bundle[\\/]synth\.js/);
  });

  test('pipeform reads no token creationStack (the bundle stubs cdktf stack capture)', () => {
    expect(srcFilesMatching(/creationStack|captureStackTrace/)).toEqual([]);
    // And the stub is in the bundle: cdktf's capture with Error.stackTraceLimit = MAX is gone.
    const bundle = readFileSync(BUNDLE, 'utf8');
    // The bundle is minified: a module is the `__commonJS({"<its path>"(exports...` wrapper.
    const at = bundle.indexOf('"node_modules/cdktf/lib/tokens/private/stack-trace.js"');
    expect(at).toBeGreaterThan(0);
    const cdktfCapture = bundle.slice(at, bundle.indexOf('__commonJS(', at));
    expect(cdktfCapture).toContain('pipeformNoTokenCreationStack');
    expect(cdktfCapture).not.toContain('stackTraceLimit');
  });

  test('large JSON goes into the bundles as JSON.parse text, small JSON as an object literal', () => {
    const cli = readFileSync(join(DIST, 'bundle', 'cli.js'), 'utf8');
    // The schema (275 kB) and the price table (35 kB), each one string V8 parses as JSON.
    expect(cli).toMatch(/JSON\.parse\(`\{"\$schema":"http:\/\/json-schema\.org\/draft-07\/schema#"/);
    expect(cli).toMatch(/JSON\.parse\(`\{"date":"\d{4}-\d{2}-\d{2}","currency":"USD"/);
    // dist/package.json (3 kB) stays an object literal.
    expect(cli).toMatch(/\{name:"pipeform",version:"\d+\.\d+\.\d+"/);
  });

  test('pipeform declares no TerraformAsset, and the bundle leaves out archiver and what it pulls in', () => {
    expect(srcFilesMatching(/TerraformAsset|AssetType|archiveSync/)).toEqual([]);
    const inputs = JSON.parse(readFileSync(join(DIST, 'bundle', 'synth.inputs.json'), 'utf8')) as string[];
    const pulledIn = inputs.filter((p) =>
      /node_modules\/cdktf\/node_modules\/(archiver|archiver-utils|readable-stream|glob|graceful-fs|async|zip-stream)\//.test(
        p,
      ),
    );
    expect(pulledIn).toEqual([]);
    // cdktf's fs.js still loads (TerraformAsset's hashing lives there), with the stub for archiver.
    expect(inputs).toContain('node_modules/cdktf/lib/private/fs.js');
    expect(readFileSync(BUNDLE, 'utf8')).toContain('pipeformNoArchiver');
    // A synth through the bundle loads none of the built-ins archiver needed: the first test.
  });
});

describe('bin/pipeform.js runs the CLI as one bundle', () => {
  const CLI_BUNDLE = join(DIST, 'bundle', 'cli.js');

  test('synth through bin loads the two bundles and no module of dist/src but the code cache', () => {
    // What bin/pipeform.js does, then the files Node loaded: one copy of everything pipeform
    // shares between the compiler and the constructs, the CLI bundle's.
    const out = probe<{ code: number; pipeform: string[]; yaml: number; cdk: number }>(`
      const { mkdtempSync } = require('node:fs');
      const { join } = require('node:path');
      const out = mkdtempSync(join(require('node:os').tmpdir(), 'pipeform-bundle-'));
      const log = process.stdout.write.bind(process.stdout);
      process.stdout.write = () => true;
      const { requireWithCodeCache } = require(${JSON.stringify(join(DIST, 'src', 'code-cache.js'))});
      requireWithCodeCache(${JSON.stringify(CLI_BUNDLE)}).run(['synth', ${JSON.stringify(COMPLETE)}, '--out', out]).then((code) => {
        const loaded = Object.keys(require.cache);
        log(JSON.stringify({
          code,
          pipeform: loaded.filter((f) => f.startsWith(${JSON.stringify(DIST)})).map((f) => f.slice(${JSON.stringify(DIST)}.length + 1)).sort(),
          yaml: loaded.filter((f) => /node_modules[\\\\/]yaml[\\\\/]/.test(f)).length,
          cdk: loaded.filter((f) => ${CDK_FILE}.test(f)).length,
        }) + '\\n');
        require('node:fs').rmSync(out, { recursive: true, force: true });
      });`);
    expect(out).toEqual({
      code: 0,
      pipeform: ['bundle/cli.js', 'bundle/synth.js', 'src/code-cache.js'],
      yaml: 0,
      cdk: 0,
    });
  });

  test('the construct bundle gets the shared modules from the running CLI (one UsageError)', () => {
    const out = probe<{ unbundled: boolean; ids: string[] }>(`
      const { loadCore } = require(${JSON.stringify(join(DIST, 'src', 'synth', 'core-modules.js'))});
      const d = require(${JSON.stringify(join(DIST, 'src', 'compiler', 'diagnostics.js'))});
      console.log(JSON.stringify({
        unbundled: loadCore('./compiler/diagnostics.js').UsageError === d.UsageError,
        ids: [...require('node:fs').readFileSync(${JSON.stringify(BUNDLE)}, 'utf8').matchAll(/globalThis\\[Symbol\\.for\\("pipeform\\.core"\\)\\]\\("([^"]+)"\\)/g)].map((m) => m[1]),
      }));`);
    expect(out.unbundled).toBe(true);
    expect(out.ids).toContain('./compiler/diagnostics.js');
    expect(out.ids).toContain('yaml');
    // The bundle never requires a module of dist/src by path: that would be a second copy.
    expect(readFileSync(BUNDLE, 'utf8')).not.toMatch(/require\("\.\.\/src\//);
  });

  test('validate through bin loads neither the construct bundle nor cdktf', () => {
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `process.argv = [process.argv[0], 'pipeform', 'validate', ${JSON.stringify(COMPLETE)}];
        process.on('exit', (code) => {
        const loaded = Object.keys(require.cache);
        process.stderr.write('LOADED ' + code + ' ' + JSON.stringify(loaded.filter((f) => /bundle[\\\\/]synth|${CDK_FILE.source.replace(/\\/g, '\\\\')}/.test(f))) + '\\n');
        });
        require(${JSON.stringify(join(ROOT, 'bin', 'pipeform.js'))});`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.stdout).toContain('valid ');
    expect(r.stderr).toContain('LOADED 0 []');
  });

  test("a bug's stack frame in the CLI bundle maps to its TypeScript source", () => {
    // cli.ts prints an internal error's stack through sourceStack; a frame of compileSpec,
    // at its real place in the bundle, must come back as src/compiler/index.ts.
    const text = readFileSync(CLI_BUNDLE, 'utf8');
    const at = text.indexOf('function compileSpec(');
    expect(at).toBeGreaterThan(0);
    const before = text.slice(0, at).split('\n');
    const frame = `    at compileSpec (${CLI_BUNDLE}:${before.length}:${before[before.length - 1].length + 1})`;
    const mapped = sourceStack(`Error: boom\n${frame}`, CLI_BUNDLE);
    expect(mapped).toMatch(/at compileSpec \(.*[\\/]src[\\/]compiler[\\/]index\.ts:\d+:\d+\)$/);
    // And the CLI does it for the bundle it runs in.
    expect(readFileSync(join(ROOT, 'src', 'cli.ts'), 'utf8')).toMatch(/sourceStackOfCli\(e\.stack\)/);
  });

  test("bin keeps V8's young generation at its initial size for a synth only; PIPEFORM_NO_V8_TUNING leaves V8's default", () => {
    // The size of the new space at exit of a run on examples/complete, through a preloaded hook.
    const hook = join(mkdtempSync(join(tmpdir(), 'pipeform-v8-hook-')), 'hook.cjs');
    writeFileSync(
      hook,
      "process.on('exit', () => { const s = require('node:v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space'); require('node:fs').writeSync(2, 'NEWSPACE ' + s.space_size + '\\n'); });\n",
    );
    const newSpace = (env: NodeJS.ProcessEnv, command = 'synth') => {
      const out = mkdtempSync(join(tmpdir(), 'pipeform-v8-out-'));
      const r = spawnSync(
        process.execPath,
        [join(ROOT, 'bin', 'pipeform.js'), command, COMPLETE, ...(command === 'synth' ? ['--out', out] : [])],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, PIPEFORM_NO_V8_TUNING: '', ...env, NODE_OPTIONS: `--require ${hook}` },
        },
      );
      rmSync(out, { recursive: true, force: true });
      expect(r.status).toBe(0);
      return Number(/NEWSPACE (\d+)/.exec(r.stderr)?.[1]);
    };
    const tuned = newSpace({});
    const stock = newSpace({ PIPEFORM_NO_V8_TUNING: '1' });
    expect(tuned).toBeLessThanOrEqual(4 << 20);
    expect(stock).toBeGreaterThan(2 * tuned);
    // validate builds no construct tree: V8's default, as with PIPEFORM_NO_V8_TUNING.
    const validate = newSpace({}, 'validate');
    expect(validate).toBeGreaterThan(2 * tuned);
    expect(validate).toBe(newSpace({ PIPEFORM_NO_V8_TUNING: '1' }, 'validate'));
    rmSync(dirname(hook), { recursive: true, force: true });
  });
});
