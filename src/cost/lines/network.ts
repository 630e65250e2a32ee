import type { ResolvedSpec } from '../../model/resolved';
import {
  bill,
  fmt,
  hours,
  id,
  line,
  sorted,
  type Amount,
  type CostArea,
  type CostLine,
  type PricingContext,
} from '../bill';

/** Number of NAT gateways a created VPC gets. */
export function natGatewayCount(spec: ResolvedSpec): number {
  const n = spec.network;
  if (n?.mode !== 'create') return 0;
  if (n.vpc.natGateways === 'single') return 1;
  return n.vpc.natGateways === 'per-az' ? n.vpc.availabilityZones.length : 0;
}

/** NAT gateways: hours plus the data they process (`natTrafficGbPerMonth`, or `trafficGb`). */
export function natCost(ctx: PricingContext, trafficGb = ctx.usage.natTrafficGbPerMonth): Amount {
  const nat = ctx.prices.natGateway ?? {};
  return bill(ctx)
    .add(nat.hour, natGatewayCount(ctx.spec) * hours(ctx), 'NAT gateway hour')
    .add(nat.gb, natGatewayCount(ctx.spec) > 0 ? trafficGb : 0, 'NAT gateway GB processed')
    .amount();
}

/** Interface endpoints: hours per endpoint and AZ, plus the data they process. */
export function interfaceEndpointCost(ctx: PricingContext, endpoints: number, trafficGb: number): Amount {
  const n = ctx.spec.network;
  const azs = n?.mode === 'create' ? n.vpc.availabilityZones.length : 0;
  const ep = ctx.prices.interfaceEndpoint ?? {};
  return bill(ctx)
    .add(ep.hourPerAz, endpoints * azs * hours(ctx), 'interface endpoint hour per AZ')
    .add(ep.gb, endpoints > 0 ? trafficGb : 0, 'interface endpoint GB processed')
    .amount();
}

/** A created VPC's NAT gateways and interface endpoints (an existing VPC's are not the pipeline's). */
export const networkCostLines: CostArea = {
  prefix: 'network',
  lines(ctx) {
    const { spec, usage } = ctx;
    const lines: CostLine[] = [];
    const n = spec.network;
    if (n?.mode === 'create') {
      const nats = natGatewayCount(spec);
      if (nats > 0) {
        lines.push(
          line(
            'network/nat',
            'network',
            `${nats} NAT gateway${nats === 1 ? '' : 's'}, ${fmt(usage.natTrafficGbPerMonth)} GB processed`,
            natCost(ctx),
          ),
        );
      }
      if (n.endpoints.interface.length > 0) {
        const count = n.endpoints.interface.length;
        lines.push(
          line(
            'network/endpoints',
            'network',
            `${count} interface endpoints x ${n.vpc.availabilityZones.length} AZs, ${fmt(usage.endpointTrafficGbPerMonth)} GB processed`,
            interfaceEndpointCost(ctx, count, usage.endpointTrafficGbPerMonth),
          ),
        );
      }
    }
    return lines;
  },
  addresses(spec, name) {
    const n = spec.network;
    if (n?.mode !== 'create') return [];
    if (name === 'nat') {
      const subnets = n.vpc.natGateways === 'per-az' ? n.vpc.publicSubnets : n.vpc.publicSubnets.slice(0, 1);
      return sorted(subnets.map((s) => `aws_nat_gateway.${id('network', `nat-${s.availabilityZone}`)}`));
    }
    if (name === 'endpoints')
      return sorted(n.endpoints.interface.map((e) => `aws_vpc_endpoint.${id('network', e)}`));
    return [];
  },
};
