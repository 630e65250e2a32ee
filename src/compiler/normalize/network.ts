import type { ResolvedNetwork, ResolvedSubnet } from '../../model/resolved';
import type { PipelineSpec } from '../../spec/types.generated';
import { formatCidr, parseCidr, subnet } from '../cidr';
import { createdInterfaceEndpoints } from './endpoints';

/** Subnet prefix when the spec names none: 16 subnets of the VPC range. */
export function defaultSubnetPrefix(vpcPrefix: number): number {
  return Math.min(28, vpcPrefix + 4);
}

/**
 * Resolves the network. Subnets are carved deterministically: private subnets take the
 * first slots (one per AZ, in the order given), public subnets the slots after them, so
 * adding public subnets later never moves a private one.
 */
export function normalizeNetwork(spec: PipelineSpec): ResolvedNetwork | undefined {
  const n = spec.network;
  if (n === undefined) return undefined;
  if (n.existing) {
    return {
      mode: 'existing',
      vpcId: n.existing.vpcId,
      subnetIds: [...n.existing.subnetIds],
      securityGroupIds: [...n.existing.securityGroupIds],
      egress: n.existing.egress ?? 'nat',
      interfaceEndpoints: [...(n.existing.interfaceEndpoints ?? [])].sort(),
    };
  }
  if (!n.vpc) return undefined; // the check stage already refused this
  const vpcCidr = parseCidr(n.vpc.cidr);
  if (!vpcCidr) return undefined;
  const prefix = n.vpc.subnetPrefixLength ?? defaultSubnetPrefix(vpcCidr.prefix);
  const azs = n.vpc.availabilityZones;
  const carve = (kind: string, offset: number): ResolvedSubnet[] =>
    azs.map((az, i) => ({
      name: `${kind}-${az}`,
      availabilityZone: az,
      cidr: formatCidr(subnet(vpcCidr, prefix, offset + i)),
    }));
  const publicSubnets = n.vpc.publicSubnets ?? false;
  return {
    mode: 'create',
    vpc: {
      cidr: n.vpc.cidr,
      availabilityZones: [...azs],
      privateSubnets: carve('private', 0),
      publicSubnets: publicSubnets ? carve('public', azs.length) : [],
      natGateways: n.vpc.natGateways ?? 'none',
    },
    endpoints: {
      gateway: n.endpoints?.gateway ?? true,
      // Derived from the workloads (src/compiler/normalize/endpoints.ts) plus the user's list.
      interface: createdInterfaceEndpoints(spec),
    },
    flowLogs: { enabled: n.flowLogs?.enabled ?? true, trafficType: n.flowLogs?.trafficType ?? 'ALL' },
  };
}
