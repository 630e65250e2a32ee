import type { ResolvedModelMonitor, ResolvedMonitoring } from '../../model/monitoring';
import { DATA_METRICS_NAMESPACE } from './model-monitor';
import { PIPELINE_METRICS_NAMESPACE } from './retraining';

/** Options of a metric row (CloudWatch's dashboard body syntax). */
export interface MetricOptions {
  readonly stat?: string;
  readonly label?: string;
}

/** `[namespace, metric, dimension name, value, ..., options]`. */
export type MetricRow = readonly (string | MetricOptions)[];

/** A widget of the dashboard body, in CloudWatch's field names. */
export type Widget =
  | {
      readonly type: 'text';
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly height: number;
      readonly properties: { readonly markdown: string };
    }
  | {
      readonly type: 'metric';
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly height: number;
      readonly properties: {
        readonly title: string;
        readonly region: string;
        readonly view: 'timeSeries';
        readonly stacked: false;
        readonly period: number;
        readonly stat: string;
        readonly metrics: readonly MetricRow[];
      };
    }
  | {
      readonly type: 'alarm';
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly height: number;
      readonly properties: { readonly title: string; readonly alarms: readonly string[] };
    };

/** The whole dashboard body. */
export interface DashboardBody {
  readonly widgets: readonly Widget[];
}

const GRID = 24;
const CHART = { width: 8, height: 6 };
/** CloudWatch shows at most 100 alarms in one alarm status widget. */
const ALARMS_PER_WIDGET = 100;

/** Places widgets top to bottom: a heading per section, then charts three to a row. */
class Layout {
  readonly widgets: Widget[] = [];
  private y = 0;
  private x = 0;

  constructor(private readonly region: string) {}

  section(markdown: string): void {
    this.newRow();
    this.widgets.push({ type: 'text', x: 0, y: this.y, width: GRID, height: 2, properties: { markdown } });
    this.y += 2;
  }

  chart(title: string, metrics: readonly MetricRow[], stat: string, period = 300): void {
    if (metrics.length === 0) return;
    if (this.x + CHART.width > GRID) this.newRow();
    this.widgets.push({
      type: 'metric',
      x: this.x,
      y: this.y,
      ...CHART,
      properties: { title, region: this.region, view: 'timeSeries', stacked: false, period, stat, metrics },
    });
    this.x += CHART.width;
  }

  alarms(title: string, arns: readonly string[]): void {
    for (let i = 0; i < arns.length; i += ALARMS_PER_WIDGET) {
      this.newRow();
      this.widgets.push({
        type: 'alarm',
        x: 0,
        y: this.y,
        width: GRID,
        height: 4,
        properties: { title, alarms: arns.slice(i, i + ALARMS_PER_WIDGET) },
      });
      this.y += 4;
    }
  }

  private newRow(): void {
    if (this.x > 0) this.y += CHART.height;
    this.x = 0;
  }
}

/** What the dashboard needs besides the resolved monitoring: references known only at apply. */
export interface DashboardRefs {
  readonly region: string;
  /** ARNs of every alarm pipeform created or notifies through, for the status widget. */
  readonly alarmArns: readonly string[];
  readonly emrClusterId?: string;
  readonly emrApplicationId?: string;
}

function monitorCharts(layout: Layout, m: ResolvedModelMonitor, kpiMetrics: readonly string[]): void {
  const d = m.dataQuality;
  if (d?.drift) {
    layout.chart(
      'Feature drift against the baseline',
      d.drift.features.map((f) => [
        DATA_METRICS_NAMESPACE,
        `feature_baseline_drift_${f}`,
        'Endpoint',
        m.endpointName,
        'MonitoringSchedule',
        d.scheduleName,
        { label: f },
      ]),
      'Maximum',
      d.periodSeconds,
    );
  }
  const q = m.modelQuality;
  if (q && kpiMetrics.length > 0) {
    layout.chart(
      'Model quality (KPI metrics)',
      kpiMetrics.map((metric) => [
        'aws/sagemaker/Endpoints/model-metrics',
        metric,
        'Endpoint',
        m.endpointName,
        'MonitoringSchedule',
        q.scheduleName,
        { label: metric },
      ]),
      'Average',
      q.periodSeconds,
    );
  }
}

