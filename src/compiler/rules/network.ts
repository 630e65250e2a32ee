import type { CheckRule } from '../check';
import { isAligned, parseCidr } from '../cidr';
import {
  DEFAULTS,
  declaredWorkloads,
  defaultSubnetPrefix,
  endpointsOf,
  providedInterfaceEndpoints,
  subnetSlots,
  WORKLOAD_ENDPOINTS,
  zoneSlots,
} from '../../areas/network/catalog';

export const networkRules: readonly CheckRule[] = [
  {
    id: 'network/one-source',
    description:
      "A network is either created ('vpc') or brought ('existing'); endpoints and flow logs belong to a created VPC.",
    run: (ctx) => {
      const n = ctx.spec.network;
      if (n === undefined) return [];
      if (n.vpc && n.existing) {
        return [
          ctx.report(
            ['network', 'existing'],
            "'network.vpc' and 'network.existing' are both set",
            'keep one of them',
            { key: true },
          ),
        ];
      }
      if (!n.vpc && !n.existing) {
        return [
          ctx.report(
            ['network'],
            "the network needs 'vpc' (create one) or 'existing' (bring your own)",
            'add network.vpc with cidr and availabilityZones',
            { key: true },
          ),
        ];
      }
      if (n.existing) {
        return (['endpoints', 'flowLogs'] as const)
          .filter((k) => n[k] !== undefined)
          .map((k) =>
            ctx.report(
              ['network', k],
              `'network.${k}' applies to a VPC pipeform creates, not an existing one`,
              `remove it; manage ${k} of your VPC where it is defined`,
              {
                key: true,
              },
            ),
          );
      }
      return [];
    },
  },
  {
    id: 'network/cidr',
    description: 'The VPC CIDR is a valid network address and its subnet prefix is longer than its own.',
    run: (ctx) => {
      const vpc = ctx.spec.network?.vpc;
      if (!vpc) return [];
      const c = parseCidr(vpc.cidr);
      if (!c)
        return [
          ctx.report(
            ['network', 'vpc', 'cidr'],
            `${JSON.stringify(vpc.cidr)} is not an IPv4 CIDR`,
            'octets are 0-255, e.g. 10.20.0.0/16',
          ),
        ];
      if (!isAligned(c)) {
        return [
          ctx.report(
            ['network', 'vpc', 'cidr'],
            `${vpc.cidr} has host bits set`,
            'use the network address of the range, e.g. 10.20.0.0/16',
          ),
        ];
      }
      const prefix = vpc.subnetPrefixLength ?? defaultSubnetPrefix(c.prefix);
      if (prefix <= c.prefix) {
        return [
          ctx.report(
            ['network', 'vpc', 'subnetPrefixLength'],
            `subnets of /${prefix} do not fit in a /${c.prefix} VPC`,
            `use a prefix length above ${c.prefix}`,
          ),
        ];
      }
      return [];
    },
  },
  {
    id: 'network/zone-slot',
    description:
      "Each zone's subnets sit in slots given by its letter (a = 0): private in the first half of the VPC range (all of it without public subnets), public in the second.",
    run: (ctx) => {
      const vpc = ctx.spec.network?.vpc;
      const c = vpc ? parseCidr(vpc.cidr) : undefined;
      if (!vpc || !c || !isAligned(c)) return [];
      const prefix = vpc.subnetPrefixLength ?? defaultSubnetPrefix(c.prefix);
      if (prefix <= c.prefix) return [];
      const slots = subnetSlots(c.prefix, prefix);
      const publicSubnets = vpc.publicSubnets ?? DEFAULTS.vpc.publicSubnets;
      return vpc.availabilityZones.flatMap((az, i) => {
        if (!/[a-z]$/.test(az)) return []; // the schema refuses it
        const s = zoneSlots(az, slots, publicSubnets);
        if (s.private < s.privateLimit) return [];
        const last = String.fromCharCode('a'.charCodeAt(0) + s.privateLimit - 1);
        return [
          ctx.report(
            ['network', 'vpc', 'availabilityZones', i],
            `availability zone ${az} needs subnet slot ${s.private} (its letter), but /${prefix} subnets of a /${c.prefix} leave ${s.privateLimit} slots for private subnets${publicSubnets ? ' (the other half holds the public ones)' : ''}: zones a-${last}`,
            `use a longer subnetPrefixLength (more, smaller subnets) or a larger VPC range; each zone's subnets depend only on its letter, so adding a zone never moves another`,
          ),
        ];
      });
    },
  },
  {
    id: 'network/azs-in-region',
    description:
      'Availability zones belong to the pipeline region: resources in another region would cross regions.',
    run: (ctx) =>
      (ctx.spec.network?.vpc?.availabilityZones ?? []).flatMap((az, i) =>
        /^[a-z]$/.test(az.slice(ctx.spec.region.length)) && az.startsWith(ctx.spec.region)
          ? []
          : [
              ctx.report(
                ['network', 'vpc', 'availabilityZones', i],
                `availability zone ${az} is not in the pipeline region ${ctx.spec.region}`,
                `use zones like ${ctx.spec.region}a, ${ctx.spec.region}b`,
              ),
            ],
      ),
  },
  {
    id: 'network/nat-needs-public-subnets',
    description:
      'NAT gateways live in public subnets: natGateways other than none needs publicSubnets: true.',
    run: (ctx) => {
      const vpc = ctx.spec.network?.vpc;
      return vpc && (vpc.natGateways ?? DEFAULTS.vpc.natGateways) !== 'none' && !vpc.publicSubnets
        ? [
            ctx.report(
              ['network', 'vpc', 'natGateways'],
              `natGateways: ${vpc.natGateways} needs public subnets to put the NAT gateways in`,
              "set 'publicSubnets: true', or 'natGateways: none' (VPC endpoints only)",
            ),
          ]
        : [];
    },
  },
  {
    id: 'network/workload-endpoints',
    description:
      'Without NAT, every AWS API a private workload calls has an interface endpoint (docs/endpoints.md): derived for a created VPC unless derive is off, listed in interfaceEndpoints for an existing one with egress: endpoints.',
    run: (ctx) => {
      const provided = providedInterfaceEndpoints(ctx.spec);
      if (provided === undefined) return [];
      const existing = ctx.spec.network?.existing;
      return declaredWorkloads(ctx.spec).flatMap((w) => {
        const missing = endpointsOf(w.kind).filter((e) => !provided.includes(e));
        if (missing.length === 0) return [];
        const table = WORKLOAD_ENDPOINTS[w.kind];
        const list = missing.join(', ');
        const plural = missing.length === 1 ? 'endpoint' : 'endpoints';
        const why = missing.map((e) => `${e}: ${table.needs[e]}`).join('; ');
        return [
          ctx.report(
            [...w.path],
            `${table.label} need the ${list} interface ${plural} (${why}), but the ${existing ? 'existing VPC' : 'VPC'} has no NAT and does not provide ${missing.length === 1 ? 'it' : 'them'}`,
            existing
              ? `create the ${list} interface ${plural} in ${existing.vpcId} and add ${missing.length === 1 ? 'it' : 'them'} to network.existing.interfaceEndpoints, or set network.existing.egress: nat if the subnets reach the internet`
              : `remove 'derive: false' from network.endpoints (pipeform then creates what the workloads need), add ${list} to network.endpoints.interface, or give the VPC NAT (natGateways)`,
          ),
        ];
      });
    },
  },
];
