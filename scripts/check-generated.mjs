// `npm run check:generated`: every committed generated file is what its generator makes
// now (run after `npm run build`, which the npm script does first). Runs each generator's
// `--check` and names every stale file; exits 1 when any is. `npm run gen` fixes them all.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const checks = [
  ['types (src/spec/types.generated.ts)', 'gen-types.mjs'],
  ['editor schema (schemas/pipeline.editor.schema.json)', 'gen-editor-schema.mjs'],
  ['spec reference (docs/spec-reference.md)', 'gen-spec-docs.mjs'],
  ['compliance docs (docs/compliance.md)', 'gen-compliance-docs.mjs'],
  ['endpoint docs (docs/endpoints.md)', 'gen-endpoint-docs.mjs'],
  ['examples (generated/)', 'gen-examples.mjs'],
];
let stale = 0;
for (const [what, script] of checks) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', script), '--check'], {
    cwd: root,
    encoding: 'utf8',
  });
  const fresh = r.status === 0;
  if (!fresh) stale++;
  console.log(`${fresh ? 'fresh' : 'STALE'}  ${what}`);
  if (!fresh) console.log(`${r.stdout}${r.stderr}`.trimEnd().replace(/^/gm, '       '));
}
if (stale > 0) console.log(`${stale} stale: run \`npm run gen\` and commit the result.`);
process.exit(stale > 0 ? 1 : 0);
