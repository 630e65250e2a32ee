// Generates docs/spec-reference.md from schemas/pipeline.schema.json.
// `--check` exits 1 when the committed file differs from what the generator makes.
// The walk is generic (no section names here) so the docs follow the schema as it grows.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import prettier from 'prettier';
import YAML from 'yaml';
import { writeOrCheck } from './lib/write-or-check.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = join(root, 'schemas', 'pipeline.schema.json');
const outPath = join(root, 'docs', 'spec-reference.md');

const BANNER =
  '<!-- DO NOT EDIT: generated from schemas/pipeline.schema.json by scripts/gen-spec-docs.mjs -->';
const ROOT_HEADING = 'Top level';
// Placeholder for user-chosen keys of a map (additionalProperties), as users would write them.
const MAP_KEY = '<name>';
// Longer enums move below the table: a 28-region list would make every row of it that wide.
const MAX_INLINE_ENUM = 12;

/** `schema` is a parameter only so other schemas can be tried; the docs come from the default. */
export async function generateSpecDocs(schema = JSON.parse(readFileSync(schemaPath, 'utf8'))) {
  const markdown = render(schema, collectSections(schema));
  const options = (await prettier.resolveConfig(outPath)) ?? {};
  return prettier.format(markdown, { ...options, parser: 'markdown' });
}

// ---------------------------------------------------------------------------
// Schema walk

/** Follows a local JSON pointer ($ref) inside the schema document. */
function resolvePointer(schema, ref) {
  if (!ref.startsWith('#')) throw new Error(`only local $refs are supported, got ${ref}`);
  const tokens = ref.slice(1).split('/').slice(1);
  return tokens.reduce((node, raw) => {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === undefined || node === null || !(key in node)) throw new Error(`unresolvable $ref ${ref}`);
    return node[key];
  }, schema);
}

/**
 * Inlines $ref and allOf into one schema. Keywords beside a $ref override the target's
 * (the schema uses a sibling description to say what a shared definition means at that spot).
 * `refs` lists every definition passed through, for the recursion guard; `descriptions`
 * keeps use-site and definition descriptions, most specific first.
 */
function normalize(schema, node) {
  if (typeof node !== 'object' || node === null) return { schema: {}, refs: [], descriptions: [] };
  let refs = [];
  let descriptions = [];
  let merged = { ...node };
  if (typeof node.$ref === 'string') {
    const target = normalize(schema, resolvePointer(schema, node.$ref));
    const siblings = { ...node };
    delete siblings.$ref;
    merged = { ...target.schema, ...siblings };
    refs = [node.$ref, ...target.refs];
    descriptions = target.descriptions;
  }
  if (Array.isArray(merged.allOf)) {
    const { allOf, ...own } = merged;
    let combined = {};
    for (const part of allOf.map((p) => normalize(schema, p))) {
      refs.push(...part.refs);
      descriptions.push(...part.descriptions);
      combined = mergeSchemas(combined, part.schema);
    }
    merged = mergeSchemas(combined, own);
  }
  if (typeof node.description === 'string') descriptions = [node.description, ...descriptions];
  return { schema: merged, refs, descriptions: [...new Set(descriptions)] };
}

/** `b` wins over `a`; properties and required accumulate, in document order. */
function mergeSchemas(a, b) {
  const merged = { ...a, ...b };
  if (a.properties || b.properties) merged.properties = { ...a.properties, ...b.properties };
  if (a.required || b.required)
    merged.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  return merged;
}

const isObjectSchema = (s) => s.type === 'object' || (s.type === undefined && s.properties !== undefined);
const hasKeys = (s) =>
  isObjectSchema(s) && s.properties !== undefined && Object.keys(s.properties).length > 0;
const valueSchema = (s) =>
  typeof s.additionalProperties === 'object' && s.additionalProperties !== null
    ? s.additionalProperties
    : undefined;
const joinPath = (parent, key) => (parent === '' ? key : `${parent}.${key}`);

/**
 * Walks the schema from the top level and returns one section per object with keys, in
 * document order (depth first), each keyed by the dotted path users see in pipeline.yaml.
 */
