import { readFileSync } from 'node:fs';

/**
 * What pipeform needs to know of the aws provider's schema to write HCL and document types:
 * which keys of a resource body are nested blocks (and their own nested blocks), and the
 * type of each top-level attribute. Terraform JSON does not say whether `rule = [{...}]` is
 * a block or an attribute holding a list of objects: only the schema does. The schema is
 * read from the @cdktf/provider-aws bindings pipeform already depends on (generated from
 * the provider's schema, one file per resource), so the answer is exactly the bound
 * provider version's, and no Terraform or network is needed.
 */
export interface BlockSchema {
  /** Nested blocks by name. Keys absent here are attributes. */
  readonly blocks: ReadonlyMap<string, BlockSchema>;
  /**
   * The bindings type this block `any` (a recursive schema such as a WAF `statement`):
   * every object inside it is a nested block, as in the provider, whose recursive blocks
   * hold only blocks and scalar or list attributes.
   */
  readonly opaque?: boolean;
  /**
   * A block the provider also accepts as an attribute ("attributes as blocks", e.g. a
   * security group's `ingress`): an empty list is written `ingress = []`, which removes every
   * rule, where zero blocks would leave the argument unset.
   */
  readonly attributeMode?: boolean;
}

/** A resource or data source type's schema, as far as pipeform reads it. */
export interface TypeSchema extends BlockSchema {
  /** Terraform types of the top-level attributes that can be referenced (`arn`, `id`, ...). */
  readonly attributeTypes: ReadonlyMap<string, string>;
}

export type SchemaKind = 'resource' | 'data';

/** A block whose nested objects are all blocks (see {@link BlockSchema.opaque}). */
export const OPAQUE: BlockSchema = { blocks: new Map(), opaque: true };

const EMPTY: TypeSchema = { blocks: new Map(), attributeTypes: new Map() };

/** Built-in resources (no provider), by type: none of them has nested blocks. */
const BUILT_IN: Readonly<Record<string, TypeSchema>> = {
  terraform_data: {
    blocks: new Map(),
    attributeTypes: new Map([
      ['id', 'string'],
      ['output', 'any'],
      ['input', 'any'],
    ]),
  },
};

const GETTER_TYPES: Readonly<Record<string, string>> = {
  String: 'string',
  Number: 'number',
  Boolean: 'bool',
  List: 'list(string)',
  NumberList: 'list(number)',
  StringMap: 'map(string)',
  NumberMap: 'map(number)',
  BooleanMap: 'map(bool)',
};

const cache = new Map<string, TypeSchema>();

/** The binding file of a type: `aws_s3_bucket` -> lib/s3-bucket, data `aws_iam_role` -> lib/data-aws-iam-role. */
function bindingFile(kind: SchemaKind, type: string): string {
  const dir = type.replace(/^aws_/, '').replace(/_/g, '-');
  return require.resolve(`@cdktf/provider-aws/lib/${kind === 'data' ? `data-aws-${dir}` : dir}/index.js`);
}

/** `key: { value: <expr>, isBlock: <bool>` entries of one generated attribute map. */
type Entry = { key: string; isBlock: boolean; struct?: string; opaque?: boolean; attributeMode?: boolean };

function attributeEntries(text: string): Entry[] {
  const out: Entry[] = [];
  const re = /\n\s+"?([A-Za-z0-9_]+)"?: \{\n\s+value: ([^\n]*),\n\s+isBlock: (true|false),/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const struct = /(\w+)ToHclTerraform\b/.exec(m[2].replace(/cdktf\.\w+ToHclTerraform/g, ''))?.[1];
    const opaque = m[2].startsWith('cdktf.anyToHclTerraform(');
    // cdktf's listMapperHcl(mapper, false) marks a list the provider accepts as an attribute.
    const attributeMode = /^cdktf\.listMapperHcl\(\w+, false\)/.test(m[2]);
    out.push({
      key: m[1],
      isBlock: m[3] === 'true' || opaque,
      ...(struct ? { struct } : {}),
      ...(opaque ? { opaque } : {}),
      ...(attributeMode ? { attributeMode } : {}),
    });
  }
  return out;
}

/** Reads the schema of one resource or data source type from its cdktf binding. */
export function typeSchema(kind: SchemaKind, type: string): TypeSchema {
  if (kind === 'resource' && type in BUILT_IN) return BUILT_IN[type];
  const id = `${kind}.${type}`;
  const known = cache.get(id);
  if (known) return known;
  if (!type.startsWith('aws_')) throw new Error(`internal: no schema for ${kind} type ${type}`);
  const source = readFileSync(bindingFile(kind, type), 'utf8');
  if (!source.includes(`.tfResourceType = "${type}";`))
    throw new Error(`internal: the binding found for ${kind} ${type} is another type's`);

  // Each nested block type has a `<struct>ToHclTerraform(struct)` function whose attribute
  // map says which of its keys are blocks and which function renders each.
  const structs = new Map<string, Entry[]>();
  for (const chunk of source.split(/\nfunction /).slice(1)) {
    const m = /^(\w+)ToHclTerraform\(struct\) \{/.exec(chunk);
    if (m) structs.set(m[1], attributeEntries(chunk.slice(0, chunk.indexOf('\nclass ') >>> 0)));
  }
  const classStart = source.search(/\nclass \w+ extends cdktf\.(TerraformResource|TerraformDataSource) \{/);
  if (classStart < 0) throw new Error(`internal: no resource class in the binding of ${type}`);
  const cls = source.slice(classStart);
  const synth = cls.slice(cls.indexOf('synthesizeHclAttributes() {'));
  const top = attributeEntries(synth.slice(0, synth.indexOf('\n    }\n')));

  const build = (entries: Entry[], depth: number): BlockSchema => {
    const blocks = new Map<string, BlockSchema>();
    for (const e of entries) {
      if (!e.isBlock) continue;
      // Recursive schemas (a WAF statement holding statements) are cut where Terraform
      // cuts them: the provider nests them a fixed number of levels, far below this.
      const child = e.struct && depth < 12 ? structs.get(e.struct) : undefined;
      const schema = e.opaque ? OPAQUE : child ? build(child, depth + 1) : { blocks: new Map() };
      blocks.set(e.key, e.attributeMode ? { ...schema, attributeMode: true } : schema);
    }
    return { blocks };
  };
  const attributeTypes = new Map<string, string>();
  const getter = /\n {4}get (\w+)\(\) \{\n\s+return this\.get(\w+?)Attribute\('([a-z0-9_]+)'\);/g;
  for (let m = getter.exec(cls); m !== null; m = getter.exec(cls)) {
    attributeTypes.set(m[3], GETTER_TYPES[m[2]] ?? 'any');
  }
  const schema: TypeSchema = { blocks: build(top, 0).blocks, attributeTypes };
  cache.set(id, schema);
  return schema;
}

/** The schema of a type, or an empty one for a type pipeform has no binding for. */
export function typeSchemaOrEmpty(kind: SchemaKind, type: string): TypeSchema {
  try {
    return typeSchema(kind, type);
  } catch {
    return EMPTY;
  }
}
