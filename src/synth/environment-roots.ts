import { posix } from 'node:path';
import { partitionOf } from '../constructs/iam/policy';
import { ADMIN_ACTIONS } from '../constructs/kms';
import type { ResolvedSpec } from '../model/resolved';
import { VERSION } from '../version';
import { callerLiterals } from './module-bindings';
import { synthesizeModule, type ModuleFormat, type ModuleResult } from './module';
import { build, MAIN_FILE, renderLazily, type FileContent, type RootView, type SynthResult } from './synth';

type Json = Record<string, unknown>;

/** Where the module every environment calls is written, relative to the output root. */
export const SHARED_MODULE_DIR = 'modules/pipeline';

/** The module instance in each environment root: `module.pipeline.<address>` in state. */
export const MODULE_INSTANCE = 'pipeline';

/** One environment as the layout sees it: its resolved spec and its flat configuration. */
export interface EnvironmentConfiguration {
  readonly environment: string;
  readonly spec: ResolvedSpec;
  /**
   * The environment's whole configuration as one root (the layout before module instances),
   * rendered when its files are first read: the module layout needs only {@link root}.
   */
  readonly flat: SynthResult;
  /** The root parts of {@link flat}, read without rendering it. */
  readonly root: RootView;
}

/** How a spec with environments is written. */
export interface EnvironmentLayout {
  /**
   * `module`: one shared module in modules/pipeline/ and a thin root per environment;
   * `flat`: the environments differ in shape, each keeps its own whole configuration.
   */
  readonly kind: 'module' | 'flat';
  /** Files to write, relative to the output root. */
  readonly files: Map<string, FileContent>;
  /** The shared module (kind `module` only). */
  readonly module?: ModuleResult;
  /** Why the layout is what it is, for the CLI to print (empty when there is nothing to say). */
  readonly notices: readonly string[];
}

/**
 * What an environment may change that the shared module takes as an input. Every other
 * difference between two environments' modules is a difference of shape (a resource one
 * has and the other has not, a count of subnets), which no input can express.
 */
export interface EnvironmentInputs {
  /** `<pipeline>-<environment>`: prefixes every AWS name. */
  readonly name: string;
  readonly vpc_cidr?: string;
  /** Subnet name (`private-us-west-2a`) => CIDR. */
  readonly subnet_cidrs?: Readonly<Record<string, string>>;
  readonly kms_admin_arns?: readonly string[];
  readonly vpc_id?: string;
  readonly private_subnet_ids?: readonly string[];
  readonly security_group_ids?: readonly string[];
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
const sorted = <T>(o: Readonly<Record<string, T>>): Record<string, T> =>
  Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The values one environment passes to the shared module. */
export function environmentInputs(spec: ResolvedSpec): EnvironmentInputs {
  const net = spec.network;
  return {
    name: spec.name,
    ...(net?.mode === 'create'
      ? {
          vpc_cidr: net.vpc.cidr,
          subnet_cidrs: sorted(
            Object.fromEntries(
              [...net.vpc.privateSubnets, ...net.vpc.publicSubnets].map((s) => [s.name, s.cidr]),
            ),
          ),
        }
      : {}),
    ...(net?.mode === 'existing'
      ? {
          vpc_id: net.vpcId,
          private_subnet_ids: [...net.subnetIds],
          security_group_ids: [...net.securityGroupIds],
        }
      : {}),
    kms_admin_arns: [...spec.security.kms.admins],
  };
}

/**
 * Block keys whose values are references, not expressions to rewrite. `count` and
 * `for_each` are rewritten: a `for_each` key may hold a name made from the stack name (an
 * endpoint's), and the input evaluates to the same key, so the instance keeps its address.
 */
const META_KEYS = new Set(['depends_on', 'provider']);

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}

/**
 * A block with `f` applied to its expressions: not to meta-arguments, not to lifecycle's
 * ignore_changes (attribute names), and not to an output's description (a literal string,
 * no template, in Terraform JSON).
 */
function mapBlock(block: Json, f: (s: string) => string, output: boolean): Json {
  return Object.fromEntries(
    Object.entries(block).map(([k, v]) => {
      if (META_KEYS.has(k) || (output && k === 'description')) return [k, v];
      if (k === 'lifecycle' && v !== null && typeof v === 'object') {
        const l = v as Json;
        return [
          k,
          Object.fromEntries(
            Object.entries(l).map(([lk, lv]) => [
              lk,
              lk === 'precondition' || lk === 'postcondition' ? mapStrings(lv, f) : lv,
            ]),
          ),
        ];
      }
      return [k, mapStrings(v, f)];
    }),
  );
}

