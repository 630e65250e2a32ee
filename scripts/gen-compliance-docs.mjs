// Writes docs/compliance.md from the compiled rule registry (run `npm run build` first).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { renderComplianceDocs } = require(join(root, 'dist', 'src', 'docs', 'compliance.js'));
const out = join(root, 'docs', 'compliance.md');
writeFileSync(out, renderComplianceDocs());
console.log(`wrote ${out}`);
