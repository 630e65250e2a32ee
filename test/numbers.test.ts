import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { analyzeSpec } from '../src/compiler';
import {
  BUILTIN_HYPERPARAMETER_RANGES,
  describeRange,
  inRange,
  isRatioMetric,
  MAX_MAGNITUDE,
  metricName,
  numericValue,
} from '../src/compiler/ranges';
import { costReport, formatCostReport, PRICES } from '../src/cost';
import { estimateLines, pricingContext } from '../src/cost/estimate';
import { resolveUsage } from '../src/cost/usage';
import { pipelineSchema } from '../src/spec/schema';
import { testRuleCases, type RuleCase } from './harness/rules';
import { everySubschema, type Schema } from './harness/schema';
import { diagnosticsOf, examples, ROOT } from './harness/spec';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';

const isNumeric = (s: Schema) =>
  (Array.isArray(s.type) ? s.type : [s.type]).some((t) => t === 'number' || t === 'integer');
const hasLower = (s: Schema) => typeof s.minimum === 'number' || typeof s.exclusiveMinimum === 'number';
const hasUpper = (s: Schema) => typeof s.maximum === 'number' || typeof s.exclusiveMaximum === 'number';

describe('every numeric field has a real range', () => {
  const numeric = [...everySubschema(pipelineSchema)].filter(([, s]) => isNumeric(s));

  test('every number and integer in the schema has a minimum and a maximum', () => {
    const unbounded = numeric.filter(([, s]) => !(hasLower(s) && hasUpper(s))).map(([at]) => at);
    expect(unbounded).toEqual([]);
    expect(numeric.length).toBeGreaterThan(130);
  });

  test('no bound is so large that JavaScript would print it with an exponent', () => {
    const huge = numeric.filter(([, s]) =>
      [s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum].some(
        (b) => typeof b === 'number' && Math.abs(b) > MAX_MAGNITUDE,
      ),
    );
    expect(huge.map(([at]) => at)).toEqual([]);
  });
});

describe('.inf and .nan are "not a finite number", at their position', () => {
  test.each([
    [
      'a number',
      `${HEAD}usage:\n  dataVolumeGb: .inf\n`,
      6,
      17,
      '.inf is not a finite number',
      'from 0 to 100000000',
    ],
    [
      'an integer',
      `${HEAD}usage:\n  functionInvocationsPerMonth: -.inf\n`,
      6,
      32,
      '-.inf is not a finite number',
      'from 0',
    ],
    [
      'a KPI threshold',
      `${HEAD}goals:\n  kpis:\n    - {name: auc, metric: a.auc, threshold: .nan, direction: higher-is-better}\n`,
      7,
      45,
      '.nan is not a finite number',
      'from -1000000000000 to 1000000000000',
    ],
    [
      'a number in a union (a hyperparameter)',
      `${HEAD}training:\n  hyperparameters:\n    eta: .inf\n`,
      7,
      10,
      '.inf is not a finite number',
      'A hyperparameter value',
    ],
  ])('%s', (_what, text, line, col, message, hint) => {
    const ds = diagnosticsOf(text);
    expect(ds.map((d) => [d.line, d.col, d.message])).toEqual([[line, col, message]]);
    expect(ds[0].hint).toContain(hint);
  });

  test('in a text field it is a type error that shows the YAML spelling', () => {
    const ds = diagnosticsOf(`${HEAD}description: .inf\n`);
    expect(ds.map((d) => [d.message, d.hint?.slice(0, 24)])).toEqual([
      ['expected string, got number .inf', 'quote the value: ".inf" '],
    ]);
  });
});

describe('a failed union (anyOf) says what is wrong once', () => {
  test.each([
    [
      'no branch has the type',
      'eta: [1, 2]',
      'expected string or number or boolean, got a list',
      'A hyperparameter value',
    ],
    [
      'the number branch is out of range',
      'eta: 1e13',
      '10000000000000 must be <= 1000000000000',
      'A hyperparameter value',
    ],
    [
      'the string branch is too long',
      `eta: "${'x'.repeat(2501)}"`,
      'must NOT have more than 2500 characters',
      'A hyperparameter value',
    ],
  ])('%s', (_what, entry, message, hint) => {
    const ds = diagnosticsOf(`${HEAD}training:\n  hyperparameters:\n    ${entry}\n    ok: 1\n`);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ line: 7, col: 10, path: 'training.hyperparameters.eta' });
    expect(ds[0].message).toContain(message);
    expect(ds[0].hint).toContain(hint);
    expect(ds[0].message).not.toContain('anyOf');
  });

  test('two values failing the same union each get their own message', () => {
    const ds = diagnosticsOf(`${HEAD}training:\n  hyperparameters:\n    a: [1]\n    b: 1e13\n`);
    expect(ds.map((d) => d.path)).toEqual(['training.hyperparameters.a', 'training.hyperparameters.b']);
  });
});

