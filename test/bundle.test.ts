/**
 * The CLI's construct layer is one esbuild bundle (dist/bundle/synth.js, scripts/bundle.mjs).
 * These tests run the built CLI (`npm run build` first): its synth path loads the bundle and no
 * cdktf/provider module files, validate loads neither, no module is loaded both bundled and
 * unbundled, the bundle writes the same bytes as the unbundled modules for every example, a
 * stack trace from inside the bundle names src/*.ts, and what the bundle leaves out of cdktf
 * (token creation stacks) is read nowhere in pipeform.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness/spec';

const DIST = join(ROOT, 'dist');
const BUNDLE = join(DIST, 'bundle', 'synth.js');
const COMPLETE = join(ROOT, 'examples', 'complete', 'pipeline.yaml');
const CDK_FILE = /node_modules[\\/](cdktf|@cdktf|cdktn|@cdktn|constructs)[\\/]/;

/** Runs a script in a fresh node (from the repository root) and parses the JSON it prints last. */
function probe<T>(script: string): T {
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`probe failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as T;
}

describe('the CLI loads the construct layer as one bundle', () => {
  test('synth through dist loads the bundle and no cdktf, constructs or provider module file', () => {
    const out = probe<{ code: number; cdk: string[]; bundle: boolean; duplicated: string[] }>(`
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
        }) + '\\n');
        require('node:fs').rmSync(out, { recursive: true, force: true });
      });`);
    expect(out).toEqual({ code: 0, cdk: [], bundle: true, duplicated: [] });
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
    expect(bundle).toMatch(/\bserving: \(\) => require_serving\(\)/);
    expect(bundle.match(/\brequire_serving\(\)/g)).toHaveLength(1);
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
    const bundled = digests(BUNDLE);
    const unbundled = digests(join(DIST, 'src', 'synth', 'layer-entry.js'));
    expect(Object.keys(bundled).length).toBeGreaterThan(examples.length);
    expect(bundled).toEqual(unbundled);
  });

  test('a stack trace from inside the bundle names the TypeScript source', () => {
    // A bug, not a user mistake: synthesize() of no spec throws inside src/synth. Node's own
    // source-map support stays off (it costs every synth); the layer maps the frames itself.
    const out = probe<{ stack: string; nodeMaps: boolean }>(`
      const { synthesize } = require(${JSON.stringify(join(DIST, 'src', 'synth', 'layer.js'))});
      try { synthesize(undefined, 'x.yaml'); } catch (e) {
        console.log(JSON.stringify({ stack: e.stack, nodeMaps: process.sourceMapsEnabled === true }));
      }`);
    expect(out.nodeMaps).toBe(false);
    expect(out.stack.split('\n')[1]).toMatch(/at synthesize \(.*[\\/]src[\\/]synth[\\/]synth\.ts:\d+:\d+\)$/);
    expect(out.stack).not.toMatch(/bundle[\\/]synth\.js/);
  });

  test('pipeform reads no token creationStack (the bundle stubs cdktf stack capture)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ts$/.test(e.name) && /creationStack|captureStackTrace/.test(readFileSync(p, 'utf8')))
          offenders.push(p);
      }
    };
    walk(join(ROOT, 'src'));
    expect(offenders).toEqual([]);
    // And the stub is in the bundle: cdktf's capture with Error.stackTraceLimit = MAX is gone.
    const bundle = readFileSync(BUNDLE, 'utf8');
    const at = bundle.indexOf('// node_modules/cdktf/lib/tokens/private/stack-trace.js');
    expect(at).toBeGreaterThan(0);
    const cdktfCapture = bundle.slice(at, bundle.indexOf('\n});', at));
    expect(cdktfCapture).toContain('pipeformNoTokenCreationStack');
    expect(cdktfCapture).not.toContain('stackTraceLimit');
  });
});
