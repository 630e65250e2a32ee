import type { ResolvedEksNodeGroup } from '../../model/eks';
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

/**
 * Node-hours of a node group: its desired size all month, plus, for GPU groups that can
 * grow, `trainingHoursPerMonth` at full size (training runs scale the group up).
 */
export function nodeHours(
  ctx: PricingContext,
  ng: ResolvedEksNodeGroup,
  desired = ng.scaling.desiredSize,
): number {
  const burst = ng.gpu ? Math.max(0, ng.scaling.maxSize - desired) * ctx.usage.trainingHoursPerMonth : 0;
  return desired * hours(ctx) + burst;
}

/** A node group per month: instance hours (spot discount on SPOT groups) and node disks. */
export function nodeGroupCost(
  ctx: PricingContext,
  ng: ResolvedEksNodeGroup,
  opts: { readonly capacityType?: 'SPOT' | 'ON_DEMAND'; readonly desired?: number } = {},
): Amount {
  const type = ng.instanceTypes[0];
  const spot = (opts.capacityType ?? ng.capacityType) === 'SPOT';
  const rate = ctx.prices.ec2?.[type];
  const h = nodeHours(ctx, ng, opts.desired ?? ng.scaling.desiredSize);
  return bill(ctx)
    .add(
      rate === undefined ? undefined : rate * (spot ? 1 - ctx.table.spotDiscount.ec2 : 1),
      h,
      `ec2 ${type}`,
      spot,
    )
    .add(ctx.prices.ebsGp3GbMonth, (ng.diskSizeGiB * h) / hours(ctx), 'ebs gp3 GB-month')
    .amount();
}

/** The EKS control plane (standard or extended support) and each node group. */
export const eksCostLines: CostArea = {
  prefix: 'eks',
  lines(ctx) {
    const { spec, prices } = ctx;
    const lines: CostLine[] = [];
    if (!spec.eks) return lines;
    const extended = spec.eks.supportType === 'EXTENDED';
    lines.push(
      line(
        'eks/cluster',
        'eks',
        `EKS cluster ${spec.eks.clusterName} (${extended ? 'extended' : 'standard'} support)`,
        bill(ctx)
          .add(
            extended ? prices.eks?.extendedSupportClusterHour : prices.eks?.clusterHour,
            hours(ctx),
            'eks cluster hour',
          )
          .amount(),
      ),
    );
    for (const ng of spec.eks.nodeGroups) {
      const nh = nodeHours(ctx, ng);
      lines.push(
        line(
          `eks/${ng.name}`,
          'eks',
          `node group ${ng.name}: ${fmt(nh)} node-hours of ${ng.instanceTypes[0]} ${ng.capacityType}`,
          nodeGroupCost(ctx, ng),
          ng.capacityType === 'SPOT',
        ),
      );
    }
    return lines;
  },
  addresses: (_spec, name) =>
    name === 'cluster' ? [`aws_eks_cluster.${id('eks')}`] : [`aws_eks_node_group.${id('eks', name)}`],
};
