// Regenerates generated/<example>/ from examples/<example>/pipeline.yaml with the built CLI
// (run `npm run build` first). A test fails when the committed output is stale.
// `--check` synthesizes into a scratch directory instead and exits 1 when any file differs
// from, is missing from or is extra to what is committed (npm run check:generated). The
// scratch directory mirrors the repository's layout (examples/ linked in, output under
// generated/), because the module's README names the path it was written to.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const committed = join(root, 'generated');
const cwd = check ? mkdtempSync(join(tmpdir(), 'pipeform-check-generated-')) : root;
if (check) symlinkSync(join(root, 'examples'), join(cwd, 'examples'));
const outRoot = join(cwd, 'generated');
let failed = false;

function pipeform(args) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'pipeform.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (!check || r.status !== 0) {
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
  }
  if (r.status !== 0) failed = true;
}

for (const name of readdirSync(join(root, 'examples')).sort()) {
  const spec = join('examples', name, 'pipeline.yaml');
  if (!existsSync(join(root, spec))) continue;
  pipeform(['synth', spec, '--out', join('generated', name)]);
}
// The module consumed by examples/consume-module.
pipeform([
  'module',
  join('examples', 'data-lake', 'pipeline.yaml'),
  '--out',
  join('generated', 'modules', 'data-lake'),
]);

if (check) {
  const files = (dir) =>
    existsSync(dir)
      ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile())
      : [];
  const fresh = new Set(files(outRoot));
  const stale = [];
  for (const f of new Set([...fresh, ...files(committed)])) {
    const a = join(committed, f);
    const b = join(outRoot, f);
    if (!existsSync(a)) stale.push(`generated/${f} is missing`);
    else if (!fresh.has(f)) stale.push(`generated/${f} is no longer generated`);
    else if (!readFileSync(a).equals(readFileSync(b))) stale.push(`generated/${f} differs`);
  }
  rmSync(cwd, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(`${stale.sort().join('\n')}\ngenerated/ is stale: run \`npm run gen:examples\`.`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
