// Leaves the HCL half of @cdktf/provider-aws 20.1.0 out of the construct bundle
// (scripts/bundle.mjs; the unbundled provider, a user's own cdktf app and the ts-jest runs
// are unchanged).
//
// Every generated provider file carries each struct twice: `<struct>ToTerraform` (JSON) and
// `<struct>ToHclTerraform`, and each resource class `synthesizeAttributes` and
// `synthesizeHclAttributes`. cdktf calls the HCL ones only from `TerraformStack.toHclTerraform`,
// i.e. for `App({ hclOutput: true })` / `SYNTH_HCL_OUTPUT=true`; the construct bundle renders
// with `stack.toTerraform()` alone (src/synth/synth.ts), and `pipeform module --format hcl`
// prints the JSON as HCL itself (src/synth/hcl.ts). The HCL half is ~800 kB of the 4.2 MB
// bundle, read, hashed and loaded through the code cache on every synth for nothing. Here
// each of those bodies becomes one call that throws an internal error if it is ever reached.
//
// The provider is tsc's output: a struct function starts with `function <name>ToHclTerraform(`
// at column 0 and ends at the next `}` at column 0; a method starts with
// `    synthesizeHclAttributes() {` and ends at the next `}` at its indentation. Every body
// line becomes an empty line, so the file keeps its line count and the source map the
// provider ships inline still maps each remaining line. A file in which a declaration is
// found but not its end (another provider version, another emitter) fails the build.
import { readFile } from 'node:fs/promises';

/** What an HCL function of the bundle throws; test/provider-no-hcl.test.ts looks for it. */
export const NO_HCL_MESSAGE =
  "internal: pipeform's construct bundle leaves out the provider's HCL rendering (cdktf's hclOutput); pipeform renders Terraform JSON";

const HELPER = `function pipeformNoHcl() { return new Error(${JSON.stringify(NO_HCL_MESSAGE)}); }`;

const STRUCT = /^function (\w+)ToHclTerraform\((\w*)\) \{$/;
const METHOD = /^(\s+)synthesizeHclAttributes\(\) \{$/;

/**
 * The file with every HCL body replaced, and how many were; throws when a declaration has no
 * end where tsc would put it.
 * @param {string} source a provider module's source
 * @param {string} file its path, for the error
 * @returns {{ source: string, stripped: number }}
 */
export function stripHcl(source, file) {
  const lines = source.split('\n');
  let stripped = 0;
  for (let i = 0; i < lines.length; i++) {
    const struct = STRUCT.exec(lines[i]);
    const method = struct ? undefined : METHOD.exec(lines[i]);
    if (!struct && !method) continue;
    const end = struct ? '}' : `${method[1]}}`;
    let j = i + 1;
    while (j < lines.length && lines[j] !== end) j++;
    if (j === lines.length) {
      throw new Error(
        `scripts/lib/provider-no-hcl.mjs: ${file}:${i + 1}: no end of ${lines[i].trim()}; ` +
          'the patch is written for @cdktf/provider-aws 20.1.0 (tsc output): check the new version and update it',
      );
    }
    lines[i] = struct
      ? `function ${struct[1]}ToHclTerraform(${struct[2]}) { throw pipeformNoHcl(); }`
      : `${method[1]}synthesizeHclAttributes() { throw pipeformNoHcl(); }`;
    for (let k = i + 1; k <= j; k++) lines[k] = '';
    stripped++;
    i = j;
  }
  // On the first line, after whatever is there ("use strict"), so no line moves.
  if (stripped > 0) lines[0] = `${lines[0]} ${HELPER}`;
  return { source: lines.join('\n'), stripped };
}

/** The esbuild plugin for scripts/bundle.mjs: every module of the provider's lib/. */
export const providerNoHcl = {
  name: 'provider-no-hcl',
  setup(b) {
    b.onLoad({ filter: /[\\/]@cdktf[\\/]provider-aws[\\/]lib[\\/].*\.js$/ }, async (args) => {
      const { source } = stripHcl(await readFile(args.path, 'utf8'), args.path);
      return { contents: source, loader: 'js' };
    });
  },
};
