import { monitoringRules } from '../src/compiler/rules/monitoring';
import { testRuleCases, type RuleCase } from './harness/rules';
import { compileText, diagnosticsOf } from './harness/spec';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
const GOALS =
  'goals:\n  kpis:\n    - {name: auc, metric: binary_classification_metrics.auc.value, threshold: 0.9, direction: higher-is-better}\n';
const NET = 'network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, us-east-1b]\n';
/** Five lines, as one flow mapping: the code location shares a line so later positions stay put. */
const TRAINING =
  "training: {algorithm: xgboost,\n  hyperparameters: {num_round: 100},\n  data: {bucket: curated, prefix: d/},\n  evaluation: {script: evaluate.py},\n  code: {s3: 's3://acme-ml-code/demo/'}}\n";
/** Lines 1-15 (an endpoint of one line); the training section (5 lines) and monitoring follow. */
const BASE = (endpoint = '      model: {registry: {version: 3}}\n') =>
  `${HEAD}${GOALS}${NET}serving:\n  endpoints:\n    - name: scorer\n${endpoint}`;
const QUALITY =
  'modelQuality: {problemType: binary-classification, groundTruth: {bucket: curated, prefix: gt/}}';
/** The base spec, then `extra`, training and monitoring (line 16 without training, 21 with it). */
const spec = (monitoring: string, opts: { training?: boolean; endpoint?: string; extra?: string } = {}) =>
  `${BASE(opts.endpoint)}${opts.extra ?? ''}${opts.training ? TRAINING : ''}monitoring:\n${monitoring}`;

/** A bias monitor on line 19 (column 13 is `{`). */
const BIAS = (fields: string) =>
  `  endpoints:\n    - name: scorer\n      bias: {groundTruth: {bucket: curated, prefix: gt/}${fields}}\n`;

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
const cases: RuleCase[] = [
  [
    'monitoring/bias-attributes',
    spec(BIAS(', probabilityThreshold: 0.6')),
    19,
    59,
    'probabilityThreshold applies to probabilityAttribute, which is not set',
    spec(BIAS(", probabilityAttribute: '0', probabilityThreshold: 0.6")),
  ],
  [
    'monitoring/unique-names',
    spec('  endpoints:\n    - name: scorer\n    - name: scorer\n'),
    19,
    13,
    'endpoint "scorer" is already monitored by monitoring.endpoints[0]',
    spec('  endpoints:\n    - name: scorer\n'),
  ],
  [
    'monitoring/endpoint-reference',
    spec('  endpoints:\n    - name: scorr\n'),
    18,
    13,
    '"scorr" is not an endpoint of serving.endpoints; did you mean "scorer"?',
    spec('  endpoints:\n    - name: scorer\n'),
  ],
  [
    'monitoring/endpoint-type',
    spec('  endpoints:\n    - name: scorer\n', {
      endpoint:
        '      type: multi-model\n      model: {artifact: {key: m/}, image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1}\n',
    }),
    19,
    13,
    'endpoint "scorer" is multi-model; Model Monitor supports only realtime and async endpoints',
    spec('  dashboard: true\n', {
      endpoint:
        '      type: multi-model\n      model: {artifact: {key: m/}, image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1}\n',
    }),
  ],
  [
    'monitoring/data-capture',
    spec('  endpoints:\n    - name: scorer\n', {
      endpoint: '      model: {registry: {version: 3}}\n      dataCapture: {enabled: false}\n',
    }),
    16,
    30,
    'endpoint "scorer" is monitored (monitoring.endpoints[0]) but does not capture data',
    spec('  endpoints:\n    - name: scorer\n', {
      endpoint: '      model: {registry: {version: 3}}\n      dataCapture: {enabled: true}\n',
    }),
  ],
  [
    'monitoring/bucket-reference',
    spec('  endpoints:\n    - name: scorer\n      dataQuality: {baseline: {bucket: modles}}\n'),
    19,
    40,
    '"modles" is not a bucket of the data lake; did you mean "models"?',
    spec('  endpoints:\n    - name: scorer\n      dataQuality: {baseline: {bucket: models}}\n'),
  ],
  [
    'monitoring/instance-type',
    spec('  endpoints:\n    - name: scorer\n      instanceType: ml.m5.xlarg\n'),
    19,
    21,
    '"ml.m5.xlarg" is not a SageMaker processing instance type; did you mean "ml.m5.xlarge"?',
    spec('  endpoints:\n    - name: scorer\n      instanceType: ml.m5.large\n'),
  ],
  [
    'monitoring/schedule-runtime',
    spec('  endpoints:\n    - name: scorer\n      maxRuntimeMinutes: 90\n'),
    19,
    26,
    'jobs of an hourly schedule run at most 60 minutes, but maxRuntimeMinutes is 90',
    spec(
      '  endpoints:\n    - name: scorer\n      maxRuntimeMinutes: 90\n      dataQuality: {schedule: daily}\n',
    ),
  ],
  [
    'monitoring/model-quality-attributes',
    spec(
      '  endpoints:\n    - name: scorer\n      modelQuality:\n        problemType: regression\n        groundTruth: {bucket: curated}\n        probabilityThreshold: 0.4\n',
    ),
    22,
    9,
    'probabilityThreshold applies to binary classification, but the problem type is regression',
    spec(
      '  endpoints:\n    - name: scorer\n      modelQuality:\n        problemType: regression\n        groundTruth: {bucket: curated}\n        inferenceAttribute: "0"\n',
    ),
  ],
  [
    'monitoring/retraining-needs-training',
    spec(`  endpoints:\n    - name: scorer\n      ${QUALITY}\n  retraining: {}\n`),
    20,
    3,
    'retraining starts the training pipeline, but the spec has no training pipeline',
    spec(`  endpoints:\n    - name: scorer\n      ${QUALITY}\n  retraining: {}\n`, { training: true }),
  ],
  [
    'monitoring/retraining-kpis',
    spec(`  endpoints:\n    - name: scorer\n      ${QUALITY}\n  retraining:\n    kpis: [{kpi: aucc}]\n`, {
      training: true,
    }),
    26,
    18,
    '"aucc" is not a KPI of goals.kpis; did you mean "auc"?',
    spec(`  endpoints:\n    - name: scorer\n      ${QUALITY}\n  retraining:\n    kpis: [{kpi: auc}]\n`, {
      training: true,
    }),
  ],
  [
    'monitoring/retraining-evidence',
    spec('  endpoints:\n    - name: scorer\n  retraining: {}\n', { training: true }),
    24,
    3,
    'retraining has no evidence to start on',
    spec(
      '  endpoints:\n    - name: scorer\n      dataQuality: {driftFeatures: [amount]}\n  retraining: {}\n',
      {
        training: true,
      },
    ),
  ],
  [
    'monitoring/retraining-parameters',
    spec(
      `  endpoints:\n    - name: scorer\n      ${QUALITY}\n  retraining:\n    parameters: {InstanceTyp: ml.m5.4xlarge}\n`,
      { training: true },
    ),
    26,
    18,
    '"InstanceTyp" is not a parameter of the training pipeline; did you mean "InstanceType"?',
    spec(
      `  endpoints:\n    - name: scorer\n      ${QUALITY}\n  retraining:\n    parameters: {InstanceType: ml.m5.4xlarge}\n`,
      { training: true },
    ),
  ],
  [
    'monitoring/alarm-window',
    spec(`  endpoints:\n    - name: scorer\n      ${QUALITY}\n  retraining:\n    evaluationPeriods: 3\n`, {
      training: true,
    }),
    26,
    24,
    'KPI alarms would evaluate 72 hours of data (3 periods of 24 hours); CloudWatch allows 24',
    spec(
      '  endpoints:\n    - name: scorer\n      modelQuality: {problemType: binary-classification, groundTruth: {bucket: curated}, schedule: hourly}\n  retraining:\n    evaluationPeriods: 3\n',
      { training: true },
    ),
  ],
  [
    'monitoring/grafana-network',
    spec('  grafana: true\n  prometheus: true\n'),
    17,
    12,
    'Grafana in the VPC queries Prometheus, which has no VPC endpoint here, but the subnets have no NAT',
    // Without Prometheus, the derived monitoring endpoint is all Grafana needs.
    spec('  grafana: true\n'),
  ],
];

