import type { ResolvedSpec } from '../../model/resolved';
import { bill, fmt, line, type CostArea } from '../bill';

/** Whether the pipeline creates log groups (flow logs, EKS control plane, jobs, endpoints, WAF). */
function logsSomething(spec: ResolvedSpec): boolean {
  return Boolean(
    (spec.network?.mode === 'create' && spec.network.flowLogs.enabled) ||
    spec.eks ||
    (spec.data?.glue?.jobs.length ?? 0) > 0 ||
    (spec.serving?.endpoints.length ?? 0) > 0 ||
    spec.training ||
    spec.data?.emr ||
    (spec.orchestration?.functions.length ?? 0) > 0 ||
    spec.security.waf?.logging,
  );
}

/**
 * CloudWatch Logs ingestion and storage across every log group the pipeline creates. No
 * single resource bills it, so it has no addresses.
 */
export const logsCostLines: CostArea = {
  prefix: 'logs',
  lines(ctx) {
    const { spec, usage, prices } = ctx;
    if (!logsSomething(spec)) return [];
    const retentionMonths = spec.security.logRetentionDays / 30;
    const stored = usage.logsGbPerMonth * retentionMonths;
    return [
      line(
        'logs/cloudwatch',
        'logs',
        `${fmt(usage.logsGbPerMonth)} GB/month ingested, ${fmt(stored)} GB kept (${spec.security.logRetentionDays} days)`,
        bill(ctx)
          .add(prices.cloudwatchLogs?.ingestGb, usage.logsGbPerMonth, 'cloudwatch logs ingestion GB')
          .add(prices.cloudwatchLogs?.storageGbMonth, stored, 'cloudwatch logs storage GB-month')
          .amount(),
      ),
    ];
  },
};