/**
 * The dashboard body: alarm status first, then one section per component that exists
 * (endpoints with their monitors, the training pipeline, Glue, EMR, Lambda, Step Functions,
 * EKS), each built from the resolved names, so the same spec gives the same bytes.
 */
export function dashboardBody(m: ResolvedMonitoring, refs: DashboardRefs): DashboardBody {
  const d = m.dashboard;
  const layout = new Layout(refs.region);
  if (!d) return { widgets: [] };
  layout.alarms('Alarms', refs.alarmArns);

  for (const e of m.endpointAlarms) {
    layout.section(`## Endpoint ${e.endpoint}\n\`${e.endpointName}\` (${e.type})`);
    const perVariant = (namespace: string, metric: string) =>
      e.variants.map((v): MetricRow => [
        namespace,
        metric,
        'EndpointName',
        e.endpointName,
        'VariantName',
        v.name,
        { label: `${v.name} ${metric}` },
      ]);
    layout.chart('Invocations', perVariant('AWS/SageMaker', 'Invocations'), 'Sum', 60);
    layout.chart(
      'Errors',
      [
        ...perVariant('AWS/SageMaker', 'Invocation5XXErrors'),
        ...perVariant('AWS/SageMaker', 'Invocation4XXErrors'),
        ...perVariant('AWS/SageMaker', 'InvocationModelErrors'),
      ],
      'Sum',
      60,
    );
    layout.chart(
      'Latency p99 (microseconds)',
      [...perVariant('AWS/SageMaker', 'ModelLatency'), ...perVariant('AWS/SageMaker', 'OverheadLatency')],
      'p99',
      60,
    );
    if (e.type !== 'serverless') {
      const gpu = e.variants.some((v) => v.gpus > 0);
      layout.chart(
        'Utilization (percent, 100 per vCPU or GPU)',
        [
          ...perVariant('/aws/sagemaker/Endpoints', 'CPUUtilization'),
          ...perVariant('/aws/sagemaker/Endpoints', 'MemoryUtilization'),
          ...perVariant('/aws/sagemaker/Endpoints', 'DiskUtilization'),
          ...(gpu
            ? [
                ...perVariant('/aws/sagemaker/Endpoints', 'GPUUtilization'),
                ...perVariant('/aws/sagemaker/Endpoints', 'GPUMemoryUtilization'),
              ]
            : []),
        ],
        'Average',
      );
    }
    if (e.type === 'async') {
      layout.chart(
        'Queued requests',
        [['AWS/SageMaker', 'ApproximateBacklogSize', 'EndpointName', e.endpointName]],
        'Maximum',
      );
    }
    const monitor = m.monitors.find((x) => x.endpoint === e.endpoint);
    if (monitor) {
      const kpiMetrics = [
        ...new Set(
          (m.retraining?.kpiAlarms ?? []).filter((k) => k.endpoint === e.endpoint).map((k) => k.metricName),
        ),
      ].sort();
      monitorCharts(layout, monitor, kpiMetrics);
    }
  }

  const custom = (m.retraining?.kpiAlarms ?? []).filter((k) => k.endpoint === undefined);
  if (custom.length > 0) {
    layout.section('## KPIs (custom metrics)');
    for (const k of custom) {
      const dims = Object.entries(k.dimensions).flat();
      layout.chart(
        `KPI ${k.kpi} (goal ${k.threshold})`,
        [[k.namespace, k.metricName, ...dims]],
        k.statistic,
        k.periodSeconds,
      );
    }
  }

  if (d.trainingPipelineName) {
    const p = d.trainingPipelineName;
    layout.section(`## Training pipeline\n\`${p}\``);
    const row = (metric: string): MetricRow => [
      PIPELINE_METRICS_NAMESPACE,
      metric,
      'PipelineName',
      p,
      { label: metric },
    ];
    layout.chart(
      'Executions',
      ['ExecutionStarted', 'ExecutionSucceeded', 'ExecutionFailed', 'ExecutionStopped'].map(row),
      'Sum',
      3600,
    );
    layout.chart('Execution duration (ms)', [row('ExecutionDuration')], 'Maximum', 3600);
  }

  if (d.glueJobNames.length > 0) {
    layout.section('## Glue jobs');
    const rows = (metric: string, type: string) =>
      d.glueJobNames.map((j): MetricRow => [
        'Glue',
        metric,
        'JobName',
        j,
        'JobRunId',
        'ALL',
        'Type',
        type,
        { label: j },
      ]);
    layout.chart('Completed tasks', rows('glue.driver.aggregate.numCompletedTasks', 'count'), 'Sum');
    layout.chart('Failed tasks', rows('glue.driver.aggregate.numFailedTasks', 'count'), 'Sum');
    layout.chart('Elapsed time (ms)', rows('glue.driver.aggregate.elapsedTime', 'count'), 'Maximum');
  }

  if (d.emr?.mode === 'cluster' && refs.emrClusterId) {
    layout.section(`## EMR cluster\n\`${d.emr.name}\``);
    const row = (metric: string): MetricRow => [
      'AWS/ElasticMapReduce',
      metric,
      'JobFlowId',
      refs.emrClusterId ?? '',
      { label: metric },
    ];
    layout.chart('Applications', ['AppsRunning', 'AppsPending', 'AppsFailed'].map(row), 'Maximum');
    layout.chart('Idle', [row('IsIdle')], 'Maximum');
    layout.chart('YARN memory available (percent)', [row('YARNMemoryAvailablePercentage')], 'Average');
  }
  if (d.emr?.mode === 'serverless' && refs.emrApplicationId) {
    layout.section(`## EMR Serverless application\n\`${d.emr.name}\``);
    const row = (metric: string): MetricRow => [
      'AWS/EMRServerless',
      metric,
      'ApplicationId',
      refs.emrApplicationId ?? '',
      { label: metric },
    ];
    layout.chart('Job runs', ['RunningJobs', 'SuccessJobs', 'FailedJobs'].map(row), 'Sum');
    layout.chart('Allocated capacity', ['CPUAllocated', 'MemoryAllocated'].map(row), 'Maximum');
  }

  if (d.functions.length > 0) {
    layout.section('## Lambda functions');
    const rows = (metric: string) =>
      d.functions.map((f): MetricRow => [
        'AWS/Lambda',
        metric,
        'FunctionName',
        f.functionName,
        { label: f.functionName },
      ]);
    layout.chart('Invocations', rows('Invocations'), 'Sum');
    layout.chart('Errors and throttles', [...rows('Errors'), ...rows('Throttles')], 'Sum');
    layout.chart('Duration p99 (ms)', rows('Duration'), 'p99');
    const dlq = d.functions.flatMap((f): MetricRow[] =>
      f.deadLetterQueueName
        ? [
            [
              'AWS/SQS',
              'ApproximateNumberOfMessagesVisible',
              'QueueName',
              f.deadLetterQueueName,
              { label: f.deadLetterQueueName },
            ],
          ]
        : [],
    );
    layout.chart('Dead letters', dlq, 'Maximum');
  }

  if (d.workflow) {
    const w = d.workflow;
    layout.section(`## Step Functions workflow\n\`${w.stateMachineName}\``);
    const row = (metric: string): MetricRow => [
      'AWS/States',
      metric,
      'StateMachineArn',
      w.stateMachineArn,
      { label: metric },
    ];
    layout.chart(
      'Executions',
      [
        'ExecutionsStarted',
        'ExecutionsSucceeded',
        'ExecutionsFailed',
        'ExecutionsTimedOut',
        'ExecutionsAborted',
      ].map(row),
      'Sum',
    );
    layout.chart('Execution time (ms)', [row('ExecutionTime')], 'Maximum');
  }

  if (d.eksClusterName) {
    const c = d.eksClusterName;
    layout.section(`## EKS training cluster\n\`${c}\` (pod and GPU metrics: the Prometheus workspace)`);
    const row = (metric: string): MetricRow => ['AWS/EKS', metric, 'ClusterName', c, { label: metric }];
    layout.chart('Pending pods (waiting for capacity)', [row('scheduler_pending_pods')], 'Maximum');
    layout.chart(
      'API server errors',
      [row('apiserver_request_total_5XX'), row('apiserver_request_total_429')],
      'Sum',
    );
  }
  return { widgets: layout.widgets };
}