describe('monitoring rules', () => {
  testRuleCases(cases);

  test('every monitoring rule has a case here', () => {
    expect(monitoringRules.map((r) => r.id).sort()).toEqual(cases.map(([rule]) => rule).sort());
  });
});

describe('GIVEN retraining KPIs that do not resolve', () => {
  const withQuality = (kpis: string, endpoints = `    - name: scorer\n      ${QUALITY}\n`) =>
    spec(`  endpoints:\n${endpoints}  retraining:\n    kpis: ${kpis}\n`, { training: true });

  test('THEN a custom metric with an endpoint is refused at the endpoint key', () => {
    const ds = diagnosticsOf(
      withQuality('[{kpi: auc, endpoint: scorer, custom: {namespace: Checkout, name: Fraud}}]'),
    );
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ rule: 'monitoring/retraining-kpis', line: 26, col: 23 });
    expect(ds[0].message).toBe('endpoint selects a model-quality metric, but the KPI uses a custom metric');
  });

  test('THEN two model-quality endpoints need the KPI to name one', () => {
    const ds = diagnosticsOf(
      withQuality(
        '[{kpi: auc}]',
        `    - name: scorer\n      ${QUALITY}\n    - name: other\n      ${QUALITY}\n`,
      ).replace(
        '    - name: scorer\n      model',
        '    - name: other\n      model: {registry: {version: 3}}\n    - name: scorer\n      model',
      ),
    );
    expect(ds.map((d) => d.message)).toEqual([
      'KPI "auc": more than one endpoint has modelQuality (other and scorer)',
    ]);
  });

  test('THEN a regression monitor cannot measure a binary-classification KPI', () => {
    const ds = diagnosticsOf(
      withQuality(
        '[{kpi: auc}]',
        '    - name: scorer\n      modelQuality: {problemType: regression, groundTruth: {bucket: curated}}\n',
      ),
    );
    expect(ds.map((d) => d.message)).toEqual([
      'KPI "auc" is a binary-classification metric, but endpoint "scorer" monitors regression',
    ]);
  });

  test('THEN a KPI path that names no model-quality metric needs metric', () => {
    const text = withQuality('[{kpi: auc}]').replace('binary_classification_metrics.auc.value', 'eval.auc');
    expect(diagnosticsOf(text).map((d) => d.message)).toEqual([
      'KPI "auc": its metric path "eval.auc" names no model-quality metric',
    ]);
    expect(() => compileText(text.replace('[{kpi: auc}]', '[{kpi: auc, metric: auc}]'))).not.toThrow();
  });
});

