import { bill, fmt, hours, id, line, type CostArea } from '../bill';

/**
 * Model Monitor: every run of a schedule is a processing job of `monitoringJobMinutes`.
 * Explainability runs also invoke the live endpoint; that load is on instances the serving
 * lines already price, so only its processing job is added here.
 */
export const monitoringCostLines: CostArea = {
  prefix: 'monitoring',
  lines(ctx) {
    const { spec, usage, prices } = ctx;
    const h = hours(ctx);
    return (spec.monitoring?.monitors ?? []).map((m) => {
      const periods = [
        m.dataQuality?.periodSeconds,
        m.modelQuality?.periodSeconds,
        m.bias?.periodSeconds,
        m.explainability?.periodSeconds,
      ].filter((p) => p !== undefined);
      const runs = periods.reduce((sum, p) => sum + (h * 3600) / p, 0);
      const jobHours = runs * (usage.monitoringJobMinutes / 60) * m.instanceCount;
      return line(
        `monitoring/${m.endpoint}`,
        'monitoring',
        `Model Monitor of ${m.endpoint}: ${fmt(jobHours)} h of ${m.instanceType} (${periods.length} schedule${periods.length === 1 ? '' : 's'}, ${fmt(usage.monitoringJobMinutes)} min a run)`,
        bill(ctx)
          .add(
            prices.sagemaker?.processing?.[m.instanceType],
            jobHours,
            `sagemaker processing ${m.instanceType}`,
          )
          .amount(),
      );
    });
  },
  addresses(spec, name) {
    const m = spec.monitoring?.monitors.find((x) => x.endpoint === name);
    if (!m) return [];
    // The data-quality schedule is a resource of its own; model quality lives in a CloudFormation stack.
    return m.dataQuality
      ? [`aws_sagemaker_monitoring_schedule.${id('monitoring', 'monitors', name, 'data-quality')}`]
      : [`aws_cloudformation_stack.${id('monitoring', 'monitors', name, 'model-quality')}`];
  },
};
