import { OPAQUE, typeSchema, type BlockSchema, type SchemaKind } from './provider-schema';

/**
 * Terraform JSON -> Terraform native syntax (HCL), faithfully: the same configuration, read
 * the way Terraform reads the JSON (https://developer.hashicorp.com/terraform/language/syntax/json).
 *
 * Why not cdktf's own HCL output (`App({ hclOutput: true })`): measured on pipeform's
 * stacks (cdktf 0.21) it loses the escaping of strings that hold interpolations (every
 * JSON policy document becomes invalid HCL), quotes `depends_on` references and renders
 * `required_version` as `0 = "required_version"`. It also renders the whole stack (provider,
 * backend, import blocks) where a module is the result of post-processing that JSON. So the
 * converter works from the JSON pipeform writes, and takes the one thing JSON does not say
 * (is `rule = [{...}]` a nested block or an attribute?) from the provider schema.
 */

type Json = Record<string, unknown>;

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if', 'else', 'endif', 'endfor']);

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** Index just past the `}` that closes a `${` or `%{` whose content starts at `i`. */
function closeOfSequence(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      i = closeOfQuoted(s, i + 1);
      continue;
    }
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '}') {
      if (depth === 0) return i + 1;
      depth--;
    }
    i++;
  }
  throw new Error(`internal: unterminated template sequence in ${JSON.stringify(s)}`);
}

/** Index just past the `"` that closes a quoted template inside an expression. */
function closeOfQuoted(s: string, i: number): number {
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if ((c === '$' || c === '%') && s[i + 1] === '{') i = closeOfSequence(s, i + 2);
    else i++;
  }
  throw new Error(`internal: unterminated string in ${JSON.stringify(s)}`);
}

/** A template's parts: literal text, and `${...}` / `%{...}` sequences (source kept as is). */
function templateParts(s: string): { literal: boolean; text: string }[] {
  const parts: { literal: boolean; text: string }[] = [];
  let lit = '';
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('$${', i) || s.startsWith('%%{', i)) {
      lit += s.slice(i, i + 3);
      i += 3;
    } else if ((s[i] === '$' || s[i] === '%') && s[i + 1] === '{') {
      if (lit) parts.push({ literal: true, text: lit });
      lit = '';
      const end = closeOfSequence(s, i + 2);
      parts.push({ literal: false, text: s.slice(i, end) });
      i = end;
    } else {
      lit += s[i];
      i++;
    }
  }
  if (lit) parts.push({ literal: true, text: lit });
  return parts;
}

/** Escapes literal template text for an HCL quoted string (`${` escapes are already `$${`). */
const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function escapeLiteral(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += ESCAPES[c] ?? (code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : c);
  }
  return out;
}

/** A JSON string in an expression context: a template, or the bare expression it wraps. */
function templateExpr(s: string): string {
  const parts = templateParts(s);
  if (parts.length === 1 && !parts[0].literal && parts[0].text.startsWith('${')) {
    const inner = parts[0].text.slice(2, -1);
    // "${x}" is x itself (Terraform unwraps a lone interpolation); strip markers and
    // multi-line expressions keep their quotes or get parentheses so the meaning is unchanged.
    if (!inner.startsWith('~') && !inner.endsWith('~')) {
      const trimmed = inner.trim();
      return trimmed.includes('\n') ? `(${trimmed})` : trimmed;
    }
  }
  return `"${parts.map((p) => (p.literal ? escapeLiteral(p.text) : p.text)).join('')}"`;
}

