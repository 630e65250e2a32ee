import { CALLER_LOCALS } from '../constructs/module-inputs';
import type { ResolvedSpec } from '../model/resolved';
import {
  NAME_PREFIX_MARKER,
  NAME_PREFIX_REF,
  NAME_PREFIX_TEMPLATE_VAR,
  NAME_PREFIX_VARIABLE,
} from './module-prefix';

type Json = Record<string, unknown>;

/** A value the spec ties to its own region: it is right only where the spec's region is. */
export interface RegionBinding {
  readonly kind: 'zone' | 'image';
  /** The literal as it stays in the module (an availability zone, an image URI, a repository ARN). */
  readonly value: string;
}

/** The spec's account, region and partition found in one module, and where they went. */
export interface CallerBindingReport {
  /** Literals of the spec's account replaced by the caller's account. */
  readonly account: number;
  /** Literals of the spec's region replaced by the caller's region. */
  readonly region: number;
  /** `arn:<partition>:` prefixes replaced by the caller's partition. */
  readonly partition: number;
  /** Spec-bound values kept, each guarded by a precondition on the caller's region. */
  readonly bound: readonly RegionBinding[];
  /** Addresses of the blocks that carry such a precondition, sorted. */
  readonly guarded: readonly string[];
}

const local = (name: string) => `\${local.${name}}`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One pass over a string: the region-bound spans (ECR registries, concrete ECR repository
 * ARNs, availability zones) are kept and recorded; every other occurrence of the spec's
 * account, region and ARN partition becomes the caller's. The alternation is ordered so a
 * bound span is matched before the account or region inside it.
 */
/** What the spec's literals become: Terraform expressions in the configuration, template variables in a template. */
interface Replacements {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

const IN_CONFIGURATION: Replacements = {
  account: local(CALLER_LOCALS.account),
  region: local(CALLER_LOCALS.region),
  partition: local(CALLER_LOCALS.partition),
};

function rewriter(spec: ResolvedSpec, partition: string, to: Replacements = IN_CONFIGURATION) {
  const region = escape(spec.region);
  const account = escape(spec.account);
  const pattern = new RegExp(
    [
      // An image in an ECR registry of the spec's region (prebuilt registries, the spec's own images).
      `(?<image>\\b\\d{12}\\.dkr\\.ecr\\.${region}\\.amazonaws\\.com(?:\\.cn)?(?:/[A-Za-z0-9._/-]+(?:(?::[A-Za-z0-9._-]+)|(?:@sha256:[a-f0-9]{64}))?)?)`,
      // The repository of such an image, as IAM grants name it (a wildcard grant is the caller's own).
      `(?<repository>arn:${escape(partition)}:ecr:${region}:\\d{12}:repository/[A-Za-z0-9._/-]+)`,
      // An availability zone of the spec's region (and names made from one, like <name>-private-<zone>).
      `(?<zone>(?<![a-z0-9])${region}[a-z](?![a-z0-9]))`,
      `(?<arn>arn:${escape(partition)}:)`,
      `(?<account>(?<![0-9])${account}(?![0-9]))`,
      `(?<region>(?<![a-z0-9])${region}(?![a-z0-9]))`,
    ].join('|'),
    'g',
  );
  const counts = { account: 0, region: 0, partition: 0 };
  const rewrite = (s: string, bound: Map<string, RegionBinding>): string =>
    s.replace(pattern, (match: string, ...args: unknown[]) => {
      const groups = args[args.length - 1] as Record<string, string | undefined>;
      if (groups.image !== undefined || groups.repository !== undefined) {
        bound.set(match, { kind: 'image', value: match });
        return match;
      }
      if (groups.zone !== undefined) {
        bound.set(match, { kind: 'zone', value: match });
        return match;
      }
      if (groups.arn !== undefined) {
        counts.partition++;
        return `arn:${to.partition}:`;
      }
      if (groups.account !== undefined) {
        counts.account++;
        return to.account;
      }
      counts.region++;
      return to.region;
    });
  return { rewrite, counts };
}

/**
 * The spec's account, region and ARN partition in `text` made the caller's, as
 * {@link bindToCaller} makes them in a block; region-bound values (zones, ECR images) stay
 * as written. For text that is no block, such as what a hash in a name was computed from.
 */
export function callerLiterals(spec: ResolvedSpec, partition: string): (text: string) => string {
  const { rewrite } = rewriter(spec, partition);
  return (text) => rewrite(text, new Map());
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, mapStrings(v, f)]));
  }
  return value;
}

/** Block keys whose values are not expressions: left exactly as they are. */
const META_KEYS = new Set(['lifecycle', 'depends_on', 'provider', 'count', 'for_each']);

