// Generates schemas/pipeline.editor.schema.json, the schema the specs' modelines name, from
// schemas/pipeline.schema.json (the single source of the spec's shape). Same shape, plus
// what the YAML language server shows and the source does not carry:
// - `markdownDescription` (hover, completion): the description, the allowed values, the
//   default and the range, so the editor says what docs/spec-reference.md says;
// - `errorMessage` on every enum: the allowed values, as `pipeform validate` lists them;
// - `propertyNames` with an `errorMessage` on every closed object, replacing its
//   `additionalProperties: false` (the same constraint): an unknown key is underlined with
//   the keys allowed there, as the CLI lists them ("allowed keys here: ..."). The language
//   server reports `propertyNames` at the key; an object's own `errorMessage` would also
//   replace its missing-property and wrong-type messages, so it is not used.
// `--check` exits 1 when the committed file differs from what the generator makes.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { writeOrCheck } from './lib/write-or-check.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourcePath = join(root, 'schemas', 'pipeline.schema.json');
const outPath = join(root, 'schemas', 'pipeline.editor.schema.json');

/** Keywords whose value is one schema, a list of schemas, or a map of name to schema. */
const ONE = ['additionalProperties', 'items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];
const LIST = ['allOf', 'anyOf', 'oneOf'];
const MAP = ['properties', 'patternProperties', 'definitions', 'dependencies'];

const code = (v) => `\`${JSON.stringify(v)}\``;
const list = (values) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

function range(s) {
  const low = s.exclusiveMinimum !== undefined ? `more than ${s.exclusiveMinimum}` : s.minimum;
  const high = s.exclusiveMaximum !== undefined ? `less than ${s.exclusiveMaximum}` : s.maximum;
  if (low !== undefined && high !== undefined) return `Range: ${low} to ${high}.`;
  if (low !== undefined) return `Range: at least ${low}.`;
  if (high !== undefined) return `Range: at most ${high}.`;
  return undefined;
}

/** The hover text: what the spec reference says of the field. */
function markdown(s) {
  const parts = [];
  if (typeof s.description === 'string') parts.push(s.description);
  if (Array.isArray(s.enum)) parts.push(`Allowed values: ${s.enum.map(code).join(', ')}.`);
  const r = range(s);
  if (r) parts.push(r);
  if (s.default !== undefined) parts.push(`Default: ${code(s.default)}.`);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

/** A copy of schema node `s` with the editor hints, its subschemas done the same way. */
export function editorNode(s) {
  if (Array.isArray(s)) return s.map(editorNode);
  if (s === null || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (ONE.includes(k)) out[k] = editorNode(v);
    else if (LIST.includes(k)) out[k] = v.map(editorNode);
    else if (MAP.includes(k))
      out[k] = Object.fromEntries(
        Object.entries(v).map(([name, sub]) => [name, Array.isArray(sub) ? sub : editorNode(sub)]),
      );
    else out[k] = v;
  }
  const md = markdown(s);
  if (md !== undefined) out.markdownDescription = md;
  if (Array.isArray(s.enum)) out.errorMessage = `not an allowed value; allowed values: ${list(s.enum)}`;
  const closed =
    s.additionalProperties === false &&
    s.properties !== undefined &&
    s.patternProperties === undefined &&
    s.propertyNames === undefined;
  if (closed) {
    const keys = Object.keys(s.properties).sort();
    delete out.additionalProperties;
    out.propertyNames = {
      enum: keys,
      errorMessage:
        keys.length > 0 ? `unknown key; allowed keys here: ${keys.join(', ')}` : 'no keys are allowed here',
    };
  }
  return out;
}

export async function generateEditorSchema() {
  const source = JSON.parse(readFileSync(sourcePath, 'utf8'));
  const { $id: _id, $schema, ...rest } = source;
  const schema = {
    $schema,
    $comment:
      'DO NOT EDIT: generated from pipeline.schema.json by scripts/gen-editor-schema.mjs (npm run gen:editor-schema). The same shape, with the hints the YAML language server shows.',
    ...editorNode(rest),
  };
  const options = (await prettier.resolveConfig(outPath)) ?? {};
  return prettier.format(JSON.stringify(schema), { ...options, filepath: outPath });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeOrCheck(
    outPath,
    await generateEditorSchema(),
    'schemas/pipeline.editor.schema.json is stale: run `npm run gen:editor-schema`.',
  );
}
