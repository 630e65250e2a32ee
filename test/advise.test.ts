import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { adviceRules, advise, applyFix, formatFindings, TECHNIQUES } from '../src/advise';
import { concretePath, fixSnippet } from '../src/advise/engine';
import { analyzeSpec, compileSpec } from '../src/compiler';
import { nodeGroupCost, pricingContext } from '../src/cost/estimate';
import { PRICES } from '../src/cost/prices';
import { resolveUsage } from '../src/cost/usage';
import { runCli } from './harness/cli';
import { MINIMAL, ROOT } from './harness/spec';

/** Analyzes a spec given as data, through YAML text so positions are real. */
const analyze = (data: object) => analyzeSpec('pipeline.yaml', Buffer.from(stringify(data)));
const findingsOf = (data: object) => advise(analyze(data));

const NET = { network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } } };
const NAT = {
  network: { vpc: { ...NET.network.vpc, publicSubnets: true, natGateways: 'single' } },
};
const SYSTEM = {
  name: 'system',
  instanceTypes: ['m7i.large', 'm6i.large'],
  capacityType: 'ON_DEMAND',
  scaling: { minSize: 1, maxSize: 3 },
};
const eks = (gpu: object) => ({
  ...MINIMAL,
  ...NAT,
  training: {
    eks: {
      version: '1.32',
      admins: ['arn:aws:iam::123456789012:role/admin'],
      nodeGroups: [SYSTEM, { name: 'gpu', scaling: { minSize: 0, maxSize: 4 }, ...gpu }],
    },
  },
});
const variant = (extra: object = {}) => ({
  name: 'main',
  model: { registry: { version: 1 } },
  instanceType: 'ml.m5.large',
  ...extra,
});
const endpoint = (name: string, extra: object = {}, v: object = {}) => ({
  name,
  variants: [variant(v)],
  ...extra,
});
/** `n` registry endpoints: the serving deploy role names each one (test/quotas.test.ts builds the same). */
const registryEndpoints = (n: number, usage: object = {}) => ({
  ...MINIMAL,
  ...NET,
  ...usage,
  serving: {
    endpoints: Array.from({ length: n }, (_, i) => ({
      name: `m${i}`,
      variants: [{ name: 'main', model: { registry: { version: 1 } }, instanceType: 'ml.m5.large' }],
    })),
  },
});
const EDGE_MODEL = { name: 'detector', version: '1.0.0', artifact: { key: 'detector/model.tar.gz' } };
const serving = (endpoints: object[], usage: object = {}) => ({
  ...MINIMAL,
  ...NET,
  serving: { endpoints },
  usage,
});
const TRAINING = {
  algorithm: 'xgboost',
  version: '1.7-1',
  hyperparameters: { num_round: 100 },
  data: { bucket: 'curated', prefix: 'churn/' },
  code: { s3: 's3://acme-ml-code/demo/' },
  evaluation: { script: 'evaluate.py' },
};
const KPIS = {
  goals: { kpis: [{ name: 'auc', metric: 'metrics.auc', threshold: 0.8, direction: 'higher-is-better' }] },
};
const training = (extra: object) => ({ ...MINIMAL, ...NET, ...KPIS, training: { ...TRAINING, ...extra } });
const GLUE = (job: object) => ({
  ...MINIMAL,
  data: {
    glue: {
      databases: [{ name: 'lake' }],
      jobs: [{ name: 'clean', script: 's3://acme-shared-code/scripts/clean.py', workerType: 'G.1X', ...job }],
    },
  },
});
const emr = (cluster: object) => ({
  ...MINIMAL,
  ...NAT,
  data: { emr: { cluster: { inTransitEncryption: false, interactive: true, ...cluster } } },
});

