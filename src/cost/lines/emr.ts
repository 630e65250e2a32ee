import type { ResolvedEmrCluster } from '../../model/data';
import { bill, fmt, hours, id, line, type Amount, type CostArea, type PricingContext } from '../bill';

/** An EMR cluster per month: `emrHoursPerMonth` of its primary, core and task fleets (EC2 + EMR uplift + EBS). */
export function emrClusterCost(
  ctx: PricingContext,
  c: ResolvedEmrCluster,
  hoursUp = ctx.usage.emrHoursPerMonth,
): Amount {
  const b = bill(ctx);
  const spotFactor = 1 - ctx.table.spotDiscount.ec2;
  const fleet = (type: string, onDemand: number, spot: number) => {
    const ec2 = ctx.prices.ec2?.[type];
    b.add(ec2, onDemand * hoursUp, `ec2 ${type}`);
    b.add(ec2 === undefined ? undefined : ec2 * spotFactor, spot * hoursUp, `ec2 ${type}`, true);
    b.add(ctx.prices.emrUplift?.[type], (onDemand + spot) * hoursUp, `emr uplift ${type}`);
    b.add(
      ctx.prices.ebsGp3GbMonth,
      ((onDemand + spot) * c.ebsGiB * hoursUp) / hours(ctx),
      'ebs gp3 GB-month',
    );
  };
  fleet(c.primaryInstanceTypes[0], 1, 0);
  fleet(c.core.instanceTypes[0], c.core.onDemandUnits, c.core.spotUnits);
  fleet(c.task.instanceTypes[0], c.task.onDemandUnits, c.task.spotUnits);
  return b.amount();
}

/** The EMR cluster's fleets, or an EMR Serverless application (billed per use: unknown). */
export const emrCostLines: CostArea = {
  prefix: 'emr',
  lines(ctx) {
    const { spec, usage } = ctx;
    const emr = spec.data?.emr;
    if (emr?.cluster) {
      const c = emr.cluster;
      const units = c.core.onDemandUnits + c.core.spotUnits + c.task.onDemandUnits + c.task.spotUnits;
      return [
        line(
          'emr/cluster',
          'processing',
          `EMR cluster ${emr.name}: 1 primary + ${units} units of ${c.core.instanceTypes[0]}, ${fmt(usage.emrHoursPerMonth)} h`,
          emrClusterCost(ctx, c),
          c.core.spotUnits + c.task.spotUnits > 0,
        ),
      ];
    }
    if (emr?.serverless) {
      return [
        line(
          'emr/serverless',
          'processing',
          `EMR Serverless application ${emr.name} (billed per vCPU- and GB-hour of jobs)`,
          bill(ctx).add(undefined, 1, 'emr serverless vCPU-hour and GB-hour').amount(),
        ),
      ];
    }
    return [];
  },
  addresses(spec, name) {
    if (name !== 'cluster') return [`aws_emrserverless_application.${id('emr')}`];
    // A per-run cluster is created by the workflow's state machine; only an interactive one is a resource.
    if (spec.data?.emr?.cluster?.interactive) return [`aws_emr_cluster.${id('emr')}`];
    return spec.orchestration?.workflow ? [`aws_sfn_state_machine.${id('workflow')}`] : [];
  },
};
