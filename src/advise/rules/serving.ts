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

export const servingAdvice: readonly AdviceRule[] = [
  {
    id: 'serving/low-traffic-realtime',
    description:
      'A real-time endpoint whose instances mostly idle: serverless inference bills per request, and several low-traffic models share one multi-model endpoint.',
    severity: 'warning',
    technique: TECHNIQUES.edge,
    run: ({ analyzed, pricing }, report) => {
      const endpoints = (analyzed.resolved.serving?.endpoints ?? []).filter((e) => lowTraffic(pricing, e));
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
      // The rest: low-traffic endpoints on the same instance type can share one multi-model endpoint.
      const byType = new Map<string, ResolvedEndpoint[]>();
      for (const e of endpoints.filter((x) => !serverlessFits(x) && x.variants.length === 1 && !x.shadow)) {
        const type = e.variants[0].instanceType ?? '';
        byType.set(type, [...(byType.get(type) ?? []), e]);
      }
      const shared = [...byType.entries()].flatMap(([type, group]) => {
        if (group.length < 2) return [];
        const [host, ...guests] = group;
        return guests.map((e) =>
          report({
            path: endpointPath(e.name, 'type'),
            message: `endpoints ${group.map((g) => g.name).join(', ')} each keep ${type} mostly idle: host their models on one multi-model endpoint (${host.name})`,
            fixPath: endpointPath(host.name),
            fix: { type: 'multi-model' },
            component: `serving/${e.name}`,
            before: endpointCost(pricing, e),
            after: { usd: 0, unknown: [] },
          }),
        );
      });
      return [...serverless, ...shared];
    },
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
            message: `endpoint ${e.name} has no autoscaling: it pays for ${e.variants.reduce((s, v) => s + (v.instanceCount ?? 1), 0)} instance(s) all month and cannot absorb a spike`,
            fixPath: endpointPath(e.name),
            fix: { autoscaling: { enabled: true }, ...(shrink.length > 0 ? { variants: shrink } : {}) },
            component: `serving/${e.name}`,
            before: endpointCost(pricing, e),
            after: endpointCost(pricing, autoscaled(e, min)),
          });
        }),
  },
];
