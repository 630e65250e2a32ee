import { spawnSync } from 'node:child_process';
import { ROOT } from './spec';

/**
 * Runs an ES module script in a fresh node (from the repository root) and parses the JSON it
 * prints last: for tests of build-time patches, which load patched and stock modules side by
 * side without jest's module registry in between.
 */
export function probe<T>(script: string): T {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`probe failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as T;
}