/** A JSON string Terraform reads literally (descriptions, variable defaults, versions). */
function literalString(s: string): string {
  return `"${escapeLiteral(s.replace(/([$%])\{/g, (_, c: string) => `${c}${c}{`))}"`;
}

/** A JSON string that holds a static reference or traversal (`depends_on`, `moved`, `ignore_changes`). */
function reference(s: string): string {
  const m = /^\$\{(.*)\}$/s.exec(s);
  return (m ? m[1] : s).trim();
}

const objectKey = (k: string, literal: boolean) =>
  IDENT.test(k) && !KEYWORDS.has(k) ? k : literal ? literalString(k) : templateExpr(k);

const pad = (n: number) => ' '.repeat(n);

/** Renders a value: `literal` for values Terraform does not evaluate as templates. */
function value(v: unknown, indent: number, literal: boolean): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return literal ? literalString(v) : templateExpr(v);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((x) => value(x, indent + 2, literal));
    const inline = `[${items.join(', ')}]`;
    if (!inline.includes('\n') && inline.length <= 80) return inline;
    return `[\n${items.map((x) => `${pad(indent + 2)}${x},`).join('\n')}\n${pad(indent)}]`;
  }
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return '{}';
    const lines = alignAttributes(
      keys.map((k) => ({ key: objectKey(k, literal), text: value(v[k], indent + 2, literal) })),
      indent + 2,
    );
    return `{\n${lines.join('\n')}\n${pad(indent)}}`;
  }
  throw new Error(`internal: cannot render ${typeof v} as HCL`);
}

/**
 * `key = value` lines, with the `=` of consecutive attributes aligned as `terraform fmt`
 * aligns them: an attribute whose value spans lines ends a run and is not padded.
 */
function alignAttributes(attrs: { key: string; text: string }[], indent: number): string[] {
  const out: string[] = [];
  let run: { key: string; text: string }[] = [];
  const flush = () => {
    const width = Math.max(...run.map((a) => a.key.length));
    for (const a of run) out.push(`${pad(indent)}${a.key.padEnd(width)} = ${a.text}`);
    run = [];
  };
  for (const a of attrs) {
    if (a.text.includes('\n')) {
      // fmt aligns a multi-line value with nothing: it ends the run before it and stands alone.
      if (run.length > 0) flush();
      out.push(`${pad(indent)}${a.key} = ${a.text}`);
    } else run.push(a);
  }
  if (run.length > 0) flush();
  return out;
}

/** One body item: an attribute or a nested block (already rendered at its indent). */
type Item = { kind: 'attr'; key: string; text: string } | { kind: 'block'; text: string };

/** Renders body items: attribute runs aligned, blocks separated by blank lines. */
function body(items: Item[], indent: number): string {
  const chunks: string[] = [];
  let attrs: { key: string; text: string }[] = [];
  const flush = () => {
    if (attrs.length > 0) chunks.push(alignAttributes(attrs, indent).join('\n'));
    attrs = [];
  };
  for (const item of items) {
    if (item.kind === 'attr') attrs.push(item);
    else {
      flush();
      chunks.push(item.text);
    }
  }
  flush();
  return chunks.join('\n\n');
}

function block(header: string, items: Item[], indent: number): string {
  if (items.length === 0) return `${pad(indent)}${header} {}`;
  return `${pad(indent)}${header} {\n${body(items, indent + 2)}\n${pad(indent)}}`;
}

const attr = (key: string, text: string): Item => ({ kind: 'attr', key, text });
const refList = (v: unknown) =>
  `[${asList(v)
    .map((x) => reference(String(x)))
    .join(', ')}]`;

/** A `//` comment key of a block body (Terraform JSON ignores it; HCL gets a comment). */
function comment(v: unknown, indent: number): Item {
  return {
    kind: 'block',
    text: String(v)
      .split('\n')
      .map((l) => `${pad(indent)}# ${l}`)
      .join('\n'),
  };
}

/** `precondition` / `postcondition` / `validation` / `assert` blocks: a condition and a message. */
function conditionBlocks(name: string, v: unknown, indent: number): Item[] {
  return asList(v).map((c) => ({
    kind: 'block' as const,
    text: block(
      name,
      Object.entries(c as Json).map(([k, x]) => attr(k, value(x, indent + 2, false))),
      indent,
    ),
  }));
}

