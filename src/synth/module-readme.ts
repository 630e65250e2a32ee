import type { ResolvedSpec } from '../model/resolved';
import { VERSION } from '../version';
import { typeSchemaOrEmpty } from './provider-schema';

type Json = Record<string, unknown>;

/** A module input or output as the README documents it. */
export interface ModuleInterfaceEntry {
  readonly name: string;
  /** A Terraform type: the declared one for inputs, the inferred one (or `any`) for outputs. */
  readonly type: string;
  readonly description: string;
  readonly default?: unknown;
  readonly required?: boolean;
}

/** Everything the README states, each fact computed once by the module synthesis. */
export interface ModuleReadmeFacts {
  readonly inputs: readonly ModuleInterfaceEntry[];
  readonly outputs: readonly ModuleInterfaceEntry[];
  /** Resource addresses (`type.name`). */
  readonly resources: readonly string[];
  /** Data source addresses (`type.name`, without `data.`). */
  readonly dataSources: readonly string[];
  /** The module's `required_version`, as versions.tf(.json) states it. */
  readonly requiredVersion: string;
  /** The aws provider constraint, as versions.tf(.json) states it. */
  readonly providerConstraint: string;
  /** The `source` a caller writes. */
  readonly source: string;
  /** The file extension of the module's Terraform files (`.tf.json` or `.tf`). */
  readonly extension: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The type of a reference (`aws_x.y.attr`, `var.x`, `local.x`), or undefined when unknown. */
function referenceType(expr: string, config: Json, seen: Set<string>): string | undefined {
  const e = expr.trim();
  let m = /^var\.([A-Za-z0-9_-]+)$/.exec(e);
  if (m) return (config.variable as Record<string, Json> | undefined)?.[m[1]]?.type as string | undefined;
  m = /^local\.([A-Za-z0-9_-]+)$/.exec(e);
  if (m) {
    const locals = (config.locals ?? {}) as Json;
    if (!(m[1] in locals) || seen.has(m[1])) return undefined;
    const t = valueType(locals[m[1]], config, new Set([...seen, m[1]]));
    return t === 'any' ? undefined : t;
  }
  m = /^(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(\[\d+\]|\[\*\])?\.([a-z0-9_]+)$/.exec(e);
  if (m) {
    const t = typeSchemaOrEmpty(m[1] ? 'data' : 'resource', m[2]).attributeTypes.get(m[5]);
    if (t === undefined || t === 'any') return undefined;
    return m[4] === '[*]' ? `list(${t})` : t;
  }
  // Functions whose result type does not depend on their arguments, and the two pipeform
  // uses to pick a value (coalesce of same-typed values, one element of a list).
  m = /^([a-z0-9_]+)\((.*)\)$/s.exec(e);
  if (m) {
    if (
      /^(format|join|lower|upper|replace|trimprefix|trimsuffix|substr|jsonencode|tostring|md5|sha256|base64encode)$/.test(
        m[1],
      )
    )
      return 'string';
    if (/^(length|tonumber|max|min)$/.test(m[1])) return 'number';
    if (/^(contains|can|alltrue|anytrue|startswith|endswith|tobool)$/.test(m[1])) return 'bool';
    const args = splitArgs(m[2]);
    if (m[1] === 'coalesce' && args) {
      const types = args.map((a) => referenceType(a, config, seen));
      if (types.every((t) => t !== undefined && t === types[0])) return types[0];
    }
    if (m[1] === 'one' && args?.length === 1) {
      const inner = /^list\((.*)\)$/.exec(referenceType(args[0], config, seen) ?? '');
      if (inner) return inner[1];
    }
  }
  return undefined;
}

/** Top-level comma-separated arguments of a call, or undefined when they do not split cleanly. */
function splitArgs(s: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0 || quoted) return undefined;
  out.push(s.slice(start));
  return out;
}

/**
 * The Terraform type of an output value, as Terraform would infer it: object constructors
 * give `object({...})`, strings with text around an interpolation give `string`, references
 * give the provider attribute's or the variable's type. `any` where the type depends on
 * what Terraform evaluates (a conditional, a function pipeform does not model).
 */
export function valueType(v: unknown, config: Json, seen: Set<string> = new Set()): string {
  if (v === null) return 'any';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') {
    const lone = /^\$\{(.*)\}$/s.exec(v);
    if (lone && !/\$\{|%\{/.test(lone[1].replace(/"(?:[^"\\]|\\.)*"/g, '""'))) {
      return referenceType(lone[1], config, seen) ?? 'any';
    }
    return 'string';
  }
  if (Array.isArray(v)) {
    const types = v.map((x) => valueType(x, config, seen));
    if (types.length > 0 && types.every((t) => t === types[0])) return `list(${types[0]})`;
    return types.length === 0 ? 'list(any)' : `tuple([${types.join(', ')}])`;
  }
  const entries = Object.entries(v as Json);
  const types = entries.map(([k, x]) => [k, valueType(x, config, seen)] as const);
  if (entries.length > 0 && entries.every(([k]) => IDENT.test(k)))
    return `object({ ${types.map(([k, t]) => `${k} = ${t}`).join(', ')} })`;
  if (types.length > 0 && types.every(([, t]) => t === types[0][1])) return `map(${types[0][1]})`;
  return 'any';
}

/** terraform-docs' escaping of a name in a cell (`_` is markdown emphasis). */
const escName = (s: string) => s.replace(/_/g, '\\_');
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br/>');
const anchor = (kind: string, name: string) =>
  `<a name="${kind}_${name}"></a> [${escName(name)}](#${kind}\\_${escName(name)})`;

/** A default as terraform-docs prints it: inline code, or JSON in a `<pre>` when it spans lines. */
function defaultCell(v: unknown): string {
  const text = JSON.stringify(v, null, 2);
  return text.includes('\n') ? `<pre>${text.replace(/\n/g, '<br/>')}</pre>` : `\`${text}\``;
}

const registryLink = (kind: 'resources' | 'data-sources', address: string) => {
  const type = address.split('.')[0];
  return `[${address}](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/${kind}/${type.replace(/^aws_/, '')})`;
};

/**
 * The section between `<!-- BEGIN_TF_DOCS -->` and `<!-- END_TF_DOCS -->`, as
 * `terraform-docs markdown table` prints it (anchors, required column, sorted by name), so
 * a CI that runs terraform-docs in inject mode rewrites it to the same text.
 */
export function terraformDocsSection(facts: ModuleReadmeFacts): string {
  const table = (header: string, sep: string, rows: string[], none: string) =>
    rows.length === 0 ? [none] : [header, sep, ...rows];
  const byName = <T extends { name: string }>(xs: readonly T[]) =>
    [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const sorted = (xs: readonly string[]) => [...xs].sort();
  return [
    '<!-- BEGIN_TF_DOCS -->',
    '## Requirements',
    '',
    '| Name | Version |',
    '|------|---------|',
    `| ${anchor('requirement', 'terraform')} | ${facts.requiredVersion} |`,
    `| ${anchor('requirement', 'aws')} | ${facts.providerConstraint} |`,
    '',
    '## Providers',
    '',
    '| Name | Version |',
    '|------|---------|',
    `| ${anchor('provider', 'aws')} | ${facts.providerConstraint} |`,
    '',
    '## Modules',
    '',
    'No modules.',
    '',
    '## Resources',
    '',
    ...table(
      '| Name | Type |',
      '|------|------|',
      [
        ...sorted(facts.resources).map((a) => `| ${registryLink('resources', a)} | resource |`),
        ...sorted(facts.dataSources).map((a) => `| ${registryLink('data-sources', a)} | data source |`),
      ],
      'No resources.',
    ),
    '',
    '## Inputs',
    '',
    ...table(
      '| Name | Description | Type | Default | Required |',
      '|------|-------------|------|---------|:--------:|',
      byName(facts.inputs).map(
        (i) =>
          `| ${anchor('input', i.name)} | ${cell(i.description)} | \`${i.type}\` | ${i.required ? 'n/a' : defaultCell(i.default)} | ${i.required ? 'yes' : 'no'} |`,
      ),
      'No inputs.',
    ),
    '',
    '## Outputs',
    '',
    ...table(
      '| Name | Description |',
      '|------|-------------|',
      byName(facts.outputs).map((o) => `| ${anchor('output', o.name)} | ${cell(o.description)} |`),
      'No outputs.',
    ),
    '<!-- END_TF_DOCS -->',
  ].join('\n');
}

/**
 * The module README: what the module is, how to call it, the terraform-docs section, and
 * the type of each output (terraform-docs has no column for it; Terraform infers it).
 */
export function moduleReadme(spec: ResolvedSpec, facts: ModuleReadmeFacts): string {
  const moduleName = spec.name.replace(/-/g, '_');
  return [
    `<!-- Generated by pipeform ${VERSION}. Do not edit: change the spec and run \`pipeform module\` again. -->`,
    '',
    `# ${spec.name}`,
    '',
    spec.description,
    '',
    ...(spec.goals.problem ? [`Problem: ${spec.goals.problem}`, ''] : []),
    `A Terraform module generated by pipeform from \`${spec.name}\`'s pipeline.yaml.`,
    'It declares no provider or backend: configure the `aws` provider (region, credentials, default tags) in the calling configuration.',
    "Account, region and partition come from that provider; what the spec ties to its region (availability zones, regional images) is checked by preconditions that name the value when the caller's region differs.",
    `Files: \`versions${facts.extension}\`, \`variables${facts.extension}\`, \`main${facts.extension}\`, \`outputs${facts.extension}\`,`,
    'the files it uploads or deploys under `assets/` (read as `${path.module}/assets/...`), and two callers in',
    '`examples/`: `minimal` (only what is required) and `complete` (every input).',
    '',
    '## Usage',
    '',
    '```hcl',
    'provider "aws" {',
    `  region = "${spec.region}"`,
    '}',
    '',
    `module "${moduleName}" {`,
    `  source = "${facts.source}"`,
    '',
    '  tags = {',
    '    environment = "prod"',
    '  }',
    '}',
    '```',
    '',
    terraformDocsSection(facts),
    '',
    '## Output types',
    '',
    'What Terraform infers for each output (`any` where it depends on values known at plan time).',
    '',
    '| Name | Type |',
    '|------|------|',
    ...[...facts.outputs]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((o) => `| ${escName(o.name)} | \`${cell(o.type)}\` |`),
    '',
  ].join('\n');
}