/** A small endpoint serving a model archive from the data lake with a built-in image. */
const small = (name: string, instanceType = 'ml.m5.large') => ({
  name,
  model: {
    artifact: { key: `${name}/model.tar.gz` },
    builtinImage: { framework: 'sklearn', version: '1.2-1' },
  },
  variants: [{ name: 'main', instanceType }],
});
/** `n` small endpoints at 10,000 requests a month each (well under 10 a minute per instance). */
const smallEndpoints = (n: number, perEndpoint = false) =>
  serving(
    Array.from({ length: n }, (_, i) => small(`m${i}`)),
    perEndpoint
      ? {
          endpoints: Object.fromEntries(
            Array.from({ length: n }, (_, i) => [`m${i}`, { requestsPerMonth: 10000 }]),
          ),
        }
      : { endpointRequestsPerMonth: 10000 },
  );

/** Each rule: a spec that triggers it and one that does not. */
const CASES: [id: string, triggers: object, clean: object][] = [
  [
    'storage/no-tiering',
    { ...MINIMAL, storage: { buckets: { raw: { lifecycle: { tiering: 'none' } } } } },
    {
      ...MINIMAL,
      storage: { buckets: { scratch: { lifecycle: { tiering: 'none', expireAfterDays: 14 } } } },
    },
  ],
  [
    'region/data-source',
    { ...MINIMAL, usage: { sourceDataRegion: 'eu-west-1' } },
    { ...MINIMAL, usage: { sourceDataRegion: 'us-east-1' } },
  ],
  [
    'region/state-bucket',
    { ...MINIMAL, state: { backend: 's3', s3: { bucket: 'tf-state', region: 'eu-central-1' } } },
    { ...MINIMAL, state: { backend: 's3', s3: { bucket: 'tf-state' } } },
  ],
  ['glue/flex', GLUE({ flex: false }), GLUE({})],
  [
    'network/nat-endpoints',
    { ...MINIMAL, network: { ...NAT.network, endpoints: { gateway: false } } },
    { ...MINIMAL, ...NAT },
  ],
  [
    'eks/on-demand-gpu',
    eks({ instanceTypes: ['g5.2xlarge'], capacityType: 'ON_DEMAND' }),
    eks({ instanceTypes: ['g5.2xlarge', 'g6.2xlarge'] }),
  ],
  [
    'eks/gpu-efa',
    eks({ instanceTypes: ['p4d.24xlarge', 'p4de.24xlarge'] }),
    eks({ instanceTypes: ['p4d.24xlarge', 'p4de.24xlarge'], efa: true }),
  ],
  [
    'eks/idle-gpu-nodes',
    eks({ instanceTypes: ['g5.2xlarge', 'g6.2xlarge'], scaling: { minSize: 1, maxSize: 2 } }),
    eks({ instanceTypes: ['g5.2xlarge', 'g6.2xlarge'] }),
  ],
  [
    'eks/extended-support',
    {
      ...eks({ instanceTypes: ['g5.2xlarge', 'g6.2xlarge'] }),
      training: { eks: { ...eks({}).training.eks, supportType: 'EXTENDED', nodeGroups: [SYSTEM] } },
    },
    { ...eks({ instanceTypes: ['g5.2xlarge', 'g6.2xlarge'] }) },
  ],
  [
    'serving/low-traffic-realtime',
    serving([endpoint('scorer')], { endpoints: { scorer: { requestsPerMonth: 20000 } } }),
    serving([endpoint('scorer')], { endpoints: { scorer: { requestsPerMonth: 5000000 } } }),
  ],
  ['serving/many-small-endpoints', smallEndpoints(3), smallEndpoints(2)],
  [
    'serving/no-autoscaling',
    serving([endpoint('scorer', { autoscaling: { enabled: false } }, { instanceCount: 2 })]),
    serving([endpoint('scorer', {}, { instanceCount: 2 })]),
  ],
  [
    'training/on-demand-gpu',
    training({ instanceType: 'ml.g5.2xlarge', spot: false }),
    training({ instanceType: 'ml.g5.2xlarge' }),
  ],
  [
    'training/spot-without-checkpoints',
    training({ checkpointing: { enabled: false, waiveSpotRisk: true } }),
    training({}),
  ],
  [
    'training/multi-node-efa',
    training({ instanceType: 'ml.g5.2xlarge', instanceCount: 2 }),
    training({ instanceType: 'ml.g5.2xlarge', instanceCount: 1 }),
  ],
  [
    'notebooks/idle-stop',
    { ...MINIMAL, ...NET, notebooks: { instances: [{ name: 'lab', idleStopMinutes: 240 }] } },
    { ...MINIMAL, ...NET, notebooks: { instances: [{ name: 'lab' }] } },
  ],
  [
    'monitoring/scheduled-retraining',
    {
      ...training({}),
      serving: { endpoints: [endpoint('scorer')] },
      orchestration: {
        workflow: { schedule: 'rate(7 days)', steps: [{ name: 'retrain', type: 'sagemaker-pipeline' }] },
      },
    },
    {
      ...training({}),
      orchestration: { workflow: { steps: [{ name: 'retrain', type: 'sagemaker-pipeline' }] } },
    },
  ],
  [
    'monitoring/drift-without-alarm',
    { ...serving([endpoint('scorer')]), monitoring: { endpoints: [{ name: 'scorer' }] } },
    {
      ...serving([endpoint('scorer')]),
      monitoring: { endpoints: [{ name: 'scorer', dataQuality: { driftFeatures: ['amount'] } }] },
    },
  ],
  [
    'monitoring/capture-without-monitor',
    serving([endpoint('scorer')]),
    {
      ...serving([endpoint('scorer')]),
      monitoring: { endpoints: [{ name: 'scorer', dataQuality: { driftFeatures: ['amount'] } }] },
    },
  ],
  [
    'edge/telemetry-off',
    { ...MINIMAL, serving: { edge: { telemetry: false, models: [EDGE_MODEL] } } },
    { ...MINIMAL, serving: { edge: { models: [EDGE_MODEL] } } },
  ],
  [
    'quotas/default-exceeded',
    eks({ instanceTypes: ['g5.2xlarge', 'g6.2xlarge'], scaling: { minSize: 0, maxSize: 451 } }),
    eks({ instanceTypes: ['g5.2xlarge', 'g6.2xlarge'], scaling: { minSize: 0, maxSize: 450 } }),
  ],
  // 193 registry endpoints take the deploy role to 10 managed policies (the default quota), 192 to 9.
  ['quotas/deploy-role-policies', registryEndpoints(193), registryEndpoints(192)],
  ['emr/idle-timeout', emr({ idleTimeoutMinutes: 240 }), emr({ idleTimeoutMinutes: 30 })],
  [
    'emr/fixed-capacity',
    emr({ core: { units: 2 }, scaling: { minUnits: 4, maxUnits: 4 } }),
    emr({ core: { units: 2 } }),
  ],
];

