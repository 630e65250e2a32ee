/**
 * The Terraform version a module needs, computed from what the module itself uses. A root
 * configuration's `required_version` also covers its backend (`use_lockfile` needs 1.10)
 * and its import blocks; a module has neither, so it must not inherit that number: a
 * caller on Terraform 1.6 can use a module that needs nothing newer.
 */

type Json = Record<string, unknown>;

/** One language feature and the first Terraform release that has it. */
interface Feature {
  readonly version: string;
  readonly why: string;
  readonly uses: (config: Json, text: string) => boolean;
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every object under `v` (including `v`), depth first. */
function* objects(v: unknown): Generator<Json> {
  if (Array.isArray(v)) for (const x of v) yield* objects(x);
  else if (isObject(v)) {
    yield v;
    for (const x of Object.values(v)) yield* objects(x);
  }
}

const resources = (config: Json) =>
  Object.values((config.resource ?? {}) as Record<string, Json>).flatMap((byName) =>
    Object.values(byName),
  ) as Json[];
const variables = (config: Json) => Object.values((config.variable ?? {}) as Record<string, Json>);
const calls = (fn: string) => (_: Json, text: string) => new RegExp(`\\b${fn}\\(`).test(text);

/**
 * The features pipeform's output can use, oldest first. The baseline is 1.0: the first
 * release with the 1.x compatibility promise (and what hashicorp/aws 5.x supports).
 */
const FEATURES: readonly Feature[] = [
  {
    version: '1.1.0',
    why: 'moved blocks',
    uses: (c) => c.moved !== undefined,
  },
  {
    version: '1.1.0',
    why: 'nullable variables',
    uses: (c) => variables(c).some((v) => 'nullable' in v),
  },
  {
    version: '1.2.0',
    why: 'preconditions and postconditions',
    uses: (c) =>
      resources(c).some(
        (r) => isObject(r.lifecycle) && ('precondition' in r.lifecycle || 'postcondition' in r.lifecycle),
      ) ||
      Object.values((c.output ?? {}) as Record<string, Json>).some((o) => 'precondition' in o) ||
      Object.values((c.data ?? {}) as Record<string, Record<string, Json>>)
        .flatMap((byName) => Object.values(byName))
        .some((d) => isObject(d.lifecycle)),
  },
  {
    version: '1.3.0',
    why: 'optional object type attributes',
    uses: (c) => variables(c).some((v) => /\boptional\(/.test(String(v.type))),
  },
  {
    version: '1.3.0',
    why: 'startswith / endswith',
    uses: (c, t) => calls('startswith')(c, t) || calls('endswith')(c, t),
  },
  {
    version: '1.4.0',
    why: 'terraform_data resources',
    uses: (c) => isObject(c.resource) && 'terraform_data' in c.resource,
  },
  { version: '1.5.0', why: 'check blocks', uses: (c) => c.check !== undefined },
  { version: '1.5.0', why: 'strcontains', uses: calls('strcontains') },
  { version: '1.7.0', why: 'removed blocks', uses: (c) => c.removed !== undefined },
  {
    version: '1.9.0',
    why: 'input validations that refer to other values',
    uses: (c) =>
      Object.entries((c.variable ?? {}) as Record<string, Json>).some(([name, v]) =>
        [...objects(v.validation)].some((val) =>
          [...String(val.condition ?? '').matchAll(/\b(var\.[A-Za-z0-9_-]+|local\.|data\.)/g)].some(
            (m) => m[1] !== `var.${name}`,
          ),
        ),
      ),
  },
  { version: '1.9.0', why: 'templatestring', uses: calls('templatestring') },
  {
    version: '1.10.0',
    why: 'ephemeral values',
    uses: (c, t) => c.ephemeral !== undefined || calls('ephemeralasnull')(c, t),
  },
];

/** The oldest Terraform that runs `config` (a module, merged), and why. */
export function requiredTerraform(config: Json): { version: string; reasons: readonly string[] } {
  const text = JSON.stringify(config);
  const used = FEATURES.filter((f) => f.uses(config, text));
  const newest = used.reduce((v, f) => (compare(f.version, v) > 0 ? f.version : v), '1.0.0');
  return { version: newest, reasons: used.filter((f) => f.version === newest).map((f) => f.why) };
}

/** The `required_version` constraint of a module: `>= <the version it needs>`. */
export function moduleRequiredVersion(config: Json): string {
  return `>= ${requiredTerraform(config).version}`;
}

function compare(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}