/** The precondition guarding the region-bound values one block uses. */
function regionPrecondition(spec: ResolvedSpec, address: string, bound: readonly RegionBinding[]): Json {
  const zones = bound.filter((b) => b.kind === 'zone').map((b) => b.value);
  const images = bound.filter((b) => b.kind === 'image').map((b) => b.value);
  const what = [
    ...(zones.length > 0
      ? [
          `availability zone${zones.length > 1 ? 's' : ''} ${zones.join(', ')} (network.vpc.availabilityZones)`,
        ]
      : []),
    ...(images.length > 0 ? [`the ECR image${images.length > 1 ? 's' : ''} ${images.join(', ')}`] : []),
  ].join(' and ');
  return {
    condition: `\${local.${CALLER_LOCALS.region} == ${JSON.stringify(spec.region)}}`,
    error_message:
      `${address} uses ${what}, bound to ${spec.region}, the spec's region, but the aws provider this ` +
      `module is called with is in ${local(CALLER_LOCALS.region)}. Call the module with a provider in ` +
      `${spec.region}, or change the spec's region and what it binds there, and generate the module again.`,
  };
}

/** S3's limit on a bucket name. */
const MAX_BUCKET_NAME = 63;

/**
 * A bucket name with the caller's region in it was checked against S3's limit for the
 * spec's region only (storage/bucket-name-length); a longer region name could push it over.
 */
function bucketLengthPrecondition(address: string, block: Json): Json | undefined {
  const name = block.bucket;
  if (!address.startsWith('aws_s3_bucket.') || typeof name !== 'string') return undefined;
  if (!name.includes(local(CALLER_LOCALS.region))) return undefined;
  return {
    condition: `\${length("${name}") <= ${MAX_BUCKET_NAME}}`,
    error_message:
      `${address}: the bucket name "${name}" is longer than S3's ${MAX_BUCKET_NAME} characters in this ` +
      `region. ${name.includes(NAME_PREFIX_REF) ? 'Pass a shorter name_prefix, or set' : 'Set'} a shorter storage.bucketPrefix in the spec and generate the module again.`,
  };
}

/** A block with the spec's literals rewritten and, when it keeps region-bound values, a precondition. */
function bindBlock(
  block: Json,
  address: string,
  spec: ResolvedSpec,
  rewrite: (s: string, bound: Map<string, RegionBinding>) => string,
  allBound: Map<string, RegionBinding>,
  guarded: string[],
  nested: 'lifecycle' | 'block',
): Json {
  const bound = new Map<string, RegionBinding>();
  const out = Object.fromEntries(
    Object.entries(block).map(([k, v]) => [
      k,
      META_KEYS.has(k) ? v : mapStrings(v, (s) => rewrite(s, bound)),
    ]),
  );
  const length = bucketLengthPrecondition(address, out);
  if (length) {
    const lifecycle = { ...((out.lifecycle as Json | undefined) ?? {}) };
    lifecycle.precondition = [...((lifecycle.precondition as Json[] | undefined) ?? []), length];
    out.lifecycle = lifecycle;
  }
  if (bound.size === 0) return length ? sortKeys(out) : out;
  guarded.push(address);
  return sortKeys(withPrecondition(out, address, spec, bound, allBound, nested));
}

/** Keys in order, as synth writes them (a precondition is added after synth). */
function sortKeys(block: Json): Json {
  const sorted = (o: Json) =>
    Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]]),
    );
  const out = sorted(block);
  if (out.lifecycle) out.lifecycle = sorted(out.lifecycle as Json);
  return out;
}