describe('advice rules (table-driven: each rule fires on its case and stays quiet on the clean one)', () => {
  test.each(CASES)('%s', (id, triggers, clean) => {
    const hits = findingsOf(triggers).filter((f) => f.id === id);
    expect(hits.length).toBeGreaterThan(0);
    for (const f of hits) {
      expect(f.file).toBe('pipeline.yaml');
      expect(f.line).toBeGreaterThan(0);
      expect(Object.values(TECHNIQUES)).toContain(f.technique);
      expect(f.fix.length).toBeGreaterThan(0);
    }
    expect(findingsOf(clean).filter((f) => f.id === id)).toEqual([]);
  });

  test('every rule has a case, a unique id, a description and a seed technique', () => {
    const ids = adviceRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(CASES.map(([id]) => id).sort());
    for (const r of adviceRules) {
      expect(r.description.length).toBeGreaterThan(30);
      expect(Object.values(TECHNIQUES)).toContain(r.technique);
    }
  });
});

/** More triggering specs whose fixes must compile too (the rule's main case is in CASES). */
const SCHEDULED = {
  workflow: { schedule: 'rate(7 days)', steps: [{ name: 'retrain', type: 'sagemaker-pipeline' }] },
};
const MORE_FIX_CASES: [id: string, triggers: object][] = [
  // Per-endpoint usage names the merged endpoints: the fix folds their traffic into the host's.
  ['serving/many-small-endpoints', smallEndpoints(4, true)],
  [
    // A serverless endpoint beside a realtime one: the drift monitor goes on the realtime one (issue 16).
    'monitoring/scheduled-retraining',
    {
      ...training({}),
      serving: {
        endpoints: [
          { name: 'batch', type: 'serverless', model: { registry: { version: 1 } } },
          endpoint('scorer'),
        ],
      },
      orchestration: SCHEDULED,
    },
  ],
];

