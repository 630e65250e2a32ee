import { parse } from 'yaml';

/**
 * The day-2 additions the stability test makes to a spec: one more component of each kind,
 * cloned from one the spec already has (so it has the example's own shape), as the first
 * and as the last element of its list or map. The added component's name sorts before
 * every existing name when it is first and after them when it is last, so both the list
 * position and the sorted position are exercised.
 */

/** A kind of component a user adds on day 2. */
export type AdditionKind =
  | 'bucket'
  | 'endpoint'
  | 'variant'
  | 'function'
  | 'node-group'
  | 'availability-zone'
  | 'interface-endpoint'
  | 'environment';

export const ADDITION_KINDS: readonly AdditionKind[] = [
  'bucket',
  'endpoint',
  'variant',
  'function',
  'node-group',
  'availability-zone',
  'interface-endpoint',
  'environment',
];

export type Position = 'first' | 'last';

/** One spec change: the spec after it, as data. */
export interface Addition {
  readonly kind: AdditionKind;
  readonly position: Position;
  /** What was added where, for test names and failure messages. */
  readonly description: string;
  readonly spec: Spec;
}

/** A kind the spec has no area for, and why. */
export interface Skipped {
  readonly kind: AdditionKind;
  readonly position: Position;
  readonly reason: string;
}

// Specs are plain YAML data here; the compiler validates what the mutations produce.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Spec = Record<string, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Named = { name: string; [k: string]: any };

/** Names of added components: `a0-...` sorts before any letter-led name, `zz-...` after. */
export const ADDED_NAME: Readonly<Record<Position, string>> = { first: 'a0-added', last: 'zz-added' };
/** Environment names allow no dash. */
const ADDED_ENVIRONMENT: Readonly<Record<Position, string>> = { first: 'a0', last: 'zz' };

/** Interface endpoints the schema offers, in the order a new one is picked. */
const INTERFACE_CHOICES = [
  'kms',
  'monitoring',
  'events',
  'states',
  'glue',
  'sts',
  'logs',
  'ecr-api',
  'ecr-dkr',
  'sagemaker-api',
  'sagemaker-runtime',
];
/** What a created VPC gets when `endpoints.interface` is not given (normalize/network.ts). */
const DEFAULT_INTERFACE = ['sagemaker-api', 'sagemaker-runtime', 'sts', 'logs', 'ecr-api', 'ecr-dkr'];

/** Endpoint types that take no more variants. */
const SINGLE_VARIANT = ['multi-model', 'serverless'];

const clone = <T>(v: T): T => structuredClone(v);

function insert<T>(list: readonly T[], item: T, position: Position): T[] {
  return position === 'first' ? [item, ...list] : [...list, item];
}

function insertKey<T>(map: Readonly<Record<string, T>>, key: string, value: T, position: Position) {
  const entries = Object.entries(map);
  return Object.fromEntries(position === 'first' ? [[key, value], ...entries] : [...entries, [key, value]]);
}

/** The element a clone is made from: the first for the first position, the last for the last. */
function template<T>(list: readonly T[], position: Position): T {
  return clone(position === 'first' ? list[0] : list[list.length - 1]);
}

type Maker = (spec: Spec, position: Position) => { description: string; spec: Spec } | string;

