// Writes docs/endpoints.md from the compiled endpoint table (run `npm run build` first).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { renderEndpointDocs } = require(join(root, 'dist', 'src', 'docs', 'endpoints.js'));
const out = join(root, 'docs', 'endpoints.md');
writeFileSync(out, renderEndpointDocs());
console.log(`wrote ${out}`);
