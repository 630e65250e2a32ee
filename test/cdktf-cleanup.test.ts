/**
 * The suite leaves nothing of cdktf's in the temp directory: `Testing.app()` makes a
 * `cdktf.outdir.*` per call and never removes it (hundreds per run), so tests build apps
 * through test/harness/cdktf-testing.ts, which removes its outdirs after each file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from './harness/spec';

// The harness wraps them; this file names them.
const ALLOWED = [join(ROOT, 'test', 'harness', 'cdktf-testing.ts'), __filename];

test('no test calls the cdktf Testing helpers that leave an outdir behind', () => {
  const offenders = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(ROOT, 'test', f))
    .filter(
      (f) => !ALLOWED.includes(f) && /Testing\.(app|synthScope|fullSynth)\(/.test(readFileSync(f, 'utf8')),
    )
    .map((f) => relative(ROOT, f));
  expect(offenders).toEqual([]);
});

test('a construct test file run leaves no cdktf.outdir.* and none of its own outdirs', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pipeform-cleanup-'));
  try {
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
        '--runInBand',
        // The transform cache stays in the usual temp directory, so only the tests write in `tmp`.
        `--cacheDirectory=${join(tmpdir(), 'pipeform-jest-cleanup-cache')}`,
        'test/constructs/role-factory.test.ts',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp }, timeout: 110000 },
    );
    expect(`${r.status} ${r.stderr}`).toMatch(/^0 [\s\S]*Tests:\s+\d+ passed/);
    expect(readdirSync(tmp)).toEqual([]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
