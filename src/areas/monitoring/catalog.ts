/**
 * The monitoring area's catalog: its defaults (read from the schema, never restated), Model
 * Monitor's schedules and namespaces, and the KPI, alarm-name and metric resolvers the check
 * stage, normalize and the build share. Pure: no cdktf, no normalize imports.
 */
import { schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';
import type { Monitoring, MonitoringEndpoint, PipelineSpec } from '../../spec/types.generated';

const alarm = (name: string) => schemaPointer('monitoringEndpointAlarms', name);
const SCHEDULES = ['hourly', 'daily'] as const;

/** The monitoring defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  dashboard: schemaDefault(schemaPointer('monitoring', 'dashboard'), 'boolean'),
  prometheus: schemaDefault(schemaPointer('monitoring', 'prometheus'), 'boolean'),
  grafana: schemaDefault(schemaPointer('monitoring', 'grafana'), 'boolean'),
  failures: schemaDefault(schemaPointer('monitoringAlarms', 'failures'), 'boolean'),
  // A monitored endpoint's jobs (top level: every Model Monitor job of the endpoint uses them).
  instanceType: schemaDefault(schemaPointer('monitoringEndpoint', 'instanceType'), 'string'),
  instanceCount: schemaDefault(schemaPointer('monitoringEndpoint', 'instanceCount'), 'number'),
  volumeSizeGb: schemaDefault(schemaPointer('monitoringEndpoint', 'volumeSizeGb'), 'number'),
  maxRuntimeMinutes: schemaDefault(schemaPointer('monitoringEndpoint', 'maxRuntimeMinutes'), 'number'),
  dataQuality: {
    enabled: schemaDefault(schemaPointer('monitoringDataQuality', 'enabled'), 'boolean'),
    schedule: schemaChoiceDefault(schemaPointer('monitoringDataQuality', 'schedule'), SCHEDULES),
    maxDrift: schemaDefault(schemaPointer('monitoringDataQuality', 'maxDrift'), 'number'),
  },
  modelQuality: {
    schedule: schemaChoiceDefault(schemaPointer('monitoringModelQuality', 'schedule'), SCHEDULES),
    probabilityThreshold: schemaDefault(
      schemaPointer('monitoringModelQuality', 'probabilityThreshold'),
      'number',
    ),
    groundTruthDelayHours: schemaDefault(
      schemaPointer('monitoringModelQuality', 'groundTruthDelayHours'),
      'number',
    ),
    windowHours: schemaDefault(schemaPointer('monitoringModelQuality', 'windowHours'), 'number'),
  },
  bias: {
    schedule: schemaChoiceDefault(schemaPointer('monitoringBias', 'schedule'), SCHEDULES),
    probabilityThreshold: schemaDefault(schemaPointer('monitoringBias', 'probabilityThreshold'), 'number'),
    groundTruthDelayHours: schemaDefault(schemaPointer('monitoringBias', 'groundTruthDelayHours'), 'number'),
    windowHours: schemaDefault(schemaPointer('monitoringBias', 'windowHours'), 'number'),
  },
  explainability: {
    schedule: schemaChoiceDefault(schemaPointer('monitoringExplainability', 'schedule'), SCHEDULES),
  },
  retraining: {
    onDrift: schemaDefault(schemaPointer('monitoringRetraining', 'onDrift'), 'boolean'),
    evaluationPeriods: schemaDefault(schemaPointer('monitoringRetraining', 'evaluationPeriods'), 'number'),
    cooldownHours: schemaDefault(schemaPointer('monitoringRetraining', 'cooldownHours'), 'number'),
  },
  customMetric: {
    statistic: schemaDefault(schemaPointer('monitoringCustomMetric', 'statistic'), 'string'),
    periodSeconds: schemaDefault(schemaPointer('monitoringCustomMetric', 'periodSeconds'), 'number'),
  },
  /** Per-endpoint alarms. */
  alarms: {
    maxServerErrorsPerMinute: schemaDefault(alarm('maxServerErrorsPerMinute'), 'number'),
    maxClientErrorsPerMinute: schemaDefault(alarm('maxClientErrorsPerMinute'), 'number'),
    maxLatencyP99Ms: schemaDefault(alarm('maxLatencyP99Ms'), 'number'),
    maxModelErrorsPerMinute: schemaDefault(alarm('maxModelErrorsPerMinute'), 'number'),
    utilization: schemaDefault(alarm('utilization'), 'boolean'),
    maxCpuPercent: schemaDefault(alarm('maxCpuPercent'), 'number'),
    maxMemoryPercent: schemaDefault(alarm('maxMemoryPercent'), 'number'),
    maxDiskPercent: schemaDefault(alarm('maxDiskPercent'), 'number'),
    maxGpuPercent: schemaDefault(alarm('maxGpuPercent'), 'number'),
    maxGpuMemoryPercent: schemaDefault(alarm('maxGpuMemoryPercent'), 'number'),
    utilizationMinutes: schemaDefault(alarm('utilizationMinutes'), 'number'),
  },
} as const;

/** Model Monitor's schedule expressions (it accepts only these shapes) and their periods. */
export const MONITOR_SCHEDULES = {
  hourly: { expression: 'cron(0 * ? * * *)', seconds: 3600 },
  daily: { expression: 'cron(0 0 ? * * *)', seconds: 86400 },
} as const;

/**
 * Where Model Monitor's analyzer publishes for real-time endpoints, with the dimensions
 * Endpoint and MonitoringSchedule (one AWS page spells them `.../data-metric` with
 * EndpointName and ScheduleName; the container's published metrics, and AWS's own examples of
 * alarms on them, use these). Drift is `feature_baseline_drift_<feature>`; model quality
 * uses the metric names of its statistics (auc, recall, f1, rmse, ...).
 */
