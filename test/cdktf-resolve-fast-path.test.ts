/**
 * The construct bundle resolves tokens through a patched cdktf (scripts/lib/cdktf-resolve-fast-path.mjs):
 * a value that cannot hold a token is returned before cdktf builds a resolution context for it.
 * These tests load the patched resolve.js beside cdktf's own, in one fresh node, and check
 * that the two agree on every kind of value cdktf resolves (results and errors alike), at the
 * cycle guard's depth boundary too; that the patch does skip the context for plain values;
 * that it refuses a cdktf it was not written for; and that the bundle carries it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probe } from './harness/probe';
import { ROOT } from './harness/spec';

const PATCH = join(ROOT, 'scripts', 'lib', 'cdktf-resolve-fast-path.mjs');

/** Loads cdktf, and the patched resolve.js as a module in cdktf's own folder (so it shares cdktf's modules). */
const SETUP = `
import { createRequire } from 'node:module';
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
const { patchResolve, patchEncoding } = await import(${JSON.stringify(PATCH)});
const require = createRequire(join(process.cwd(), 'package.json'));
const cdktf = require('cdktf');
const stockFile = require.resolve('cdktf/lib/tokens/private/resolve.js');
const stock = require(stockFile);
const encoding = require('cdktf/lib/tokens/private/encoding.js');
function loadPatched(file, patch) {
  const m = new Module(file.replace(/\\.js$/, '.pipeform-patched.js'));
  m.filename = m.id;
  m.paths = Module._nodeModulePaths(dirname(file));
  m._compile(patch(readFileSync(file, 'utf8')), m.filename);
  return m.exports;
}
const patched = loadPatched(stockFile, patchResolve);
const patchedEncoding = loadPatched(require.resolve('cdktf/lib/tokens/private/encoding.js'), patchEncoding);
const resolvable = require('cdktf/lib/tokens/resolvable.js');
// An App needs an outdir; nothing is synthesized into it.
const app = new cdktf.App({ outdir: join(tmpdir(), 'pipeform-resolve-probe'), skipValidation: true });
const stack = new cdktf.TerraformStack(app, 'probe');
const options = (extra = {}) => ({
  scope: stack,
  prefix: [],
  resolver: new resolvable.DefaultTokenResolver(new resolvable.StringConcat()),
  preparing: false,
  ...extra,
});
const outcome = (f) => {
  try {
    return { value: JSON.stringify(f()) ?? 'undefined' };
  } catch (e) {
    return { error: String(e && e.message) };
  }
};
const nest = (depth, leaf) => { let v = leaf; for (let i = 0; i < depth; i++) v = { k: v }; return v; };
`;