const makers: Readonly<Record<AdditionKind, Maker>> = {
  bucket: (spec, position) => {
    const name = ADDED_NAME[position];
    const out = clone(spec);
    out.storage = out.storage ?? {};
    out.storage.buckets = insertKey(out.storage.buckets ?? {}, name, { purpose: 'added on day 2' }, position);
    return { description: `bucket ${name}`, spec: out };
  },

  endpoint: (spec, position) => {
    const endpoints: Named[] = spec.serving?.endpoints ?? [];
    if (endpoints.length === 0) return 'no serving endpoints';
    const name = ADDED_NAME[position];
    const out = clone(spec);
    const added = template(endpoints, position);
    out.serving.endpoints = insert(endpoints, { ...added, name }, position);
    return { description: `endpoint ${name} (a copy of ${added.name})`, spec: out };
  },

  variant: (spec, position) => {
    const endpoints: Named[] = spec.serving?.endpoints ?? [];
    // A multi-model endpoint has exactly one variant and a serverless one none (check rules).
    const i = endpoints.findIndex(
      (e) => Array.isArray(e.variants) && e.variants.length > 0 && !SINGLE_VARIANT.includes(e.type),
    );
    if (i < 0) return 'no endpoint lists variants it may add to';
    const name = ADDED_NAME[position];
    const out = clone(spec);
    const e = out.serving.endpoints[i];
    const added = template<Named>(e.variants, position);
    e.variants = insert(e.variants, { ...added, name }, position);
    return { description: `variant ${name} of endpoint ${e.name} (a copy of ${added.name})`, spec: out };
  },

  function: (spec, position) => {
    const functions: Named[] = spec.orchestration?.functions ?? [];
    if (functions.length === 0) return 'no functions';
    const name = ADDED_NAME[position];
    const out = clone(spec);
    const added = template(functions, position);
    // Two functions on overlapping S3 prefixes are refused (S3 rejects overlapping
    // notification configurations), so the copy listens under a prefix of its own.
    const triggers = (added.triggers ?? []).map((t: Named) => ({ ...t, prefix: `${name}/` }));
    out.orchestration.functions = insert(
      functions,
      { ...added, name, ...(triggers.length > 0 ? { triggers } : {}) },
      position,
    );
    return { description: `function ${name} (a copy of ${added.name})`, spec: out };
  },

  'node-group': (spec, position) => {
    const groups: Named[] = spec.training?.eks?.nodeGroups ?? [];
    if (groups.length === 0) return 'no EKS node groups';
    const name = ADDED_NAME[position];
    const out = clone(spec);
    const added = template(groups, position);
    out.training.eks.nodeGroups = insert(groups, { ...added, name }, position);
    return { description: `node group ${name} (a copy of ${added.name})`, spec: out };
  },

  'availability-zone': (spec, position) => {
    const vpcs = createdVpcs(spec);
    if (vpcs.length === 0) return 'no created VPC';
    const out = clone(spec);
    const added: string[] = [];
    for (const vpc of createdVpcs(out)) {
      const az = nextZone(vpc.availabilityZones);
      vpc.availabilityZones = insert(vpc.availabilityZones, az, position);
      added.push(az);
    }
    return { description: `availability zone ${added.join(', ')}`, spec: out };
  },

  'interface-endpoint': (spec, position) => {
    if (createdVpcs(spec).length === 0) return 'no created VPC';
    const out = clone(spec);
    const added: string[] = [];
    for (const network of createdNetworks(out)) {
      const current: string[] = network.endpoints?.interface ?? DEFAULT_INTERFACE;
      const service = INTERFACE_CHOICES.find((s) => !current.includes(s));
      if (service === undefined) continue;
      network.endpoints = { ...(network.endpoints ?? {}), interface: insert(current, service, position) };
      added.push(service);
    }
    if (added.length === 0) return 'every interface endpoint is already there';
    return { description: `interface endpoint ${added.join(', ')}`, spec: out };
  },

  environment: (spec, position) => {
    const name = ADDED_ENVIRONMENT[position];
    const out = clone(spec);
    const envs: Record<string, Spec> | undefined = spec.environments;
    if (envs === undefined) {
      // A spec without environments gets its first: one position only.
      if (position === 'last') return 'the spec has no environments: adding the first is tested once';
      out.environments = { [name]: {} };
      return { description: `first environment ${name}`, spec: out };
    }
    const keys = Object.keys(envs);
    const from = position === 'first' ? keys[0] : keys[keys.length - 1];
    const added = clone(envs[from]);
    // A copy must not share the state object of the environment it is copied from.
    if (added.state?.s3?.key) added.state.s3.key = `${name}/${added.state.s3.key}`;
    out.environments = insertKey(envs, name, added, position);
    // Under promotion every environment trains or serves: a new one serves (the owner stays).
    if (out.promotion) out.promotion.serve = [...out.promotion.serve, name];
    return { description: `environment ${name} (a copy of ${from})`, spec: out };
  },
};

/** The networks of a spec that create a VPC: the base and every environment override. */
function createdNetworks(spec: Spec): Spec[] {
  return [spec.network, ...Object.values<Spec>(spec.environments ?? {}).map((e) => e.network)].filter(
    (n): n is Spec => n?.vpc !== undefined,
  );
}

function createdVpcs(spec: Spec): Spec[] {
  return createdNetworks(spec).map((n) => n.vpc);
}

/** The zone after the highest one listed, e.g. `us-east-1c` after `us-east-1a, us-east-1b`. */
function nextZone(zones: readonly string[]): string {
  const last = [...zones].sort()[zones.length - 1];
  return `${last.slice(0, -1)}${String.fromCharCode(last.charCodeAt(last.length - 1) + 1)}`;
}

/** Every addition a spec allows, and the kinds it has no area for. */
export function additionsOf(yamlText: string): { additions: Addition[]; skipped: Skipped[] } {
  const spec = parse(yamlText) as Spec;
  const additions: Addition[] = [];
  const skipped: Skipped[] = [];
  for (const kind of ADDITION_KINDS) {
    for (const position of ['first', 'last'] as const) {
      const made = makers[kind](spec, position);
      if (typeof made === 'string') skipped.push({ kind, position, reason: made });
      else additions.push({ kind, position, ...made });
    }
  }
  return { additions, skipped };
}
