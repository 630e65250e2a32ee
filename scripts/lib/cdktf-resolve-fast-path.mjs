// Fast paths for cdktf 0.21.0's token resolution, applied to the construct bundle only
// (scripts/bundle.mjs; a user's own cdktf app and the ts-jest runs use cdktf unchanged).
//
// cdktf resolves every value of every resource through `resolve()` (lib/tokens/private/
// resolve.js). For a plain string that costs a closure-laden context object, two
// TokenString objects and three regular-expression tests, and an object key goes through
// the whole recursion too; a synth of examples/complete resolves ~100,000 values, almost
// all of them plain, and that was the largest single cost of a synth (docs/benchmarks.md).
// The patch returns a value that cannot hold a token as it is, before any of that, and
// leaves every other value to cdktf's own code. It decides "cannot hold a token" with the
// tests cdktf itself would go on to apply:
// - a string token, list token and map token all contain `TfToken[` (encoding.js:
//   `${TfToken[`, `#{TfToken[`, `&{TfToken[`), so a string without it matches none of
//   them; a string that could hold an encoded number (cdktf's own NUMBER_TOKEN_REGEX) or
//   is one of the two map-token sentinel values still takes cdktf's path;
// - a number is a token only if its top 16 bits carry the token marker
//   (`extractTokenDouble`), and the number-map sentinel still takes cdktf's path (it throws);
// - booleans, null and undefined come back unchanged in cdktf too;
// - the depth guard (more than 200 levels is a cycle) is kept: a value that would be past it
//   takes cdktf's path and throws there.
// test/cdktf-resolve-fast-path.test.ts runs both versions side by side on token-laden and
// plain values; test/bundle.test.ts checks that the bundle writes the same bytes as the
// unbundled cdktf for every example.
//
import { readFile } from 'node:fs/promises';

// cdktf is MPL-2.0; the patched file in dist/bundle/synth.js stays under it, and this script
// is how its modified source is made from the published one.

/**
 * The helper the patched resolve.js uses, put after its requires. Every edit keeps the file's
 * line count, so the source map cdktf ships inline still maps each line of the bundled file
 * to its line of resolve.ts.
 */
const PLAIN =
  'const PIPEFORM_NUMBER_IN_STRING = /[-|\\d|.\\+]+(e[-|\\d|.|e|E|\\+]+)/; ' +
  'function pipeformPlain(v) { switch (typeof v) { ' +
  'case "string": return v.indexOf("TfToken[") === -1 && v !== token_1.Token.STRING_MAP_TOKEN_VALUE && ' +
  'v !== token_1.Token.ANY_MAP_TOKEN_VALUE && !PIPEFORM_NUMBER_IN_STRING.test(v); ' +
  'case "number": return v !== token_1.Token.NUMBER_MAP_TOKEN_VALUE && (0, encoding_1.extractTokenDouble)(v, false) === undefined; ' +
  'case "boolean": case "undefined": return true; ' +
  'default: return v === null; } } ' +
  'exports.pipeformResolveFastPath = true;';

/** [what cdktf 0.21.0 has, what the bundle gets], each found exactly once. */
const RESOLVE_EDITS = [
  ['const errors_1 = require("../../errors");\n', `const errors_1 = require("../../errors"); ${PLAIN}\n`],
  [
    'function resolve(obj, options) {\n',
    'function resolve(obj, options) { ' +
      'if (pipeformPlain(obj) && !(options.prefix && options.prefix.length > 200)) return obj; ' +
      'return cdktfResolve(obj, options); } ' +
      'function cdktfResolve(obj, options) {\n',
  ],
  [
    '.map((x, i) => makeContext(`${i}`)[0].resolve(x))',
    '.map((x, i) => prefix.length < 200 && pipeformPlain(x) ? x : makeContext(`${i}`)[0].resolve(x))',
  ],
  [
    'const resolvedKey = makeContext()[0].resolve(key);',
    'const resolvedKey = pipeformPlain(key) ? key : makeContext()[0].resolve(key);',
  ],
  [
    'const value = makeContext(key)[0].resolve(obj[key]);',
    'const pipeformValue = obj[key]; ' +
      'const value = prefix.length < 200 && pipeformPlain(pipeformValue) ? pipeformValue : makeContext(key)[0].resolve(pipeformValue);',
  ],
];

const ENCODING_EDITS = [
  [
    'return Object.keys(xs).some((x) => typeof x === "string" && TokenString.forMapToken(x).test());',
    'return Object.keys(xs).some((x) => typeof x === "string" && x.indexOf("TfToken[") !== -1 && TokenString.forMapToken(x).test());',
  ],
];

function apply(source, edits, file) {
  let out = source;
  for (const [from, to] of edits) {
    const first = out.indexOf(from);
    if (first === -1 || out.indexOf(from, first + from.length) !== -1) {
      throw new Error(
        `scripts/lib/cdktf-resolve-fast-path.mjs: ${file} does not contain exactly one ${JSON.stringify(from)}; ` +
          'the patch is written for cdktf 0.21.0: check the new version and update it',
      );
    }
    out = out.slice(0, first) + to + out.slice(first + from.length);
  }
  return out;
}

/** cdktf's lib/tokens/private/resolve.js with the fast path. */
export function patchResolve(source) {
  return apply(source, RESOLVE_EDITS, 'cdktf/lib/tokens/private/resolve.js');
}

/** cdktf's lib/tokens/private/encoding.js with the cheaper map-token test. */
export function patchEncoding(source) {
  return apply(source, ENCODING_EDITS, 'cdktf/lib/tokens/private/encoding.js');
}

/** The esbuild plugin for scripts/bundle.mjs. */
export const cdktfResolveFastPath = {
  name: 'cdktf-resolve-fast-path',
  setup(b) {
    b.onLoad(
      { filter: /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/](resolve|encoding)\.js$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        const patched = args.path.endsWith('resolve.js') ? patchResolve(source) : patchEncoding(source);
        return { contents: patched, loader: 'js' };
      },
    );
  },
};