function withPrecondition(
  out: Json,
  address: string,
  spec: ResolvedSpec,
  bound: Map<string, RegionBinding>,
  allBound: Map<string, RegionBinding>,
  nested: 'lifecycle' | 'block',
): Json {
  for (const [k, b] of bound) allBound.set(k, b);
  const sorted = [...bound.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const precondition = regionPrecondition(spec, address, sorted);
  if (nested === 'block') {
    // Outputs take precondition blocks directly.
    const own = out.precondition === undefined ? [] : ([] as Json[]).concat(out.precondition as Json);
    return { ...out, precondition: [...own, precondition] };
  }
  const lifecycle = { ...((out.lifecycle as Json | undefined) ?? {}) };
  lifecycle.precondition = [...((lifecycle.precondition as Json[] | undefined) ?? []), precondition];
  return { ...out, lifecycle };
}

/**
 * Makes a module follow its caller: every literal of the spec's account, region and ARN
 * partition in resources, data sources, locals and outputs becomes the caller's (the
 * `caller_*` locals ModuleInputs declares from `aws_caller_identity`, `aws_region` and
 * `aws_partition`): ARNs, bucket names, service principals such as
 * `logs.<region>.amazonaws.com`, endpoint service names, the SageMaker pipeline definition.
 * What the spec binds to its region (availability zones, ECR images) stays as written, and
 * the block using it gets a precondition that fails in any other region, naming the value.
 * Root configurations never pass through here: they keep the spec's literals.
 */
export function bindToCaller(
  main: Json,
  spec: ResolvedSpec,
  partition: string,
): {
  main: Json;
  report: CallerBindingReport;
} {
  const { rewrite, counts } = rewriter(spec, partition);
  const allBound = new Map<string, RegionBinding>();
  const guarded: string[] = [];
  const byAddress = (blocks: unknown, prefix: string, nested: 'lifecycle' | 'block'): Record<string, Json> =>
    Object.fromEntries(
      Object.entries((blocks ?? {}) as Record<string, Json>).map(([name, block]) => [
        name,
        bindBlock(block, `${prefix}${name}`, spec, rewrite, allBound, guarded, nested),
      ]),
    );
  const typed = (groups: unknown, prefix: string): Record<string, Record<string, Json>> =>
    Object.fromEntries(
      Object.entries((groups ?? {}) as Record<string, Record<string, Json>>).map(([type, blocks]) => [
        type,
        byAddress(blocks, `${prefix}${type}.`, 'lifecycle'),
      ]),
    );
  const out: Json = { ...main };
  if (main.resource) out.resource = typed(main.resource, '');
  if (main.data) out.data = typed(main.data, 'data.');
  if (main.output) out.output = byAddress(main.output, 'output.', 'block');
  if (main.locals) {
    const bound = new Map<string, RegionBinding>();
    out.locals = mapStrings(main.locals, (s) => rewrite(s, bound));
    if (bound.size > 0) {
      // A local has no precondition of its own; its users only see a reference.
      throw new Error(
        `internal: module locals keep region-bound values (${[...bound.keys()].join(', ')}); guard their users`,
      );
    }
  }
  const bound = [...allBound.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { main: out, report: { ...counts, bound, guarded: guarded.sort() } };
}

/** Folder of the Kubernetes manifests an EKS spec writes beside the configuration. */
const K8S_PREFIX = 'k8s/';

/** The output through which a module hands its caller the Kubernetes manifests. */
export const MANIFESTS_OUTPUT = 'kubernetes_manifests';

/**
 * The Kubernetes manifests (k8s/, applied with kubectl, not by Terraform) follow the caller
 * too: a manifest naming the spec's account, region or partition (bucket URIs, the
 * autoscaler's region, role ARNs) becomes a template `<file>.tftpl`, and the output
 * `kubernetes_manifests` renders every manifest for the caller (path under k8s/ => text),
 * for the caller to write out (a `local_file` per entry) and apply. Images of a
 * region's registry stay as written, and the output gets a precondition on the region.
 * Returns the files to write in place of the manifests and the output, or nothing when
 * the spec has no manifests.
 */
export function bindManifests(
  files: ReadonlyMap<string, string | Uint8Array>,
  spec: ResolvedSpec,
  partition: string,
): { files: Map<string, string>; output: Json; bound: readonly RegionBinding[] } | undefined {
  const manifests = [...files.entries()]
    .filter(([path, content]) => path.startsWith(K8S_PREFIX) && typeof content === 'string')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) as [string, string][];
  if (manifests.length === 0) return undefined;
  const vars = { account: '${account_id}', region: '${region}', partition: '${partition}' };
  const { rewrite, counts } = rewriter(spec, partition, vars);
  const bound = new Map<string, RegionBinding>();
  const out = new Map<string, string>();
  const rendered: Record<string, string> = {};
  for (const [path, text] of manifests) {
    const before = counts.account + counts.region + counts.partition;
    // Template syntax already in a manifest is text: escape it before adding variables.
    // (A function: in a replacement string, `$$` is one `$`.)
    const template = rewrite(
      text.replace(/[$%]\{/g, (m) => `${m[0]}${m}`),
      bound,
    )
      .split(NAME_PREFIX_MARKER)
      .join(`\${${NAME_PREFIX_TEMPLATE_VAR}}`);
    const key = path.slice(K8S_PREFIX.length);
    const prefixed = text.includes(NAME_PREFIX_MARKER);
    if (counts.account + counts.region + counts.partition === before && !prefixed) {
      out.set(path, text);
      rendered[key] = `\${file("\${path.module}/${path}")}`;
      continue;
    }
    out.set(`${path}.tftpl`, template);
    rendered[key] =
      `\${templatefile("\${path.module}/${path}.tftpl", { account_id = local.${CALLER_LOCALS.account}, ` +
      `region = local.${CALLER_LOCALS.region}, partition = local.${CALLER_LOCALS.partition}` +
      `${prefixed ? `, ${NAME_PREFIX_TEMPLATE_VAR} = var.${NAME_PREFIX_VARIABLE}` : ''} })}`;
  }
  const sorted = [...bound.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const output: Json = {
    description:
      'The Kubernetes manifests of the EKS cluster (path under k8s/ => YAML) for the caller account and region: write each out (local_file) and apply with kubectl apply -k.',
    value: rendered,
    ...(sorted.length > 0
      ? { precondition: [regionPrecondition(spec, `output.${MANIFESTS_OUTPUT}`, sorted)] }
      : {}),
  };
  return { files: out, output, bound: sorted };
}
