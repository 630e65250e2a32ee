// Writes docs/compliance.md from the compiled rule registry (run `npm run build` first);
// `--check` exits 1 when the committed file differs.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOrCheck } from './lib/write-or-check.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { renderComplianceDocs } = require(join(root, 'dist', 'src', 'docs', 'compliance.js'));
const out = join(root, 'docs', 'compliance.md');
writeOrCheck(out, renderComplianceDocs(), 'docs/compliance.md is stale: run `npm run gen:docs`.');
