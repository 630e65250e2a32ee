import { trainingRules } from '../src/compiler/rules/training';
import { compileText, diagnosticsOf } from './harness/spec';
import { testRuleCases, type RuleCase } from './harness/rules';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
/** Lines 5-7. */
const GOALS =
  'goals:\n  kpis:\n    - {name: auc, metric: metrics.auc, threshold: 0.8, direction: higher-is-better}\n';
/** Lines 5-7, a KPI the training job reports itself (its metric at line 7, column 27). */
const TRAINING_KPI =
  'goals:\n  kpis:\n    - {name: auc, metric: validation:auc, threshold: 0.8, direction: higher-is-better, source: training}\n';
/** Lines 8-11. */
const NET = 'network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, us-east-1b]\n';
/** Lines 12-16: `training` 12, `algorithm` 13, `hyperparameters` 14, `data` 15, `evaluation` 16. */
const TRAINING =
  'training:\n  algorithm: xgboost\n  hyperparameters: {num_round: 100}\n  data: {prefix: churn/}\n  evaluation: {script: evaluate.py}\n';

/**
 * A valid spec with SageMaker training; `extra` lines (under `training`) start at line 17.
 * CODE comes last under `training`: scripts from a bucket of the user's own (the day-0 rule
 * refuses the data-lake default).
 */
const CODE = "  code: {s3: 's3://acme-ml-code/demo/'}\n";
const spec = (extra = '', training = TRAINING, goals = GOALS, net = NET) =>
  `${HEAD}${goals}${net}${training}${extra}${training.startsWith('training:') ? CODE : ''}`;
