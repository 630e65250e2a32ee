import {
  instanceCapacity,
  kpiSources,
  modelQualityMetricOf,
  MONITOR_SCHEDULES,
} from '../src/compiler/normalize/monitoring';
import type { ResolvedMonitoring } from '../src/model/monitoring';
import { compileData, MINIMAL } from './harness/spec';

const NETWORK = { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } };
const KPIS = {
  kpis: [
    {
      name: 'auc',
      metric: 'binary_classification_metrics.auc.value',
      threshold: 0.9,
      direction: 'higher-is-better',
    },
    {
      name: 'log-loss',
      metric: 'binary_classification_metrics.log_loss.value',
      threshold: 0.3,
      direction: 'lower-is-better',
    },
    { name: 'latency', metric: 'serving.latency', threshold: 50, direction: 'lower-is-better' },
  ],
};
const TRAINING = {
  algorithm: 'xgboost',
  hyperparameters: { num_round: 100 },
  data: { bucket: 'curated', prefix: 'd/' },
  code: { s3: 's3://acme-ml-code/demo/' },
  evaluation: { script: 'evaluate.py' },
};
const SCORER = {
  name: 'scorer',
  variants: [
    { name: 'champion', model: { registry: { version: 3 } }, instanceType: 'ml.c6i.xlarge' },
    { name: 'gpu', model: { registry: { version: 3 } }, instanceType: 'ml.g5.12xlarge' },
  ],
};
const QUALITY = { problemType: 'binary-classification', groundTruth: { bucket: 'curated', prefix: 'gt/' } };

function resolve(monitoring: object, extra: object = {}): ResolvedMonitoring {
  const spec = compileData({
    ...MINIMAL,
    network: NETWORK,
    goals: KPIS,
    serving: { endpoints: [SCORER] },
    ...extra,
    monitoring,
  });
  if (spec.monitoring === undefined) throw new Error('no monitoring in the resolved spec');
  return spec.monitoring;
}

