import type {
  KpiComparison,
  MonitorProblemType,
  ResolvedDashboard,
  ResolvedEndpointAlarms,
  ResolvedFailureWatch,
  ResolvedKpiAlarm,
  ResolvedModelBias,
  ResolvedModelExplainability,
  ResolvedModelMonitor,
  ResolvedMonitoring,
  ResolvedMonitorLocation,
  ResolvedRetraining,
  ResolvedThresholdAlarm,
  ResolvedVariantCapacity,
} from '../../model/monitoring';
import type { ResolvedEndpoint } from '../../model/serving';
import type {
  MonitoringBias,
  MonitoringExplainability,
  MonitoringEndpoint,
  MonitoringEndpointAlarms,
  MonitoringModelQuality,
  PipelineSpec,
} from '../../spec/types.generated';
import { normalizeData } from './data';
import { fitName, normalizeEks } from './eks';
import { normalizeNetwork } from './network';
import { normalizeOrchestration } from './orchestration';
import { instanceFamily } from '../../areas/serving/catalog';
import { normalizeServing } from './serving';
import { partitionOf } from '../arn';
import { bucketPrefixOf } from '../../areas/storage/catalog';
import { DEFAULTS as DATA_DEFAULTS } from '../../areas/data/catalog';
import { normalizeTraining } from './training';
import {
  DEFAULTS as MONITOR_DEFAULTS,
  ENDPOINT_ALARM_SUFFIXES,
  kpiAlarmName,
  kpiSources,
  MONITOR_NAMESPACES,
  MONITOR_SCHEDULES,
  type SpecProblemType,
} from '../../areas/monitoring/catalog';

// The tables and KPI resolvers live in the monitoring catalog (issue 18); re-exported for
// the callers that import them from here.
export {
  DEFAULTS as MONITOR_DEFAULTS,
  ENDPOINT_ALARM_SUFFIXES,
  kpiAlarmName,
  kpiSources,
  MONITOR_NAMESPACES,
  MONITOR_SCHEDULES,
  modelQualityEndpoints,
  modelQualityMetricOf,
  PROBLEM_TYPE_GROUPS,
  trainingParameterNames,
  type KpiSource,
} from '../../areas/monitoring/catalog';

const API_PROBLEM_TYPES: Readonly<Record<SpecProblemType, MonitorProblemType>> = {
  'binary-classification': 'BinaryClassification',
  'multiclass-classification': 'MulticlassClassification',
  regression: 'Regression',
};

/** SageMaker job definition and schedule names are at most 63 characters. */
const SAGEMAKER_NAME_MAX = 63;

