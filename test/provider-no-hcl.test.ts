/**
 * The construct bundle leaves out the provider's HCL rendering (scripts/lib/provider-no-hcl.mjs):
 * every `<struct>ToHclTerraform` function and `synthesizeHclAttributes` method of
 * @cdktf/provider-aws becomes a call that throws. These tests run the patch on the provider
 * files the bundle holds, in a fresh node: every HCL body found and none left, the line count
 * kept (the inline source map still fits), the JSON rendering of a patched module the same as
 * the stock one's and its HCL rendering an error that says why; a file it was not written for
 * fails the build; and the bundle carries the patch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probe } from './harness/probe';
import { ROOT } from './harness/spec';

const PATCH = join(ROOT, 'scripts', 'lib', 'provider-no-hcl.mjs');
const BUNDLE = join(ROOT, 'dist', 'bundle', 'synth.js');

const SETUP = `
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
const { stripHcl, NO_HCL_MESSAGE } = await import(${JSON.stringify(PATCH)});
const require = createRequire(join(process.cwd(), 'package.json'));
/** A provider module compiled from the patched source, in its own folder (it shares cdktf). */
function loadPatched(file) {
  const m = new Module(file.replace(/\\.js$/, '.pipeform-patched.js'));
  m.filename = m.id;
  m.paths = Module._nodeModulePaths(dirname(file));
  m._compile(stripHcl(readFileSync(file, 'utf8'), file).source, m.filename);
  return m.exports;
}
`;

describe('the provider without its HCL rendering', () => {
  test('every HCL body of every bundled provider file is replaced, and no line moves', () => {
    const files = (
      JSON.parse(readFileSync(join(ROOT, 'dist', 'bundle', 'synth.inputs.json'), 'utf8')) as string[]
    )
      .filter((p) => p.startsWith('node_modules/@cdktf/provider-aws/lib/'))
      .map((p) => join(ROOT, p));
    expect(files.length).toBeGreaterThan(50);
    const out = probe<{
      declared: number;
      stripped: number;
      left: string[];
      linesKept: boolean;
      stubs: number;
    }>(
      `${SETUP}
      const files = ${JSON.stringify(files)};
      let declared = 0, stripped = 0, stubs = 0, linesKept = true; const left = [];
      for (const f of files) {
        const source = readFileSync(f, 'utf8');
        // Declarations counted independently of the patch's own patterns.
        declared += (source.match(/ToHclTerraform\\([^)]*\\) \\{\\n/g) ?? []).length;
        declared += (source.match(/synthesizeHclAttributes\\(\\) \\{\\n/g) ?? []).length;
        const r = stripHcl(source, f);
        stripped += r.stripped;
        stubs += (r.source.match(/\\{ throw pipeformNoHcl\\(\\); \\}/g) ?? []).length;
        if (r.source.split('\\n').length !== source.split('\\n').length) linesKept = false;
        // No HCL value mapper is called anywhere but in what was stripped.
        if (/HclTerraform\\(struct\\.|isBlock: true/.test(r.source)) left.push(f);
      }
      console.log(JSON.stringify({ declared, stripped, left, linesKept, stubs }));`,
    );
    expect(out.declared).toBeGreaterThan(500);
    expect(out.stripped).toBe(out.declared);
    expect(out.stubs).toBe(out.declared);
    expect(out.left).toEqual([]);
    expect(out.linesKept).toBe(true);
  });

  test('a patched resource renders the same JSON, and its HCL rendering throws why', () => {
    const out = probe<{ stock: unknown; patched: unknown; hcl: string; stockHcl: boolean }>(
      `${SETUP}
      const cdktf = require('cdktf');
      const file = require.resolve('@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js');
      const stock = require(file);
      const patched = loadPatched(file);
      // Two apps with a stack and a resource of the same names: the two renderings can be equal.
      const build = (lib) => {
        const app = new cdktf.App({ outdir: join(tmpdir(), 'pipeform-no-hcl-probe'), skipValidation: true });
        const stack = new cdktf.TerraformStack(app, 'probe');
        const r = new lib.S3BucketLifecycleConfiguration(stack, 'r', {
          bucket: 'data',
          rule: [{ id: 'tier', status: 'Enabled', filter: [{ prefix: 'raw/' }],
            transition: [{ days: 30, storageClass: 'GLACIER_IR' }], expiration: [{ days: 365 }] }],
        });
        return { stack, r };
      };
      const a = build(stock);
      const b = build(patched);
      const json = ({ stack, r }) => cdktf.Tokenization.resolve(r.toTerraform(), {
        scope: stack, preparing: false, resolver: new cdktf.DefaultTokenResolver(new cdktf.StringConcat()) });
      let hcl = '';
      try { b.r.toHclTerraform(); } catch (e) { hcl = e.message; }
      let stockHcl = true;
      try { a.r.toHclTerraform(); } catch { stockHcl = false; }
      console.log(JSON.stringify({ stock: json(a), patched: json(b), hcl, stockHcl, message: NO_HCL_MESSAGE }));`,
    );
    expect(out.patched).toEqual(out.stock);
    expect(JSON.stringify(out.stock)).toContain('GLACIER_IR');
    expect(out.stockHcl).toBe(true);
    expect(out.hcl).toMatch(/^internal: pipeform's construct bundle leaves out the provider's HCL rendering/);
  });

  test('a file whose HCL body has no end where tsc puts it fails the build', () => {
    const out = probe<{ error: string }>(
      `${SETUP}
      let error = '';
      try { stripHcl('"use strict";\\nfunction fooToHclTerraform(struct) {\\n    return struct; }\\n', 'x/foo.js'); }
      catch (e) { error = e.message; }
      console.log(JSON.stringify({ error }));`,
    );
    expect(out.error).toMatch(
      /x\/foo\.js:2: no end of function fooToHclTerraform\(struct\) \{; .*provider-aws 20\.1\.0/,
    );
  });

  test('the bundle carries it', () => {
    const bundle = readFileSync(BUNDLE, 'utf8');
    expect(bundle).toContain('function pipeformNoHcl()');
    // Minified, a stripped struct function reads `function xToHclTerraform(struct){throw pipeformNoHcl()}`.
    const bodies = bundle.match(/function \w+ToHclTerraform\(\w*\)\{[^}]{0,40}/g) ?? [];
    expect(bodies.length).toBeGreaterThan(500);
    expect(bodies.filter((b) => !b.includes('throw pipeformNoHcl()'))).toEqual([]);
  });
});