describe('normalizeMonitoring', () => {
  test('GIVEN no monitoring section THEN nothing is resolved', () => {
    expect(compileData(MINIMAL).monitoring).toBeUndefined();
  });

  describe('GIVEN an empty monitoring section', () => {
    const m = resolve({});

    test('THEN the alerts topic is <pipeline>-alerts without subscriptions, and the dashboard is on', () => {
      expect(m.notifications).toEqual({ topicName: 'demo-alerts', emails: [], https: [] });
      expect(m.dashboard).toMatchObject({ name: 'demo', glueJobNames: [], functions: [] });
      expect(m.monitors).toEqual([]);
      expect(m.prometheus).toBeUndefined();
      expect(m.grafana).toBeUndefined();
      expect(m.retraining).toBeUndefined();
    });

    test('THEN the endpoint reuses its rollback alarms and gets model-error and saturation alarms with defaults', () => {
      expect(m.endpointAlarms).toEqual([
        {
          endpoint: 'scorer',
          endpointName: 'demo-scorer',
          type: 'realtime',
          variants: [
            { name: 'champion', vcpus: 4, gpus: 0 },
            { name: 'gpu', vcpus: 48, gpus: 4 },
          ],
          rollbackAlarmNames: [
            'demo-scorer-client-errors',
            'demo-scorer-model-latency-p99',
            'demo-scorer-server-errors',
          ],
          modelErrors: { alarmName: 'demo-scorer-modelerrors', threshold: 5 },
          utilization: {
            periodSeconds: 300,
            evaluationPeriods: 3,
            cpu: { alarmName: 'demo-scorer-cpu', threshold: 85 },
            memory: { alarmName: 'demo-scorer-memory', threshold: 90 },
            disk: { alarmName: 'demo-scorer-disk', threshold: 85 },
            gpu: { alarmName: 'demo-scorer-gpu', threshold: 90 },
            gpuMemory: { alarmName: 'demo-scorer-gpumemory', threshold: 90 },
          },
        },
      ]);
    });

    test('THEN failures are watched (here: nothing but the endpoint exists)', () => {
      expect(m.failures).toEqual({ functions: [] });
    });
  });

  test('GIVEN an endpoint without auto-rollback THEN monitoring makes its own error and latency alarms from its thresholds', () => {
    const m = resolve(
      { alarms: { endpoints: { maxServerErrorsPerMinute: 1, maxLatencyP99Ms: 200, utilization: false } } },
      {
        serving: {
          endpoints: [{ ...SCORER, deployment: { autoRollback: { enabled: false } } }],
        },
      },
    );
    expect(m.endpointAlarms[0].rollbackAlarmNames).toBeUndefined();
    expect(m.endpointAlarms[0].errors).toEqual({
      serverErrors: { alarmName: 'demo-scorer-5xx', threshold: 1 },
      clientErrors: { alarmName: 'demo-scorer-4xx', threshold: 50 },
      latencyP99Ms: { alarmName: 'demo-scorer-latency', threshold: 200 },
    });
    expect(m.endpointAlarms[0].utilization).toBeUndefined();
  });

  describe('GIVEN a monitored endpoint with data and model quality', () => {
    const m = resolve({
      endpoints: [
        { name: 'scorer', dataQuality: { driftFeatures: ['amount', 'country'] }, modelQuality: QUALITY },
      ],
    });
    const monitor = m.monitors[0];

    test('THEN jobs default to one ml.m5.xlarge for at most an hour, under the role monitoring-<endpoint>', () => {
      expect(monitor).toMatchObject({
        endpoint: 'scorer',
        endpointName: 'demo-scorer',
        roleComponent: 'monitoring-scorer',
        instanceType: 'ml.m5.xlarge',
        instanceCount: 1,
        volumeSizeGb: 20,
        maxRuntimeSeconds: 3600,
        capture: { bucketName: 'demo-123456789012-us-east-1-models', prefix: 'demo/data-capture/scorer/' },
      });
    });

    test('THEN data quality runs hourly against the baseline under the monitoring prefix, with a drift alarm', () => {
      expect(monitor.dataQuality).toEqual({
        scheduleName: 'demo-scorer-data-quality',
        scheduleExpression: 'cron(0 * ? * * *)',
        periodSeconds: 3600,
        baseline: {
          bucketName: 'demo-123456789012-us-east-1-models',
          prefix: 'demo/monitoring/scorer/baseline/data-quality/',
        },
        reports: {
          bucketName: 'demo-123456789012-us-east-1-models',
          prefix: 'demo/monitoring/scorer/reports/data-quality/',
        },
        drift: { alarmName: 'demo-scorer-drift', features: ['amount', 'country'], maxDrift: 0.1 },
      });
    });

    test('THEN model quality runs daily over the day before the last hour, reading a probability at 0.5', () => {
      expect(monitor.modelQuality).toEqual({
        scheduleName: 'demo-scorer-model-quality',
        stackName: 'demo-scorer-model-quality',
        scheduleExpression: 'cron(0 0 ? * * *)',
        periodSeconds: 86400,
        problemType: 'BinaryClassification',
        specProblemType: 'binary-classification',
        groundTruth: { bucketName: 'demo-123456789012-us-east-1-curated', prefix: 'gt/' },
        reports: {
          bucketName: 'demo-123456789012-us-east-1-models',
          prefix: 'demo/monitoring/scorer/reports/model-quality/',
        },
        probabilityAttribute: '0',
        probabilityThreshold: 0.5,
        startTimeOffset: '-PT25H',
        endTimeOffset: '-PT1H',
      });
    });
  });

  test('GIVEN a regression monitor THEN it reads a label (inference attribute), not a probability', () => {
    const m = resolve({
      endpoints: [
        { name: 'scorer', modelQuality: { problemType: 'regression', groundTruth: { bucket: 'curated' } } },
      ],
    });
    expect(m.monitors[0].modelQuality).toMatchObject({ problemType: 'Regression', inferenceAttribute: '0' });
    expect(m.monitors[0].modelQuality?.probabilityAttribute).toBeUndefined();
  });

  describe('GIVEN retraining without a KPI list', () => {
    const m = resolve(
      {
        endpoints: [{ name: 'scorer', dataQuality: { driftFeatures: ['amount'] }, modelQuality: QUALITY }],
        retraining: { parameters: { TrainingDataPrefix: 's3://b/p/', InstanceType: 'ml.m5.4xlarge' } },
      },
      { training: TRAINING },
    );
    const r = m.retraining;

    test('THEN every KPI with a model-quality path is watched on the wrong side of its threshold', () => {
      expect(r?.kpiAlarms).toEqual([
        {
          kpi: 'auc',
          alarmName: 'demo-scorer-kpi-auc',
          threshold: 0.9,
          comparison: 'LessThanThreshold',
          namespace: 'aws/sagemaker/Endpoints/model-metrics',
          metricName: 'auc',
          dimensions: { Endpoint: 'demo-scorer', MonitoringSchedule: 'demo-scorer-model-quality' },
          statistic: 'Average',
          periodSeconds: 86400,
          evaluationPeriods: 1,
          endpoint: 'scorer',
        },
        {
          kpi: 'log-loss',
          alarmName: 'demo-scorer-kpi-log-loss',
          threshold: 0.3,
          comparison: 'GreaterThanThreshold',
          namespace: 'aws/sagemaker/Endpoints/model-metrics',
          metricName: 'log_loss',
          dimensions: { Endpoint: 'demo-scorer', MonitoringSchedule: 'demo-scorer-model-quality' },
          statistic: 'Average',
          periodSeconds: 86400,
          evaluationPeriods: 1,
          endpoint: 'scorer',
        },
      ]);
    });

    test('THEN the drift alarm is evidence, the cooldown is a day, and the target is <pipeline>-training', () => {
      expect(r).toMatchObject({
        pipelineName: 'demo-training',
        pipelineArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/demo-training',
        roleComponent: 'retraining',
        ruleName: 'demo-retraining',
        compositeAlarmName: 'demo-retraining',
        compositeAlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:demo-retraining',
        driftAlarmNames: ['demo-scorer-drift'],
        cooldown: { alarmName: 'demo-retraining-cooldown', hours: 24 },
        parameters: [
          { name: 'InstanceType', value: 'ml.m5.4xlarge' },
          { name: 'TrainingDataPrefix', value: 's3://b/p/' },
        ],
      });
    });

    test('THEN failures watch the training pipeline', () => {
      expect(m.failures?.training).toEqual({
        pipelineName: 'demo-training',
        pipelineArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/demo-training',
        ruleName: 'demo-training-failures',
      });
    });
  });

  test('GIVEN a KPI with a custom metric THEN its alarm watches that metric with the KPI threshold', () => {
    const m = resolve(
      {
        endpoints: [{ name: 'scorer', dataQuality: { driftFeatures: ['amount'] } }],
        retraining: {
          onDrift: false,
          kpis: [
            {
              kpi: 'latency',
              custom: {
                namespace: 'Checkout',
                name: 'ScoreLatency',
                dimensions: { Service: 'api', App: 'shop' },
              },
            },
          ],
        },
      },
      { training: TRAINING },
    );
    expect(m.retraining?.driftAlarmNames).toEqual([]);
    expect(m.retraining?.kpiAlarms).toEqual([
      {
        kpi: 'latency',
        alarmName: 'demo-kpi-latency',
        threshold: 50,
        comparison: 'GreaterThanThreshold',
        namespace: 'Checkout',
        metricName: 'ScoreLatency',
        dimensions: { App: 'shop', Service: 'api' },
        statistic: 'Average',
        periodSeconds: 3600,
        evaluationPeriods: 1,
      },
    ]);
  });

  test('GIVEN prometheus and grafana with an EKS cluster THEN the scraper targets it and grafana reads both sources', () => {
    const m = resolve(
      { prometheus: true, grafana: true },
      {
        network: { vpc: { ...NETWORK.vpc, publicSubnets: true, natGateways: 'single' } },
        training: {
          eks: {
            version: '1.32',
            admins: ['arn:aws:iam::123456789012:role/admin'],
            nodeGroups: [
              {
                name: 'system',
                instanceTypes: ['m7i.large', 'm6i.large'],
                scaling: { minSize: 1, maxSize: 2 },
              },
            ],
          },
        },
      },
    );
    expect(m.prometheus).toEqual({
      alias: 'demo',
      logGroupName: '/aws/vendedlogs/prometheus/demo',
      scraper: { alias: 'demo-training', clusterName: 'demo-training' },
    });
    expect(m.grafana).toEqual({
      name: 'demo',
      version: '10.4',
      roleComponent: 'grafana',
      dataSources: ['CLOUDWATCH', 'PROMETHEUS'],
      inVpc: true,
    });
    expect(m.dashboard?.eksClusterName).toBe('demo-training');
  });

  test('GIVEN long names THEN schedule names are cut to 63 characters with a stable hash', () => {
    const m = resolve(
      { endpoints: [{ name: 'a-very-long-endpoint-name-scor' }] },
      {
        name: 'a-very-long-pipeline-nam',
        storage: { bucketPrefix: 'short' },
        serving: {
          endpoints: [{ name: 'a-very-long-endpoint-name-scor', model: { registry: { version: 1 } } }],
        },
      },
    );
    const name = m.monitors[0].dataQuality?.scheduleName ?? '';
    expect(name).toHaveLength(63);
    expect(name).toMatch(/^a-very-long-pipeline-nam-a-very-long-endpoint-name-sco-[0-9a-f]{8}$/);
  });

  test('THEN the same spec resolves to the same model, twice', () => {
    const spec = {
      endpoints: [{ name: 'scorer', dataQuality: { driftFeatures: ['b', 'a'] }, modelQuality: QUALITY }],
    };
    expect(JSON.stringify(resolve(spec))).toBe(JSON.stringify(resolve(spec)));
  });
});