describe('pipeform cost never prints NaN, Infinity or an exponent', () => {
  const usageProps = (pipelineSchema.definitions as Record<string, Schema>).usage.properties as Record<
    string,
    Schema
  >;
  const maximum = (s: Schema) => (typeof s.maximum === 'number' ? s.maximum : Number.MAX_VALUE);
  /** Every usage number at the largest value the schema allows. */
  const maxUsage = Object.fromEntries(
    Object.entries(usageProps)
      .filter(([, s]) => isNumeric(s))
      .map(([k, s]) => [k, maximum(s)]),
  );
  const bucketMax = maximum((usageProps.bucketGb as Schema).additionalProperties as Schema);

  test.each(examples().map((e) => [e.name, e.file]))(
    '%s with every usage figure at its maximum',
    (_n, file) => {
      const spec = parse(readFileSync(join(ROOT, file), 'utf8'));
      spec.usage = { ...maxUsage, bucketGb: { raw: bucketMax, models: bucketMax } };
      const analyzed = analyzeSpec(file, Buffer.from(stringify(spec)));
      const report = costReport(analyzed);
      for (const l of report.lines) if (l.usd !== undefined) expect(Number.isFinite(l.usd)).toBe(true);
      expect(Number.isFinite(report.total.asSpecified)).toBe(true);
      const text = formatCostReport(report);
      expect(text).not.toMatch(/NaN|Infinity|\de[+-]?\d/);
      expect(text.match(/\d[\d,.]*/g)!.every((n) => n.replace(/[,.]/g, '').length <= 25)).toBe(true);
    },
  );

  test('the cost model refuses a non-finite figure instead of printing it', () => {
    const analyzed = analyzeSpec('p.yaml', Buffer.from(HEAD));
    const usage = { ...resolveUsage(analyzed.spec), dataVolumeGb: Infinity };
    expect(() => estimateLines(pricingContext(analyzed.resolved, usage, PRICES))).toThrow(
      /not a finite amount/,
    );
    const nan = { ...resolveUsage(analyzed.spec), dataVolumeGb: Number.NaN };
    expect(() => estimateLines(pricingContext(analyzed.resolved, nan, PRICES))).toThrow(
      /not a finite amount/,
    );
  });

  test.each([
    ['dataVolumeGb', 100_000_000],
    ['functionDurationMs', 900_000],
    ['averageRequestDurationMs', 3_600_000],
    ['trainingHoursPerMonth', 74_400],
    ['emrHoursPerMonth', 744],
  ])('usage.%s is refused just above its maximum %d', (key, max) => {
    expect(() => analyzeSpec('p.yaml', Buffer.from(`${HEAD}usage:\n  ${key}: ${max}\n`))).not.toThrow();
    const ds = diagnosticsOf(`${HEAD}usage:\n  ${key}: ${max + 0.5}\n`);
    expect(ds.map((d) => d.message)).toEqual([`${max + 0.5} must be <= ${max}`]);
  });
});

describe('ranges: the table and its helpers', () => {
  test.each([
    ['binary_classification_metrics.auc.value', 'auc', true],
    ['validation:f1', 'f1', true],
    ['metrics.accuracy', 'accuracy', true],
    ['multiclass_classification_metrics.weighted_recall.value', 'weighted_recall', false],
    ['regression_metrics.mse.value', 'mse', false],
    ['regression_metrics.r2.value', 'r2', false],
    ['RECALL', 'recall', true],
  ])('%s names %s (ratio: %s)', (path, name, ratio) => {
    expect(metricName(path)).toBe(name);
    expect(isRatioMetric(path)).toBe(ratio);
  });

  test.each([
    [{ min: 0, max: 1 }, 0, true],
    [{ min: 0, max: 1 }, 1, true],
    [{ min: 0, max: 1 }, -0.001, false],
    [{ min: 0, max: 1 }, 1.001, false],
    [{ min: 0, max: 1, minExclusive: true }, 0, false],
    [{ min: 1, max: 2, minExclusive: true, maxExclusive: true }, 2, false],
    [{ min: 1, max: 2, minExclusive: true, maxExclusive: true }, 1.5, true],
    [{ min: 1, max: MAX_MAGNITUDE, integer: true }, 1, true],
    [{ min: 1, max: MAX_MAGNITUDE, integer: true }, 0, false],
    [{ min: 1, max: MAX_MAGNITUDE, integer: true }, 2.5, false],
  ])('inRange(%j, %d) = %s', (range, value, ok) => {
    expect(inRange(value, range)).toBe(ok);
  });

  test('ranges read as a user writes them', () => {
    expect(describeRange(BUILTIN_HYPERPARAMETER_RANGES.xgboost.num_round)).toBe('a whole number from 1');
    expect(describeRange(BUILTIN_HYPERPARAMETER_RANGES.xgboost.eta)).toBe('a number in [0, 1]');
    expect(describeRange(BUILTIN_HYPERPARAMETER_RANGES.xgboost.tweedie_variance_power)).toBe(
      'a number in (1, 2)',
    );
    expect(describeRange(BUILTIN_HYPERPARAMETER_RANGES.xgboost.gamma)).toBe('a number of at least 0');
    expect(describeRange(BUILTIN_HYPERPARAMETER_RANGES['linear-learner'].learning_rate)).toBe(
      'a number above 0',
    );
    expect(describeRange(BUILTIN_HYPERPARAMETER_RANGES['linear-learner'].num_classes)).toBe(
      'a whole number from 3 to 1000000',
    );
  });

  test.each([
    [5, 5],
    ['0.3', 0.3],
    ['1e-3', 0.001],
    [' 12 ', 12],
    ['auto', undefined],
    ['binary:logistic', undefined],
    [true, undefined],
  ])('numericValue(%j) = %j', (value, n) => {
    expect(numericValue(value)).toBe(n);
  });
});