function lifecycle(v: Json, indent: number): Item {
  const items: Item[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (k === 'ignore_changes') items.push(attr(k, x === 'all' ? 'all' : refList(x)));
    else if (k === 'replace_triggered_by') items.push(attr(k, refList(x)));
    else if (k === 'precondition' || k === 'postcondition') items.push(...conditionBlocks(k, x, indent + 2));
    else items.push(attr(k, value(x, indent + 2, false)));
  }
  return { kind: 'block', text: block('lifecycle', items, indent) };
}

/** The body of a resource, data source or nested block, with the schema that says what is a block. */
function schemaBody(v: Json, schema: BlockSchema, indent: number, top: boolean): Item[] {
  const metaFirst: Item[] = [];
  const attrs: Item[] = [];
  const blocks: Item[] = [];
  const metaLast: Item[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (k === '//') metaFirst.unshift(comment(x, indent));
    else if (top && (k === 'count' || k === 'for_each')) metaFirst.push(attr(k, value(x, indent, false)));
    else if (top && k === 'provider') metaFirst.push(attr(k, reference(String(x))));
    else if (top && k === 'depends_on') metaLast.push(attr(k, refList(x)));
    else if (top && k === 'lifecycle') metaLast.push(lifecycle(x as Json, indent));
    else if (top && (k === 'provisioner' || k === 'connection'))
      throw new Error(`internal: ${k} blocks are not rendered as HCL`);
    else if (k === 'dynamic') {
      for (const [name, specs] of Object.entries(x as Json)) {
        const inner = schema.blocks.get(name);
        if (!inner) throw new Error(`internal: dynamic block ${name} is not a block of its schema`);
        for (const d of asList(specs) as Json[]) {
          const items: Item[] = [];
          for (const [dk, dx] of Object.entries(d)) {
            if (dk === 'content') {
              items.push({
                kind: 'block',
                text: block('content', schemaBody(dx as Json, inner, indent + 4, false), indent + 2),
              });
            } else if (dk === 'iterator') items.push(attr(dk, reference(String(dx))));
            else items.push(attr(dk, value(dx, indent + 2, false)));
          }
          blocks.push({ kind: 'block', text: block(`dynamic "${name}"`, items, indent) });
        }
      }
    } else if (
      schema.blocks.has(k) ||
      (schema.opaque && (isObject(x) || (Array.isArray(x) && x.every(isObject) && x.length > 0)))
    ) {
      const inner = schema.blocks.get(k) ?? OPAQUE;
      // A null block is an absent one, as in Terraform JSON.
      if (x === null) continue;
      if (Array.isArray(x) && x.length === 0) {
        // Zero blocks leave a block unset; only an attribute-mode block can be set to empty.
        if (inner.attributeMode) attrs.push(attr(k, '[]'));
        continue;
      }
      for (const b of asList(x) as Json[])
        blocks.push({ kind: 'block', text: block(k, schemaBody(b, inner, indent + 2, false), indent) });
    } else attrs.push(attr(k, value(x, indent, false)));
  }
  return [...metaFirst, ...attrs, ...blocks, ...metaLast];
}

function labelled(kind: SchemaKind, byType: Json): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries(byType)) {
    const schema = typeSchema(kind, type);
    for (const [name, config] of Object.entries(byName as Json)) {
      out.push(block(`${kind} "${type}" "${name}"`, schemaBody(config as Json, schema, 2, true), 0));
    }
  }
  return out;
}

function variableBlock(name: string, v: Json): string {
  const items: Item[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (k === 'type') items.push(attr(k, String(x)));
    else if (k === 'validation') items.push(...conditionBlocks(k, x, 2));
    else if (k === 'default' || k === 'description') items.push(attr(k, value(x, 2, true)));
    else items.push(attr(k, value(x, 2, false)));
  }
  return block(`variable "${name}"`, items, 0);
}

