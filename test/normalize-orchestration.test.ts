import { dirname, join } from 'node:path';
import { normalizeOrchestration } from '../src/compiler/normalize/orchestration';
import type { PipelineSpec } from '../src/spec/types.generated';
import { compileData, MINIMAL } from './harness/spec';

const SPEC_FILE = join('test', 'fixtures', 'functions', 'pipeline.yaml');
const FUNCTIONS = [
  {
    name: 'filter',
    code: { directory: 'filter' },
    handler: 'index.handler',
    triggers: [
      { bucket: 'raw', prefix: 'b/' },
      { bucket: 'raw', prefix: 'a/', suffix: '.json', events: ['removed', 'created'] },
    ],
    environment: { Z: '1', A: '2' },
  },
  {
    name: 'extract',
    code: { s3: 's3://acme-shared-code/lambda/extract.zip' },
    handler: 'app.main',
    deadLetterQueue: false,
  },
];

describe('normalize: orchestration.functions', () => {
  const o = compileData({ ...MINIMAL, orchestration: { functions: FUNCTIONS } }, SPEC_FILE).orchestration!;

  test('defaults: Python 3.12 on arm64, 256 MiB, 60 s, a dead-letter queue, a log group Lambda uses', () => {
    const filter = o.functions.find((f) => f.name === 'filter')!;
    expect(filter).toMatchObject({
      functionName: 'demo-filter',
      runtime: 'python3.12',
      architecture: 'arm64',
      memoryMiB: 256,
      timeoutSeconds: 60,
      deadLetterQueueName: 'demo-filter-dlq',
      logGroupName: '/aws/lambda/demo-filter',
      roleComponent: 'lambda-filter',
    });
    expect(filter.reservedConcurrency).toBeUndefined();
  });

  test('a code directory is relative to the spec file and becomes the asset lambda-<name>.zip', () => {
    expect(o.functions.find((f) => f.name === 'filter')!.code).toEqual({
      kind: 'directory',
      directory: 'filter',
      path: join('test', 'fixtures', 'functions', 'filter'),
      assetName: 'lambda-filter.zip',
    });
    expect(o.functions.find((f) => f.name === 'extract')!.code).toEqual({
      kind: 's3',
      bucketName: 'acme-shared-code',
      key: 'lambda/extract.zip',
    });
  });

  test('triggers: sorted, S3 event names; their prefixes are readable; environment sorted; no DLQ when off', () => {
    const filter = o.functions.find((f) => f.name === 'filter')!;
    expect(filter.triggers).toEqual([
      { bucket: 'raw', prefix: 'a/', suffix: '.json', events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] },
      { bucket: 'raw', prefix: 'b/', suffix: '', events: ['s3:ObjectCreated:*'] },
    ]);
    expect(filter.reads).toEqual([
      { bucket: 'raw', prefix: 'a/' },
      { bucket: 'raw', prefix: 'b/' },
    ]);
    expect(Object.keys(filter.environment)).toEqual(['A', 'Z']);
    expect(o.functions.map((f) => f.name)).toEqual(['extract', 'filter']);
    expect(o.functions[0].deadLetterQueueName).toBeUndefined();
  });
});

describe('normalize: orchestration.workflow', () => {
  // Normalized directly: the check stage would ask for data.emr and training first.
  const w = normalizeOrchestration(
    {
      ...MINIMAL,
      orchestration: {
        functions: [FUNCTIONS[1]],
        workflow: {
          retry: { maxAttempts: 3 },
          notifyEmails: ['b@example.com', 'a@example.com'],
          steps: [
            { name: 'extract', type: 'lambda', function: 'extract' },
            {
              name: 'train',
              type: 'sagemaker-pipeline',
              parameters: { Z: '1', A: '2' },
              retry: { intervalSeconds: 5 },
            },
            { name: 'aggregate', type: 'emr', script: 'spark/s.py', timeoutMinutes: 30 },
          ],
        },
      },
    } as PipelineSpec,
    SPEC_FILE,
  ).workflow!;

  test('names: <pipeline>-etl, its log group under /aws/vendedlogs/states, its topic and schedule rule', () => {
    expect(w).toMatchObject({
      stateMachineName: 'demo-etl',
      logGroupName: '/aws/vendedlogs/states/demo-etl',
      failureTopicName: 'demo-etl-failures',
      scheduleRuleName: 'demo-etl-schedule',
      timeoutSeconds: 86400,
      notifyEmails: ['a@example.com', 'b@example.com'],
    });
    expect(w.schedule).toBeUndefined();
  });

  test('steps keep their order; retries merge step over workflow over defaults', () => {
    expect(w.steps.map((s) => s.name)).toEqual(['extract', 'train', 'aggregate']);
    expect(w.steps[0].retry).toEqual({ maxAttempts: 3, intervalSeconds: 60, backoffRate: 2 });
    expect(w.steps[1].retry).toEqual({ maxAttempts: 3, intervalSeconds: 5, backoffRate: 2 });
    expect(w.steps[1].target).toEqual({
      type: 'sagemaker-pipeline',
      pipelineName: 'demo-training',
      parameters: { A: '2', Z: '1' },
    });
    expect(w.steps[2]).toMatchObject({ timeoutSeconds: 1800, target: { type: 'emr', args: [] } });
  });

  test('an emr step script given as a local path is the asset workflow-<step>, read beside the spec', () => {
    expect(w.steps[2].target).toMatchObject({
      script: {
        kind: 'asset',
        asset: {
          id: 'workflow-aggregate',
          source: 'spark/s.py',
          path: join(dirname(SPEC_FILE), 'spark', 's.py'),
          packaging: 'file',
          fileName: 's.py',
        },
      },
    });
  });
});

describe('normalize: glue-crawler steps', () => {
  const steps = (extra: object) =>
    normalizeOrchestration(
      {
        ...MINIMAL,
        orchestration: {
          workflow: { steps: [{ name: 'crawl', type: 'glue-crawler', crawler: 'raw', ...extra }] },
        },
      } as PipelineSpec,
      SPEC_FILE,
    ).workflow!.steps;

  test('defaults: a poll every 30 s for at most an hour (120 polls); no step timeout', () => {
    const [s] = steps({});
    expect(s.target).toEqual({ type: 'glue-crawler', crawler: 'raw', pollSeconds: 30, maxPolls: 120 });
    expect(s.timeoutSeconds).toBeUndefined();
  });

  test('the poll count rounds the time limit up: never shorter than asked', () => {
    expect(steps({ pollSeconds: 45, crawlTimeoutMinutes: 1 })[0].target).toMatchObject({ maxPolls: 2 });
    expect(steps({ pollSeconds: 60, crawlTimeoutMinutes: 45 })[0].target).toMatchObject({ maxPolls: 45 });
  });
});