test('scheduled retraining with only a serverless endpoint: nothing to monitor, so no advice (issue 16)', () => {
  const spec = {
    ...training({}),
    serving: { endpoints: [{ name: 'scorer', type: 'serverless', model: { registry: { version: 1 } } }] },
    orchestration: SCHEDULED,
  };
  expect(findingsOf(spec).filter((f) => f.id === 'monitoring/scheduled-retraining')).toEqual([]);
});

/** A fix's `<...>` placeholders are the user's to fill: the test fills them with a plain name. */
const fillPlaceholders = (v: unknown): unknown =>
  typeof v === 'string' && /^<.*>$/.test(v)
    ? 'amount'
    : Array.isArray(v)
      ? v.map(fillPlaceholders)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillPlaceholders(x)]))
        : v;

describe('every advice fix, applied to its triggering spec, compiles (validate + check + normalize)', () => {
  const withFix = new Set(adviceRules.map((r) => r.id));
  const cases = [...CASES.map(([id, triggers]) => [id, triggers] as [string, object]), ...MORE_FIX_CASES];

  test('every rule has a fix case', () => {
    expect(new Set(cases.map(([id]) => id))).toEqual(withFix);
  });

  test.each(cases)('%s', (id, triggers) => {
    const hits = findingsOf(triggers).filter((f) => f.id === id);
    expect(hits.length).toBeGreaterThan(0);
    for (const f of hits) {
      const fixed = applyFix(triggers, {
        patch: { ...f.patch, value: fillPlaceholders(f.patch.value) },
      });
      expect(fixed).not.toEqual(triggers);
      const compiled = () => compileSpec('pipeline.yaml', Buffer.from(stringify(fixed)));
      expect(() => {
        try {
          compiled();
        } catch (e) {
          throw new Error(
            `${id}: the fix\n${f.fix}\ndoes not compile: ${(e as Error).message}\n${stringify(fixed)}`,
          );
        }
      }).not.toThrow();
    }
  });
});

