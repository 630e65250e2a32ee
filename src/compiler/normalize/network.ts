import type { ResolvedNetwork, ResolvedSubnet } from '../../model/resolved';
import type { PipelineSpec } from '../../spec/types.generated';
import { formatCidr, parseCidr, subnet } from '../cidr';
import { createdInterfaceEndpoints } from './endpoints';

/** Subnet prefix when the spec names none: 16 subnets of the VPC range. */
export function defaultSubnetPrefix(vpcPrefix: number): number {
  return Math.min(28, vpcPrefix + 4);
}

/**
 * The zone letter of an availability zone as a number: `us-east-1a` is 0, `us-east-1c` is 2.
 * The schema and the `network/azs-in-region` rule allow only `<region><letter>` names
 * (no Local Zones such as `us-east-1-bos-1a`), so the last character is the letter.
 */
export function zoneIndex(az: string): number {
  if (!/[a-z]$/.test(az)) throw new RangeError(`availability zone ${JSON.stringify(az)} has no zone letter`);
  return az.charCodeAt(az.length - 1) - 'a'.charCodeAt(0);
}

/** Where one availability zone's subnets sit among the VPC's subnet slots. */
export interface ZoneSlots {
  /** Slot of the zone's private subnet. */
  readonly private: number;
  /** Slot of the zone's public subnet (used only with public subnets). */
  readonly public: number;
  /** Slots private subnets may use: all of them, or the lower half with public subnets. */
  readonly privateLimit: number;
}

/**
 * The subnet slots of a zone, from its letter alone: the private subnet takes slot
 * `<letter>` (a = 0), the public subnet the same slot of the upper half of the range.
 * No zone's slots depend on which other zones are listed or in what order, so adding or
 * removing a zone never moves another zone's subnets, and turning public subnets on never
 * moves a private one. With public subnets, private subnets must stay in the lower half.
 * @param slots subnets of the chosen prefix in the VPC range, 2^(subnet prefix - VPC prefix)
 */
export function zoneSlots(az: string, slots: number, publicSubnets: boolean): ZoneSlots {
  const half = Math.floor(slots / 2);
  const i = zoneIndex(az);
  return { private: i, public: half + i, privateLimit: publicSubnets ? half : slots };
}

/** The number of subnet slots of a VPC range for a subnet prefix. */
export function subnetSlots(vpcPrefix: number, subnetPrefix: number): number {
  return 2 ** (subnetPrefix - vpcPrefix);
}

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
      egress: n.existing.egress ?? 'nat',
      interfaceEndpoints: [...(n.existing.interfaceEndpoints ?? [])].sort(),
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
      ...carveSubnets(n.vpc.cidr, prefix, azs, n.vpc.publicSubnets ?? false),
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