describe('GIVEN a monitored endpoint that captures only responses', () => {
  test('THEN data quality (which reads requests) is refused at the capture setting', () => {
    const ds = diagnosticsOf(
      spec('  endpoints:\n    - name: scorer\n', {
        endpoint: '      model: {registry: {version: 3}}\n      dataCapture: {capture: output}\n',
      }),
    );
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ rule: 'monitoring/data-capture', line: 16, col: 30 });
    expect(ds[0].message).toBe(
      'endpoint "scorer" captures only responses, but its monitor needs requests (data quality)',
    );
  });
});

describe('GIVEN names that make one alarm name twice', () => {
  test('THEN KPI "cpu" of endpoint "scorer" and the CPU alarm of endpoint "scorer-kpi" collide, and that is refused', () => {
    const text = spec(`  endpoints:\n    - name: scorer\n      ${QUALITY}\n  retraining: {}\n`, {
      training: true,
    })
      .replace('name: auc,', 'name: cpu,')
      .replace(
        '    - name: scorer\n      model',
        '    - name: scorer-kpi\n      model: {registry: {version: 3}}\n    - name: scorer\n      model',
      );
    const ds = diagnosticsOf(text);
    expect(ds.map((d) => [d.rule, d.line, d.col, d.message])).toEqual([
      [
        'monitoring/unique-names',
        27,
        3,
        'the alarm name "demo-scorer-kpi-cpu" would be generated for both endpoint "scorer-kpi" and KPI "cpu"',
      ],
    ]);
  });
});

describe('GIVEN Grafana in a one-zone VPC', () => {
  test('THEN it needs a second availability zone', () => {
    const ds = diagnosticsOf(spec('  grafana: true\n').replace('[us-east-1a, us-east-1b]', '[us-east-1a]'));
    expect(ds.map((d) => [d.rule, d.line, d.col])).toEqual([['monitoring/grafana-network', 11, 24]]);
  });
});

describe('check rules: bias monitoring', () => {
  testRuleCases([
    [
      'monitoring/data-capture',
      spec(BIAS(''), {
        endpoint: '      model: {registry: {version: 3}}\n      dataCapture: {capture: input}\n',
      }),
      16,
      30,
      'endpoint "scorer" captures only requests, but its monitor needs responses (bias)',
      spec(BIAS(''), {
        endpoint: '      model: {registry: {version: 3}}\n      dataCapture: {capture: input-and-output}\n',
      }),
    ],
    [
      'monitoring/bucket-reference',
      spec(BIAS('').replace('bucket: curated', 'bucket: curate')),
      19,
      36,
      '"curate"',
      spec(BIAS('')),
    ],
    [
      'monitoring/schedule-runtime',
      spec(
        BIAS(', schedule: hourly').replace(
          '    - name: scorer\n',
          '    - name: scorer\n      maxRuntimeMinutes: 90\n      dataQuality: {enabled: false}\n',
        ),
      ),
      19,
      26,
      'jobs of an hourly schedule run at most 60 minutes, but maxRuntimeMinutes is 90',
      spec(
        BIAS(', schedule: daily').replace(
          '    - name: scorer\n',
          '    - name: scorer\n      maxRuntimeMinutes: 90\n      dataQuality: {enabled: false}\n',
        ),
      ),
    ],
  ]);

  test('the bias monitor resolves with its defaults: daily, the default baseline prefix, label column 0', () => {
    const bias = compileText(spec(BIAS(''))).monitoring?.monitors[0].bias;
    expect(bias).toMatchObject({
      scheduleName: 'demo-scorer-model-bias',
      scheduleExpression: 'cron(0 0 ? * * *)',
      baseline: {
        bucketName: 'demo-123456789012-us-east-1-models',
        prefix: 'demo/monitoring/scorer/baseline/bias/',
      },
      inferenceAttribute: '0',
      startTimeOffset: '-PT25H',
      endTimeOffset: '-PT1H',
    });
    expect(bias?.probabilityAttribute).toBeUndefined();
  });
});
