// Regenerates generated/<example>/ from examples/<example>/pipeline.yaml with the built CLI
// (run `npm run build` first). A test fails when the committed output is stale.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let failed = false;
for (const name of readdirSync(join(root, 'examples')).sort()) {
  const spec = join('examples', name, 'pipeline.yaml');
  if (!existsSync(join(root, spec))) continue;
  const r = spawnSync(
    process.execPath,
    ['bin/pipeform.js', 'synth', spec, '--out', join('generated', name)],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  if (r.status !== 0) failed = true;
}
// The module consumed by examples/consume-module.
const mod = spawnSync(
  process.execPath,
  [
    'bin/pipeform.js',
    'module',
    join('examples', 'data-lake', 'pipeline.yaml'),
    '--out',
    join('generated', 'modules', 'data-lake'),
  ],
  { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
);
process.stdout.write(mod.stdout);
process.stderr.write(mod.stderr);
if (mod.status !== 0) failed = true;
process.exit(failed ? 1 : 0);