function collectSections(schema) {
  const sections = [];
  const anchors = new Set();

  const anchorFor = (path) => {
    const base =
      path === ''
        ? 'top-level'
        : path
            .replace(/\[\]/g, '')
            .replace(/[^A-Za-z0-9]+/g, '-')
            .replace(/^-|-$/g, '')
            .toLowerCase();
    let anchor = base;
    for (let n = 2; anchors.has(anchor); n += 1) anchor = `${base}-${n}`;
    anchors.add(anchor);
    return anchor;
  };

  // `stack` maps each definition on the current path to the section documenting it (or null
  // when it is not an object section), so a recursive definition links back instead of looping.
  const documentObject = (path, normalized, stack) => {
    const { schema: s, refs, descriptions } = normalized;
    const section = {
      path,
      anchor: anchorFor(path),
      descriptions,
      rows: [],
      notes: [],
      examples: s.examples,
    };
    sections.push(section);
    const inner = new Map(stack);
    for (const ref of refs) inner.set(ref, section.anchor);
    const required = new Set(s.required ?? []);
    for (const [key, prop] of Object.entries(s.properties ?? {})) {
      section.rows.push(row(key, joinPath(path, key), prop, required.has(key), inner, section.notes));
    }
    const values = valueSchema(s);
    if (values) section.rows.push(row(MAP_KEY, joinPath(path, MAP_KEY), values, false, inner, section.notes));
    return section;
  };

  const row = (key, path, node, required, stack, notes) => {
    const normalized = normalize(schema, node);
    const s = normalized.schema;
    const longList = (values) => {
      notes.push(`Allowed values of ${code(key)}: ${valueList(values)}.`);
      return `one of the ${values.length} values listed below the table`;
    };
    return {
      key,
      type: typeCell(path, normalized, stack),
      required,
      default: 'default' in s ? code(inlineYaml(s.default)) : '',
      description: [prose(normalized.descriptions[0] ?? ''), ...constraints(s, longList).map(sentence)]
        .filter(Boolean)
        .join(' '),
    };
  };

  const typeCell = (path, normalized, stack) => {
    const { schema: s, refs } = normalized;
    const seen = refs.find((ref) => stack.has(ref));
    if (seen !== undefined) {
      const anchor = stack.get(seen);
      return anchor ? `[object](#${anchor}) (recursive)` : 'recursive';
    }
    const inner = new Map(stack);
    for (const ref of refs) if (!inner.has(ref)) inner.set(ref, null);

    if (hasKeys(s)) return `[object](#${documentObject(path, normalized, stack).anchor})`;
    if (s.type === 'array' && typeof s.items === 'object' && !Array.isArray(s.items)) {
      return `array of ${typeCell(`${path}[]`, normalize(schema, s.items), inner)}`;
    }
    const values = valueSchema(s);
    if (isObjectSchema(s) && values) {
      return `map of ${typeCell(joinPath(path, MAP_KEY), normalize(schema, values), inner)}`;
    }
    const variants = s.oneOf ?? s.anyOf;
    if (Array.isArray(variants)) {
      return variants
        .map((v, i) => typeCell(`${path} (option ${i + 1})`, normalize(schema, v), inner))
        .join(' or ');
    }
    return scalarType(s);
  };

  documentObject('', normalize(schema, schema), new Map());
  return sections;
}

function scalarType(s) {
  if (Array.isArray(s.type)) return s.type.join(' or ');
  if (typeof s.type === 'string') return s.type;
  const values = 'const' in s ? [s.const] : (s.enum ?? []);
  const types = [...new Set(values.map((v) => (v === null ? 'null' : typeof v)))];
  return types.length > 0 ? types.join(' or ') : 'any';
}

/**
 * Validation keywords as short phrases (lower case; the caller decides on sentence form).
 * `longList` takes an enum too long for a table cell and returns the phrase pointing to it.
 */