describe('the patched cdktf resolve', () => {
  test('agrees with cdktf on plain values, every kind of token, sentinels and the depth guard', () => {
    const out = probe<{ name: string; stock: unknown; patched: unknown }[]>(`${SETUP}
const { Token, Lazy, Fn, ref } = cdktf;
const str = Token.asString(Lazy.stringValue({ produce: () => 'lazy-value' }));
const num = Token.asNumber(Lazy.numberValue({ produce: () => 42 }));
const list = Token.asList(Lazy.listValue({ produce: () => ['a', 'b'] }));
const map = Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: 'v' }) }));
const reference = ref('aws_s3_bucket.data.arn', stack);
const cases = {
  'plain string': 'arn:aws:s3:::bucket/key',
  'empty string': '',
  'a Terraform expression (escape, not a token)': '\${var.region}-\${aws_s3_bucket.x.id}',
  'TfToken[ text that is no token': 'see TfToken[ in the docs',
  'number-like text (cdktf checks it for encoded numbers)': 'instance-1e5-a-e-1',
  'string token': str,
  'token inside text': \`prefix-\${str}-suffix\`,
  'reference': reference,
  'function token': Fn.upper(str),
  'number token in text': \`count \${Token.asString(num)}\`,
  'number token': num,
  'plain numbers': [0, -1, 1.5, 1e300, Number.MAX_SAFE_INTEGER, -0],
  'list token': list,
  'list token in a list': ['x', ...list],
  'map token key': map,
  'booleans, null, undefined': [true, false, null, undefined, { a: undefined, b: null }],
  'nested plain object': { a: { b: ['c', 1, true, { d: 'e' }] }, '//': { x: 'y' } },
  'string map sentinel': Token.STRING_MAP_TOKEN_VALUE,
  'any map sentinel': Token.ANY_MAP_TOKEN_VALUE,
  'number map sentinel': Token.NUMBER_MAP_TOKEN_VALUE,
  'sentinel as a key': { [Token.ANY_MAP_TOKEN_VALUE]: 1 },
  'a function': () => 1,
  'depth 199, plain leaf': nest(199, 'leaf'),
  'depth 200, plain leaf': nest(200, 'leaf'),
  'depth 201, plain leaf': nest(201, 'leaf'),
  'depth 200, number leaf': nest(200, 7),
  'depth 201, number leaf': nest(201, 7),
  'depth 200, array of plain': nest(199, ['a', 1]),
  'depth 201, array of plain': nest(200, ['a', 1]),
  'depth 201, plain top (prefix 201)': 'leaf',
};
const rows = Object.entries(cases).map(([name, value]) => {
  const extra = name.includes('prefix 201') ? { prefix: Array.from({ length: 201 }, (_, i) => String(i)) } : {};
  return { name, stock: outcome(() => stock.resolve(value, options(extra))), patched: outcome(() => patched.resolve(value, options(extra))) };
});
// cdktf's containsMapToken, with and without the cheaper pre-test.
for (const keys of [['a', 'b'], [Object.keys(map)[0]], ['TfToken[', '&{TfToken[x]}'], []]) {
  const o = Object.fromEntries(keys.map((k) => [k, 1]));
  rows.push({ name: 'containsMapToken ' + JSON.stringify(keys), stock: encoding.containsMapToken(o), patched: patchedEncoding.containsMapToken(o) });
}
console.log(JSON.stringify(rows));
`);
    for (const row of out)
      expect({ name: row.name, result: row.patched }).toEqual({ name: row.name, result: row.stock });
    // The corpus reaches both sides of every branch: tokens resolve, sentinels and the guard throw.
    const byName = Object.fromEntries(
      out.map((r) => [r.name, r.stock as { value?: string; error?: string }]),
    );
    expect(byName['string token'].value).toBe('"lazy-value"');
    expect(byName['reference'].value).toBe('"${aws_s3_bucket.data.arn}"');
    expect(byName['number token'].value).toBe('42');
    expect(byName['string map sentinel'].error).toBeDefined();
    expect(byName['number map sentinel'].error).toBeDefined();
    expect(byName['depth 200, plain leaf'].value).toBeDefined();
    expect(byName['depth 201, plain leaf'].error).toMatch(/circular|cyclic|resolve/i);
    expect(byName['depth 201, number leaf'].error).toBeDefined();
    expect(byName['depth 201, array of plain'].error).toBeDefined();
    expect(byName['depth 201, plain top (prefix 201)'].error).toBeDefined();
    expect(out.find((r) => r.name.startsWith('containsMapToken ["&{'))).toBeDefined();
  });

  test('builds a resolution context only for containers and tokens, where cdktf builds one per key and value', () => {
    // Each context cdktf makes reads previousContext.suppressBraces once: counted by a getter.
    const out = probe<{ stock: number; patched: number; tokenStock: number; tokenPatched: number }>(`${SETUP}
const count = (resolve, value) => {
  let reads = 0;
  const previousContext = { get suppressBraces() { reads++; return undefined; } };
  resolve(value, options({ previousContext }));
  return reads;
};
const plain = { name: 'bucket', team: 'ml', size: 3, enabled: true, none: null, list: ['a', 1] };
const token = { name: cdktf.Token.asString(cdktf.Lazy.stringValue({ produce: () => 'x' })) };
console.log(JSON.stringify({
  stock: count(stock.resolve, plain), patched: count(patched.resolve, plain),
  tokenStock: count(stock.resolve, token), tokenPatched: count(patched.resolve, token),
}));
`);
    // Six keys and six values: twelve contexts in cdktf; only the list (a container) needs one patched.
    expect(out.stock).toBe(12);
    expect(out.patched).toBe(1);
    // A value holding a token still goes through cdktf's own path.
    expect(out.tokenPatched).toBeGreaterThan(0);
  });

  test('refuses a cdktf whose files it was not written for', () => {
    const out = probe<string[]>(`${SETUP}
const errors = [];
for (const [f, text] of [[patchResolve, 'function resolve(obj, options) {\\n'], [patchEncoding, '']]) {
  try { f(text); errors.push('patched'); } catch (e) { errors.push(e.message); }
}
console.log(JSON.stringify(errors));
`);
    expect(out).toHaveLength(2);
    for (const message of out)
      expect(message).toMatch(/does not contain exactly one .* written for cdktf 0\.21\.0/);
  });

  test('the construct bundle carries the patch, and the CLI bundle does not need it', () => {
    const bundle = readFileSync(join(ROOT, 'dist', 'bundle', 'synth.js'), 'utf8');
    const at = bundle.indexOf('"node_modules/cdktf/lib/tokens/private/resolve.js"');
    expect(at).toBeGreaterThan(0);
    expect(bundle.slice(at, bundle.indexOf('__commonJS(', at))).toContain('pipeformResolveFastPath');
    expect(readFileSync(join(ROOT, 'dist', 'bundle', 'cli.js'), 'utf8')).not.toContain('pipeformPlain');
  });
});