/** GPUs per instance of the NVIDIA inference families where a size has more than one. */
const MULTI_GPU: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  g4dn: { '12xlarge': 4 },
  g5: { '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 },
  g6: { '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 },
  p3: { '8xlarge': 4, '16xlarge': 8 },
  p4d: { '24xlarge': 8 },
};

/**
 * vCPUs and NVIDIA GPUs of an inference instance type. EC2 sizes follow one rule for every
 * family pipeform serves on (medium and large: 2 vCPUs, xlarge: 4, Nxlarge: 4N); GPU
 * instances have one GPU except the sizes in {@link MULTI_GPU}.
 */
export function instanceCapacity(instanceType: string): { vcpus: number; gpus: number } {
  const [, family = '', size = ''] = instanceType.split('.');
  const n = /^(\d+)xlarge$/.exec(size);
  const vcpus = size === 'medium' || size === 'large' ? 2 : size === 'xlarge' ? 4 : n ? 4 * Number(n[1]) : 2;
  const gpu = instanceFamily(instanceType)?.accelerator === 'gpu';
  return { vcpus, gpus: gpu ? (MULTI_GPU[family]?.[size] ?? 1) : 0 };
}

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** The names of the data-quality and model-quality job definitions and schedules of an endpoint. */
export function monitorNames(endpointName: string): {
  dataQuality: string;
  modelQuality: string;
  bias: string;
  explainability: string;
} {
  return {
    dataQuality: fitName(`${endpointName}-data-quality`, SAGEMAKER_NAME_MAX),
    modelQuality: fitName(`${endpointName}-model-quality`, SAGEMAKER_NAME_MAX),
    bias: fitName(`${endpointName}-model-bias`, SAGEMAKER_NAME_MAX),
    explainability: fitName(`${endpointName}-model-explainability`, SAGEMAKER_NAME_MAX),
  };
}

interface Context {
  readonly spec: PipelineSpec;
  readonly pipeline: string;
  readonly partition: string;
  /** Global bucket name of a data-lake bucket's spec name. */
  readonly bucketName: (name: string) => string;
}

function location(c: Context, l: { bucket: string; prefix?: string }): ResolvedMonitorLocation {
  return { bucketName: c.bucketName(l.bucket), prefix: l.prefix ?? DATA_DEFAULTS.locationPrefix };
}

/** An endpoint alarm's spec threshold key: also its key in the catalog's `DEFAULTS.alarms`. */
type ThresholdKey = {
  [K in keyof MonitoringEndpointAlarms]-?: NonNullable<MonitoringEndpointAlarms[K]> extends number
    ? K
    : never;
}[keyof MonitoringEndpointAlarms];

/**
 * Every threshold alarm of an endpoint, by its key in {@link ResolvedEndpointAlarms}: the
 * alarm name's suffix (`<endpoint>-<suffix>`) and the spec key of its threshold.
 */
const THRESHOLD_ALARMS = {
  serverErrors: { suffix: '5xx', threshold: 'maxServerErrorsPerMinute' },
  clientErrors: { suffix: '4xx', threshold: 'maxClientErrorsPerMinute' },
  latencyP99Ms: { suffix: 'latency', threshold: 'maxLatencyP99Ms' },
  modelErrors: { suffix: 'modelerrors', threshold: 'maxModelErrorsPerMinute' },
  cpu: { suffix: 'cpu', threshold: 'maxCpuPercent' },
  memory: { suffix: 'memory', threshold: 'maxMemoryPercent' },
  disk: { suffix: 'disk', threshold: 'maxDiskPercent' },
  gpu: { suffix: 'gpu', threshold: 'maxGpuPercent' },
  gpuMemory: { suffix: 'gpumemory', threshold: 'maxGpuMemoryPercent' },
} as const satisfies Record<
  string,
  { readonly suffix: (typeof ENDPOINT_ALARM_SUFFIXES)[number]; readonly threshold: ThresholdKey }
>;
type ThresholdAlarmKey = keyof typeof THRESHOLD_ALARMS;

/** The named threshold alarms of an endpoint, each threshold the spec's or the schema default. */
function thresholdAlarms<K extends ThresholdAlarmKey>(
  e: ResolvedEndpoint,
  a: MonitoringEndpointAlarms,
  keys: readonly K[],
): Record<K, ResolvedThresholdAlarm> {
  return Object.fromEntries(
    keys.map((k) => {
      const { suffix, threshold } = THRESHOLD_ALARMS[k];
      return [
        k,
        {
          alarmName: `${e.endpointName}-${suffix}`,
          threshold: a[threshold] ?? MONITOR_DEFAULTS.alarms[threshold],
        },
      ];
    }),
  ) as Record<K, ResolvedThresholdAlarm>;
}

function endpointAlarms(e: ResolvedEndpoint, a: MonitoringEndpointAlarms): ResolvedEndpointAlarms {
  const variants: ResolvedVariantCapacity[] = e.variants.map((v) => ({
    name: v.name,
    ...(v.instanceType ? instanceCapacity(v.instanceType) : { vcpus: 0, gpus: 0 }),
  }));
  const rollback = e.deployment.autoRollback;
  const minutes = a.utilizationMinutes ?? MONITOR_DEFAULTS.alarms.utilizationMinutes;
  const gpus = variants.some((v) => v.gpus > 0);
  return {
    endpoint: e.name,
    endpointName: e.endpointName,
    type: e.type,
    variants,
    ...(rollback
      ? {
          rollbackAlarmNames: [
            rollback.alarmNames.clientErrors,
            rollback.alarmNames.modelLatency,
            rollback.alarmNames.serverErrors,
          ],
        }
      : { errors: thresholdAlarms(e, a, ['serverErrors', 'clientErrors', 'latencyP99Ms']) }),
    ...thresholdAlarms(e, a, ['modelErrors']),
    ...(e.type !== 'serverless' && (a.utilization ?? MONITOR_DEFAULTS.alarms.utilization)
      ? {
          utilization: {
            periodSeconds: 300,
            evaluationPeriods: Math.ceil(minutes / 5),
            ...thresholdAlarms(e, a, ['cpu', 'memory', 'disk']),
            ...(gpus ? thresholdAlarms(e, a, ['gpu', 'gpuMemory']) : {}),
          },
        }
      : {}),
  };
}

function modelMonitor(
  entry: MonitoringEndpoint,
  e: ResolvedEndpoint,
  c: Context,
  modelsBucket: string,
): ResolvedModelMonitor {
  const capture = e.dataCapture;
  if (!capture) throw new Error(`internal: monitored endpoint ${e.name} has no data capture after check`);
  const root = `${c.pipeline}/monitoring/${e.name}/`;
  const names = monitorNames(e.endpointName);
  const dq = entry.dataQuality ?? {};
  const mq = entry.modelQuality;
  const dqSchedule = MONITOR_SCHEDULES[dq.schedule ?? MONITOR_DEFAULTS.dataQuality.schedule];
  return {
    endpoint: e.name,
    endpointName: e.endpointName,
    roleComponent: `monitoring-${e.name}`,
    instanceType: entry.instanceType ?? MONITOR_DEFAULTS.instanceType,
    instanceCount: entry.instanceCount ?? MONITOR_DEFAULTS.instanceCount,
    volumeSizeGb: entry.volumeSizeGb ?? MONITOR_DEFAULTS.volumeSizeGb,
    maxRuntimeSeconds: (entry.maxRuntimeMinutes ?? MONITOR_DEFAULTS.maxRuntimeMinutes) * 60,
    capture: { bucketName: capture.bucketName, prefix: capture.prefix },
    ...((dq.enabled ?? MONITOR_DEFAULTS.dataQuality.enabled)
      ? {
          dataQuality: {
            scheduleName: names.dataQuality,
            scheduleExpression: dqSchedule.expression,
            periodSeconds: dqSchedule.seconds,
            baseline: dq.baseline
              ? location(c, dq.baseline)
              : { bucketName: modelsBucket, prefix: `${root}baseline/data-quality/` },
            reports: { bucketName: modelsBucket, prefix: `${root}reports/data-quality/` },
            ...(dq.driftFeatures && dq.driftFeatures.length > 0
              ? {
                  drift: {
                    alarmName: `${e.endpointName}-drift`,
                    features: [...dq.driftFeatures],
                    maxDrift: dq.maxDrift ?? MONITOR_DEFAULTS.dataQuality.maxDrift,
                  },
                }
              : {}),
          },
        }
      : {}),
    ...(mq ? { modelQuality: modelQuality(mq, names.modelQuality, c, modelsBucket, root) } : {}),
    ...(entry.bias ? { bias: modelBias(entry.bias, names.bias, c, modelsBucket, root) } : {}),
    ...(entry.explainability
      ? {
          explainability: modelExplainability(
            entry.explainability,
            names.explainability,
            c,
            modelsBucket,
            root,
          ),
        }
      : {}),
  };
}

function modelExplainability(
  x: MonitoringExplainability,
  name: string,
  c: Context,
  modelsBucket: string,
  root: string,
): ResolvedModelExplainability {
  const schedule = MONITOR_SCHEDULES[x.schedule ?? MONITOR_DEFAULTS.explainability.schedule];
  return {
    scheduleName: name,
    stackName: name,
    scheduleExpression: schedule.expression,
    periodSeconds: schedule.seconds,
    baseline: x.baseline
      ? location(c, x.baseline)
      : { bucketName: modelsBucket, prefix: `${root}baseline/explainability/` },
    reports: { bucketName: modelsBucket, prefix: `${root}reports/explainability/` },
    ...(x.featuresAttribute !== undefined ? { featuresAttribute: x.featuresAttribute } : {}),
    ...(x.inferenceAttribute !== undefined ? { inferenceAttribute: x.inferenceAttribute } : {}),
    ...(x.probabilityAttribute !== undefined ? { probabilityAttribute: x.probabilityAttribute } : {}),
  };
}

function modelBias(
  b: MonitoringBias,
  name: string,
  c: Context,
  modelsBucket: string,
  root: string,
): ResolvedModelBias {
  const schedule = MONITOR_SCHEDULES[b.schedule ?? MONITOR_DEFAULTS.bias.schedule];
  const delay = b.groundTruthDelayHours ?? MONITOR_DEFAULTS.bias.groundTruthDelayHours;
  const window = b.windowHours ?? MONITOR_DEFAULTS.bias.windowHours;
  const probability = b.probabilityAttribute;
  return {
    scheduleName: name,
    stackName: name,
    scheduleExpression: schedule.expression,
    periodSeconds: schedule.seconds,
    groundTruth: location(c, b.groundTruth),
    baseline: b.baseline
      ? location(c, b.baseline)
      : { bucketName: modelsBucket, prefix: `${root}baseline/bias/` },
    reports: { bucketName: modelsBucket, prefix: `${root}reports/bias/` },
    ...(b.featuresAttribute !== undefined ? { featuresAttribute: b.featuresAttribute } : {}),
    // A label is read as written; a probability becomes one through the threshold.
    ...(probability === undefined || b.inferenceAttribute !== undefined
      ? { inferenceAttribute: b.inferenceAttribute ?? '0' }
      : {}),
    ...(probability !== undefined
      ? {
          probabilityAttribute: probability,
          probabilityThreshold: b.probabilityThreshold ?? MONITOR_DEFAULTS.bias.probabilityThreshold,
        }
      : {}),
    startTimeOffset: `-PT${delay + window}H`,
    endTimeOffset: `-PT${delay}H`,
  };
}

function modelQuality(
  mq: MonitoringModelQuality,
  name: string,
  c: Context,
  modelsBucket: string,
  root: string,
): NonNullable<ResolvedModelMonitor['modelQuality']> {
  const schedule = MONITOR_SCHEDULES[mq.schedule ?? MONITOR_DEFAULTS.modelQuality.schedule];
  const delay = mq.groundTruthDelayHours ?? MONITOR_DEFAULTS.modelQuality.groundTruthDelayHours;
  const window = mq.windowHours ?? MONITOR_DEFAULTS.modelQuality.windowHours;
  const binary = mq.problemType === 'binary-classification';
  // Binary classifiers default to a probability with a threshold; the others to a label.
  const useProbability = binary && mq.inferenceAttribute === undefined;
  return {
    scheduleName: name,
    stackName: name,
    scheduleExpression: schedule.expression,
    periodSeconds: schedule.seconds,
    problemType: API_PROBLEM_TYPES[mq.problemType],
    specProblemType: mq.problemType,
    groundTruth: location(c, mq.groundTruth),
    ...(mq.baseline ? { baseline: location(c, mq.baseline) } : {}),
    reports: { bucketName: modelsBucket, prefix: `${root}reports/model-quality/` },
    ...(useProbability
      ? {
          probabilityAttribute: mq.probabilityAttribute ?? '0',
          probabilityThreshold: mq.probabilityThreshold ?? MONITOR_DEFAULTS.modelQuality.probabilityThreshold,
        }
      : {
          inferenceAttribute: mq.inferenceAttribute ?? '0',
          ...(binary && mq.probabilityAttribute !== undefined
            ? {
                probabilityAttribute: mq.probabilityAttribute,
                probabilityThreshold:
                  mq.probabilityThreshold ?? MONITOR_DEFAULTS.modelQuality.probabilityThreshold,
              }
            : {}),
        }),
    startTimeOffset: `-PT${delay + window}H`,
    endTimeOffset: `-PT${delay}H`,
  };
}

function failureWatch(
  spec: PipelineSpec,
  c: Context,
  file: string,
  trainingPipelineName: string | undefined,
): ResolvedFailureWatch {
  const p = c.pipeline;
  const data = spec.data ? normalizeData(spec, file) : undefined;
  const orchestration = spec.orchestration ? normalizeOrchestration(spec, file) : undefined;
  const glue = data?.glue;
  const emr = data?.emr;
  const workflow = orchestration?.workflow;
  return {
    ...(glue && glue.jobs.length + glue.crawlers.length > 0
      ? {
          glue: {
            jobRuleName: `${p}-glue-job-failures`,
            jobNames: glue.jobs.map((j) => j.jobName).sort(),
            crawlerRuleName: `${p}-glue-crawler-failures`,
            crawlerNames: glue.crawlers.map((x) => x.crawlerName).sort(),
          },
        }
      : {}),
    ...(emr
      ? {
          emr: {
            mode: emr.mode,
            ruleName: `${p}-emr-failures`,
            ...(emr.mode === 'cluster' ? { appsFailedAlarmName: `${emr.name}-appsfailed` } : {}),
          },
        }
      : {}),
    functions: (orchestration?.functions ?? []).map((f) => ({
      name: f.name,
      functionName: f.functionName,
      errorsAlarmName: `${f.functionName}-errors`,
      ...(f.deadLetterQueueName
        ? { deadLetter: { queueName: f.deadLetterQueueName, alarmName: `${f.deadLetterQueueName}-messages` } }
        : {}),
    })),
    ...(workflow
      ? {
          workflow: {
            stateMachineName: workflow.stateMachineName,
            stateMachineArn: stateMachineArn(spec, c, workflow.stateMachineName),
            alarmName: `${workflow.stateMachineName}-failed`,
          },
        }
      : {}),
    ...(trainingPipelineName
      ? {
          training: {
            pipelineName: trainingPipelineName,
            pipelineArn: pipelineArn(spec, c, trainingPipelineName),
            ruleName: `${p}-training-failures`,
          },
        }
      : {}),
  };
}

const stateMachineArn = (spec: PipelineSpec, c: Context, name: string) =>
  `arn:${c.partition}:states:${spec.region}:${spec.account}:stateMachine:${name}`;
const pipelineArn = (spec: PipelineSpec, c: Context, name: string) =>
  `arn:${c.partition}:sagemaker:${spec.region}:${spec.account}:pipeline/${name}`;

function dashboard(spec: PipelineSpec, file: string, trainingPipelineName: string | undefined, c: Context) {
  const data = spec.data ? normalizeData(spec, file) : undefined;
  const orchestration = spec.orchestration ? normalizeOrchestration(spec, file) : undefined;
  const eks = spec.training?.eks ? normalizeEks(spec) : undefined;
  const w = orchestration?.workflow;
  const d: ResolvedDashboard = {
    name: c.pipeline,
    glueJobNames: (data?.glue?.jobs ?? []).map((j) => j.jobName).sort(),
    ...(data?.emr ? { emr: { mode: data.emr.mode, name: data.emr.name } } : {}),
    functions: (orchestration?.functions ?? []).map((f) => ({
      functionName: f.functionName,
      ...(f.deadLetterQueueName ? { deadLetterQueueName: f.deadLetterQueueName } : {}),
    })),
    ...(w
      ? {
          workflow: {
            stateMachineName: w.stateMachineName,
            stateMachineArn: stateMachineArn(spec, c, w.stateMachineName),
          },
        }
      : {}),
    ...(trainingPipelineName ? { trainingPipelineName } : {}),
    ...(eks ? { eksClusterName: eks.clusterName } : {}),
  };
  return d;
}

function retraining(
  spec: PipelineSpec,
  c: Context,
  trainingPipelineName: string,
  monitors: readonly ResolvedModelMonitor[],
): ResolvedRetraining {
  const r = spec.monitoring?.retraining ?? {};
  const p = c.pipeline;
  const kpis = spec.goals?.kpis ?? [];
  const evaluationPeriods = r.evaluationPeriods ?? MONITOR_DEFAULTS.retraining.evaluationPeriods;
  const kpiAlarms: ResolvedKpiAlarm[] = kpiSources(spec).map((s) => {
    const k = kpis.find((x) => x.name === s.kpi);
    if (!k) throw new Error(`internal: KPI ${s.kpi} is not in goals.kpis`);
    const comparison: KpiComparison =
      k.direction === 'higher-is-better' ? 'LessThanThreshold' : 'GreaterThanThreshold';
    const base = {
      kpi: k.name,
      alarmName: kpiAlarmName(p, s),
      threshold: k.threshold,
      comparison,
      evaluationPeriods,
    };
    if (s.kind === 'custom') {
      return {
        ...base,
        namespace: s.namespace,
        metricName: s.name,
        dimensions: s.dimensions,
        statistic: s.statistic,
        periodSeconds: s.periodSeconds,
      };
    }
    const mq = monitors.find((m) => m.endpoint === s.endpoint)?.modelQuality;
    if (!mq) throw new Error(`internal: endpoint ${s.endpoint} has no model-quality monitor`);
    const endpointName = monitors.find((m) => m.endpoint === s.endpoint)?.endpointName ?? '';
    return {
      ...base,
      namespace: MONITOR_NAMESPACES.modelQuality,
      metricName: s.metric,
      dimensions: { Endpoint: endpointName, MonitoringSchedule: mq.scheduleName },
      statistic: 'Average',
      periodSeconds: mq.periodSeconds,
      endpoint: s.endpoint,
    };
  });
  const driftAlarmNames =
    (r.onDrift ?? MONITOR_DEFAULTS.retraining.onDrift)
      ? monitors.flatMap((m) => (m.dataQuality?.drift ? [m.dataQuality.drift.alarmName] : [])).sort()
      : [];
  const compositeAlarmName = `${p}-retraining`;
  return {
    pipelineName: trainingPipelineName,
    pipelineArn: pipelineArn(spec, c, trainingPipelineName),
    roleComponent: 'retraining',
    ruleName: `${p}-retraining`,
    compositeAlarmName,
    compositeAlarmArn: `arn:${c.partition}:cloudwatch:${spec.region}:${spec.account}:alarm:${compositeAlarmName}`,
    kpiAlarms: [...kpiAlarms].sort(byKey((a) => a.alarmName)),
    driftAlarmNames,
    cooldown: {
      alarmName: `${p}-retraining-cooldown`,
      hours: r.cooldownHours ?? MONITOR_DEFAULTS.retraining.cooldownHours,
    },
    parameters: Object.entries(r.parameters ?? {})
      .map(([name, value]) => ({ name, value }))
      .sort(byKey((x) => x.name)),
  };
}

/**
 * Resolves the monitoring area: the alerts topic, alarms for every endpoint and (unless off)
 * failure watches of every other component, the dashboard's inventory, a Model Monitor per
 * listed endpoint, Prometheus and Grafana, and retraining with its KPI alarms, all named.
 * `file` is the spec file (orchestration resolves function code paths against it).
 */
export function normalizeMonitoring(spec: PipelineSpec, file: string): ResolvedMonitoring | undefined {
  const m = spec.monitoring;
  if (m === undefined) return undefined;
  const bucketPrefix = bucketPrefixOf(spec);
  const c: Context = {
    spec,
    pipeline: spec.name,
    partition: partitionOf(spec.region),
    bucketName: (name) => `${bucketPrefix}-${name}`,
  };
  const serving = spec.serving ? normalizeServing(spec, file) : undefined;
  const endpoints = serving?.endpoints ?? [];
  const training = spec.training?.algorithm ? normalizeTraining(spec, file) : undefined;
  const eks = spec.training?.eks ? normalizeEks(spec) : undefined;
  const alarms = m.alarms ?? {};
  const modelsBucket = c.bucketName('models');

  const monitors = [...(m.endpoints ?? [])].sort(byKey((x) => x.name)).map((entry) => {
    const e = endpoints.find((x) => x.name === entry.name);
    if (!e)
      throw new Error(`internal: monitored endpoint ${entry.name} is not a serving endpoint after check`);
    return modelMonitor(entry, e, c, modelsBucket);
  });

  return {
    notifications: {
      topicName: `${c.pipeline}-alerts`,
      emails: [...(m.notifications?.emails ?? [])].sort(),
      https: [...(m.notifications?.https ?? [])].sort(),
    },
    endpointAlarms: endpoints.map((e) => endpointAlarms(e, alarms.endpoints ?? {})),
    ...((alarms.failures ?? MONITOR_DEFAULTS.failures)
      ? { failures: failureWatch(spec, c, file, training?.pipelineName) }
      : {}),
    ...((m.dashboard ?? MONITOR_DEFAULTS.dashboard)
      ? { dashboard: dashboard(spec, file, training?.pipelineName, c) }
      : {}),
    monitors,
    ...((m.prometheus ?? MONITOR_DEFAULTS.prometheus)
      ? {
          prometheus: {
            alias: c.pipeline,
            logGroupName: `/aws/vendedlogs/prometheus/${c.pipeline}`,
            ...(eks
              ? {
                  scraper: { alias: fitName(`${c.pipeline}-${eks.name}`, 100), clusterName: eks.clusterName },
                }
              : {}),
          },
        }
      : {}),
    ...((m.grafana ?? MONITOR_DEFAULTS.grafana)
      ? {
          grafana: {
            name: c.pipeline,
            version: '10.4',
            roleComponent: 'grafana',
            dataSources: m.prometheus ? (['CLOUDWATCH', 'PROMETHEUS'] as const) : (['CLOUDWATCH'] as const),
            inVpc: normalizeNetwork(spec) !== undefined,
          },
        }
      : {}),
    ...(m.retraining && training ? { retraining: retraining(spec, c, training.pipelineName, monitors) } : {}),
  };
}