function constraints(s, longList) {
  const out = [];
  if ('const' in s) out.push(`always ${code(inlineYaml(s.const))}`);
  if (Array.isArray(s.enum)) {
    out.push(s.enum.length > MAX_INLINE_ENUM ? longList(s.enum) : `one of: ${valueList(s.enum)}`);
  }
  if (typeof s.pattern === 'string') out.push(`matches ${code(s.pattern)}`);
  if (typeof s.format === 'string') out.push(`format ${code(s.format)}`);
  const range = (min, max, unit) => {
    if (min !== undefined && max !== undefined)
      return min === max ? `exactly ${min}${unit}` : `${min}–${max}${unit}`;
    if (min !== undefined) return `at least ${min}${unit}`;
    if (max !== undefined) return `at most ${max}${unit}`;
    return undefined;
  };
  const value = range(s.minimum, s.maximum, '');
  if (value) out.push(value.includes('–') ? `range ${value}` : value);
  if (typeof s.exclusiveMinimum === 'number') out.push(`greater than ${s.exclusiveMinimum}`);
  if (typeof s.exclusiveMaximum === 'number') out.push(`less than ${s.exclusiveMaximum}`);
  if (typeof s.multipleOf === 'number') out.push(`multiple of ${s.multipleOf}`);
  const length = range(s.minLength, s.maxLength, ' characters');
  if (length) out.push(length.includes('–') ? `length ${length}` : length);
  const items = range(s.minItems, s.maxItems, ' items');
  if (items) out.push(items);
  if (s.uniqueItems === true) out.push('no duplicates');
  const entries = range(s.minProperties, s.maxProperties, ' entries');
  if (entries) out.push(entries);
  if (typeof s.propertyNames === 'object' && s.propertyNames !== null) {
    const keys = constraints(s.propertyNames, longList);
    if (keys.length > 0) out.push(`each key: ${keys.join(', ')}`);
  }
  // Constraints of scalar items and map values; object ones are documented in their own section.
  const nested = (label, node) => {
    if (typeof node !== 'object' || node === null || node.$ref !== undefined || hasKeys(node)) return;
    const inner = constraints(node, longList);
    if (inner.length > 0) out.push(`${label}: ${inner.join(', ')}`);
  };
  if (s.type === 'array' && !Array.isArray(s.items)) nested('each item', s.items);
  // An object with keys lists its extra values as a `<name>` row of its own section.
  if (!hasKeys(s)) nested('each value', valueSchema(s));
  if (Array.isArray(s.examples) && s.examples.length > 0 && !hasKeys(s)) {
    out.push(`${s.examples.length > 1 ? 'examples' : 'example'}: ${valueList(s.examples)}`);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Markdown

function render(schema, sections) {
  const lines = [
    BANNER,
    '',
    '# pipeline.yaml reference',
    '',
    'Every key `pipeline.yaml` accepts, generated from ' +
      '[`schemas/pipeline.schema.json`](../schemas/pipeline.schema.json); ' +
      'a key marked required is required only when its parent section is present.',
    '',
  ];
  for (const section of sections) {
    lines.push(`<a id="${section.anchor}"></a>`, '');
    lines.push(`## ${section.path === '' ? ROOT_HEADING : code(section.path)}`, '');
    for (const description of section.descriptions) lines.push(prose(description), '');
    lines.push('| Key | Type | Required | Default | Description |', '| --- | --- | --- | --- | --- |');
    for (const r of section.rows) {
      const cells = [code(r.key), r.type, r.required ? 'yes' : 'no', r.default, r.description];
      lines.push(`| ${cells.map(cell).join(' | ')} |`);
    }
    lines.push('');
    for (const note of section.notes) lines.push(note, '');
    // The top level's examples are the full example at the end of the page.
    if (section.path !== '' && Array.isArray(section.examples) && section.examples.length > 0) {
      // Array items are shown as list entries, the way they sit in pipeline.yaml.
      const example = section.path.endsWith('[]') ? [section.examples[0]] : section.examples[0];
      lines.push('Example:', '', '```yaml', YAML.stringify(example, { lineWidth: 0 }).trimEnd(), '```', '');
    }
  }
  if (Array.isArray(schema.examples) && schema.examples.length > 0) {
    lines.push(
      '## Example',
      '',
      '```yaml',
      YAML.stringify(schema.examples[0], { lineWidth: 0 }).trimEnd(),
      '```',
      '',
    );
  }
  return lines.join('\n');
}

const valueList = (values) => values.map((v) => code(inlineYaml(v))).join(', ');

/** A value as it would be written in pipeline.yaml, on one line. */
function inlineYaml(value) {
  // Single quotes: prettier rewrites the YAML blocks of this page to the repo's singleQuote style.
  const text = YAML.stringify(value, { collectionStyle: 'flow', lineWidth: 0, singleQuote: true }).trimEnd();
  return text.includes('\n') ? JSON.stringify(value) : text;
}

/** A code span that survives backticks in its content. */
function code(text) {
  const longest = Math.max(0, ...(String(text).match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^`|`$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Table cells cannot hold raw pipes or line breaks (GFM unescapes `\|` even inside code spans). */
function cell(text) {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

const sentence = (phrase) => `${phrase[0].toUpperCase()}${phrase.slice(1)}.`;

/**
 * Schema descriptions are plain text that quote literals in 'single quotes': show those as
 * code, keep author-written `code`, and escape what markdown would otherwise swallow
 * (a bare <name> is an HTML tag to a renderer).
 */
function prose(text) {
  const token = /`[^`]+`|(^|[\s(])'([^'\s](?:[^']*[^'\s])?)'(?=[\s.,;:!?)]|$)/g;
  let out = '';
  let last = 0;
  for (const match of text.matchAll(token)) {
    out += escapeText(text.slice(last, match.index));
    out += match[2] === undefined ? match[0] : `${match[1]}${code(match[2])}`;
    last = match.index + match[0].length;
  }
  return (out + escapeText(text.slice(last))).replace(/\s*\r?\n\s*/g, ' ').trim();
}

function escapeText(text) {
  return text.replace(/[\\<*[\]]/g, '\\$&').replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_');
}

// ---------------------------------------------------------------------------
// CLI

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeOrCheck(outPath, await generateSpecDocs(), 'docs/spec-reference.md is stale: run `npm run gen:docs`');
}
