import { DEFAULTS, defaultMaxInstances, instanceFamily } from '../../areas/serving/catalog';
import { averageInstances, endpointCost, serverlessCost, type PricingContext } from '../../cost/estimate';
import { endpointTraffic } from '../../cost/usage';
import type { ResolvedEndpoint } from '../../model/serving';
import { TECHNIQUES } from '../techniques';
import type { AdviceContext, AdviceRule, SpecPath } from '../types';

/** Below this many requests per minute per instance, an always-on instance mostly idles. */
export const LOW_TRAFFIC_PER_MINUTE = 10;
/** Memory a serverless endpoint gets in the fix (the schema's default). */
const SERVERLESS_MEMORY_MB = DEFAULTS.serverless.memoryMb;

const endpointPath = (name: string, ...rest: string[]): SpecPath => [
  'serving',
  'endpoints',
  { name },
  ...rest,
];

/** Requests per minute each instance of an instance-backed endpoint serves. */
function perInstancePerMinute(ctx: PricingContext, e: ResolvedEndpoint): number {
  const instances = e.variants.reduce((sum, v) => sum + averageInstances(ctx, e, v), 0) || 1;
  return endpointTraffic(ctx.usage, e.name).requestsPerMonth / (ctx.table.hoursPerMonth * 60) / instances;
}

const lowTraffic = (ctx: PricingContext, e: ResolvedEndpoint) =>
  e.type === 'realtime' && perInstancePerMinute(ctx, e) < LOW_TRAFFIC_PER_MINUTE;

/** A realtime endpoint serverless inference can take over: one CPU variant, no shadow. */
const serverlessFits = (e: ResolvedEndpoint) =>
  e.variants.length === 1 &&
  !e.shadow &&
  instanceFamily(e.variants[0].instanceType ?? '')?.accelerator === 'cpu';

/** The endpoint with autoscaling on from `min` instances (the fix `serving/no-autoscaling` proposes). */
function autoscaled(e: ResolvedEndpoint, min: number): ResolvedEndpoint {
  const backlog = e.type === 'async';
  return {
    ...e,
    autoscaling: {
      metric: backlog ? 'backlog-per-instance' : 'invocations-per-instance',
      target: backlog
        ? DEFAULTS.autoscaling.targetBacklogPerInstance
        : DEFAULTS.autoscaling.targetInvocationsPerInstance,
      scaleInCooldownSeconds: DEFAULTS.autoscaling.scaleInCooldownSeconds,
      scaleOutCooldownSeconds: DEFAULTS.autoscaling.scaleOutCooldownSeconds,
      schedules: [],
    },
    variants: e.variants.map((v) => ({
      ...v,
      scaling: {
        minInstances: min,
        maxInstances: Math.max(defaultMaxInstances(v.instanceCount ?? DEFAULTS.variant.instanceCount), 1),
      },
    })),
  };
}

/** Settings of an instance-based endpoint that a serverless one refuses (check rule serving/type-settings). */
const INSTANCE_ONLY = [
  'variants',
  'autoscaling',
  'shadow',
  'async',
  'networkIsolation',
  'dataCapture',
  'type',
];

/**
 * The spec's endpoint rewritten as a serverless one: its one variant's model at the endpoint
 * (serverless endpoints have one implicit variant), without the settings only instance-based
 * endpoints take. The fix replaces the endpoint item, since a merge cannot remove `variants`.
 */
function serverlessEndpoint(spec: AdviceContext['analyzed']['spec'], name: string): Record<string, unknown> {
  const raw = ((spec.serving?.endpoints ?? []) as unknown as Record<string, unknown>[]).find(
    (x) => x.name === name,
  ) ?? {
    name,
  };
  const variants = (raw.variants as Record<string, unknown>[] | undefined) ?? [];
  const kept = Object.fromEntries(Object.entries(raw).filter(([k]) => !INSTANCE_ONLY.includes(k)));
  return {
    ...kept,
    type: 'serverless',
    ...(variants[0]?.model !== undefined && kept.model === undefined ? { model: variants[0].model } : {}),
    serverless: { memoryMb: SERVERLESS_MEMORY_MB },
  };
}

/**
 * Fewest small endpoints of one instance type and image that `serving/many-small-endpoints`
 * consolidates. The multi-model endpoint keeps {@link SHARED_MIN_INSTANCES} instances (two
 * Availability Zones), so n single-instance endpoints save n - 2 instances: something from 3
 * on, nothing at 2 (where `serving/low-traffic-realtime` still offers serverless per endpoint).
 */
export const MANY_SMALL_ENDPOINTS = 3;
/** Instances the consolidated multi-model endpoint starts with: one per AZ of two. */
const SHARED_MIN_INSTANCES = 2;
/** Service Quotas code of SageMaker's soft quota "Number of instances across active endpoints". */
export const ENDPOINT_INSTANCES_QUOTA = 'L-7A3DF611';

