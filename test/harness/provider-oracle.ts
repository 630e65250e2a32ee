import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliConfig, scratchDir, startStub } from './terraform';

/**
 * Asks the real aws provider which attribute changes force replacement. The provider
 * schema (`terraform providers schema -json`) does not say (ForceNew is not in it), but a
 * plan does: each case becomes a resource whose prior state holds the `before` body and
 * whose configuration holds the `after` body, and `terraform plan -refresh=false` (offline,
 * fake keys) reports the action and the `replace_paths`. References (`${...}`) are replaced
 * by stable literals of the right type, since the cases stand alone.
 */

type Json = unknown;
type Body = Record<string, Json>;

interface SchemaBlock {
  readonly attributes?: Record<
    string,
    { readonly type?: Json; readonly computed?: boolean; readonly optional?: boolean }
  >;
  readonly block_types?: Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock }>;
}

/** One question: what does the provider plan when `before` (in state) becomes `after` (in config)? */
export interface OracleCase {
  readonly type: string;
  readonly before: Body;
  readonly after: Body;
}

/** The provider's answer for one case. */
export interface OracleAnswer {
  readonly actions: readonly string[];
  /** Attribute paths that force replacement, keys only (list indices dropped), dotted. */
  readonly replacePaths: readonly string[];
}

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const isObject = (v: Json): v is Body => v !== null && typeof v === 'object' && !Array.isArray(v);
const short = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 8);

/** EC2 id prefixes the provider validates, by resource type. */
const ID_PREFIXES: Readonly<Record<string, string>> = {
  aws_launch_template: 'lt-',
  aws_security_group: 'sg-',
  aws_subnet: 'subnet-',
  aws_vpc: 'vpc-',
};

/** A literal standing in for a reference: an ARN for `*arn`, an EC2-style id, or a plain token. */
function stand(reference: string): string {
  const h = short(reference);
  if (/arn\b|_arn$/.test(reference)) return `arn:aws:iam::123456789012:role/ref-${h}`;
  const m = /^([a-z0-9_]+)\.[A-Za-z0-9_-]+\.id$/.exec(reference);
  if (m && ID_PREFIXES[m[1]]) return `${ID_PREFIXES[m[1]]}0${h}`;
  return `ref${h}`;
}

/** Replaces references in a value, using the schema type where a whole value is one reference. */
function literal(value: Json, type: Json): Json {
  if (typeof value === 'string' && value.includes('${')) {
    const whole = /^\$\{([^}]*)\}$/.exec(value);
    if (whole) {
      if (type === 'number') return 1;
      if (type === 'bool') return true;
      if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) return [stand(whole[1])];
      if (Array.isArray(type) && type[0] === 'map') return {};
    }
    return value.replace(/\$\{([^}]*)\}/g, (_, ref: string) => stand(ref));
  }
  if (Array.isArray(value)) {
    const inner = Array.isArray(type) ? type[1] : undefined;
    return value.map((v) => literal(v, inner));
  }
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v, undefined)]));
  }
  return value;
}

const META = new Set(['depends_on', 'lifecycle', 'provider', 'count', 'for_each']);

/**
 * A body as configuration (references replaced) or as state (blocks as lists, as
 * Terraform stores them), following the schema block.
 */
function shape(body: Json, block: SchemaBlock, as: 'config' | 'state', top = true): Body {
  const out: Body = {};
  for (const [k, v] of Object.entries(isObject(body) ? body : {})) {
    if (top && META.has(k)) continue;
    const nested = block.block_types?.[k];
    if (nested) {
      const items = (Array.isArray(v) ? v : [v]).map((x) => shape(x, nested.block, as, false));
      out[k] =
        as === 'state' && nested.nesting_mode !== 'single' ? items : Array.isArray(v) ? items : items[0];
    } else {
      out[k] = literal(v, block.attributes?.[k]?.type);
    }
  }
  return out;
}

/** The value at a plan path (keys and list indices) in a state-shaped value. */
function get(value: Json, path: readonly Json[]): Json {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, Json>)[String(k)];
  }
  return v;
}

/** Sets the value at a plan path, creating nothing: the parents must exist. */
function put(value: Json, path: readonly Json[], x: Json): void {
  const parent = get(value, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object')
    (parent as Record<string, Json>)[String(path[path.length - 1])] = x;
}

/** A placeholder of a schema type, for computed attributes the state would hold. */
function placeholder(type: Json): Json {
  if (type === 'string') return 'x';
  if (type === 'number') return 1;
  if (type === 'bool') return false;
  if (Array.isArray(type)) {
    if (type[0] === 'list' || type[0] === 'set') {
      const inner = placeholder(type[1]);
      return inner === null ? [] : [inner];
    }
    if (type[0] === 'map') return {};
  }
  return null;
}

function run(dir: string, rc: string, args: string[]): string {
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: rc,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
  };
  const r = spawnSync('terraform', args, {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 600000,
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) {
    // Terraform echoes the offending JSON line; keep the diagnostics readable.
    const text = `${r.stdout}${r.stderr}`
      .split('\n')
      .map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l))
      .join('\n');
    throw new Error(`terraform ${args[0]} failed:\n${text}`);
  }
  return r.stdout;
}