/** An xgboost training spec: `hyper` on line 14, `extra` from line 17 on (its code in a bucket of its own). */
const xgb = (hyper: string, extra = '') =>
  `${HEAD}goals:\n  kpis:\n    - {name: auc, metric: metrics.auc, threshold: 0.8, direction: higher-is-better}\n` +
  'network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, us-east-1b]\n' +
  `training:\n  algorithm: xgboost\n  hyperparameters: {${hyper}}\n  data: {prefix: churn/}\n  evaluation: {script: evaluate.py}\n${extra}  code: {s3: 's3://acme-ml-code/demo/'}\n`;
const tuning = (range: string) =>
  `  tuning:\n    objective: {metric: validation:auc, direction: maximize}\n    ranges:\n      - ${range}\n`;
const kpi = (metric: string, threshold: string) =>
  `${HEAD}goals:\n  kpis:\n    - {name: k, metric: ${metric}, threshold: ${threshold}, direction: higher-is-better}\n`;

const cases: RuleCase[] = [
  [
    'core/ratio-kpi-threshold',
    kpi('metrics.auc.value', '85'),
    7,
    55,
    'auc is a ratio between 0 and 1',
    kpi('metrics.auc.value', '0.85'),
  ],
  [
    'core/ratio-kpi-threshold',
    kpi('metrics.recall', '-0.1'),
    7,
    52,
    'but the threshold of KPI "k" is -0.1',
    kpi('metrics.recall', '0'),
  ],
  ['core/ratio-kpi-threshold', kpi('metrics.f1', '1.01'), 7, 48, 'f1 is a ratio', kpi('metrics.f1', '1')],
  [
    'core/ratio-kpi-threshold',
    kpi('validation:accuracy', '1000'),
    7,
    57,
    'accuracy is a ratio',
    kpi('regression_metrics.mse.value', '1e9'),
  ],
  [
    'training/hyperparameter-range',
    xgb('num_round: -1'),
    14,
    32,
    'xgboost num_round must be a whole number from 1; got -1',
    xgb('num_round: 1'),
  ],
  [
    'training/hyperparameter-range',
    xgb('num_round: 100, eta: 1.5'),
    14,
    42,
    'eta must be a number in [0, 1]; got 1.5',
    xgb('num_round: 100, eta: 1'),
  ],
  [
    'training/hyperparameter-range',
    xgb('num_round: 100, max_depth: "2.5"'),
    14,
    48,
    'max_depth must be a whole number from 0; got 2.5',
    xgb('num_round: 100, max_depth: "0"'),
  ],
  [
    'training/hyperparameter-range',
    xgb('num_round: 100, tweedie_variance_power: 2'),
    14,
    61,
    'tweedie_variance_power must be a number in (1, 2)',
    xgb('num_round: 100, tweedie_variance_power: 1.99'),
  ],
  [
    'training/tuning-range-bounds',
    xgb('num_round: 100', tuning('{name: max_depth, type: integer, min: -1, max: 10}')),
    20,
    47,
    'xgboost max_depth must be a whole number from 0; a tuning min of -1 is outside that',
    xgb('num_round: 100', tuning('{name: max_depth, type: integer, min: 0, max: 10}')),
  ],
  [
    'training/tuning-range-bounds',
    xgb('num_round: 100', tuning('{name: eta, type: continuous, min: 0.1, max: 1.5}')),
    20,
    54,
    'a tuning max of 1.5 is outside that',
    xgb('num_round: 100', tuning('{name: eta, type: continuous, min: 0.1, max: 1}')),
  ],
  [
    'training/tuning-range-bounds',
    xgb('eta: 0.2', tuning('{name: num_round, type: continuous, min: 10, max: 100}')),
    20,
    33,
    'xgboost num_round takes whole numbers, but a continuous range would try fractions',
    xgb('eta: 0.2', tuning('{name: num_round, type: integer, min: 10, max: 100}')),
  ],
  [
    'training/tuning-range-bounds',
    xgb('num_round: 100', tuning('{name: subsample, type: categorical, values: ["0.5", "2"]}')),
    20,
    62,
    'xgboost subsample must be a number in [0, 1]; got 2',
    xgb('num_round: 100', tuning('{name: subsample, type: categorical, values: ["0.5", "1"]}')),
  ],
];

describe('check rules on numbers the schema cannot judge', () => {
  testRuleCases(cases);

  test('a hyperparameter without a documented range, text values and other algorithms are not judged', () => {
    expect(() =>
      analyzeSpec('p.yaml', Buffer.from(xgb('num_round: 100, seed: -7, objective: "reg:squarederror"'))),
    ).not.toThrow();
  });
});