const PYTORCH = TRAINING.replace('algorithm: xgboost', 'algorithm: pytorch\n  entryPoint: train.py').replace(
  '{num_round: 100}',
  '{epochs: 10}',
);
/** PYTORCH moves every later line down by one: extra lines start at line 18. */
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/lightgbm:4.3';

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
const cases: RuleCase[] = [
  [
    'training/required-sections',
    spec('', TRAINING.replace('  evaluation: {script: evaluate.py}\n', '')),
    12,
    1,
    `SageMaker training needs 'evaluation': goals.kpis "auc" reads the evaluation report (source evaluation)`,
    spec(),
  ],
  [
    'training/kpi-metrics',
    spec('', TRAINING, TRAINING_KPI.replace('validation:auc', 'validation:aucc')),
    7,
    27,
    'xgboost does not emit "validation:aucc"; did you mean "validation:auc"?',
    spec('', TRAINING, TRAINING_KPI),
  ],
  [
    'training/base-model',
    spec("  baseModel: {s3: 's3://acme-models/base/model.tar.gz'}\n"),
    17,
    19,
    'xgboost cannot start from a trained model: AWS offers incremental training only for its image classification, object detection and semantic segmentation algorithms',
    spec("  baseModel: {s3: 's3://acme-models/base/model.tar.gz'}\n", PYTORCH),
  ],
  [
    'training/network',
    spec('', TRAINING, GOALS, ''),
    9,
    3,
    'SageMaker training runs its jobs in private subnets, but the spec has no network',
    spec(),
  ],
  [
    'training/kpi-gate',
    spec('', TRAINING, ''),
    10,
    3,
    'the KPI gate has nothing to check: goals.kpis is empty',
    spec(),
  ],
  [
    'training/image',
    spec('', TRAINING.replace('algorithm: xgboost', 'algorithm: lightgbm')),
    13,
    14,
    "lightgbm has no AWS image that pipeform can resolve; it needs 'image'",
    spec(`  image: ${IMAGE}\n`, TRAINING.replace('algorithm: xgboost', 'algorithm: lightgbm')),
  ],
  [
    'training/algorithm-fields',
    spec('', PYTORCH.replace('  entryPoint: train.py\n', '')),
    13,
    14,
    'pytorch runs your script (script mode), but training.entryPoint is missing',
    spec('', PYTORCH),
  ],
  [
    'training/instance-type',
    spec('  instanceType: ml.m5.xlarg\n'),
    17,
    17,
    'unknown instance type "ml.m5.xlarg"; did you mean "ml.m5.xlarge"?',
    spec('  instanceType: ml.m5.xlarge\n'),
  ],
  [
    'training/accelerator',
    spec('  instanceType: ml.g5.xlarge\n', PYTORCH.replace('algorithm: pytorch', 'algorithm: sklearn')),
    18,
    17,
    'scikit-learn runs on CPU only; ml.g5.xlarge pays for 1 unused accelerator(s)',
    spec('  instanceType: ml.c5.2xlarge\n', PYTORCH.replace('algorithm: pytorch', 'algorithm: sklearn')),
  ],
  [
    'training/spot',
    spec('  maxRuntimeSeconds: 7200\n  maxWaitSeconds: 3600\n'),
    18,
    19,
    'maxWaitSeconds (3600) is below maxRuntimeSeconds (7200)',
    spec('  maxRuntimeSeconds: 7200\n  maxWaitSeconds: 7200\n'),
  ],
  [
    'training/spot-checkpoints',
    spec('  checkpointing:\n    enabled: false\n'),
    18,
    14,
    'spot training without checkpoints restarts from the beginning after every interruption',
    spec('  checkpointing:\n    enabled: false\n    waiveSpotRisk: true\n'),
  ],
  [
    'training/distributed',
    spec('  instanceType: ml.g5.2xlarge\n  instanceCount: 2\n  distributed: {strategy: mpi}\n', PYTORCH),
    18,
    17,
    'multi-node GPU training (2 instances) needs EFA for NCCL/MPI traffic, and ml.g5.2xlarge has no EFA',
    spec('  instanceType: ml.g5.12xlarge\n  instanceCount: 2\n  distributed: {strategy: mpi}\n', PYTORCH),
  ],
  [
    'training/tuning-ranges',
    spec(
      '  tuning:\n    objective: {metric: validation:auc, direction: maximize}\n    ranges:\n      - {name: eta, type: continuous, min: 0.3, max: 0.1}\n',
    ),
    20,
    54,
    'max 0.1 is not above min 0.3',
    spec(
      '  tuning:\n    objective: {metric: validation:auc, direction: maximize}\n    ranges:\n      - {name: eta, type: continuous, min: 0.1, max: 0.3}\n',
    ),
  ],
  [
    'training/tuning-limits',
    spec(
      '  tuning:\n    objective: {metric: validation:auc, direction: maximize}\n    ranges: [{name: eta, type: continuous, min: 0.1, max: 0.3}]\n    maxJobs: 5\n    maxParallelJobs: 10\n',
    ),
    21,
    22,
    'maxParallelJobs (10) exceeds maxJobs (5)',
    spec(
      '  tuning:\n    objective: {metric: validation:auc, direction: maximize}\n    ranges: [{name: eta, type: continuous, min: 0.1, max: 0.3}]\n    maxJobs: 5\n    maxParallelJobs: 5\n',
    ),
  ],
  [
    'training/tuning-objective',
    spec(
      '  tuning:\n    objective: {metric: validation:auc, direction: minimize}\n    ranges: [{name: eta, type: continuous, min: 0.1, max: 0.3}]\n',
    ),
    18,
    52,
    'validation:auc is better when higher; direction minimize would pick the worst model',
    spec(
      '  tuning:\n    objective: {metric: validation:rmse, direction: minimize}\n    ranges: [{name: eta, type: continuous, min: 0.1, max: 0.3}]\n',
    ),
  ],
  [
    'training/hyperparameters',
    spec('', TRAINING.replace('{num_round: 100}', '{objective: binary:logistic}')),
    14,
    3,
    'xgboost needs hyperparameter num_round',
    spec(
      '  tuning:\n    objective: {metric: validation:auc, direction: maximize}\n    ranges: [{name: num_round, type: integer, min: 50, max: 500}]\n',
      TRAINING.replace('{num_round: 100}', '{objective: binary:logistic}'),
    ),
  ],
  [
    'training/buckets',
    spec('', TRAINING.replace('{prefix: churn/}', '{bucket: logs, prefix: churn/}')),
    15,
    18,
    'the logs bucket holds access logs, not data or code',
    spec('', TRAINING.replace('{prefix: churn/}', '{bucket: features, prefix: churn/}')),
  ],
];

