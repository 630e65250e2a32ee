// Shared by the generators: write the generated file, or with `--check` exit 1 when the
// committed file differs from what the generator makes (CI's staleness check).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeOrCheck(outPath, fresh, staleMessage) {
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(outPath, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (current !== fresh) {
      console.error(staleMessage);
      process.exit(1);
    }
    return;
  }
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, fresh);
  console.log(`wrote ${outPath}`);
}
