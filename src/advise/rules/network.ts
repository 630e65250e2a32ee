import { derivedInterfaceEndpoints } from '../../areas/network/catalog';
import { interfaceEndpointCost, natCost, natGatewayCount } from '../../cost/estimate';
import { TECHNIQUES } from '../techniques';
import type { AdviceRule } from '../types';

export const networkAdvice: readonly AdviceRule[] = [
  {
    id: 'network/nat-endpoints',
    description:
      'Private workloads reach AWS services through the NAT gateway when a VPC endpoint is missing: the NAT bills every GB, an endpoint bills less (the S3 gateway endpoint nothing) and keeps the traffic off the internet path.',
    severity: 'warning',
    technique: TECHNIQUES.security,
    run: ({ analyzed, pricing }, report) => {
      const spec = analyzed.resolved;
      const n = spec.network;
      if (n?.mode !== 'create' || natGatewayCount(spec) === 0) return [];
      const present = n.endpoints.interface;
      // What the workloads need (docs/endpoints.md); missing only when the spec turned derive off.
      const missing = derivedInterfaceEndpoints(analyzed.spec).filter((s) => !present.includes(s));
      if (missing.length === 0 && n.endpoints.gateway) return [];
      const { usage } = pricing;
      const moved = usage.natTrafficGbPerMonth;
      const sum = (...xs: { usd?: number; unknown: readonly string[] }[]) => {
        const unknown = xs.flatMap((x) => x.unknown);
        return unknown.length > 0
          ? { unknown }
          : { usd: xs.reduce((s, x) => s + (x.usd ?? 0), 0), unknown: [] };
      };
      const before = sum(
        natCost(pricing),
        interfaceEndpointCost(pricing, present.length, usage.endpointTrafficGbPerMonth),
      );
      // The NAT traffic is assumed to go to the services that lack an endpoint (docs/advise-cost-graph.md).
      const after = sum(
        natCost(pricing, 0),
        interfaceEndpointCost(
          pricing,
          present.length + missing.length,
          usage.endpointTrafficGbPerMonth + (missing.length > 0 ? moved : 0),
        ),
      );
      const what = [
        ...(n.endpoints.gateway ? [] : ['the S3 and DynamoDB gateway endpoints']),
        ...(missing.length > 0 ? [`interface endpoints for ${missing.join(', ')}`] : []),
      ].join(' and ');
      return [
        report({
          path: ['network', 'endpoints', ...(missing.length > 0 ? ['interface'] : ['gateway'])],
          message: `the VPC has NAT gateways but lacks ${what}: that traffic (${moved} GB/month assumed) goes through the NAT`,
          fixPath: ['network', 'endpoints'],
          fix: {
            ...(n.endpoints.gateway ? {} : { gateway: true }),
            ...(missing.length > 0 ? { interface: [...present, ...missing].sort() } : {}),
          },
          component: 'network/nat',
          before,
          after,
        }),
      ];
    },
  },
];