describe('training check rules', () => {
  testRuleCases(cases);

  test('every training rule has a case in this file', () => {
    expect(trainingRules.map((r) => r.id).sort()).toEqual(cases.map((c) => c[0]).sort());
  });

  /** The single diagnostic of a spec that breaks one rule. */
  const only = (text: string) => {
    const ds = diagnosticsOf(text);
    expect(ds).toHaveLength(1);
    return ds[0];
  };

  test('a training section holding only eks is not a SageMaker pipeline (no training rule applies)', () => {
    const ds = diagnosticsOf(`${HEAD}training:\n  eks: {}\n`);
    expect(ds.filter((d) => d.rule?.startsWith('training/'))).toEqual([]);
  });

  describe('training/image', () => {
    test('an image in another region is refused: cross-region pulls', () => {
      const d = only(spec(`  image: ${IMAGE.replace('us-east-1', 'eu-west-1')}\n`));
      expect(d).toMatchObject({ rule: 'training/image', line: 17, col: 10, path: 'training.image' });
      expect(d.message).toBe('the image is in region eu-west-1, but the pipeline region is us-east-1');
    });

    test('a non-ECR URI is refused, for evaluation images too', () => {
      const d = only(
        spec('', TRAINING.replace('{script: evaluate.py}', '{script: evaluate.py, image: docker.io/me/x:1}')),
      );
      expect(d).toMatchObject({ rule: 'training/image', path: 'training.evaluation.image' });
      expect(d.message).toContain('"docker.io/me/x:1" is not an ECR image URI');
    });

    test('digests are accepted', () => {
      expect(() =>
        compileText(
          spec(`  image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/xgb@sha256:${'a'.repeat(64)}\n`),
        ),
      ).not.toThrow();
    });
  });

  describe('training/algorithm-fields', () => {
    test('script-mode keys are refused for built-ins', () => {
      const d = only(spec('  entryPoint: train.py\n'));
      expect(d).toMatchObject({ rule: 'training/algorithm-fields', line: 17, col: 3 });
      expect(d.message).toContain(
        "'entryPoint' is for script mode (pytorch, tensorflow, sklearn), not xgboost",
      );
    });

    test('metric definitions are refused for built-ins, and must be unique elsewhere', () => {
      expect(only(spec('  metricDefinitions: [{name: f1, regex: "f1=(.*)"}]\n')).message).toContain(
        'emits its own metrics',
      );
      const d = only(
        spec(
          '  metricDefinitions:\n    - {name: f1, regex: "a=(.*)"}\n    - {name: f1, regex: "b=(.*)"}\n',
          PYTORCH,
        ),
      );
      expect(d.message).toBe('metric "f1" is already defined by metricDefinitions[0]');
    });

    test("'version' is refused for your own image", () => {
      const d = only(
        spec(
          `  image: ${IMAGE}\n  version: "4"\n`,
          TRAINING.replace('algorithm: xgboost', 'algorithm: custom'),
        ),
      );
      expect(d.message).toContain("'version' picks an AWS image, but custom runs training.image");
    });
  });

  describe('training/instance-type and training/accelerator', () => {
    test('a type not offered for training (processing only) is refused', () => {
      const d = only(spec('  instanceType: ml.t3.medium\n'));
      expect(d).toMatchObject({ rule: 'training/instance-type' });
      expect(d.message).toBe('ml.t3.medium is not offered for training jobs');
    });

    test('evaluation and registration instance types are checked too', () => {
      const d = only(spec('  registration:\n    inferenceInstanceTypes: [ml.m5.larg]\n'));
      expect(d).toMatchObject({ path: 'training.registration.inferenceInstanceTypes[0]' });
      expect(d.message).toContain('did you mean "ml.m5.large"?');
    });

    test('instance type choices must match the default in accelerator and storage', () => {
      const gpu = only(spec('  instanceTypeChoices: [ml.g5.xlarge]\n'));
      expect(gpu.message).toContain('ml.g5.xlarge is NVIDIA GPU, but instanceType ml.m5.xlarge is CPU');
      const nvme = only(spec('  instanceTypeChoices: [ml.m5d.xlarge]\n'));
      expect(nvme.message).toContain(
        'ml.m5d.xlarge has local NVMe storage, but instanceType ml.m5.xlarge uses an EBS volume',
      );
      expect(() =>
        compileText(spec('  instanceTypeChoices: [ml.m5.2xlarge, ml.c5.2xlarge]\n')),
      ).not.toThrow();
    });

    test('Trainium needs a Neuron image', () => {
      const d = only(spec('  instanceType: ml.trn1.2xlarge\n', PYTORCH));
      expect(d).toMatchObject({ rule: 'training/accelerator' });
      expect(d.message).toContain('need a Neuron image');
    });
  });

  describe('training/spot and training/spot-checkpoints', () => {
    test('maxWaitSeconds without spot is refused', () => {
      expect(only(spec('  spot: false\n  maxWaitSeconds: 7200\n')).message).toBe(
        'maxWaitSeconds only applies to spot training, which is off',
      );
    });

    test('a waiver that waives nothing is refused', () => {
      expect(only(spec('  checkpointing:\n    waiveSpotRisk: true\n')).message).toBe(
        'waiveSpotRisk waives nothing: checkpoints are on',
      );
    });

    test('checkpoints off without spot needs no waiver', () => {
      expect(() => compileText(spec('  spot: false\n  checkpointing:\n    enabled: false\n'))).not.toThrow();
    });
  });

  describe('training/distributed', () => {
    const dist = (lines: string, training = PYTORCH) => only(spec(lines, training));

    test('data-parallel (smddp) needs ml.p4d, ml.p4de or ml.p5', () => {
      const d = dist(
        '  instanceType: ml.g5.48xlarge\n  instanceCount: 2\n  distributed: {strategy: data-parallel}\n',
      );
      expect(d.message).toBe(
        'the SageMaker distributed data parallel library does not run on ml.g5.48xlarge',
      );
      expect(d.hint).toContain('ml.p4d.24xlarge, ml.p4de.24xlarge, ml.p5.48xlarge');
      expect(() =>
        compileText(
          spec(
            '  instanceType: ml.p4d.24xlarge\n  instanceCount: 2\n  distributed: {strategy: data-parallel}\n',
            PYTORCH,
          ),
        ),
      ).not.toThrow();
    });

    test('smdistributed strategies need NVIDIA GPUs and PyTorch', () => {
      expect(dist('  distributed: {strategy: model-parallel}\n').message).toBe(
        'model-parallel needs NVIDIA GPUs, but ml.m5.xlarge has none',
      );
      expect(
        dist(
          '  instanceType: ml.p4d.24xlarge\n  distributed: {strategy: data-parallel}\n',
          PYTORCH.replace('algorithm: pytorch', 'algorithm: tensorflow'),
        ).message,
      ).toBe('the SageMaker data-parallel library supports PyTorch, not TensorFlow');
    });

    test('built-in algorithms take no strategy; frameworks need one for several instances', () => {
      expect(only(spec('  distributed: {strategy: mpi}\n')).message).toContain(
        'xgboost does not take a distribution strategy; it distributes across instances on its own',
      );
      expect(dist('  instanceCount: 2\n').message).toBe(
        '2 instances would each run the pytorch script on its own',
      );
      expect(() => compileText(spec('  instanceCount: 3\n'))).not.toThrow();
    });

    test('processes per host stay within the GPUs; model-parallel degrees divide the processes', () => {
      expect(
        dist('  instanceType: ml.g5.12xlarge\n  distributed: {strategy: horovod, processesPerHost: 8}\n')
          .message,
      ).toBe('8 processes per host oversubscribe the 4 accelerator(s) of ml.g5.12xlarge');
      expect(
        dist(
          '  instanceType: ml.p4d.24xlarge\n  distributed:\n    strategy: model-parallel\n    modelParallel: {partitions: 3}\n',
        ).message,
      ).toBe('partitions x tensorParallelDegree (3) does not divide the 8 processes of the job');
    });

    test('a distributed job pins its instance type; settings of other strategies are refused', () => {
      expect(
        dist(
          '  instanceType: ml.p4d.24xlarge\n  instanceTypeChoices: [ml.p4de.24xlarge]\n  distributed: {strategy: mpi}\n',
        ).message,
      ).toBe('a distributed job is validated for one instance type; runs cannot switch it');
      expect(
        dist(
          '  instanceType: ml.p4d.24xlarge\n  distributed: {strategy: data-parallel, processesPerHost: 8}\n',
        ).message,
      ).toBe("'processesPerHost' does not apply to data-parallel (one process per GPU)");
    });
  });

  describe('training/tuning-*', () => {
    const tuning = (ranges: string, more = '', objective = '{metric: validation:auc, direction: maximize}') =>
      spec(`  tuning:\n    objective: ${objective}\n    ranges:\n${ranges}${more}`);

    test('range names are unique and never also static', () => {
      const twice = '      - {name: eta, type: continuous, min: 0.1, max: 0.3}\n';
      expect(only(tuning(twice + twice)).message).toBe('"eta" is already tuned by ranges[0]');
      expect(only(tuning('      - {name: num_round, type: integer, min: 10, max: 20}\n')).message).toBe(
        '"num_round" is both tuned and a static hyperparameter',
      );
    });

    test('integer, logarithmic and categorical ranges are checked', () => {
      expect(only(tuning('      - {name: depth, type: integer, min: 1.5, max: 9}\n')).message).toBe(
        'min 1.5 is not a whole number, but the range is integer',
      );
      expect(
        only(tuning('      - {name: eta, type: continuous, min: 0, max: 0.3, scaling: logarithmic}\n'))
          .message,
      ).toBe('logarithmic scaling needs min > 0, but min is 0');
      expect(
        only(tuning('      - {name: a, type: continuous, min: 0.5, max: 2, scaling: reverse-logarithmic}\n'))
          .message,
      ).toBe('reverse-logarithmic scaling needs 0 <= min < max < 1, but the range is [0.5, 2]');
      expect(only(tuning('      - {name: booster, type: categorical}\n')).message).toBe(
        "a categorical range needs 'values'",
      );
      expect(
        only(tuning('      - {name: booster, type: categorical, values: [gbtree, gbtree]}\n')).message,
      ).toBe('categorical values repeat');
      expect(only(tuning('      - {name: eta, type: continuous, max: 1}\n')).message).toBe(
        "a continuous range needs 'min' and 'max'",
      );
    });

    test('hyperband runs without early stopping and with consistent resources', () => {
      const r = '      - {name: eta, type: continuous, min: 0.1, max: 0.3}\n';
      expect(only(tuning(r, '    strategy: hyperband\n    earlyStopping: auto\n')).message).toContain(
        'hyperband stops weak jobs itself',
      );
      expect(
        only(tuning(r, '    strategy: hyperband\n    hyperband: {minResource: 9, maxResource: 3}\n')).message,
      ).toBe('minResource (9) exceeds maxResource (3)');
      expect(only(tuning(r, '    hyperband: {minResource: 1, maxResource: 3}\n')).message).toContain(
        "'hyperband' settings apply to strategy hyperband, not bayesian",
      );
    });

    test('built-in objectives name a channel; your own code defines its metrics', () => {
      const r = '      - {name: eta, type: continuous, min: 0.1, max: 0.3}\n';
      expect(only(tuning(r, '', '{metric: auc, direction: maximize}')).message).toContain(
        "xgboost reports metrics as '<channel>:<name>' for its train and validation channels",
      );
      const own = spec(
        '  metricDefinitions: [{name: "val:f1", regex: "f1=([0-9.]+)"}]\n  tuning:\n    objective: {metric: "val:f2", direction: maximize}\n    ranges:\n      - {name: lr, type: continuous, min: 0.001, max: 0.1}\n',
        PYTORCH,
      );
      expect(only(own).message).toBe(
        '"val:f2" is not in training.metricDefinitions, so the tuning job would never see it; did you mean "val:f1"?',
      );
    });
  });

  describe('training/kpi-metrics and evaluation-free gates', () => {
    const deepar = (kpi: string, extra = '') =>
      `${HEAD}goals:\n  kpis:\n    - ${kpi}\n${NET}training:\n  algorithm: deepar\n  hyperparameters: {time_freq: D, prediction_length: 14, context_length: 14, epochs: 20}\n  data: {prefix: sales/}\n${extra}`;
    const wql =
      '{name: wql, metric: test:mean_wQuantileLoss, threshold: 0.1, direction: lower-is-better, source: training}';

    test('the minimal DeepAR spec (algorithm, data, its required hyperparameters, one KPI) needs no evaluation and no code', () => {
      expect(() => compileText(deepar(wql))).not.toThrow();
    });

    test('DeepAR still needs the four hyperparameters AWS gives no default', () => {
      const text = deepar(wql).replace(
        '{time_freq: D, prediction_length: 14, context_length: 14, epochs: 20}',
        '{time_freq: D}',
      );
      expect(only(text).message).toBe(
        'deepar needs hyperparameters context_length, epochs, prediction_length',
      );
    });

    test('a KPI left at source evaluation still needs the evaluation step, and the hint offers source training', () => {
      const d = only(deepar(wql.replace(', source: training', '')));
      expect(d).toMatchObject({ rule: 'training/required-sections', path: 'training' });
      expect(d.hint).toContain('source: training on "wql"');
    });

    test('a metric DeepAR does not emit gets a suggestion and the list', () => {
      const d = only(deepar(wql.replace('test:mean_wQuantileLoss', 'test:mean_wQuantileLos')));
      expect(d.message).toBe(
        'deepar does not emit "test:mean_wQuantileLos"; did you mean "test:mean_wQuantileLoss"?',
      );
      expect(d.hint).toBe('use one of test:RMSE, test:mean_wQuantileLoss, train:final_loss');
      expect(d.path).toBe('goals.kpis[0].metric');
    });

    test("the direction must be the metric's better side", () => {
      const d = only(deepar(wql.replace('lower-is-better', 'higher-is-better')));
      expect(d).toMatchObject({ rule: 'training/kpi-metrics', path: 'goals.kpis[0].direction' });
      expect(d.message).toBe(
        'test:mean_wQuantileLoss is better when lower; direction higher-is-better would let the worse models through',
      );
    });

    test('with tuning only the objective metric is reported for the best job', () => {
      const tuned = deepar(
        wql,
        '  tuning:\n    objective: {metric: test:RMSE, direction: minimize}\n    ranges: [{name: learning_rate, type: continuous, min: 0.0001, max: 0.1}]\n',
      );
      const d = only(tuned);
      expect(d.message).toBe(
        'with tuning, the gate can read only the best job\'s objective metric ("test:RMSE"); "test:mean_wQuantileLoss" is not it',
      );
      expect(() => compileText(tuned.replace('test:mean_wQuantileLoss', 'test:RMSE'))).not.toThrow();
    });

    test('xgboost reports only what eval_metric lists', () => {
      const text = spec(
        '',
        TRAINING.replace('{num_round: 100}', '{num_round: 100, eval_metric: logloss}'),
        TRAINING_KPI,
      );
      expect(only(text).message).toBe(
        'xgboost reports only the eval_metric metrics (logloss), so "validation:auc" never appears',
      );
      expect(() =>
        compileText(
          spec(
            '',
            TRAINING.replace('{num_round: 100}', '{num_round: 100, eval_metric: "logloss,auc"}'),
            TRAINING_KPI,
          ),
        ),
      ).not.toThrow();
    });

    test('your own code reports the metrics of metricDefinitions', () => {
      const kpi = TRAINING_KPI.replace('validation:auc', 'val:f1');
      expect(only(spec('', PYTORCH, kpi)).message).toBe(
        '"val:f1" is not in training.metricDefinitions, so the training job never reports it',
      );
      expect(() =>
        compileText(spec('  metricDefinitions: [{name: "val:f1", regex: "f1=([0-9.]+)"}]\n', PYTORCH, kpi)),
      ).not.toThrow();
    });
  });

  describe('training/base-model', () => {
    const NAT = NET.replace('10.0.0.0/16', '10.0.0.0/16\n    publicSubnets: true\n    natGateways: single');
    const hf = (extra: string, net = NAT) =>
      spec(`  baseModel: {huggingface: distilbert-base-uncased}\n${extra}`, PYTORCH, GOALS, net);

    test('a Hugging Face model with network access to the Hub is accepted', () => {
      expect(() => compileText(hf('  networkIsolation: false\n'))).not.toThrow();
    });

    test('network isolation (on by default) and a VPC without NAT both keep the Hub out', () => {
      expect(only(hf('')).message).toBe(
        'the training container downloads "distilbert-base-uncased" from the Hugging Face Hub, but network isolation (on by default) blocks every call it makes',
      );
      const d = only(hf('  networkIsolation: false\n', NET));
      expect(d).toMatchObject({ path: 'network.vpc' });
      expect(d.message).toContain('the private subnets have no internet egress');
    });

    test('the champion: for your own code, with s3 as its first model but not huggingface', () => {
      expect(() => compileText(spec('  baseModel: {champion: true}\n', PYTORCH))).not.toThrow();
      expect(() =>
        compileText(spec("  baseModel: {champion: true, s3: 's3://acme-models/m.tar.gz'}\n", PYTORCH)),
      ).not.toThrow();
      expect(only(spec('  baseModel: {champion: true, huggingface: gpt2}\n', PYTORCH)).message).toBe(
        "training.baseModel: champion takes 's3' or 'jumpstart' as its first model, not 'huggingface'",
      );
      const d = only(spec('  baseModel: {champion: true}\n'));
      expect(d.path).toBe('training.baseModel.champion');
      expect(d.message).toContain('xgboost cannot start from a trained model');
      expect(only(spec('  baseModel: {champion: false}\n', PYTORCH)).message).toBe(
        "training.baseModel names no model: set 's3', 'jumpstart', 'huggingface' or 'champion: true'",
      );
    });

    test('exactly one source; revision only with huggingface; no static model_name_or_path', () => {
      expect(
        only(spec("  baseModel: {s3: 's3://acme-models/m.tar.gz', huggingface: gpt2}\n", PYTORCH)).message,
      ).toBe("training.baseModel names two models: set only one of 's3', 'jumpstart' and 'huggingface'");
      expect(
        only(spec("  baseModel: {s3: 's3://acme-models/m.tar.gz', revision: main}\n", PYTORCH)).path,
      ).toBe('training.baseModel.revision');
      const text = hf('  networkIsolation: false\n').replace(
        '{epochs: 10}',
        '{epochs: 10, model_name_or_path: gpt2}',
      );
      expect(only(text).message).toBe(
        'model_name_or_path is set by training.baseModel; a static value would overwrite it',
      );
    });
  });

  test('training/buckets: an unknown bucket gets a suggestion', () => {
    const d = only(spec('', TRAINING.replace('{prefix: churn/}', '{bucket: curatd, prefix: churn/}')));
    expect(d.message).toBe('no bucket "curatd" in the data lake; did you mean "curated"?');
  });
});