describe('helpers', () => {
  test('modelQualityMetricOf reads Model Monitor metric names from evaluation-report paths', () => {
    expect(modelQualityMetricOf('binary_classification_metrics.recall.value')).toEqual({
      problemType: 'binary-classification',
      metric: 'recall',
    });
    expect(modelQualityMetricOf('regression_metrics.rmse.value')).toEqual({
      problemType: 'regression',
      metric: 'rmse',
    });
    expect(modelQualityMetricOf('metrics.auc')).toBeUndefined();
    expect(modelQualityMetricOf('ranking_metrics.ndcg.value')).toBeUndefined();
  });

  test('instanceCapacity counts vCPUs from the size and NVIDIA GPUs per family', () => {
    expect(instanceCapacity('ml.m5.large')).toEqual({ vcpus: 2, gpus: 0 });
    expect(instanceCapacity('ml.c5.9xlarge')).toEqual({ vcpus: 36, gpus: 0 });
    expect(instanceCapacity('ml.g5.xlarge')).toEqual({ vcpus: 4, gpus: 1 });
    expect(instanceCapacity('ml.p4d.24xlarge')).toEqual({ vcpus: 96, gpus: 8 });
    expect(instanceCapacity('ml.inf2.xlarge')).toEqual({ vcpus: 4, gpus: 0 });
  });

  test('schedules are the two shapes Model Monitor accepts', () => {
    expect(MONITOR_SCHEDULES).toEqual({
      hourly: { expression: 'cron(0 * ? * * *)', seconds: 3600 },
      daily: { expression: 'cron(0 0 ? * * *)', seconds: 86400 },
    });
  });

  test('kpiSources is empty without retraining', () => {
    expect(kpiSources({ ...MINIMAL, monitoring: {} } as never)).toEqual([]);
  });
});
