import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ioStep } from '../compiler/diagnostics';

/**
 * Writes files into `outDir` so that a failure leaves nothing half-written: every file is
 * first written beside its target under a temporary name, and only when all are written
 * are they renamed into place (rename is atomic on one filesystem). Other files in the
 * directory (terraform state, .terraform/) are left alone. A file-system failure (an out
 * directory that is a file, read-only, full or not writable) throws an {@link IoError}
 * naming the directory or file and the cause.
 */
export function writeFilesAtomically(
  outDir: string,
  files: ReadonlyMap<string, string | Uint8Array>,
): string[] {
  const staged: [string, string][] = [];
  const suffix = `.pipeform-${process.pid}-${Date.now()}.tmp`;
  try {
    for (const [rel, content] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const target = join(outDir, rel);
      ioStep('create directory', dirname(target), () => mkdirSync(dirname(target), { recursive: true }));
      const tmp = `${target}${suffix}`;
      ioStep('write', target, () => writeFileSync(tmp, content));
      staged.push([tmp, target]);
    }
  } catch (e) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    throw e;
  }
  try {
    for (const [tmp, target] of staged) ioStep('write', target, () => renameSync(tmp, target));
  } catch (e) {
    // A target that cannot be replaced (a directory of that name): no staging file stays behind.
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    throw e;
  }
  return staged.map(([, target]) => target);
}