/** Applies `f` to every expression string of every block of a group (`resource`, `data`: by type, then name). */
function mapBlocks(group: unknown, f: (s: string) => string, typed: boolean): unknown {
  const byName = (blocks: unknown) =>
    Object.fromEntries(
      Object.entries((blocks ?? {}) as Record<string, Json>).map(([n, b]) => [n, mapBlock(b, f, !typed)]),
    );
  if (group === undefined) return undefined;
  return typed
    ? Object.fromEntries(
        Object.entries(group as Record<string, unknown>).map(([t, blocks]) => [t, byName(blocks)]),
      )
    : byName(group);
}

/** A JSON value as an HCL expression (JSON strings are HCL templates: `${...}` in them still interpolates). */
function hclExpression(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(hclExpression).join(', ')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.entries(v as Json)
      .map(([k, x]) => `${JSON.stringify(k)} = ${hclExpression(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v);
}

/**
 * A string as the body of an HCL quoted template that yields exactly that string: `\` and
 * `"` escaped, `${` and `%{` doubled (`$${`, `%%{`).
 */
export const quotedTemplate = (s: string) =>
  s.replace(/[\\"]|[$%]\{/g, (m) => (m.length === 1 ? `\\${m}` : `${m[0]}${m}`));

/** A hash of compiler/short-hash.ts (8 or 64 hex) standing alone: not part of a longer hex run, word or reference. */
const SHORT_HASH = /(?<![A-Za-z0-9_.])(?:[0-9a-f]{64}|[0-9a-f]{8})(?![A-Za-z0-9_])/g;

/** How deep hashes over texts holding other hashes are followed (a model name's hash over its archive). */
const MAX_HASH_DEPTH = 4;

/**
 * Each short hash whose text holds a literal the module takes as an input (a model name's
 * hash covers the models bucket name, `<stack>-<account>-<region>-models`, and the subnet
 * CIDRs) becomes `substr(sha256("<that text, the literals made inputs>"), 0, 8)`:
 * Terraform's SHA-256 over the text this environment's inputs make is the hash this
 * environment's flat configuration has, so the name is unchanged, and another environment
 * calling the module gets the hash of its own values. `literals` makes the literals inputs.
 * Hashes without such a literal stay as they are; so does one whose text is not printable
 * ASCII (Terraform normalizes Unicode in templates, so its bytes could differ).
 */
function hashesFromInputs(
  preimages: ReadonlyMap<string, string>,
  literals: (template: string) => string,
): (s: string) => string {
  const memo = new Map<string, string>();
  const expression = (hex: string, depth: number): string => {
    const known = memo.get(hex);
    if (known !== undefined) return known;
    const text = preimages.get(hex);
    let out = hex;
    if (text !== undefined && depth < MAX_HASH_DEPTH && /^[\x20-\x7e]*$/.test(text)) {
      const quoted = quotedTemplate(text);
      const template = literals(quoted).replace(SHORT_HASH, (h) => expression(h, depth + 1));
      if (template !== quoted)
        out = hex.length === 8 ? `\${substr(sha256("${template}"), 0, 8)}` : `\${sha256("${template}")}`;
    }
    memo.set(hex, out);
    return out;
  };
  return (s) => (s.length < 8 ? s : s.replace(SHORT_HASH, (h) => expression(h, 0)));
}

const ADMINS_SID = 'KeyAdministrators';
const ROOT_SID = 'AccountRootManagesKey';

/**
 * The key policy with its administrators from `var.kms_admin_arns`: the statement is there
 * when the list is not empty (a `for` over a one-element tuple, so both cases have one type).
 */
function keyPolicyWithAdminsInput(policy: string): string | undefined {
  let doc: { Version?: string; Statement?: Json[] };
  try {
    doc = JSON.parse(policy) as typeof doc;
  } catch {
    return undefined;
  }
  const statements = doc.Statement;
  if (!Array.isArray(statements) || statements[0]?.Sid !== ROOT_SID) return undefined;
  const rest = statements.slice(1).filter((s) => s.Sid !== ADMINS_SID);
  const admins = hclExpression({
    Sid: ADMINS_SID,
    Effect: 'Allow',
    Principal: { AWS: '__ADMINS__' },
    Action: ADMIN_ACTIONS,
    Resource: '*',
  }).replace('"__ADMINS__"', 'a');
  const list =
    `concat([${hclExpression(statements[0])}], ` +
    `[for a in [var.kms_admin_arns] : ${admins} if length(a) > 0], ${hclExpression(rest)})`;
  return `\${jsonencode({"Version" = ${JSON.stringify(doc.Version ?? '2012-10-17')}, "Statement" = ${list}})}`;
}

const variable = (type: string, description: string): Json => ({ description, type });

/**
 * Turns one environment's module into the shared one: its literals that another
 * environment may set differently become inputs (the stack name, network CIDRs or ids, key
 * administrators); its tags come from the root's provider (withProviderTags). Each
 * literal is replaced by an input the root sets to exactly that literal, so the module
 * called with this environment's inputs is this environment's configuration.
 */
export function environmentTransform(spec: ResolvedSpec) {
  return (tagged: Json, preimages: ReadonlyMap<string, string> = new Map()): Json => {
    const config = withProviderTags(tagged);
    const inputs = environmentInputs(spec);
    // [the literal, the pattern that finds it standing alone, its input]
    const replacements: [string, RegExp, string][] = [];
    const word = (literal: string, to: string) =>
      replacements.push([literal, new RegExp(`(?<![A-Za-z0-9])${escape(literal)}(?![A-Za-z0-9])`, 'g'), to]);
    word(spec.name, '${var.name}');
    // Glue and Athena names cannot hold '-': the stack name in its underscore form.
    word(spec.name.replace(/-/g, '_'), '${replace(var.name, "-", "_")}');
    const cidr = (c: string, to: string) =>
      replacements.push([c, new RegExp(`(?<![0-9.])${escape(c)}(?![0-9])`, 'g'), to]);
    if (inputs.vpc_cidr !== undefined) cidr(inputs.vpc_cidr, '${var.vpc_cidr}');
    for (const [n, c] of Object.entries(inputs.subnet_cidrs ?? {}))
      cidr(c, `\${var.subnet_cidrs[${JSON.stringify(n)}]}`);
    // Most strings hold none of the literals: `includes` is the cheap test the pattern implies.
    const inputsIn = (s: string) =>
      replacements.reduce((acc, [literal, re, to]) => (acc.includes(literal) ? acc.replace(re, to) : acc), s);
    // The configuration is bound to the caller already; a hash's text is not.
    const caller = callerLiterals(spec, partitionOf(spec.region));
    const hashes = hashesFromInputs(preimages, (t) => inputsIn(caller(t)));
    const rewrite = (s: string) => hashes(inputsIn(s));

    const out: Json = { ...config };
    out.resource = mapBlocks(config.resource, rewrite, true);
    if (config.data) out.data = mapBlocks(config.data, rewrite, true);
    if (config.output) out.output = mapBlocks(config.output, rewrite, false);
    if (config.locals) out.locals = mapStrings(config.locals, rewrite);

    const resources = (out.resource ?? {}) as Record<string, Record<string, Json>>;
    let adminsInput = false;
    for (const [name, key] of Object.entries(resources.aws_kms_key ?? {})) {
      if (typeof key.policy !== 'string') continue;
      const policy = keyPolicyWithAdminsInput(key.policy);
      if (policy === undefined) continue;
      resources.aws_kms_key = { ...resources.aws_kms_key, [name]: { ...key, policy } };
      adminsInput = true;
    }

    const variables = { ...((config.variable ?? {}) as Record<string, Json>) };
    variables.name = variable(
      'string',
      'Stack name <pipeline>-<environment>: prefixes every AWS name the pipeline creates.',
    );
    if (inputs.vpc_cidr !== undefined) {
      variables.vpc_cidr = variable('string', 'CIDR block of the VPC the pipeline creates.');
      variables.subnet_cidrs = variable('map(string)', 'CIDR block of each subnet, by subnet name.');
    }
    if (adminsInput)
      variables.kms_admin_arns = variable(
        'list(string)',
        'IAM principals that administer the pipeline key (security.kms.admins); may be empty.',
      );
    // Network ids differ per environment: required inputs, not defaults baked into the module.
    for (const id of ['vpc_id', 'private_subnet_ids', 'security_group_ids']) {
      if (variables[id]) {
        const { default: _d, ...rest } = variables[id];
        variables[id] = rest;
      }
    }
    out.variable = sorted(variables);
    return out;
  };
}

/** What the module inputs tag every resource with (module-inputs.ts, TagEverything). */
const MODULE_TAGS = 'merge(local.spec_tags, var.tags)';

/**
 * The module without its own tagging: in an environment layout the root's provider tags
 * every resource through `default_tags`, exactly as the flat layout did, so a moved
 * resource plans no `tags` change. A resource's own tags (`merge(<module tags>, {...})`)
 * become its literal `tags` again; the `tags` input and the `spec_tags` local go.
 */
function withProviderTags(config: Json): Json {
  const pair = /("(?:[^"\\]|\\.)*") = ("(?:[^"\\]|\\.)*")/g;
  const untag = (block: Json): Json => {
    const tags = block.tags;
    if (tags === `\${${MODULE_TAGS}}`) {
      const { tags: _t, ...rest } = block;
      return rest;
    }
    const own =
      typeof tags === 'string'
        ? new RegExp(`^\\$\\{merge\\(${escape(MODULE_TAGS)}, (\\{.*\\})\\)\\}$`).exec(tags)
        : null;
    if (!own) return block;
    const literal = Object.fromEntries(
      [...own[1].matchAll(pair)].map((m) => [JSON.parse(m[1]) as string, JSON.parse(m[2]) as string]),
    );
    return { ...block, tags: literal };
  };
  const resource = Object.fromEntries(
    Object.entries((config.resource ?? {}) as Record<string, Record<string, Json>>).map(([type, byName]) => [
      type,
      Object.fromEntries(Object.entries(byName).map(([n, b]) => [n, untag(b)])),
    ]),
  );
  const out: Json = { ...config, resource };
  const { spec_tags: _s, ...locals } = (config.locals ?? {}) as Json;
  const { tags: _v, ...variables } = (config.variable ?? {}) as Json;
  const text = JSON.stringify({ ...out, locals: {}, variable: {} });
  if (text.includes('var.tags') || text.includes('local.spec_tags'))
    throw new Error('internal: the module still reads var.tags or local.spec_tags after untagging');
  out.locals = locals;
  out.variable = variables;
  return out;
}

/** Resource addresses (`type.name`) of a configuration, sorted. */
const addressesOf = (config: Json): string[] =>
  Object.entries((config.resource ?? {}) as Record<string, Json>)
    .flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`))
    .sort();

/** The block of `type.name` in a configuration. */
const blockOf = (config: Json, address: string): Json | undefined => {
  const dot = address.indexOf('.');
  const byType = (config.resource ?? {}) as Record<string, Record<string, Json>>;
  return byType[address.slice(0, dot)]?.[address.slice(dot + 1)];
};

/**
 * `[0]` where the module counts a resource the flat layout does not (the key, created only
 * when the caller brings none): the move names the instance, so it does not rest on
 * Terraform's implied no-key-to-[0] move, which it makes only inside one module.
 */
function instanceKey(flatCounted: (address: string) => boolean, module: Json, address: string): string {
  return blockOf(module, address)?.count !== undefined && !flatCounted(address) ? '[0]' : '';
}

/** Why two environments' modules cannot be one: the first differences, in words. */
function shapeDifference(a: string, am: ModuleResult, b: string, bm: ModuleResult): string {
  const aa = new Set(am.addresses);
  const ba = new Set(bm.addresses);
  const onlyA = am.addresses.filter((x) => !ba.has(x));
  const onlyB = bm.addresses.filter((x) => !aa.has(x));
  const list = (xs: string[]) =>
    `${xs.slice(0, 3).join(', ')}${xs.length > 3 ? ` and ${xs.length - 3} more` : ''}`;
  const parts: string[] = [];
  if (onlyA.length > 0) parts.push(`${a} has ${list(onlyA)} that ${b} has not`);
  if (onlyB.length > 0) parts.push(`${b} has ${list(onlyB)} that ${a} has not`);
  if (parts.length === 0) {
    const res = (m: ModuleResult) => m.config.resource as Record<string, Record<string, unknown>>;
    const differing = am.addresses.filter((x) => {
      const [type, name] = [x.slice(0, x.indexOf('.')), x.slice(x.indexOf('.') + 1)];
      return JSON.stringify(res(am)[type][name]) !== JSON.stringify(res(bm)[type][name]);
    });
    parts.push(
      differing.length > 0
        ? `${list(differing)} differ${differing.length === 1 ? 's' : ''} beyond what module inputs set`
        : 'their module files differ beyond what module inputs set',
    );
  }
  return parts.join('; ');
}

/** Module files, keyed by path, as comparable text. */
const fingerprint = (m: ModuleResult) =>
  JSON.stringify(
    [...m.files.entries()]
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([p, c]) => [p, typeof c === 'string' ? c : Buffer.from(c).toString('base64')]),
  );

/** A flat configuration with moved blocks from the module instance's addresses to its own. */
function withMovedOut(main: string, module: ModuleResult): string {
  const flat = JSON.parse(main) as Json;
  const moduleAddresses = new Set(module.addresses);
  const moved = addressesOf(flat)
    .filter((a) => moduleAddresses.has(a))
    .map((to) => ({
      from: `module.${MODULE_INSTANCE}.${to}${instanceKey((a) => blockOf(flat, a)?.count !== undefined, module.config, to)}`,
      to,
    }));
  if (moved.length === 0) return main;
  const { '//': header, ...rest } = flat;
  const existing = (rest.moved ?? []) as Json[];
  // Keys in the order synth writes them (sorted), the header first.
  return json({ '//': header, ...sorted({ ...rest, moved: [...existing, ...moved] }) });
}

/** One thin root: provider and backend of the environment, the module call, moved blocks, outputs. */
function environmentRoot(
  env: EnvironmentConfiguration,
  module: ModuleResult,
  inputs: EnvironmentInputs,
  sourceName: string,
): string {
  const flat = env.root;
  const terraform = flat.terraform;
  const providers = (flat.provider.aws ?? []) as Json[];
  // The provider tags every resource (default_tags), as in the flat layout (withProviderTags).
  const provider = providers;
  const moduleAddresses = new Set(module.addresses);
  const prefix = `module.${MODULE_INSTANCE}.`;
  // From every address of the flat layout to the same resource in the module instance:
  // state written by the flat layout plans as moves, nothing is replaced.
  const moved = flat.addresses
    .filter((a) => moduleAddresses.has(a))
    .map((from) => ({
      from,
      to: `${prefix}${from}${instanceKey((a) => flat.counted(a), module.config, from)}`,
    }));
  const imports = flat.imports
    .filter((i) => moduleAddresses.has(String(i.to)))
    .map((i) => ({ ...i, to: `${prefix}${String(i.to)}` }));
  const outputs = Object.fromEntries(
    module.outputs.map((o) => {
      const declared = ((module.config.output ?? {}) as Record<string, Json>)[o.name];
      return [
        o.name,
        {
          description: o.description,
          ...(declared?.sensitive ? { sensitive: true } : {}),
          value: `\${module.${MODULE_INSTANCE}.${o.name}}`,
        },
      ];
    }),
  );
  const call: Json = {
    source: posix.relative(env.environment, SHARED_MODULE_DIR),
    ...Object.fromEntries(Object.entries(inputs).filter(([k]) => module.inputs.some((i) => i.name === k))),
  };
  const root: Json = {
    '//': `Generated by pipeform ${VERSION} from ${sourceName}. Do not edit: change the spec and synthesize again.`,
    ...(imports.length > 0 ? { import: imports } : {}),
    module: { [MODULE_INSTANCE]: sorted(call) },
    ...(moved.length > 0 ? { moved } : {}),
    ...(Object.keys(outputs).length > 0 ? { output: sorted(outputs) } : {}),
    provider: { aws: provider },
    terraform,
  };
  return json(root);
}

/**
 * Lays out a spec with environments: when every environment's module is the same (their
 * differences are inputs), the module is written once to modules/pipeline/ and each
 * environment gets a root in `<environment>/` that calls it, with moved blocks from the
 * flat layout's addresses. When the environments differ in shape (promotion, a different
 * number of availability zones), each keeps its flat configuration and a notice says why.
 */
export function environmentLayout(
  envs: readonly EnvironmentConfiguration[],
  pipelineName: string,
  sourceName: string,
): EnvironmentLayout {
  // Whole configurations, each with moved blocks back out of the module instance: a spec
  // that had the module layout and gains a shape difference (a third zone, promotion)
  // keeps its resources rather than planning them as new.
  const flatFiles = (modules: readonly ModuleResult[]) => {
    const files = new Map<string, FileContent>();
    envs.forEach((e, i) => {
      for (const [name, content] of e.flat.files)
        files.set(
          posix.join(e.environment, name),
          name === MAIN_FILE ? withMovedOut(content as string, modules[i]) : content,
        );
    });
    return files;
  };
  const modules = envs.map((e) => sharedModuleOf(e.spec, sourceName, pipelineName));
  const first = fingerprint(modules[0]);
  const other = modules.findIndex((m) => fingerprint(m) !== first);
  if (other >= 0) {
    const why = shapeDifference(envs[0].environment, modules[0], envs[other].environment, modules[other]);
    return {
      kind: 'flat',
      files: flatFiles(modules),
      notices: [
        `environments ${envs.map((e) => e.environment).join(', ')} differ in shape (${why}), so no ` +
          'one module can serve them: each keeps its own whole configuration in <environment>/ ' +
          '(docs/environments.md says which overrides are module inputs).',
      ],
    };
  }
  const module = modules[0];
  const files = new Map<string, FileContent>();
  for (const [path, content] of module.files) files.set(posix.join(SHARED_MODULE_DIR, path), content);
  envs.forEach((e) =>
    files.set(
      posix.join(e.environment, MAIN_FILE),
      environmentRoot(e, module, environmentInputs(e.spec), sourceName),
    ),
  );
  return { kind: 'module', files, module, notices: [] };
}

/**
 * The shared module as one environment produces it. README and example callers describe
 * the pipeline under its own name, not the environment's, so they are the same for every
 * environment (description, goals and region are not environment overrides).
 */
export function sharedModuleOf(
  spec: ResolvedSpec,
  sourceName: string,
  pipelineName: string,
  format: ModuleFormat = 'json',
): ModuleResult {
  return synthesizeModule(spec, sourceName, `../${SHARED_MODULE_DIR}`, {
    transform: environmentTransform(spec),
    // The default description names the stack (`ML pipeline <name>-<environment>`).
    docsSpec: {
      ...spec,
      name: pipelineName,
      description: spec.description.split(spec.name).join(pipelineName),
    },
    format,
  });
}

/**
 * What `pipeform module` emits for a spec with environments: the module the environment
 * roots call (the same bytes synth writes to modules/pipeline/). When the environments differ
 * in shape there is no one module: `environment` picks whose; without it, an error says why.
 */
export function environmentModule(
  compiled: {
    readonly resolved: ResolvedSpec;
    readonly environments: readonly { readonly environment: string; readonly resolved: ResolvedSpec }[];
  },
  sourceName: string,
  environment: string | undefined,
  format: ModuleFormat = 'json',
): { module: ModuleResult } | { error: string } {
  const names = compiled.environments.map((e) => e.environment);
  const moduleOf = (spec: ResolvedSpec, f: ModuleFormat) =>
    sharedModuleOf(spec, sourceName, compiled.resolved.name, f);
  if (environment !== undefined) {
    const env = compiled.environments.find((e) => e.environment === environment);
    if (!env)
      return {
        error: `no environment ${JSON.stringify(environment)} in the spec; its environments: ${names.join(', ')}`,
      };
    return { module: moduleOf(env.resolved, format) };
  }
  const modules = compiled.environments.map((e) => moduleOf(e.resolved, 'json'));
  const other = modules.findIndex((m) => fingerprint(m) !== fingerprint(modules[0]));
  if (other >= 0) {
    const why = shapeDifference(names[0], modules[0], names[other], modules[other]);
    return {
      error:
        `the environments of this spec differ in shape (${why}), so they share no module; ` +
        `pass --env ${names.join('|')} for the module of one environment`,
    };
  }
  return { module: format === 'json' ? modules[0] : moduleOf(compiled.environments[0].resolved, format) };
}

/** Builds the flat configuration of each environment (the input of {@link environmentLayout}). */
export function environmentConfigurations(
  environments: readonly { readonly environment: string; readonly resolved: ResolvedSpec }[],
  sourceName: string,
): EnvironmentConfiguration[] {
  return environments.map((e) => {
    const { result, root } = renderLazily(build(e.resolved), sourceName);
    return { environment: e.environment, spec: e.resolved, flat: result, root };
  });
}
