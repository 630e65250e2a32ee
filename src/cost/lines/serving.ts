import { DEFAULTS } from '../../areas/serving/catalog';
import type { ResolvedEndpoint, ResolvedVariant } from '../../model/serving';
import {
  bill,
  fmt,
  hours,
  id,
  line,
  type Amount,
  type CostArea,
  type CostLine,
  type PricingContext,
} from '../bill';
import { endpointTraffic } from '../usage';

/** Average instances of an instance-backed variant over the month. */
export function averageInstances(ctx: PricingContext, e: ResolvedEndpoint, v: ResolvedVariant): number {
  const count = v.instanceCount ?? DEFAULTS.variant.instanceCount;
  if (!e.autoscaling || !v.scaling) return count;
  const traffic = endpointTraffic(ctx.usage, e.name);
  const weights = e.variants.reduce((sum, x) => sum + x.weight, 0) || 1;
  const requests = (traffic.requestsPerMonth * v.weight) / weights;
  const needed =
    e.autoscaling.metric === 'invocations-per-instance'
      ? Math.ceil(requests / (hours(ctx) * 60) / e.autoscaling.target)
      : // Async: instances busy for the total request time (a backlog scales out, idle scales in).
        Math.ceil((requests * traffic.averageRequestDurationMs) / 1000 / 3600 / hours(ctx));
  return Math.min(v.scaling.maxInstances, Math.max(v.scaling.minInstances, needed));
}
/** Serverless inference per month: memory x duration x requests, plus the data processed. */
export function serverlessCost(
  ctx: PricingContext,
  endpoint: string,
  memoryMb: number,
  // None provisioned unless the spec sets a number: the schema has no default (off).
  provisionedConcurrency = 0,
): Amount {
  const sm = ctx.prices.sagemaker ?? {};
  const traffic = endpointTraffic(ctx.usage, endpoint);
  const gbSeconds = (traffic.requestsPerMonth * traffic.averageRequestDurationMs * memoryMb) / 1000 / 1024;
  const dataGb = (traffic.requestsPerMonth * ctx.usage.averagePayloadKb) / 1024 / 1024;
  return bill(ctx)
    .add(sm.serverlessGbSecond, gbSeconds, 'sagemaker serverless GB-second')
    .add(sm.serverlessDataGb, dataGb, 'sagemaker serverless GB processed')
    .add(undefined, provisionedConcurrency, 'sagemaker serverless provisioned concurrency')
    .amount();
}

/** An endpoint per month (its instances or serverless capacity; not its public front door). */
export function endpointCost(ctx: PricingContext, e: ResolvedEndpoint): Amount {
  if (e.type === 'serverless') {
    return serverlessCost(
      ctx,
      e.name,
      e.serverless?.memoryMb ?? DEFAULTS.serverless.memoryMb,
      e.serverless?.provisionedConcurrency,
    );
  }
  const b = bill(ctx);
  const hosting = ctx.prices.sagemaker?.hosting ?? {};
  for (const v of [...e.variants, ...(e.shadow ? [e.shadow] : [])]) {
    const type = v.instanceType ?? '';
    const instances =
      v === e.shadow ? (v.instanceCount ?? DEFAULTS.shadow.instanceCount) : averageInstances(ctx, e, v);
    b.add(hosting[type], instances * hours(ctx), `sagemaker hosting ${type}`);
  }
  return b.amount();
}

/**
 * Each endpoint (`serving/<endpoint>`), the REST API in front of a public one
 * (`serving/<endpoint>-api`) and the edge fleet (`serving/edge`: Greengrass bills each core
 * device that connects in a month, priced where the table has a cited rate, unknown elsewhere).
 * The Neo compilation jobs of edge registry models have no line: no citable price or
 * statement that they are free was found (docs/advise-cost-graph.md, "The price table").
 */
export const servingCostLines: CostArea = {
  prefix: 'serving',
  lines(ctx) {
    const { spec, usage, prices } = ctx;
    const lines: CostLine[] = [];
    const edge = spec.serving?.edge;
    if (edge) {
      lines.push(
        line(
          'serving/edge',
          'serving',
          `IoT Greengrass fleet ${edge.fleetName}: ${fmt(edge.devices)} core devices, ${edge.models.length} model component${edge.models.length === 1 ? '' : 's'}`,
          bill(ctx)
            .add(prices.greengrassCoreDeviceMonth, edge.devices, 'greengrass core device-month')
            .amount(),
        ),
      );
    }
    for (const e of spec.serving?.endpoints ?? []) {
      const traffic = endpointTraffic(usage, e.name);
      const what =
        e.type === 'serverless'
          ? `serverless ${e.serverless?.memoryMb ?? DEFAULTS.serverless.memoryMb} MB`
          : e.variants
              .map((v) => `${fmt(averageInstances(ctx, e, v))} x ${v.instanceType}`)
              .concat(
                e.shadow
                  ? [
                      `shadow ${e.shadow.instanceCount ?? DEFAULTS.shadow.instanceCount} x ${e.shadow.instanceType}`,
                    ]
                  : [],
              )
              .join(' + ');
      lines.push(
        line(
          `serving/${e.name}`,
          'serving',
          `${e.type} endpoint ${e.name}: ${what}, ${fmt(traffic.requestsPerMonth / 1e6)}M requests`,
          endpointCost(ctx, e),
        ),
      );
      if (e.public) {
        lines.push(
          line(
            `serving/${e.name}-api`,
            'serving',
            `REST API in front of ${e.name}: ${fmt(traffic.requestsPerMonth / 1e6)}M requests`,
            bill(ctx)
              .add(
                prices.apiGatewayRestPerMillion,
                traffic.requestsPerMonth / 1e6,
                'api gateway REST requests',
              )
              .amount(),
          ),
        );
      }
    }
    return lines;
  },
  addresses(_spec, name) {
    // Greengrass bills per core device of the fleet: its thing group.
    if (name === 'edge') return [`aws_iot_thing_group.${id('serving', 'edge')}`];
    return name.endsWith('-api')
      ? [`aws_api_gateway_rest_api.${id('serving', name.slice(0, -'-api'.length), 'front-door')}`]
      : [`aws_sagemaker_endpoint.${id('serving', name)}`];
  },
};
