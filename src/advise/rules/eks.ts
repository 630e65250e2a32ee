import { instanceTypeInfo } from '../../areas/eks/catalog';
import { nodeGroupCost } from '../../cost/estimate';
import { TECHNIQUES } from '../techniques';
import type { AdviceRule, SpecPath } from '../types';

const GROUPS = ['training', 'eks', 'nodeGroups'] as const;
const groupPath = (name: string, ...rest: string[]): SpecPath => [...GROUPS, { name }, ...rest];

/** Interchangeable families with the same GPUs: a second type for spot capacity. */
const SPOT_PARTNER: Readonly<Record<string, string>> = {
  p4d: 'p4de',
  p4de: 'p4d',
  p5: 'p5e',
  p5e: 'p5',
  g5: 'g6',
  g6: 'g5',
};

/** The instance types of a group turned spot: spot needs two or more (eks/spot-diversity). */
function spotTypes(types: readonly string[]): string[] {
  if (types.length >= 2) return [...types];
  const [family, size] = types[0].split('.');
  const partner = SPOT_PARTNER[family];
  return partner ? [types[0], `${partner}.${size}`] : [...types];
}

export const eksAdvice: readonly AdviceRule[] = [
  {
    id: 'eks/on-demand-gpu',
    description:
      'A GPU node group runs on-demand where spot would fit: training with checkpoints resumes after an interruption, and spot GPUs cost a fraction.',
    severity: 'warning',
    technique: TECHNIQUES.spot,
    run: ({ analyzed, pricing }, report) =>
      (analyzed.resolved.eks?.nodeGroups ?? [])
        .filter((ng) => ng.gpu && ng.capacityType === 'ON_DEMAND')
        .map((ng) =>
          report({
            path: groupPath(ng.name, 'capacityType'),
            message: `GPU node group ${ng.name} runs on-demand; with checkpointing, spot capacity is about ${Math.round(pricing.table.spotDiscount.ec2 * 100)}% cheaper`,
            fixPath: groupPath(ng.name),
            fix: { capacityType: 'SPOT', instanceTypes: spotTypes(ng.instanceTypes) },
            component: `eks/${ng.name}`,
            before: nodeGroupCost(pricing, ng),
            after: nodeGroupCost(pricing, ng, { capacityType: 'SPOT' }),
          }),
        ),
  },
  {
    id: 'eks/gpu-efa',
    description:
      'A multi-node GPU group on EFA-capable types without EFA, or with EFA but outside a cluster placement group: NCCL falls back to slower paths between nodes.',
    severity: 'warning',
    technique: TECHNIQUES.communication,
    run: ({ analyzed }, report) =>
      (analyzed.resolved.eks?.nodeGroups ?? [])
        .filter((ng) => ng.gpu && ng.scaling.maxSize >= 2)
        .flatMap((ng) => {
          const efaCapable = ng.instanceTypes.every((t) => (instanceTypeInfo(t)?.efaInterfaces ?? 0) > 0);
          if (ng.efaInterfaces === 0 && efaCapable) {
            return [
              report({
                path: groupPath(ng.name, 'efa'),
                message: `GPU node group ${ng.name} scales to ${ng.scaling.maxSize} nodes of EFA-capable types without EFA: multi-node NCCL traffic takes the slower TCP path`,
                fix: true,
              }),
            ];
          }
          if (ng.efaInterfaces > 0 && ng.placementGroupName === undefined) {
            return [
              report({
                path: groupPath(ng.name, 'placementGroup'),
                message: `GPU node group ${ng.name} uses EFA outside a cluster placement group: nodes may land far apart, raising NCCL latency`,
                fix: true,
              }),
            ];
          }
          return [];
        }),
  },
  {
    id: 'eks/idle-gpu-nodes',
    description:
      'A GPU node group keeps nodes running between training runs: scaling it from zero bills GPUs only while jobs run.',
    severity: 'warning',
    technique: TECHNIQUES.monitoring,
    run: ({ analyzed, pricing }, report) =>
      (analyzed.resolved.eks?.nodeGroups ?? [])
        .filter((ng) => ng.gpu && ng.scaling.desiredSize > 0)
        .map((ng) =>
          report({
            path: groupPath(ng.name, 'scaling'),
            message: `GPU node group ${ng.name} keeps ${ng.scaling.desiredSize} node${ng.scaling.desiredSize === 1 ? '' : 's'} running all month, also when no training runs`,
            fixPath: groupPath(ng.name, 'scaling'),
            fix: { minSize: 0, desiredSize: 0 },
            component: `eks/${ng.name}`,
            before: nodeGroupCost(pricing, ng),
            after: nodeGroupCost(pricing, ng, { desired: 0 }),
          }),
        ),
  },
  {
    id: 'eks/extended-support',
    description:
      'The cluster is on EKS extended support, billed at six times the standard cluster hour: upgrading Kubernetes returns it to standard support.',
    severity: 'warning',
    technique: TECHNIQUES.monitoring,
    run: ({ analyzed, pricing }, report) => {
      const eks = analyzed.resolved.eks;
      if (eks?.supportType !== 'EXTENDED') return [];
      const rate = (hour: number | undefined) =>
        hour === undefined
          ? { unknown: [`eks cluster hour in ${analyzed.resolved.region}`] }
          : { usd: hour * pricing.table.hoursPerMonth, unknown: [] };
      return [
        report({
          path: ['training', 'eks', 'supportType'],
          message: `cluster ${eks.clusterName} is on extended support; upgrade Kubernetes and use standard support`,
          fix: 'STANDARD',
          component: 'eks/cluster',
          before: rate(pricing.prices.eks?.extendedSupportClusterHour),
          after: rate(pricing.prices.eks?.clusterHour),
        }),
      ];
    },
  },
];