type RawEndpoint = Record<string, unknown> & { name: string };
type RawSpec = AdviceContext['analyzed']['spec'];

const rawEndpoints = (spec: RawSpec) => (spec.serving?.endpoints ?? []) as unknown as RawEndpoint[];

/** The raw model (endpoint-level or of the one variant) of an endpoint item. */
function rawModel(e: RawEndpoint): Record<string, unknown> | undefined {
  const variants = (e.variants as Record<string, unknown>[] | undefined) ?? [];
  return (variants[0]?.model ?? e.model) as Record<string, unknown> | undefined;
}

/** Names other sections refer to: merging those endpoints away would leave dangling names. */
function referenced(spec: RawSpec): Set<string> {
  return new Set([
    ...(spec.monitoring?.endpoints ?? []).map((m) => m.name),
    ...(spec.cicd?.deploy?.endpoints ?? []),
  ]);
}

/**
 * Groups of at least {@link MANY_SMALL_ENDPOINTS} small endpoints one multi-model endpoint can
 * host: realtime, one variant, no shadow, low traffic per instance, and the same instance type
 * and container image (a multi-model endpoint runs one container for every model under its
 * prefix, so registry packages, which carry their own image, are left out).
 */
export function consolidationGroups(ctx: AdviceContext): ResolvedEndpoint[][] {
  const { analyzed, pricing } = ctx;
  const taken = referenced(analyzed.spec);
  const groups = new Map<string, ResolvedEndpoint[]>();
  for (const e of analyzed.resolved.serving?.endpoints ?? []) {
    const v = e.variants[0];
    if (!lowTraffic(pricing, e) || e.variants.length !== 1 || e.shadow || taken.has(e.name)) continue;
    if (v.model.source.kind !== 'artifact') continue;
    const key = JSON.stringify([v.instanceType ?? '', v.model.source.image]);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.values()].filter((g) => g.length >= MANY_SMALL_ENDPOINTS);
}

/**
 * The spec's endpoints with `group` merged into one multi-model endpoint named after its first
 * member: its container, a prefix in the models bucket for every archive, and autoscaling
 * from two instances up to what the group ran in total (the same peak capacity).
 */
