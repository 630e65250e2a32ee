import type { ResolvedNetwork, ResolvedSubnet } from '../../model/resolved';
import type { PipelineSpec } from '../../spec/types.generated';
import { formatCidr, parseCidr, subnet } from '../cidr';
import {
  createdInterfaceEndpoints,
  DEFAULTS,
  defaultSubnetPrefix,
  subnetSlots,
  zoneSlots,
} from '../../areas/network/catalog';

/**
 * The private and public subnets of a created VPC, sorted by zone name. Each zone's CIDRs
 * come from {@link zoneSlots}, so they depend only on the VPC range, the prefix and the
 * zone's letter. Throws when a zone does not fit (the check stage refuses such specs).
 */
export function carveSubnets(
  vpcCidr: string,
  subnetPrefix: number,
  zones: readonly string[],
  publicSubnets: boolean,
): { privateSubnets: ResolvedSubnet[]; publicSubnets: ResolvedSubnet[] } {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new RangeError(`${vpcCidr} is not an IPv4 CIDR`);
  const slots = subnetSlots(vpc.prefix, subnetPrefix);
  const sorted = [...zones].sort();
  const at = (kind: 'private' | 'public', az: string, slot: number): ResolvedSubnet => ({
    name: `${kind}-${az}`,
    availabilityZone: az,
    cidr: formatCidr(subnet(vpc, subnetPrefix, slot)),
  });
  const privateSubnets = sorted.map((az) => {
    const s = zoneSlots(az, slots, publicSubnets);
    if (s.private >= s.privateLimit)
      throw new RangeError(`zone ${az} needs slot ${s.private}; private subnets have ${s.privateLimit}`);
    return at('private', az, s.private);
  });
  return {
    privateSubnets,
    publicSubnets: publicSubnets
      ? sorted.map((az) => at('public', az, zoneSlots(az, slots, true).public))
      : [],
  };
}

/**
 * What a workload's place in the network is made of, for names that must change when it
 * does (an immutable SageMaker model's `vpc_config`): the subnets and security groups it
 * runs in. Settings of the network that do not reach the workload (endpoints, flow logs,
 * NAT) are left out, so adding an interface endpoint renames nothing.
 */
export function placementIdentity(n: ResolvedNetwork | undefined): unknown {
  if (n === undefined) return null;
  if (n.mode === 'existing') return { subnets: n.subnetIds, securityGroups: n.securityGroupIds };
  return { vpc: n.vpc.cidr, subnets: n.vpc.privateSubnets.map((s) => `${s.availabilityZone}=${s.cidr}`) };
}

/**
 * Resolves the network. Each zone's subnets get CIDRs from its letter alone
 * ({@link zoneSlots}), and zones are a set: they are sorted by name, so the order they are
 * listed in changes nothing, and resources that take one subnet use the zone that sorts
 * first.
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
      egress: n.existing.egress ?? DEFAULTS.existing.egress,
      interfaceEndpoints: [...(n.existing.interfaceEndpoints ?? DEFAULTS.existing.interfaceEndpoints)].sort(),
    };
  }
  if (!n.vpc) return undefined; // the check stage already refused this
  const vpcCidr = parseCidr(n.vpc.cidr);
  if (!vpcCidr) return undefined;
  const prefix = n.vpc.subnetPrefixLength ?? defaultSubnetPrefix(vpcCidr.prefix);
  const azs = [...n.vpc.availabilityZones].sort();
  return {
    mode: 'create',
    vpc: {
      cidr: n.vpc.cidr,
      availabilityZones: azs,
      ...carveSubnets(n.vpc.cidr, prefix, azs, n.vpc.publicSubnets ?? DEFAULTS.vpc.publicSubnets),
      natGateways: n.vpc.natGateways ?? DEFAULTS.vpc.natGateways,
    },
    endpoints: {
      gateway: n.endpoints?.gateway ?? DEFAULTS.endpoints.gateway,
      // Derived from the workloads (src/areas/network/catalog.ts) plus the user's list.
      interface: createdInterfaceEndpoints(spec),
    },
    flowLogs: {
      enabled: n.flowLogs?.enabled ?? DEFAULTS.flowLogs.enabled,
      trafficType: n.flowLogs?.trafficType ?? DEFAULTS.flowLogs.trafficType,
    },
  };
}
