// Generates src/spec/types.generated.ts from schemas/pipeline.schema.json.
// `--check` exits 1 when the committed file differs from what the generator makes.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import prettier from 'prettier';
import { writeOrCheck } from './lib/write-or-check.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = join(root, 'schemas', 'pipeline.schema.json');
const outPath = join(root, 'src', 'spec', 'types.generated.ts');

export async function generateTypes() {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  const banner = [
    '/* eslint-disable */',
    '/**',
    ' * DO NOT EDIT: generated from schemas/pipeline.schema.json by scripts/gen-types.mjs.',
    ' * Change the schema and run `npm run gen:types`; CI fails when this file is stale.',
    ' */',
  ].join('\n');
  const ts = await compile(schema, 'PipelineSpec', {
    bannerComment: banner,
    additionalProperties: false,
    unreachableDefinitions: true,
    declareExternallyReferenced: true,
    format: false,
    cwd: join(root, 'schemas'),
  });
  const options = (await prettier.resolveConfig(outPath)) ?? {};
  return prettier.format(ts, { ...options, filepath: outPath });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeOrCheck(
    outPath,
    await generateTypes(),
    'src/spec/types.generated.ts is stale: run `npm run gen:types`.',
  );
}