export const MONITOR_NAMESPACES = {
  dataQuality: 'aws/sagemaker/Endpoints/data-metrics',
  modelQuality: 'aws/sagemaker/Endpoints/model-metrics',
} as const;

/** The evaluation-report group of each model-quality problem type, as KPI metric paths start. */
export const PROBLEM_TYPE_GROUPS = {
  'binary-classification': 'binary_classification_metrics',
  'multiclass-classification': 'multiclass_classification_metrics',
  regression: 'regression_metrics',
} as const;

/** A model-quality problem type, as the spec names it. */
export type SpecProblemType = keyof typeof PROBLEM_TYPE_GROUPS;

/**
 * Parameters of the training pipeline a retraining execution may set (its definition
 * declares them; InputDataPrefix only with preprocessing).
 */
export function trainingParameterNames(spec: PipelineSpec): string[] {
  return ['InstanceType', 'TrainingDataPrefix', ...(spec.training?.processing ? ['InputDataPrefix'] : [])];
}

/**
 * The model-quality metric a KPI's evaluation-report path names:
 * `binary_classification_metrics.auc.value` is Model Monitor's `auc` for binary
 * classification (the evaluation report and Model Monitor share the layout).
 */
export function modelQualityMetricOf(
  path: string,
): { readonly problemType: SpecProblemType; readonly metric: string } | undefined {
  const m = /^([a-z_]+_metrics)\.([a-z][a-z0-9_]{0,63})\.value$/.exec(path);
  if (!m) return undefined;
  const entry = Object.entries(PROBLEM_TYPE_GROUPS).find(([, group]) => group === m[1]);
  return entry ? { problemType: entry[0] as SpecProblemType, metric: m[2] } : undefined;
}

/** The suffix of every alarm pipeform generates per endpoint: one token each, so names never collide. */
export const ENDPOINT_ALARM_SUFFIXES = [
  '5xx',
  '4xx',
  'latency',
  'modelerrors',
  'cpu',
  'memory',
  'disk',
  'gpu',
  'gpumemory',
  'drift',
] as const;

/** Where a KPI's production metric comes from, after defaults. */
export type KpiSource =
  | {
      readonly kind: 'model-quality';
      readonly kpi: string;
      /** Spec name of the monitored endpoint. */
      readonly endpoint: string;
      readonly metric: string;
    }
  | {
      readonly kind: 'custom';
      readonly kpi: string;
      readonly namespace: string;
      readonly name: string;
      readonly dimensions: Readonly<Record<string, string>>;
      readonly statistic: string;
      readonly periodSeconds: number;
    };

/** Monitored endpoints with a model-quality schedule. */
export function modelQualityEndpoints(m: Monitoring): MonitoringEndpoint[] {
  return (m.endpoints ?? []).filter((e) => e.modelQuality !== undefined);
}

/**
 * The KPI alarms retraining watches. Listed KPIs resolve their endpoint (default: the only
 * monitored endpoint with model quality) and metric (default: from the KPI's path); without
 * a list, every KPI whose path names a model-quality metric is watched on every monitored
 * endpoint with model quality of that problem type. Entries that do not resolve are left
 * out here: the check stage reports them (monitoring/retraining-kpis).
 */
export function kpiSources(spec: PipelineSpec): KpiSource[] {
  const m = spec.monitoring;
  const kpis = spec.goals?.kpis ?? [];
  if (!m?.retraining) return [];
  const quality = modelQualityEndpoints(m);
  const listed = m.retraining.kpis;
  if (listed === undefined) {
    return kpis.flatMap((k) => {
      const parsed = modelQualityMetricOf(k.metric);
      if (!parsed) return [];
      return quality
        .filter((e) => e.modelQuality?.problemType === parsed.problemType)
        .map((e) => ({
          kind: 'model-quality' as const,
          kpi: k.name,
          endpoint: e.name,
          metric: parsed.metric,
        }));
    });
  }
  return listed.flatMap((entry): KpiSource[] => {
    const k = kpis.find((x) => x.name === entry.kpi);
    if (!k) return [];
    if (entry.custom) {
      return [
        {
          kind: 'custom',
          kpi: k.name,
          namespace: entry.custom.namespace,
          name: entry.custom.name,
          dimensions: sortedRecord(entry.custom.dimensions ?? {}),
          statistic: entry.custom.statistic ?? DEFAULTS.customMetric.statistic,
          periodSeconds: entry.custom.periodSeconds ?? DEFAULTS.customMetric.periodSeconds,
        },
      ];
    }
    const endpoint = entry.endpoint ?? (quality.length === 1 ? quality[0].name : undefined);
    const metric = entry.metric ?? modelQualityMetricOf(k.metric)?.metric;
    if (endpoint === undefined || metric === undefined) return [];
    if (!quality.some((e) => e.name === endpoint)) return [];
    return [{ kind: 'model-quality', kpi: k.name, endpoint, metric }];
  });
}

function sortedRecord<T>(r: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Name of the KPI alarm of a source: `<pipeline>-<endpoint>-kpi-<kpi>` or `<pipeline>-kpi-<kpi>`. */
export function kpiAlarmName(pipeline: string, s: KpiSource): string {
  return s.kind === 'model-quality' ? `${pipeline}-${s.endpoint}-kpi-${s.kpi}` : `${pipeline}-kpi-${s.kpi}`;
}