describe('findings', () => {
  test('point at the exact spec location, with the fix as YAML and the saving from the price table', () => {
    const file = join('examples', 'llm-finetune-eks', 'pipeline.yaml');
    const analyzed = analyzeSpec(file, readFileSync(join(ROOT, file)));
    const [f] = advise(analyzed).filter((x) => x.id === 'eks/on-demand-gpu');
    const text = readFileSync(join(ROOT, file), 'utf8').split('\n');
    expect(text[f.line - 1].slice(f.col - 1)).toBe('ON_DEMAND');
    expect(f).toMatchObject({
      severity: 'warning',
      path: 'training.eks.nodeGroups[a100].capacityType',
      technique: 'Use Spot Instances & Distributed Training',
      component: 'eks/a100',
    });
    expect(f.fix).toBe(
      'training:\n  eks:\n    nodeGroups:\n      - name: a100\n        capacityType: SPOT\n        instanceTypes:\n          - p4d.24xlarge\n          - p4de.24xlarge',
    );
    // The saving is the difference of two estimates with the same price table.
    const ctx = pricingContext(analyzed.resolved, resolveUsage(analyzed.spec), PRICES);
    const ng = analyzed.resolved.eks!.nodeGroups.find((n) => n.name === 'a100')!;
    const before = nodeGroupCost(ctx, ng).usd!;
    const after = nodeGroupCost(ctx, ng, { capacityType: 'SPOT' }).usd!;
    expect(f.saving).toBeCloseTo(before - after, 2);
    // 2 nodes x 20 training hours x p4d.24xlarge on-demand x the 60% EC2 spot discount.
    expect(f.saving).toBeCloseTo(2 * 20 * 21.957642 * 0.6, 2);
  });

  test('a finding about a default points at the nearest place the spec has', () => {
    const [f] = findingsOf({ ...MINIMAL, storage: { lifecycle: { tiering: 'none' } } }).filter((x) =>
      x.path.startsWith('storage.lifecycle'),
    );
    expect(f).toMatchObject({ id: 'storage/no-tiering', line: 7, col: 14 });
  });

  test('spot without checkpoints carries no saving, on-demand GPU training does', () => {
    const spot = findingsOf(training({ checkpointing: { enabled: false, waiveSpotRisk: true } }));
    expect(spot.find((f) => f.id === 'training/spot-without-checkpoints')?.saving).toBeUndefined();
    const od = findingsOf(training({ instanceType: 'ml.g5.2xlarge', spot: false })).find(
      (f) => f.id === 'training/on-demand-gpu',
    );
    // 20 h x 1.515 USD x 70%.
    expect(od?.saving).toBeCloseTo(20 * 1.515 * 0.7, 2);
  });

  test('a saving whose prices are missing is unknown, never guessed', () => {
    const spec = {
      ...training({ instanceType: 'ml.g5.2xlarge', spot: false }),
      region: 'eu-west-1',
      network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'] } },
    };
    const f = findingsOf(spec).find((x) => x.id === 'training/on-demand-gpu');
    expect(f?.saving).toBeUndefined();
    expect(f?.savingUnknown).toEqual(['sagemaker training ml.g5.2xlarge in eu-west-1']);
  });

  test('a notebook idling 4 hours before it stops: 3 extra hours a working day at the notebook rate', () => {
    const [f] = findingsOf({
      ...MINIMAL,
      ...NET,
      notebooks: { instances: [{ name: 'lab', idleStopMinutes: 240 }] },
    });
    expect(f).toMatchObject({ id: 'notebooks/idle-stop', path: 'notebooks.instances[lab].idleStopMinutes' });
    expect(f.saving).toBeCloseTo(3 * 22 * 0.05, 2);
  });

  test('low-traffic GPU registry endpoints get no fix that check would refuse', () => {
    // Serverless has no GPUs, and a multi-model endpoint cannot host registry packages
    // (serving/multi-model): nothing valid to offer, so nothing is offered.
    const gpu = { instanceType: 'ml.g5.xlarge' };
    const spec = serving([endpoint('a', {}, gpu), endpoint('b', {}, gpu)], {
      endpoints: { a: { requestsPerMonth: 1000 }, b: { requestsPerMonth: 1000 } },
    });
    expect(findingsOf(spec).filter((f) => f.id === 'serving/low-traffic-realtime')).toEqual([]);
  });

  test('many small endpoints: one finding for the group, not a serverless one per endpoint', () => {
    const fs = findingsOf(smallEndpoints(5));
    const many = fs.filter((f) => f.id === 'serving/many-small-endpoints');
    expect(many).toHaveLength(1);
    expect(many[0]).toMatchObject({ path: 'serving.endpoints[m0].type' });
    expect(many[0].message).toContain('5 endpoints (m0, m1, m2, m3, m4)');
    expect(many[0].message).toContain('L-7A3DF611');
    // Five ml.m5.large instances become two.
    expect(many[0].saving).toBeCloseTo(
      3 * PRICES.regions['us-east-1'].sagemaker!.hosting!['ml.m5.large'] * 730,
      2,
    );
    expect(fs.filter((f) => f.id === 'serving/low-traffic-realtime')).toEqual([]);
    const fixed = applyFix(smallEndpoints(5), many[0]) as {
      serving: { endpoints: { name: string; type?: string }[] };
    };
    expect(fixed.serving.endpoints.map((e) => [e.name, e.type])).toEqual([['m0', 'multi-model']]);
  });

  test('many small endpoints: only endpoints of one instance type and image, unmonitored, are merged', () => {
    const mixed = serving([small('a'), small('b'), small('c', 'ml.c5.large'), small('d', 'ml.c5.large')], {
      endpointRequestsPerMonth: 10000,
    });
    expect(findingsOf(mixed).filter((f) => f.id === 'serving/many-small-endpoints')).toEqual([]);
    const registry = serving(
      ['a', 'b', 'c'].map((n) => endpoint(n)),
      { endpointRequestsPerMonth: 10000 },
    );
    expect(findingsOf(registry).filter((f) => f.id === 'serving/many-small-endpoints')).toEqual([]);
    const monitored = { ...smallEndpoints(3), monitoring: { endpoints: [{ name: 'm2' }] } };
    expect(findingsOf(monitored).filter((f) => f.id === 'serving/many-small-endpoints')).toEqual([]);
  });

  test('output is sorted and identical across runs', () => {
    const spec = {
      ...GLUE({ flex: false }),
      storage: { buckets: { raw: { lifecycle: { tiering: 'none' } } } },
    };
    const a = findingsOf(spec);
    expect(a.map((f) => f.line)).toEqual([...a.map((f) => f.line)].sort((x, y) => x - y));
    expect(JSON.stringify(findingsOf(spec))).toBe(JSON.stringify(a));
  });

  test('helpers: names in paths resolve to list indexes; fixes nest under their path', () => {
    expect(concretePath({ a: [{ name: 'x' }, { name: 'y' }] }, ['a', { name: 'y' }, 'b'])).toEqual([
      'a',
      1,
      'b',
    ]);
    expect(concretePath({ a: [{ name: 'x' }] }, ['a', { name: 'z' }, 'b'])).toEqual(['a']);
    expect(fixSnippet(['x', { name: 'n' }], { k: 1 })).toBe('x:\n  - name: n\n    k: 1');
    expect(fixSnippet([], { region: 'eu-west-1' })).toBe('region: eu-west-1');
  });

  test('text output names file:line:col, technique, fix and saving', () => {
    const fs = findingsOf({ ...MINIMAL, storage: { buckets: { raw: { lifecycle: { tiering: 'none' } } } } });
    const text = formatFindings(fs, 'pipeline.yaml');
    expect(text).toMatch(/^warning pipeline\.yaml:\d+:\d+: storage\.buckets\.raw\.lifecycle\.tiering: /);
    expect(text).toContain('technique: "Optimize Data Processing"');
    expect(text).toContain('tiering: intelligent-tiering');
    expect(text).toMatch(/saves ~\d+\.\d\d USD\/month/);
    expect(formatFindings([], 'x.yaml')).toBe(
      'no advice for x.yaml: nothing to optimize that pipeform can see\n',
    );
  });

  test('analyzeSpec resolves exactly what compileSpec does', () => {
    const bytes = Buffer.from(stringify(GLUE({})));
    expect(analyzeSpec('p.yaml', bytes).resolved).toEqual(compileSpec('p.yaml', bytes).resolved);
  });
});

