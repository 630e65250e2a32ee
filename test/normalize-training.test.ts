import { join } from 'node:path';
import { INSTANCE_TYPES, parseEcrImage } from '../src/areas/training/catalog';
import { normalizeTraining } from '../src/compiler/normalize/training';
import { compileData, MINIMAL } from './harness/spec';

/** A spec beside test/fixtures/training-code (evaluate.py, prep/preprocess.py, train.py). */
const CODE_SPEC = join('test', 'fixtures', 'training-code', 'pipeline.yaml');

const BASE = {
  ...MINIMAL,
  goals: {
    problem: 'Predict churn.',
    kpis: [{ name: 'auc', metric: 'metrics.auc', threshold: 0.8, direction: 'higher-is-better' }],
  },
  network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a'] } },
};
const XGB = {
  algorithm: 'xgboost',
  hyperparameters: { num_round: 100, objective: 'binary:logistic' },
  data: { prefix: 'churn/' },
  code: { s3: 's3://acme-ml-code/demo/' },
  evaluation: { script: 'evaluate.py' },
};
const resolve = (training: object, extra: object = {}) => {
  const t = compileData({ ...BASE, ...extra, training }, CODE_SPEC).training;
  if (!t) throw new Error('no training resolved');
  return t;
};

describe('normalizeTraining', () => {
  test('GIVEN a minimal xgboost section THEN names, locations and optimized defaults are decided', () => {
    const t = resolve(XGB);
    expect(t).toMatchObject({
      pipelineName: 'demo-training',
      modelPackageGroupName: 'demo-models',
      roleComponent: 'training',
      registryDescription: 'Predict churn.',
      algorithm: 'xgboost',
      kind: 'builtin',
      image: { kind: 'prebuilt', repository: 'sagemaker-xgboost', tag: '1.7-1' },
      instance: { type: 'ml.m5.xlarge', accelerators: 0, accelerator: 'none', ebsVolume: true },
      instanceTypeChoices: ['ml.m5.xlarge'],
      instanceCount: 1,
      volumeSizeGb: 30,
      maxRuntimeSeconds: 86400,
      spot: { maxWaitSeconds: 172800 },
      networkIsolation: true,
      interContainerEncryption: true,
      data: {
        bucketName: 'demo-123456789012-us-east-1-curated',
        prefix: 'churn/',
        uri: 's3://demo-123456789012-us-east-1-curated/churn/',
        inputMode: 'File',
      },
      channels: [
        { name: 'train', contentType: 'text/csv', sharded: false },
        { name: 'validation', contentType: 'text/csv', sharded: false },
      ],
      code: {
        kind: 's3',
        location: { bucketName: 'acme-ml-code', prefix: 'demo/', uri: 's3://acme-ml-code/demo/' },
      },
      artifacts: { uri: 's3://demo-123456789012-us-east-1-models/demo/training/artifacts/' },
      reports: { uri: 's3://demo-123456789012-us-east-1-models/demo/training/evaluation/' },
      checkpoints: {
        location: { uri: 's3://demo-123456789012-us-east-1-checkpoints/demo/training/checkpoints/' },
        localPath: '/opt/ml/checkpoints',
      },
      evaluation: {
        stepName: 'Evaluate',
        script: { kind: 's3', bucketName: 'acme-ml-code', key: 'demo/evaluate.py' },
        scriptName: 'evaluate.py',
        instanceCount: 1,
        maxRuntimeSeconds: 3600,
        // XGBoost's image has Python and xgboost: it evaluates its own models.
        image: { kind: 'prebuilt', repository: 'sagemaker-xgboost', tag: '1.7-1' },
      },
      registration: {
        approvalStatus: 'PendingManualApproval',
        inferenceInstanceTypes: ['ml.m5.large'],
        contentTypes: ['text/csv'],
        responseTypes: ['text/csv'],
      },
      kpis: [{ name: 'auc', threshold: 0.8 }],
    });
    expect(t.hyperparameters).toEqual({ num_round: 100, objective: 'binary:logistic' });
    expect(t.preprocessing).toBeUndefined();
    expect(t.tuning).toBeUndefined();
    expect(t.distribution).toBeUndefined();
  });

  test('GIVEN a long runtime THEN the spot wait caps at 28 days and never drops below the runtime', () => {
    expect(resolve({ ...XGB, maxRuntimeSeconds: 2000000 }).spot).toEqual({ maxWaitSeconds: 2419200 });
    expect(resolve({ ...XGB, spot: false }).spot).toBeUndefined();
  });

  test('GIVEN a framework THEN image tags follow the instance (cpu/gpu) and script mode is set up', () => {
    const t = resolve({
      ...XGB,
      algorithm: 'pytorch',
      entryPoint: 'train.py',
      hyperparameters: { epochs: 3 },
      instanceType: 'ml.g5.2xlarge',
      registration: { inferenceInstanceTypes: ['ml.m5.xlarge'] },
    });
    expect(t.kind).toBe('framework');
    expect(t.image).toEqual({ kind: 'prebuilt', repository: 'pytorch-training', tag: '2.3.0-gpu-py311' });
    expect(t.evaluation?.image).toEqual({
      kind: 'prebuilt',
      repository: 'pytorch-training',
      tag: '2.3.0-cpu-py311',
    });
    expect(t.registration.image).toEqual({
      kind: 'prebuilt',
      repository: 'pytorch-inference',
      tag: '2.3.0-cpu-py311',
    });
    expect(t.scriptMode).toEqual({
      entryPoint: 'train.py',
      sourceArchive: { kind: 's3', bucketName: 'acme-ml-code', key: 'demo/sourcedir.tar.gz' },
    });
    expect(t.instance).toEqual({
      type: 'ml.g5.2xlarge',
      accelerators: 1,
      accelerator: 'nvidia',
      ebsVolume: false,
    });
    expect(t.channels.map((c) => c.contentType)).toEqual([undefined, undefined]);
    expect(t.registration.contentTypes).toEqual(['application/json']);

    const tf = resolve({ ...XGB, algorithm: 'tensorflow', entryPoint: 'train.py', hyperparameters: {} });
    expect(tf.registration.image).toEqual({
      kind: 'prebuilt',
      repository: 'tensorflow-inference',
      tag: '2.14.1-cpu',
    });
  });

  test('GIVEN a framework with code.directory THEN the scripts are files and the source archive a tar.gz of it', () => {
    const t = resolve({
      ...XGB,
      algorithm: 'sklearn',
      entryPoint: 'train.py',
      hyperparameters: {},
      code: { directory: '.' },
    });
    const dir = join('test', 'fixtures', 'training-code');
    expect(t.code).toEqual({ kind: 'directory', directory: '.', path: dir });
    expect(t.scriptMode?.sourceArchive).toEqual({
      kind: 'asset',
      asset: {
        id: 'training-source',
        source: '.',
        path: dir,
        packaging: 'tar.gz',
        fileName: 'sourcedir.tar.gz',
      },
    });
    expect(t.evaluation?.script).toMatchObject({
      kind: 'asset',
      asset: { id: 'training-evaluate', path: join(dir, 'evaluate.py'), packaging: 'file' },
    });
    const named = resolve({
      ...XGB,
      algorithm: 'sklearn',
      entryPoint: 'train.py',
      hyperparameters: {},
      code: { directory: '.' },
      sourceArchive: 'src/code.tar.gz',
    });
    expect(named.scriptMode?.sourceArchive).toMatchObject({ asset: { fileName: 'code.tar.gz' } });
  });

  test('GIVEN deepar and linear-learner THEN their channels, and a scikit-learn image for evaluation', () => {
    const deepar = resolve({
      ...XGB,
      algorithm: 'deepar',
      hyperparameters: { context_length: 24, prediction_length: 24, time_freq: 'H', epochs: 10 },
    });
    expect(deepar.image).toEqual({ kind: 'prebuilt', repository: 'forecasting-deepar', tag: '1' });
    expect(deepar.channels.map((c) => c.name)).toEqual(['train', 'test']);
    expect(deepar.channels[0].contentType).toBeUndefined();
    expect(deepar.evaluation?.image).toEqual({
      kind: 'prebuilt',
      repository: 'sagemaker-scikit-learn',
      tag: '1.2-1-cpu-py3',
    });
    const ll = resolve({
      ...XGB,
      algorithm: 'linear-learner',
      hyperparameters: { predictor_type: 'binary_classifier' },
    });
    expect(ll.image).toEqual({ kind: 'prebuilt', repository: 'linear-learner', tag: '1' });
  });

  test('GIVEN KPIs without a source THEN they read the evaluation report; with source training, no evaluation step', () => {
    expect(resolve(XGB).kpis).toEqual([
      {
        name: 'auc',
        metric: 'metrics.auc',
        threshold: 0.8,
        direction: 'higher-is-better',
        source: 'evaluation',
      },
    ]);
    const kpi = {
      name: 'wql',
      metric: 'test:mean_wQuantileLoss',
      threshold: 0.1,
      direction: 'lower-is-better',
    };
    const t = resolve(
      {
        algorithm: 'deepar',
        hyperparameters: { time_freq: 'D', prediction_length: 7, context_length: 7, epochs: 10 },
        data: { prefix: 'sales/' },
      },
      { goals: { kpis: [{ ...kpi, source: 'training' }] } },
    );
    expect(t.evaluation).toBeUndefined();
    expect(t.kpis).toEqual([{ ...kpi, source: 'training' }]);
    expect(t.description).toBe(
      'pipeform demo: deepar training with a KPI gate on its own metrics and model registration',
    );
    expect(resolve(XGB).description).toBe(
      'pipeform demo: xgboost training with a KPI gate and model registration',
    );
  });

  test('GIVEN a champion base model THEN its lookup function, and the placeholder or the pinned object as the first model', () => {
    const pt = { ...XGB, algorithm: 'pytorch', entryPoint: 'train.py', hyperparameters: { epochs: 1 } };
    expect(resolve({ ...pt, baseModel: { champion: true } }).baseModel).toEqual({
      kind: 'champion',
      functionName: 'demo-champion',
      roleComponent: 'champion',
      logGroupName: '/aws/lambda/demo-champion',
      fallback: {
        bucketName: 'demo-123456789012-us-east-1-models',
        key: 'demo/training/base-model/none',
        uri: 's3://demo-123456789012-us-east-1-models/demo/training/base-model/none',
      },
      placeholder: true,
    });
    const pinned = resolve({ ...pt, baseModel: { champion: true, s3: 's3://acme/m.tar.gz' } }).baseModel;
    expect(pinned).toMatchObject({
      placeholder: false,
      fallback: { bucketName: 'acme', key: 'm.tar.gz', uri: 's3://acme/m.tar.gz' },
    });
    expect(resolve({ ...pt, baseModel: { s3: 's3://acme/m.tar.gz' } }).baseModel).toEqual({
      kind: 's3',
      bucketName: 'acme',
      key: 'm.tar.gz',
      uri: 's3://acme/m.tar.gz',
    });
  });

  test('GIVEN your own image THEN it is parsed for the pull permissions and used everywhere', () => {
    const uri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/ml/lightgbm:4.3.0';
    const t = resolve({ ...XGB, algorithm: 'lightgbm', image: uri, hyperparameters: {} });
    const image = {
      kind: 'uri',
      uri,
      account: '123456789012',
      region: 'us-east-1',
      repository: 'ml/lightgbm',
    };
    expect(t.kind).toBe('image');
    expect(t.image).toEqual(image);
    expect(t.evaluation?.image).toEqual(image);
    expect(t.registration.image).toEqual(image);
    expect(parseEcrImage('docker.io/library/python:3')).toBeUndefined();
  });

  test('GIVEN tuning THEN ranges are sorted and strategy, scaling and early stopping use SageMaker names', () => {
    const t = resolve({
      ...XGB,
      hyperparameters: { objective: 'binary:logistic' },
      tuning: {
        objective: { metric: 'validation:auc', direction: 'maximize' },
        ranges: [
          { name: 'num_round', type: 'integer', min: 50, max: 500 },
          { name: 'eta', type: 'continuous', min: 0.01, max: 0.3, scaling: 'logarithmic' },
          { name: 'booster', type: 'categorical', values: ['gbtree', 'dart'] },
        ],
      },
    });
    expect(t.tuning).toEqual({
      objective: { metric: 'validation:auc', type: 'Maximize' },
      strategy: 'Bayesian',
      ranges: [
        { name: 'booster', type: 'categorical', values: ['gbtree', 'dart'] },
        { name: 'eta', type: 'continuous', min: 0.01, max: 0.3, scaling: 'Logarithmic' },
        { name: 'num_round', type: 'integer', min: 50, max: 500, scaling: 'Auto' },
      ],
      maxJobs: 20,
      maxParallelJobs: 2,
      earlyStopping: 'Auto',
    });
    const hb = resolve({
      ...XGB,
      tuning: {
        objective: { metric: 'validation:auc', direction: 'maximize' },
        strategy: 'hyperband',
        ranges: [{ name: 'eta', type: 'continuous', min: 0.01, max: 0.3 }],
        hyperband: { minResource: 1, maxResource: 9 },
      },
    }).tuning;
    expect(hb).toMatchObject({
      strategy: 'Hyperband',
      earlyStopping: 'Off',
      hyperband: { minResource: 1, maxResource: 9 },
    });
  });

  test('GIVEN a distributed strategy THEN processes default to the GPUs and the instance type is pinned', () => {
    const t = resolve({
      ...XGB,
      algorithm: 'pytorch',
      entryPoint: 'train.py',
      hyperparameters: {},
      instanceType: 'ml.p4d.24xlarge',
      instanceCount: 2,
      distributed: { strategy: 'model-parallel', modelParallel: { tensorParallelDegree: 4 } },
    });
    expect(t.distribution).toEqual({
      strategy: 'model-parallel',
      processesPerHost: 8,
      customMpiOptions: '',
      partitions: 1,
      tensorParallelDegree: 4,
      microbatches: 4,
      ddp: true,
    });
    expect(t.instanceTypeChoices).toEqual(['ml.p4d.24xlarge']);
  });

  test('GIVEN preprocessing, automatic approval and a code directory THEN they resolve under the right buckets', () => {
    const t = resolve(
      {
        ...XGB,
        data: { bucket: 'features', prefix: 'churn/v2/', sharded: true, inputMode: 'FastFile' },
        code: { directory: '.' },
        processing: {
          script: 'prep/preprocess.py',
          input: { prefix: 'exports/' },
          arguments: ['--split', '0.2'],
        },
        instanceTypeChoices: ['ml.m5.4xlarge', 'ml.c5.2xlarge', 'ml.m5.xlarge'],
        checkpointing: { enabled: false, waiveSpotRisk: true },
        registration: { approval: 'automatic' },
      },
      { storage: { buckets: { scripts: { purpose: 'pipeline code' } } } },
    );
    expect(t.preprocessing).toMatchObject({
      stepName: 'Preprocess',
      script: {
        kind: 'asset',
        asset: {
          id: 'training-preprocess',
          source: 'prep/preprocess.py',
          path: join('test', 'fixtures', 'training-code', 'prep', 'preprocess.py'),
          packaging: 'file',
          fileName: 'preprocess.py',
        },
      },
      scriptName: 'preprocess.py',
      arguments: ['--split', '0.2'],
      input: { uri: 's3://demo-123456789012-us-east-1-raw/exports/' },
      image: { kind: 'prebuilt', repository: 'sagemaker-scikit-learn', tag: '1.2-1-cpu-py3' },
    });
    expect(t.data).toMatchObject({
      uri: 's3://demo-123456789012-us-east-1-features/churn/v2/',
      inputMode: 'FastFile',
    });
    expect(t.channels).toEqual([
      { name: 'train', contentType: 'text/csv', sharded: true },
      { name: 'validation', contentType: 'text/csv', sharded: false },
    ]);
    expect(t.instanceTypeChoices).toEqual(['ml.m5.xlarge', 'ml.c5.2xlarge', 'ml.m5.4xlarge']);
    expect(t.checkpoints).toBeUndefined();
    expect(t.registration.approvalStatus).toBe('Approved');
  });

  test('GIVEN only training.eks THEN there is no SageMaker pipeline to resolve', () => {
    expect(
      normalizeTraining(
        { ...MINIMAL, apiVersion: 'pipeform/v1', training: { eks: {} } } as never,
        'pipeline.yaml',
      ),
    ).toBeUndefined();
  });

  test('deterministic: the same spec resolves to equal values', () => {
    expect(resolve(XGB)).toEqual(resolve(XGB));
  });

  test('the instance table: EFA, NVMe and smddp as documented', () => {
    expect(INSTANCE_TYPES['ml.p4d.24xlarge']).toMatchObject({
      accelerators: 8,
      efa: true,
      ebsVolume: false,
      smddp: true,
    });
    expect(INSTANCE_TYPES['ml.g5.48xlarge']).toMatchObject({ accelerators: 8, efa: true, smddp: false });
    expect(INSTANCE_TYPES['ml.g5.2xlarge']).toMatchObject({ accelerators: 1, efa: false });
    expect(INSTANCE_TYPES['ml.p3.16xlarge']).toMatchObject({ accelerators: 8, efa: false, ebsVolume: true });
    expect(INSTANCE_TYPES['ml.trn1.32xlarge']).toMatchObject({
      accelerator: 'neuron',
      efa: true,
      inference: false,
    });
    expect(INSTANCE_TYPES['ml.t3.medium']).toMatchObject({ training: false, processing: true });
  });
});