/** The provider's plan for each case (one init and two plans for all of them). */
export function askProvider(cases: readonly OracleCase[], region = 'us-east-1'): OracleAnswer[] {
  const dir = scratchDir('pipeform-oracle-');
  const rc = cliConfig();
  // A changed state machine definition is validated by Step Functions at plan time.
  const stub = startStub(dir, {}, region);
  try {
    return ask(dir, rc, cases, region, stub.url);
  } finally {
    stub.stop();
  }
}

function ask(
  dir: string,
  rc: string,
  cases: readonly OracleCase[],
  region: string,
  stubUrl: string,
): OracleAnswer[] {
  const provider = {
    aws: {
      region,
      access_key: 'mock-access-key',
      secret_key: 'mock-secret-key',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      endpoints: { sfn: stubUrl },
    },
  };
  const name = (i: number) => `case${i}`;
  const byType = (make: (c: OracleCase, i: number) => Body) => {
    const resource: Record<string, Record<string, Body>> = {};
    cases.forEach((c, i) => ((resource[c.type] ??= {})[name(i)] = make(c, i)));
    return resource;
  };
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ provider, resource: byType(() => ({})) }));
  run(dir, rc, ['init', '-input=false', '-no-color']);
  const schema = JSON.parse(run(dir, rc, ['providers', 'schema', '-json'])) as {
    provider_schemas: Record<
      string,
      { resource_schemas: Record<string, { version?: number; block: SchemaBlock }> }
    >;
  };
  const blocks = schema.provider_schemas['registry.terraform.io/hashicorp/aws'].resource_schemas;
  const blockOf = (type: string) => {
    const b = blocks[type]?.block;
    if (!b) throw new Error(`the provider has no resource type ${type}`);
    return b;
  };

  const states = cases.map((c) => ({
    id: `id-${short(JSON.stringify(c.before))}`,
    ...shape(c.before, blockOf(c.type), 'state'),
  }));
  writeFileSync(
    join(dir, 'main.tf.json'),
    JSON.stringify({ provider, resource: byType((c) => shape(c.after, blockOf(c.type), 'config')) }),
  );

  const plan = (): {
    address: string;
    change: { actions: string[]; replace_paths?: Json[][]; after?: Json; after_unknown?: Json };
  }[] => {
    writeFileSync(
      join(dir, 'terraform.tfstate'),
      JSON.stringify({
        version: 4,
        terraform_version: '1.11.4',
        serial: 1,
        lineage: '00000000-0000-0000-0000-000000000000',
        outputs: {},
        resources: cases.map((c, i) => ({
          mode: 'managed',
          type: c.type,
          name: name(i),
          provider: PROVIDER,
          // The resource's current schema version: an older one makes the provider run its
          // state upgraders over the fabricated state (aws_cloudwatch_event_rule's V0
          // upgrader panics on a state without is_enabled).
          instances: [{ schema_version: blocks[c.type]?.version ?? 0, attributes: states[i] }],
        })),
      }),
    );
    run(dir, rc, ['plan', '-refresh=false', '-input=false', '-lock=false', '-no-color', '-out=plan.bin']);
    return (JSON.parse(run(dir, rc, ['show', '-json', 'plan.bin'])) as { resource_changes: never[] })
      .resource_changes;
  };

  // Attributes the fabricated state lacks (computed ones, and defaults the provider fills
  // in) show up as forcing replacement (null -> a value). A real state would hold what the
  // provider planned, so copy that in (or a placeholder when it is unknown) and plan again.
  const first = plan();
  cases.forEach((c, i) => {
    const change = first.find((r) => r.address === `${c.type}.${name(i)}`)?.change;
    for (const p of change?.replace_paths ?? []) {
      if (get(states[i], p) !== undefined && get(states[i], p) !== null) continue;
      const planned = get(change?.after, p);
      const unknown = get(change?.after_unknown, p) === true;
      if (planned !== undefined && planned !== null && !unknown) put(states[i], p, planned);
      else if (p.length === 1)
        put(states[i], p, placeholder(blockOf(c.type).attributes?.[String(p[0])]?.type));
    }
  });
  const second = plan();
  return cases.map((c, i) => {
    const change = second.find((r) => r.address === `${c.type}.${name(i)}`)?.change;
    return {
      actions: change?.actions ?? [],
      replacePaths: (change?.replace_paths ?? []).map((p) =>
        p.filter((k) => typeof k === 'string').join('.'),
      ),
    };
  });
}

/** Reads a Terraform JSON file. */
export function readConfig(path: string): { resource?: Record<string, Record<string, Body>> } {
  return JSON.parse(readFileSync(path, 'utf8'));
}
