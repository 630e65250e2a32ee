import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import type {
  ResolvedEndpointAlarms,
  ResolvedThresholdAlarm,
  ResolvedVariantCapacity,
} from '../../model/monitoring';

/** Invocation metrics: one-minute periods, 2 of the last 3 breaching (as the rollback alarms). */
export const INVOCATION_EVALUATION = { period: 60, evaluationPeriods: 3, datapointsToAlarm: 2 } as const;

/** A metric-math query id from a variant name (ids start lowercase; letters, digits, `_`). */
export const variantQueryId = (prefix: string, variant: string): string =>
  `${prefix}_${variant.replace(/[^A-Za-z0-9]/g, '_')}`;

/** What one alarm over an endpoint's production variants watches. */
interface VariantMetric {
  readonly namespace: string;
  readonly metric: string;
  readonly stat: string;
  readonly period: number;
  /** Metric math combining the variants' (scaled) series. */
  readonly combine: 'SUM' | 'MAX';
  /** Divides each variant's series (capacity normalization); 1 leaves it as is. */
  readonly divisor?: (v: ResolvedVariantCapacity) => number;
  /** Variants without the resource (GPUs on CPU types) are left out. */
  readonly applies?: (v: ResolvedVariantCapacity) => boolean;
}

/** The queries of an alarm that combines one metric over variants into a single series. */
export function variantQueries(
  endpointName: string,
  variants: readonly ResolvedVariantCapacity[],
  m: VariantMetric,
): CloudwatchMetricAlarmMetricQuery[] {
  const used = variants.filter((v) => m.applies?.(v) ?? true);
  const raw: CloudwatchMetricAlarmMetricQuery[] = used.map((v) => ({
    id: variantQueryId('m', v.name),
    returnData: false,
    metric: {
      namespace: m.namespace,
      metricName: m.metric,
      stat: m.stat,
      period: m.period,
      dimensions: { EndpointName: endpointName, VariantName: v.name },
    },
  }));
  const scaled: CloudwatchMetricAlarmMetricQuery[] = [];
  const ids = used.map((v) => {
    const d = m.divisor?.(v) ?? 1;
    if (d === 1) return variantQueryId('m', v.name);
    const id = variantQueryId('s', v.name);
    scaled.push({ id, expression: `${variantQueryId('m', v.name)} / ${d}`, returnData: false });
    return id;
  });
  return [
    ...raw,
    ...scaled,
    { id: 'combined', expression: `${m.combine}([${ids.join(', ')}])`, label: m.metric, returnData: true },
  ];
}

/** Props of {@link EndpointAlarms}. */
export interface EndpointAlarmsProps {
  readonly alarms: ResolvedEndpointAlarms;
  readonly topicArn: string;
}

/**
 * The alarms of one endpoint, each notifying the alerts topic (and its recovery): its own
 * 5xx/4xx/p99-latency alarms when the endpoint has no rollback alarms (otherwise those are
 * reused), failed model invocations, and saturation of CPU, memory, disk and GPUs in
 * percent of the whole instance (SageMaker reports 100 per vCPU or GPU; the series are
 * divided by the instance's count). Variants combine by metric math, so an endpoint has one
 * alarm per kind however many variants it has. No traffic is not a failure.
 */
export class EndpointAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  private readonly endpointName: string;
  private readonly variants: readonly ResolvedVariantCapacity[];
  private readonly topicArn: string;

  constructor(scope: Construct, id: string, props: EndpointAlarmsProps) {
    super(scope, id);
    const a = props.alarms;
    this.endpointName = a.endpointName;
    this.variants = a.variants;
    this.topicArn = props.topicArn;
    const invocations = (metric: string, stat: string, combine: 'SUM' | 'MAX'): VariantMetric => ({
      namespace: 'AWS/SageMaker',
      metric,
      stat,
      period: INVOCATION_EVALUATION.period,
      combine,
    });
    if (a.errors) {
      this.add('5xx', a.errors.serverErrors, invocations('Invocation5XXErrors', 'Sum', 'SUM'), {
        what: '5xx responses per minute',
      });
      this.add('4xx', a.errors.clientErrors, invocations('Invocation4XXErrors', 'Sum', 'SUM'), {
        what: '4xx responses per minute',
      });
      // ModelLatency is reported in microseconds.
      this.add(
        'latency',
        { ...a.errors.latencyP99Ms, threshold: a.errors.latencyP99Ms.threshold * 1000 },
        invocations('ModelLatency', 'p99', 'MAX'),
        { what: 'p99 model latency (microseconds) of the slowest variant' },
      );
    }
    this.add('modelerrors', a.modelErrors, invocations('InvocationModelErrors', 'Sum', 'SUM'), {
      what: 'failed model invocations per minute',
    });
    const u = a.utilization;
    if (u) {
      const instance = (
        metric: string,
        divisor?: VariantMetric['divisor'],
        applies?: VariantMetric['applies'],
      ) => ({
        namespace: '/aws/sagemaker/Endpoints',
        metric,
        stat: 'Average',
        period: u.periodSeconds,
        combine: 'MAX' as const,
        ...(divisor ? { divisor } : {}),
        ...(applies ? { applies } : {}),
      });
      const sustained = { evaluationPeriods: u.evaluationPeriods, datapointsToAlarm: u.evaluationPeriods };
      const gpu = (v: ResolvedVariantCapacity) => v.gpus > 0;
      this.add(
        'cpu',
        u.cpu,
        instance('CPUUtilization', (v) => v.vcpus),
        {
          what: 'CPU use in percent of all vCPUs of the busiest variant',
          ...sustained,
        },
      );
      this.add('memory', u.memory, instance('MemoryUtilization'), {
        what: 'memory use in percent',
        ...sustained,
      });
      this.add('disk', u.disk, instance('DiskUtilization'), { what: 'disk use in percent', ...sustained });
      if (u.gpu) {
        this.add(
          'gpu',
          u.gpu,
          instance('GPUUtilization', (v) => v.gpus, gpu),
          {
            what: 'GPU use in percent of all GPUs of the busiest GPU variant',
            ...sustained,
          },
        );
      }
      if (u.gpuMemory) {
        this.add(
          'gpumemory',
          u.gpuMemory,
          instance('GPUMemoryUtilization', (v) => v.gpus, gpu),
          {
            what: 'GPU memory use in percent of all GPUs',
            ...sustained,
          },
        );
      }
    }
  }

  private add(
    id: string,
    alarm: ResolvedThresholdAlarm,
    metric: VariantMetric,
    opts: { what: string; evaluationPeriods?: number; datapointsToAlarm?: number },
  ): void {
    const a = new CloudwatchMetricAlarm(this, id, {
      alarmName: alarm.alarmName,
      alarmDescription: `pipeform: ${opts.what} of endpoint ${this.endpointName} above ${alarm.threshold}`,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: alarm.threshold,
      evaluationPeriods: opts.evaluationPeriods ?? INVOCATION_EVALUATION.evaluationPeriods,
      datapointsToAlarm: opts.datapointsToAlarm ?? INVOCATION_EVALUATION.datapointsToAlarm,
      treatMissingData: 'notBreaching',
      metricQuery: variantQueries(this.endpointName, this.variants, metric),
      alarmActions: [this.topicArn],
      okActions: [this.topicArn],
    });
    this.alarms.push(a);
  }
}
