/**
 * Differences between two synthesized Terraform JSON configurations, resource by resource
 * and attribute path by attribute path, for the stability test.
 */

/** The part of a Terraform JSON configuration the diff reads. */
export interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Inputs (callers and CI/CD set them) and outputs (callers read them) are addresses too. */
  readonly variable?: Readonly<Record<string, unknown>>;
  readonly output?: Readonly<Record<string, unknown>>;
}

/** One attribute of one resource that differs. */
export interface AttributeChange {
  /** `type.name`. */
  readonly address: string;
  readonly type: string;
  /** Dotted path inside the resource body, list indices as `[i]`, e.g. `vpc_config.subnets`. */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Meta-arguments whose change replaces nothing: dependencies only order operations, and
 * lifecycle settings change how Terraform plans, not the resource. `count` and `for_each`
 * are compared (they decide the instance addresses).
 */
const META = new Set(['depends_on', 'lifecycle']);

/**
 * Every address a configuration offers: resources `type.name`, data sources
 * `data.type.name`, inputs `var.name` and outputs `output.name`.
 */
export function addressesOf(config: TerraformJson): string[] {
  const out: string[] = [];
  for (const name of Object.keys(config.variable ?? {})) out.push(`var.${name}`);
  for (const name of Object.keys(config.output ?? {})) out.push(`output.${name}`);
  for (const [type, byName] of Object.entries(config.resource ?? {}))
    for (const name of Object.keys(byName)) out.push(`${type}.${name}`);
  for (const [type, byName] of Object.entries(config.data ?? {}))
    for (const name of Object.keys(byName)) out.push(`data.${type}.${name}`);
  return out.sort();
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The paths at which `after` differs from `before`: objects are compared key by key,
 * lists of the same length element by element; anything else (a scalar, or lists of
 * different lengths) is one change at its own path.
 */
export function changedPaths(
  before: unknown,
  after: unknown,
  path = '',
): { path: string; before: unknown; after: unknown }[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedPaths(before[k], after[k], path === '' ? k : `${path}.${k}`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => changedPaths(b, after[i], `${path}[${i}]`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

/** What happened to the resources of `before` in `after`. */
export function compareConfigs(
  before: TerraformJson,
  after: TerraformJson,
): { missing: string[]; changes: AttributeChange[] } {
  const kept = new Set(addressesOf(after));
  const missing = addressesOf(before).filter((a) => !kept.has(a));
  const changes: AttributeChange[] = [];
  for (const [type, byName] of Object.entries(before.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const next = after.resource?.[type]?.[name];
      if (next === undefined) continue;
      const strip = (b: Readonly<Record<string, unknown>>) =>
        Object.fromEntries(Object.entries(b).filter(([k]) => !META.has(k)));
      for (const c of changedPaths(strip(body), strip(next)))
        changes.push({ address: `${type}.${name}`, type, ...c });
    }
  }
  return { missing, changes };
}

/** `vpc_config[0].subnets[1]` -> `vpc_config.subnets`: the path a rule table names. */
export function attributePath(path: string): string {
  return path.replace(/\[\d+\]/g, '');
}

/** True when `rule` names `path` or one of its ancestors (`vpc_config` covers `vpc_config.subnets`). */
export function covers(rule: string, path: string): boolean {
  const p = attributePath(path);
  return p === rule || p.startsWith(`${rule}.`);
}

type Body = Readonly<Record<string, unknown>>;

/** Applies `f` to every string inside a value. */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}

function mapBodies(config: TerraformJson, f: (body: Body) => Body): TerraformJson {
  const each = (group: TerraformJson['resource']) =>
    Object.fromEntries(
      Object.entries(group ?? {}).map(([type, byName]) => [
        type,
        Object.fromEntries(Object.entries(byName).map(([name, body]) => [name, f(body)])),
      ]),
    );
  return {
    ...config,
    resource: each(config.resource),
    data: each(config.data as TerraformJson['resource']),
  } as TerraformJson;
}

const SIMPLE_REFERENCE = /\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g;

/**
 * Replaces `${type.name.attr}` with the attribute's value where the configuration sets it
 * to a literal string: a changed literal (a model's name) then shows up in every resource
 * that references it, which is what Terraform plans for them.
 */
export function resolveLiterals(config: TerraformJson): TerraformJson {
  const literals = new Map<string, string>();
  const collect = (prefix: string, group: TerraformJson['resource']) => {
    for (const [type, byName] of Object.entries(group ?? {}))
      for (const [name, body] of Object.entries(byName))
        for (const [attr, v] of Object.entries(body))
          if (typeof v === 'string' && !v.includes('${')) literals.set(`${prefix}${type}.${name}.${attr}`, v);
  };
  collect('', config.resource);
  collect('data.', config.data as TerraformJson['resource']);
  return mapBodies(
    config,
    (body) =>
      mapStrings(body, (s) =>
        s.replace(SIMPLE_REFERENCE, (whole, address: string, attr: string) => {
          const v = literals.get(`${address}.${attr}`);
          return v ?? whole;
        }),
      ) as Body,
  );
}

/**
 * Marks every reference to the given addresses (`type.name` or `data.type.name`) as
 * changed: a replaced resource gets new computed attributes (id, arn), so whatever refers
 * to it sees a new value, exactly as Terraform plans it ("known after apply").
 */
export function markReferences(config: TerraformJson, addresses: ReadonlySet<string>): TerraformJson {
  if (addresses.size === 0) return config;
  const escaped = [...addresses].map((a) => a.replace(/[.]/g, '\\.'));
  const pattern = new RegExp(`(?<![A-Za-z0-9_.])(${escaped.join('|')})(?=[.[])`, 'g');
  return mapBodies(
    config,
    (body) => mapStrings(body, (s) => (s.includes('${') ? s.replace(pattern, '$1~replaced') : s)) as Body,
  );
}

/** Data sources whose arguments differ: their results may differ too. */
export function changedData(before: TerraformJson, after: TerraformJson): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries(before.data ?? {}))
    for (const [name, body] of Object.entries(byName)) {
      const next = after.data?.[type]?.[name];
      if (next !== undefined && changedPaths(body, next).length > 0) out.push(`data.${type}.${name}`);
    }
  return out;
}

/** Applies `f` to every string of every resource and data source. */
export function mapConfigStrings(config: TerraformJson, f: (s: string) => string): TerraformJson {
  return mapBodies(config, (body) => mapStrings(body, f) as Body);
}

/** The body of a resource by address, or undefined. */
export function resourceAt(config: TerraformJson, address: string): Body | undefined {
  const dot = address.indexOf('.');
  return config.resource?.[address.slice(0, dot)]?.[address.slice(dot + 1)];
}