describe('pipeform advise', () => {
  const LLM = join(ROOT, 'examples', 'llm-finetune-eks', 'pipeline.yaml');
  const QUICKSTART = join(ROOT, 'examples', 'quickstart', 'pipeline.yaml');

  test('exit 0 with findings; --strict exits 3 (findings) on a warning', async () => {
    const r = await runCli(['advise', LLM]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('[eks/on-demand-gpu]');
    expect((await runCli(['advise', '--strict', LLM])).code).toBe(3);
    expect((await runCli(['advise', '--strict', QUICKSTART])).code).toBe(0);
  });

  test('--json is machine-readable', async () => {
    const r = await runCli(['advise', '--json', LLM]);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.warnings).toBeGreaterThan(0);
    expect(parsed.findings[0]).toMatchObject({ id: 'eks/on-demand-gpu', file: LLM, line: 67, col: 23 });
  });

  test('an invalid spec is exit 1 with diagnostics, a missing file exit 2', async () => {
    const bad = await runCli(['advise', join(ROOT, 'test', 'fixtures', 'bad', 'usage-unknown-bucket.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('usage.bucketGb names bucket "raww"');
    expect((await runCli(['advise', '/no/such.yaml'])).code).toBe(2);
  });
});

describe("quotas/deploy-role-policies: the deploy role's managed policies against quota L-0DA4ABF3", () => {
  const rule = (n: number, applied?: number) =>
    findingsOf(
      registryEndpoints(
        n,
        applied === undefined ? {} : { usage: { appliedQuotas: { 'L-0DA4ABF3': applied } } },
      ),
    ).filter((f) => f.id === 'quotas/deploy-role-policies');

  test('below the default quota (192 endpoints, 9 policies): quiet', () => {
    expect(rule(192)).toEqual([]);
  });

  test('at the default quota (193 endpoints, 10 policies): synth still passes, the next endpoint would not', () => {
    const [f, ...more] = rule(193);
    expect(more).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', path: 'serving.endpoints' });
    expect(f.message).toContain(
      'the serving deploy role demo-serving-deploy deploys 193 registry endpoints and needs 10 managed policies attached, all that the default quota "Managed policies attached to an IAM role" (L-0DA4ABF3: 10) allows: one more registry endpoint and synth refuses the role',
    );
    expect(f.message).toContain(
      'aws service-quotas request-service-quota-increase --service-code iam --quota-code L-0DA4ABF3 --desired-value 11 --region us-east-1',
    );
    expect(f.message).toMatch(/multi-model endpoint \(type: multi-model\) or serverless endpoints/);
    expect(f.patch).toMatchObject({ path: [], value: { usage: { appliedQuotas: { 'L-0DA4ABF3': 11 } } } });
  });

  test('above the default quota (211 endpoints, 11 policies): synth refuses, the advice says so first', () => {
    const [f] = rule(211);
    expect(f.message).toContain(
      'needs 11 managed policies attached, more than the default quota "Managed policies attached to an IAM role" (L-0DA4ABF3: 10) allows: synth refuses the role',
    );
    expect(f.patch.value).toEqual({ usage: { appliedQuotas: { 'L-0DA4ABF3': 12 } } });
  });

  test('an applied quota moves the boundary: 11 granted is below for 210, reached by 211; 12 clears 211', () => {
    expect(rule(210, 11)).toEqual([]);
    const [f] = rule(211, 11);
    expect(f.message).toContain(
      'needs 11 managed policies attached, all that the applied quota "Managed policies attached to an IAM role" (L-0DA4ABF3: 11, from usage.appliedQuotas) allows',
    );
    expect(rule(211, 12)).toEqual([]);
  });

  test('each environment has its own deploy role, counted and named on its own', () => {
    const found = findingsOf({ ...registryEndpoints(193), environments: { dev: {}, prod: {} } }).filter(
      (f) => f.id === 'quotas/deploy-role-policies',
    );
    expect(found.map((f) => f.message.match(/deploy role (\S+) \(environment (\w+)\)/)?.slice(1))).toEqual([
      ['demo-dev-serving-deploy', 'dev'],
      ['demo-prod-serving-deploy', 'prod'],
    ]);
  });

  test('a pipeline without registry endpoints has no deploy role to count', () => {
    expect(findingsOf({ ...MINIMAL }).filter((f) => f.id === 'quotas/deploy-role-policies')).toEqual([]);
  });
});

describe('quotas/default-exceeded: counted against the AWS default soft quotas (issue 17)', () => {
  const quota = (data: object) => findingsOf(data).filter((f) => f.id === 'quotas/default-exceeded');
  const group = (name: string, maxSize = 2) => ({
    name,
    instanceTypes: ['m7i.large'],
    capacityType: 'ON_DEMAND',
    scaling: { minSize: 0, maxSize },
  });
  const groups = (n: number) => ({
    ...eks({}),
    training: {
      eks: {
        ...eks({}).training.eks,
        nodeGroups: [SYSTEM, ...Array.from({ length: n - 1 }, (_, i) => group(`g${i}`))],
      },
    },
  });
  /** Glue with `databases` databases and `crawlers` crawlers, and the environments given. */
  const glue = (databases: number, crawlers: number, extra: object = {}) => ({
    ...MINIMAL,
    data: {
      glue: {
        databases: Array.from({ length: databases }, (_, i) => ({ name: `db${i}` })),
        crawlers: Array.from({ length: crawlers }, (_, i) => ({
          name: `c${i}`,
          database: 'db0',
          targets: [{ bucket: 'raw', prefix: `p${i}/` }],
        })),
      },
    },
    ...extra,
  });

  test('nodes per managed node group: 450 (the default) is quiet, 451 warns with the increase request', () => {
    const below = eks({ instanceTypes: ['g5.2xlarge', 'g6.2xlarge'], scaling: { minSize: 0, maxSize: 449 } });
    expect(quota(below)).toEqual([]);
    const [f] = quota(
      eks({ instanceTypes: ['g5.2xlarge', 'g6.2xlarge'], scaling: { minSize: 0, maxSize: 451 } }),
    );
    expect(f).toMatchObject({ severity: 'warning', path: 'training.eks.nodeGroups[gpu].scaling.maxSize' });
    expect(f.message).toContain('"Nodes per managed node group" (L-BD136A63: 450)');
    expect(f.message).toContain(
      'aws service-quotas request-service-quota-increase --service-code eks --quota-code L-BD136A63 --desired-value 451 --region us-east-1',
    );
    expect(f.patch).toEqual({ path: [], value: { usage: { appliedQuotas: { 'L-BD136A63': 451 } } } });
  });

  test('managed node groups per cluster: 29 and 30 are quiet, 31 warns at the list', () => {
    expect(quota(groups(29))).toEqual([]);
    expect(quota(groups(30))).toEqual([]);
    const [f] = quota(groups(31));
    expect(f.path).toBe('training.eks.nodeGroups');
    expect(f.message).toContain('31 managed node groups');
    expect(f.message).toContain('(L-6D54EA21: 30)');
  });

  test('Glue crawlers per account: 999 and 1,000 are quiet, 1,001 warns', () => {
    expect(quota(glue(1, 999))).toEqual([]);
    expect(quota(glue(1, 1000))).toEqual([]);
    const [f] = quota(glue(1, 1001));
    expect(f.path).toBe('data.glue.crawlers');
    expect(f.message).toContain('1001 Glue crawlers in account 123456789012, us-east-1');
    expect(f.message).toContain('(L-11FA2C1A: 1000)');
  });

  test('an applied value in usage.appliedQuotas replaces the default, and the fix states it', () => {
    const lowered = (n: number) => glue(n, 0, { usage: { appliedQuotas: { 'L-F953935E': 3 } } });
    expect(quota(lowered(3))).toEqual([]);
    const [f] = quota(lowered(4));
    expect(f.message).toContain('(L-F953935E: 3, from usage.appliedQuotas)');
    const fixed = applyFix(lowered(4), f) as unknown as { usage: { appliedQuotas: Record<string, number> } };
    expect(fixed.usage.appliedQuotas['L-F953935E']).toBe(4);
    expect(quota(fixed)).toEqual([]);
    // Without the statement the default (10,000) applies: 4 databases are nothing.
    expect(quota(glue(4, 0))).toEqual([]);
  });

  test('environments in one account add up; an environment in its own account counts alone', () => {
    const applied = { usage: { appliedQuotas: { 'L-F953935E': 3 } } };
    const shared = quota(glue(2, 0, { ...applied, environments: { dev: {}, prod: {} } }));
    expect(shared).toHaveLength(1);
    expect(shared[0].message).toContain(
      '4 Glue databases in account 123456789012, us-east-1 (environments dev: 2, prod: 2)',
    );
    expect(shared[0].message).toContain('--desired-value 4 ');
    const split = { dev: {}, prod: { account: '210987654321' } };
    expect(quota(glue(2, 0, { ...applied, environments: split }))).toEqual([]);
    // Three environments, two of them in one account: that account needs 4, the other is fine.
    const three = quota(
      glue(2, 0, { ...applied, environments: { ...split, staging: { account: '210987654321' } } }),
    );
    expect(three.map((f) => f.message.split(':')[0])).toEqual([
      '4 Glue databases in account 210987654321, us-east-1 (environments prod',
    ]);
  });
});
