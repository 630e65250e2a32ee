// Writes docs/endpoints.md from the compiled endpoint table (run `npm run build` first);
// `--check` exits 1 when the committed file differs.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOrCheck } from './lib/write-or-check.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { renderEndpointDocs } = require(join(root, 'dist', 'src', 'docs', 'endpoints.js'));
const out = join(root, 'docs', 'endpoints.md');
writeOrCheck(out, renderEndpointDocs(), 'docs/endpoints.md is stale: run `npm run gen:docs`.');
