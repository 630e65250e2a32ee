import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Tests run from the repo root (see jest.config.js).
const root = process.cwd();
const docs = readFileSync(join(root, 'docs', 'spec-reference.md'), 'utf8');
const schema = JSON.parse(readFileSync(join(root, 'schemas', 'pipeline.schema.json'), 'utf8')) as Schema;

interface Schema {
  $ref?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema | Schema[];
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}

function resolve(ref: string): Schema {
  const tokens = ref.slice(1).split('/').slice(1);
  return tokens.reduce<unknown>(
    (node, token) => (node as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')],
    schema,
  ) as Schema;
}

/**
 * Every key the schema allows, as [section path, key]: the page documents key `key` in a
 * table under the heading of its parent's dotted path (`<name>` for map keys, `[]` for items).
 * Independent of the generator on purpose, so a generator bug cannot hide a key.
 */
function schemaKeys(node: Schema, path: string, refs: Set<string>, out: Array<[string, string]>): void {
  if (node.$ref !== undefined) {
    if (refs.has(node.$ref)) return; // recursive definition: documented at its first path
    schemaKeys(resolve(node.$ref), path, new Set([...refs, node.$ref]), out);
  }
  const child = (key: string) => (path === '' ? key : `${path}.${key}`);
  for (const part of node.allOf ?? []) schemaKeys(part, path, refs, out);
  for (const [i, part] of (node.oneOf ?? node.anyOf ?? []).entries()) {
    schemaKeys(part, `${path} (option ${i + 1})`, refs, out);
  }
  for (const [key, prop] of Object.entries(node.properties ?? {})) {
    out.push([path, key]);
    schemaKeys(prop, child(key), refs, out);
  }
  if (typeof node.additionalProperties === 'object') {
    if (node.properties !== undefined) out.push([path, '<name>']);
    schemaKeys(node.additionalProperties, child('<name>'), refs, out);
  }
  if (typeof node.items === 'object' && !Array.isArray(node.items)) {
    schemaKeys(node.items, `${path}[]`, refs, out);
  }
}

/** The docs' tables: section path (from the `## ` heading) to the keys in its first column. */
function documentedKeys(markdown: string): Map<string, Set<string>> {
  const sections = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) {
      const title = heading[1] === 'Top level' ? '' : heading[1].replace(/^`(.*)`$/, '$1');
      current = new Set();
      sections.set(title, current);
      continue;
    }
    const row = /^\| `([^`]+)` +\|/.exec(line);
    if (row && current) current.add(row[1]);
  }
  return sections;
}

describe('docs/spec-reference.md', () => {
  test('is up to date with the schema (npm run gen:docs)', () => {
    // A real dynamic import of the ESM generator needs --experimental-vm-modules under ts-jest's
    // CommonJS output, so run its --check mode instead: it compares with generateSpecDocs().
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'gen-spec-docs.mjs'), '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('documents every key of the schema under its spec path', () => {
    const expected: Array<[string, string]> = [];
    schemaKeys(schema, '', new Set(), expected);
    expect(expected.length).toBeGreaterThan(0);
    const documented = documentedKeys(docs);
    const missing = expected.filter(([path, key]) => !documented.get(path)?.has(key));
    expect(missing.map(([path, key]) => (path === '' ? key : `${path}.${key}`))).toEqual([]);
    // Nothing documented that the schema does not have (e.g. a stale section).
    const known = new Set(expected.map(([path, key]) => `${path}\0${key}`));
    const extra = [...documented].flatMap(([path, keys]) =>
      [...keys].filter((key) => !known.has(`${path}\0${key}`)).map((key) => `${path}.${key}`),
    );
    expect(extra).toEqual([]);
  });

  test('every type link points to an anchor on the page', () => {
    const anchors = new Set([...docs.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
    const links = [...docs.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !anchors.has(link))).toEqual([]);
  });
});