function outputBlock(name: string, v: Json): string {
  const items: Item[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (k === 'description') items.push(attr(k, value(x, 2, true)));
    else if (k === 'depends_on') items.push(attr(k, refList(x)));
    else if (k === 'precondition') items.push(...conditionBlocks(k, x, 2));
    else items.push(attr(k, value(x, 2, false)));
  }
  return block(`output "${name}"`, items, 0);
}

function terraformBlock(v: Json): string {
  const items: Item[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (k === 'required_providers') {
      const providers = Object.entries(x as Json).map(([p, req]) => attr(p, value(req, 4, true)));
      items.push({ kind: 'block', text: block('required_providers', providers, 2) });
    } else if (k === 'backend' || k === 'cloud') {
      throw new Error(`internal: a module has no ${k}`);
    } else items.push(attr(k, value(x, 2, true)));
  }
  return block('terraform', items, 0);
}

function checkBlocks(v: Json): string[] {
  return Object.entries(v).map(([name, c]) => {
    const items: Item[] = [];
    for (const [k, x] of Object.entries(c as Json)) {
      if (k === 'assert') items.push(...conditionBlocks('assert', x, 2));
      else if (k === 'data') {
        for (const [type, byName] of Object.entries(x as Json))
          for (const [dn, config] of Object.entries(byName as Json))
            items.push({
              kind: 'block',
              text: block(
                `data "${type}" "${dn}"`,
                schemaBody(config as Json, typeSchema('data', type), 4, true),
                2,
              ),
            });
      } else throw new Error(`internal: check block key ${k}`);
    }
    return block(`check "${name}"`, items, 0);
  });
}

/**
 * Renders one Terraform JSON document (the content of a `.tf.json` file) as native syntax.
 * A top-level `//` becomes a `#` comment. Throws on constructs a module does not contain
 * (provider, backend, import, module calls, provisioners) rather than guessing at them.
 */
export function jsonToHcl(doc: Json): string {
  const chunks: string[] = [];
  for (const [k, v] of Object.entries(doc)) {
    const o = v as Json;
    if (k === '//') chunks.push(comment(v, 0).text as string);
    else if (k === 'terraform') chunks.push(terraformBlock(o));
    else if (k === 'locals')
      chunks.push(
        block(
          'locals',
          Object.entries(o).map(([n, x]) => attr(n, value(x, 2, false))),
          0,
        ),
      );
    else if (k === 'variable') chunks.push(...Object.entries(o).map(([n, x]) => variableBlock(n, x as Json)));
    else if (k === 'output') chunks.push(...Object.entries(o).map(([n, x]) => outputBlock(n, x as Json)));
    else if (k === 'resource') chunks.push(...labelled('resource', o));
    else if (k === 'data') chunks.push(...labelled('data', o));
    else if (k === 'check') chunks.push(...checkBlocks(o));
    else if (k === 'moved' || k === 'removed') {
      for (const m of asList(v) as Json[]) {
        const items = Object.entries(m).map(([mk, mx]) =>
          mk === 'from' || mk === 'to'
            ? attr(mk, reference(String(mx)))
            : mk === 'lifecycle'
              ? lifecycle(mx as Json, 2)
              : attr(mk, value(mx, 2, false)),
        );
        chunks.push(block(k, items, 0));
      }
    } else throw new Error(`internal: top-level ${k} is not rendered as HCL`);
  }
  return `${chunks.join('\n\n')}\n`;
}

/** A JSON value as an HCL literal (strings are not templates), for callers pipeform writes in HCL. */
export function hclLiteral(v: unknown, indent = 0): string {
  return value(v, indent, true);
}

/** `key = value` lines (values already rendered), aligned as `terraform fmt` aligns them. */
export function hclAssignments(pairs: readonly (readonly [string, string])[], indent: number): string[] {
  return alignAttributes(
    pairs.map(([key, text]) => ({ key, text })),
    indent,
  );
}