function consolidated(spec: RawSpec, group: readonly ResolvedEndpoint[]): RawEndpoint[] {
  const names = new Set(group.map((e) => e.name));
  const [host] = group;
  const raw = rawEndpoints(spec).find((x) => x.name === host.name) ?? { name: host.name };
  const model = rawModel(raw) ?? {};
  const variant = ((raw.variants as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
  const total = group.reduce(
    (sum, e) => sum + (e.variants[0].instanceCount ?? DEFAULTS.variant.instanceCount),
    0,
  );
  const kept = Object.fromEntries(
    Object.entries(raw).filter(([k]) => !['type', 'model', 'variants', 'shadow', 'autoscaling'].includes(k)),
  );
  const shared: RawEndpoint = {
    ...kept,
    name: host.name,
    type: 'multi-model',
    model: {
      ...Object.fromEntries(Object.entries(model).filter(([k]) => k === 'image' || k === 'builtinImage')),
      artifact: { bucket: DEFAULTS.artifactBucket, key: `${host.name}/` },
    },
    variants: [
      {
        name: variant.name ?? host.variants[0].name,
        instanceType: host.variants[0].instanceType,
        instanceCount: SHARED_MIN_INSTANCES,
        maxInstances: Math.max(total, SHARED_MIN_INSTANCES),
      },
    ],
  };
  return rawEndpoints(spec).flatMap((x) => (x.name === host.name ? [shared] : names.has(x.name) ? [] : [x]));
}

/**
 * The fix of `serving/many-small-endpoints`: the endpoint list with the group merged, or, when
 * usage.endpoints names a merged endpoint (check refuses a name that is gone), the whole spec
 * with those entries folded into the host's.
 */
function consolidationFix(spec: RawSpec, group: readonly ResolvedEndpoint[]) {
  const endpoints = consolidated(spec, group);
  const usage = (spec.usage?.endpoints ?? {}) as Record<string, { requestsPerMonth?: number }>;
  const guests = group.slice(1).map((e) => e.name);
  if (!guests.some((n) => n in usage)) {
    return { fixPath: ['serving', 'endpoints'] as SpecPath, fix: endpoints };
  }
  const requests = group.reduce(
    (sum, e) => sum + (usage[e.name]?.requestsPerMonth ?? spec.usage?.endpointRequestsPerMonth ?? 0),
    0,
  );
  const rest = Object.fromEntries(Object.entries(usage).filter(([n]) => !guests.includes(n)));
  return {
    fixPath: [] as SpecPath,
    fix: {
      ...spec,
      serving: { ...spec.serving, endpoints },
      usage: {
        ...spec.usage,
        endpoints: { ...rest, [group[0].name]: { ...usage[group[0].name], requestsPerMonth: requests } },
      },
    },
  };
}

export const servingAdvice: readonly AdviceRule[] = [
  {
    id: 'serving/low-traffic-realtime',
    description:
      'A real-time endpoint whose instances mostly idle: serverless inference bills per request (several such endpoints on one type and image: serving/many-small-endpoints).',
    severity: 'warning',
    technique: TECHNIQUES.edge,
    run: ({ analyzed, pricing }, report) => {
      // Endpoints serving/many-small-endpoints merges are its to advise on (one finding, not n).
      const merged = new Set(consolidationGroups({ analyzed, pricing }).flat());
      const endpoints = (analyzed.resolved.serving?.endpoints ?? []).filter(
        (e) => lowTraffic(pricing, e) && !merged.has(e),
      );
      const serverless = endpoints.filter(serverlessFits).map((e) =>
        report({
          path: endpointPath(e.name, 'type'),
          message: `endpoint ${e.name} serves ${perInstancePerMinute(pricing, e).toFixed(1)} requests a minute per instance: serverless inference bills only for requests (no data capture there; cold starts)`,
          fixPath: endpointPath(e.name),
          fix: serverlessEndpoint(analyzed.spec, e.name),
          replace: true,
          component: `serving/${e.name}`,
          before: endpointCost(pricing, e),
          after: serverlessCost(pricing, e.name, SERVERLESS_MEMORY_MB),
        }),
      );
      // Several low-traffic endpoints of one type and image are serving/many-small-endpoints'
      // (with a fix that builds the multi-model endpoint). A bare `type: multi-model` on a
      // registry endpoint, offered here before, fails check (serving/multi-model).
      return serverless;
    },
  },
  {
    id: 'serving/many-small-endpoints',
    description:
      'Several small real-time endpoints on one instance type and container: one multi-model endpoint hosts every model on a shared, autoscaled fleet instead of one mostly idle fleet each, and holds fewer instances against the account quota.',
    severity: 'warning',
    technique: TECHNIQUES.edge,
    run: (ctx, report) =>
      consolidationGroups(ctx).map((group) => {
        const [host] = group;
        const { pricing, analyzed } = ctx;
        const type = host.variants[0].instanceType ?? '';
        const instances = group.reduce(
          (sum, e) => sum + (e.variants[0].instanceCount ?? DEFAULTS.variant.instanceCount),
          0,
        );
        const before = group.map((e) => endpointCost(pricing, e));
        const after = endpointCost(pricing, {
          ...host,
          autoscaling: undefined,
          variants: [{ ...host.variants[0], instanceCount: SHARED_MIN_INSTANCES, scaling: undefined }],
        });
        return report({
          path: endpointPath(host.name, 'type'),
          message:
            `${group.length} endpoints (${group.map((e) => e.name).join(', ')}) each keep ${type} mostly idle for one model: ` +
            `one multi-model endpoint (${host.name}) serves them all from the prefix models/${host.name}/ (put each model.tar.gz there), ` +
            `starting at ${SHARED_MIN_INSTANCES} instances instead of ${instances} held against the SageMaker quota ` +
            `"Number of instances across active endpoints" (${ENDPOINT_INSTANCES_QUOTA})`,
          ...consolidationFix(analyzed.spec, group),
          replace: true,
          component: `serving/${host.name}`,
          before: {
            usd: before.every((b) => b.usd !== undefined)
              ? before.reduce((sum, b) => sum + (b.usd ?? 0), 0)
              : undefined,
            unknown: before.flatMap((b) => b.unknown),
          },
          after,
        });
      }),
  },
  {
    id: 'serving/no-autoscaling',
    description:
      'An instance-backed endpoint without autoscaling pays for its peak capacity all month and has no headroom for spikes.',
    severity: 'warning',
    technique: TECHNIQUES.monitoring,
    run: ({ analyzed, pricing }, report) =>
      (analyzed.resolved.serving?.endpoints ?? [])
        .filter((e) => e.type !== 'serverless' && e.autoscaling === undefined)
        .map((e) => {
          const min = e.type === 'async' ? 0 : 1;
          const listed = analyzed.spec.serving?.endpoints?.find((x) => x.name === e.name)?.variants ?? [];
          const shrink = listed
            .filter((v) => (v.instanceCount ?? DEFAULTS.variant.instanceCount) > min)
            .map((v) => ({ name: v.name, minInstances: min }));
          return report({
            path: endpointPath(e.name, 'autoscaling'),
            message: `endpoint ${e.name} has no autoscaling: it pays for ${e.variants.reduce((s, v) => s + (v.instanceCount ?? DEFAULTS.variant.instanceCount), 0)} instance(s) all month and cannot absorb a spike`,
            fixPath: endpointPath(e.name),
            fix: { autoscaling: { enabled: true }, ...(shrink.length > 0 ? { variants: shrink } : {}) },
            component: `serving/${e.name}`,
            before: endpointCost(pricing, e),
            after: endpointCost(pricing, autoscaled(e, min)),
          });
        }),
  },
];
