import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { Construct } from 'constructs';
import type { ResolvedAutoRollback, ResolvedEndpoint } from '../../model/serving';

/** One-minute periods; an alarm fires when 2 of the last 3 breach (one noisy minute does not roll back). */
export const ROLLBACK_ALARM_EVALUATION = { period: 60, evaluationPeriods: 3, datapointsToAlarm: 2 } as const;

/** What each generated alarm watches: an AWS/SageMaker metric, its statistic, how variants combine. */
interface AlarmKind {
  readonly id: string;
  readonly name: (r: ResolvedAutoRollback) => string;
  readonly metric: string;
  readonly stat: string;
  /** Metric math over the per-variant series. */
  readonly combine: 'SUM' | 'MAX';
  readonly threshold: (r: ResolvedAutoRollback) => number;
  readonly what: string;
}

const KINDS: readonly AlarmKind[] = [
  {
    id: 'server-errors',
    name: (r) => r.alarmNames.serverErrors,
    metric: 'Invocation5XXErrors',
    stat: 'Sum',
    combine: 'SUM',
    threshold: (r) => r.maxServerErrorsPerMinute,
    what: '5xx responses per minute',
  },
  {
    id: 'client-errors',
    name: (r) => r.alarmNames.clientErrors,
    metric: 'Invocation4XXErrors',
    stat: 'Sum',
    combine: 'SUM',
    threshold: (r) => r.maxClientErrorsPerMinute,
    what: '4xx responses from the model per minute',
  },
  {
    id: 'model-latency',
    name: (r) => r.alarmNames.modelLatency,
    metric: 'ModelLatency',
    stat: 'p99',
    combine: 'MAX',
    // ModelLatency is reported in microseconds.
    threshold: (r) => r.maxLatencyP99Ms * 1000,
    what: 'p99 model latency (microseconds) of the slowest variant',
  },
];

/** A metric-math query id from a variant name (ids start lowercase; letters, digits, `_`). */
export const queryId = (variant: string): string => `v_${variant.replace(/-/g, '_')}`;

/**
 * The rollback alarms of an endpoint: server errors, client errors and p99 model latency,
 * each over all production variants (metric math over `EndpointName` + `VariantName`
 * series, so an endpoint has three alarms however many variants it has; SageMaker takes at
 * most ten). The shadow variant is left out: its errors never reach callers. The endpoint
 * name is a literal, not a reference, because the endpoint itself refers to these alarms.
 */
export function rollbackAlarms(scope: Construct, endpoint: ResolvedEndpoint): CloudwatchMetricAlarm[] {
  const rollback = endpoint.deployment.autoRollback;
  if (rollback === undefined) return [];
  return KINDS.map((kind) => {
    const series: CloudwatchMetricAlarmMetricQuery[] = endpoint.variants.map((v) => ({
      id: queryId(v.name),
      returnData: false,
      metric: {
        namespace: 'AWS/SageMaker',
        metricName: kind.metric,
        stat: kind.stat,
        period: ROLLBACK_ALARM_EVALUATION.period,
        dimensions: { EndpointName: endpoint.endpointName, VariantName: v.name },
      },
    }));
    const ids = endpoint.variants.map((v) => queryId(v.name)).join(', ');
    return new CloudwatchMetricAlarm(scope, kind.id, {
      alarmName: kind.name(rollback),
      alarmDescription: `pipeform: rolls back deployments of ${endpoint.endpointName} when ${kind.what} exceed ${kind.threshold(rollback)}`,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: kind.threshold(rollback),
      evaluationPeriods: ROLLBACK_ALARM_EVALUATION.evaluationPeriods,
      datapointsToAlarm: ROLLBACK_ALARM_EVALUATION.datapointsToAlarm,
      // No traffic is not a failure: a quiet baking period must not roll back.
      treatMissingData: 'notBreaching',
      metricQuery: [
        ...series,
        { id: 'combined', expression: `${kind.combine}([${ids}])`, label: kind.metric, returnData: true },
      ],
    });
  });
}
