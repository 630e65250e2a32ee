import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { analyzeSpec } from '../src/compiler';
import { costReport, formatCostReport, PRICES, USAGE_DEFAULTS } from '../src/cost';
import { pipelineSchema } from '../src/spec/schema';
import { runCli } from './harness/cli';
import { advise } from '../src/advise';
import { buildGraph, renderMermaid } from '../src/graph';
import { diagnosticsOf, examples, MINIMAL, ROOT } from './harness/spec';

const example = (name: string) => {
  const file = join('examples', name, 'pipeline.yaml');
  return analyzeSpec(file, readFileSync(join(ROOT, file)));
};
const analyze = (data: object) => analyzeSpec('pipeline.yaml', Buffer.from(stringify(data)));
const lineOf = (r: ReturnType<typeof costReport>, component: string) => {
  const l = r.lines.find((x) => x.component === component);
  if (!l) throw new Error(`no line ${component}`);
  return l;
};
const US = PRICES.regions['us-east-1'];
const H = PRICES.hoursPerMonth;

/** S3 per month of one Intelligent-Tiering bucket under the default usage (60% cold, 16 MB objects). */
function itBucket(gb: number, s3: Record<string, number>, archive?: string): number {
  const cold = gb * 0.6;
  const coldPrice = archive ? s3[archive] : s3.INTELLIGENT_TIERING_INFREQUENT;
  return (
    (gb - cold) * s3.INTELLIGENT_TIERING_FREQUENT +
    cold * coldPrice +
    ((gb * 1024) / 16 / 1000) * s3.INTELLIGENT_TIERING_MONITORING_PER_1000_OBJECTS
  );
}

describe('the price table', () => {
  test('is date-stamped, names its sources and covers the four regions', () => {
    expect(PRICES.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.currency).toBe('USD');
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1']) {
      const r = PRICES.regions[region];
      expect(r).toBeDefined();
      for (const key of [
        's3',
        'natGateway',
        'interfaceEndpoint',
        'kmsKeyMonth',
        'cloudwatchLogs',
        'ec2',
        'eks',
        'lambda',
      ]) {
        expect(r).toHaveProperty(key);
      }
    }
    for (const s of Object.values(PRICES.sources)) expect(s.url).toMatch(/^https:\/\/aws\.amazon\.com\//);
    for (const d of [PRICES.spotDiscount.ec2, PRICES.spotDiscount.sagemakerTraining]) {
      expect(d).toBeGreaterThan(0);
      expect(d).toBeLessThan(1);
    }
  });

  test('holds only positive numbers (a missing price is absent, never zero)', () => {
    const bad: string[] = [];
    const walk = (v: unknown, at: string) => {
      if (typeof v === 'number') {
        if (!(v > 0)) bad.push(at);
      } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
    };
    walk(PRICES.regions, 'regions');
    expect(bad).toEqual([]);
  });
});

describe('usage assumptions', () => {
  test('the defaults in code are the ones the schema documents', () => {
    const props = (
      pipelineSchema as { definitions: Record<string, { properties: Record<string, { default?: unknown }> }> }
    ).definitions.usage.properties;
    for (const [key, value] of Object.entries(USAGE_DEFAULTS))
      expect([key, props[key]?.default]).toEqual([key, value]);
    const documented = Object.entries(props)
      .filter(([, p]) => p.default !== undefined)
      .map(([k]) => k);
    expect(documented.sort()).toEqual(Object.keys(USAGE_DEFAULTS).sort());
  });

  test("'usage/references': per-endpoint and per-bucket usage must name what the spec has", () => {
    const head = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
    const ds = diagnosticsOf(
      `${head}usage:\n  bucketGb:\n    raww: 5\n  endpoints:\n    scorer: {requestsPerMonth: 5}\n`,
    );
    expect(ds.map((d) => [d.rule, d.line, d.col])).toEqual([
      ['usage/references', 7, 5],
      ['usage/references', 9, 5],
    ]);
    expect(ds[0].message).toContain('did you mean "raw"?');
    expect(ds[1].hint).toBe('the spec has no endpoints');
  });

  test('stated usage changes the estimate', () => {
    const r = costReport(analyze({ ...MINIMAL, usage: { dataVolumeGb: 600, bucketGb: { raw: 300 } } }));
    expect(lineOf(r, 'storage/raw').description).toContain('300 GB');
    expect(lineOf(r, 'storage/curated').description).toContain('60 GB');
    expect(r.usageStated).toEqual(['bucketGb', 'dataVolumeGb']);
  });
});

describe('estimates from the table', () => {
  test('quickstart: the KMS key and six Intelligent-Tiering buckets', () => {
    const r = costReport(example('quickstart'));
    const s3 = US.s3 as Record<string, number>;
    const gb = 100 / 6;
    const expected = 1 + 5 * itBucket(gb, s3) + itBucket(gb, s3, 'GLACIER');
    expect(r.total.asSpecified).toBeCloseTo(expected, 2);
    expect(r.total.withAdvice).toBe(r.total.asSpecified);
    expect(r.total.unknownComponents).toBe(0);
    expect(r.priceDate).toBe(PRICES.date);
  });

  test('llm-finetune-eks: the spot discount applies to the spot node group only', () => {
    const analyzed = example('llm-finetune-eks');
    const r = costReport(analyzed);
    const groups = Object.fromEntries(analyzed.resolved.eks!.nodeGroups.map((g) => [g.name, g]));
    const ebs = (name: string, nodeHours: number) =>
      (groups[name].diskSizeGiB * nodeHours * US.ebsGp3GbMonth!) / H;
    // h100-spot: 0 desired, 4 max x 20 training hours, p5.48xlarge at the spot discount.
    const spot = lineOf(r, 'eks/h100-spot');
    expect(spot.spot).toBe(true);
    expect(spot.usd).toBeCloseTo(
      80 * US.ec2!['p5.48xlarge'] * (1 - PRICES.spotDiscount.ec2) + ebs('h100-spot', 80),
      6,
    );
    // a100: on-demand, no discount.
    const od = lineOf(r, 'eks/a100');
    expect(od.spot).toBe(false);
    expect(od.usd).toBeCloseTo(40 * US.ec2!['p4d.24xlarge'] + ebs('a100', 40), 6);
    // system: 2 nodes all month, on-demand.
    expect(lineOf(r, 'eks/system').usd).toBeCloseTo(2 * H * US.ec2!['m7i.xlarge'] + ebs('system', 2 * H), 6);
    expect(lineOf(r, 'eks/cluster').usd).toBeCloseTo(H * US.eks!.clusterHour!, 6);
    // One NAT gateway, 100 GB; the nine interface endpoints EKS nodes need (docs/endpoints.md) in two AZs, 50 GB.
    expect(lineOf(r, 'network/nat').usd).toBeCloseTo(H * 0.045 + 100 * 0.045, 6);
    expect(lineOf(r, 'network/endpoints').usd).toBeCloseTo(9 * 2 * H * 0.01 + 50 * 0.01, 6);
    const sum = r.lines.reduce((s, l) => s + (l.usd ?? 0), 0);
    expect(r.total.asSpecified).toBeCloseTo(sum, 2);
    // With advice: the a100 group on spot.
    expect(lineOf(r, 'eks/a100').advice).toEqual(['eks/on-demand-gpu']);
    // Savings are whole cents, so the applied line is exact to the cent.
    expect(lineOf(r, 'eks/a100').withAdvice).toBeCloseTo(
      40 * US.ec2!['p4d.24xlarge'] * 0.4 + ebs('a100', 40),
      1,
    );
    expect(r.total.asSpecified - r.total.withAdvice).toBeCloseTo(40 * US.ec2!['p4d.24xlarge'] * 0.6, 1);
  });

  test('secure-baseline: endpoints, WAF and six years of logs in eu-central-1', () => {
    const r = costReport(example('secure-baseline'));
    const eu = PRICES.regions['eu-central-1'];
    expect(lineOf(r, 'network/endpoints').usd).toBeCloseTo(
      8 * 3 * H * eu.interfaceEndpoint!.hourPerAz! + 50 * 0.01,
      6,
    );
    expect(lineOf(r, 'security/waf').usd).toBeCloseTo(5 + 5 * 1, 6);
    expect(lineOf(r, 'logs/cloudwatch').usd).toBeCloseTo(10 * 0.63 + ((10 * 2192) / 30) * 0.0324, 6);
    expect(r.total.unknownComponents).toBe(0);
  });

  test('SageMaker training: the spot discount only when spot is on', () => {
    const kpis = {
      goals: { kpis: [{ name: 'auc', metric: 'm.auc', threshold: 0.8, direction: 'higher-is-better' }] },
    };
    const net = {
      network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } },
    };
    const t = (spot: boolean) =>
      costReport(
        analyze({
          ...MINIMAL,
          ...net,
          ...kpis,
          training: {
            algorithm: 'xgboost',
            version: '1.7-1',
            hyperparameters: { num_round: 10 },
            instanceType: 'ml.m5.2xlarge',
            instanceCount: 2,
            spot,
            data: { bucket: 'curated', prefix: 'x/' },
            code: { s3: 's3://acme-ml-code/demo/' },
            evaluation: { script: 'evaluate.py' },
          },
        }),
      );
    const rate = US.sagemaker!.training!['ml.m5.2xlarge'];
    const on = lineOf(t(true), 'training/jobs');
    const off = lineOf(t(false), 'training/jobs');
    expect(on).toMatchObject({ spot: true });
    expect(off).toMatchObject({ spot: false });
    expect(on.usd).toBeCloseTo(2 * 20 * rate * (1 - PRICES.spotDiscount.sagemakerTraining), 6);
    expect(off.usd).toBeCloseTo(2 * 20 * rate, 6);
    expect(lineOf(t(true), 'training/evaluation').usd).toBeCloseTo(
      4 * US.sagemaker!.processing!['ml.m5.xlarge'],
      6,
    );
  });

  test('SageMaker training from a base model: fineTuneHoursShare of the hours; no evaluation line without evaluation', () => {
    const base = {
      ...MINIMAL,
      network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } },
      goals: {
        kpis: [
          { name: 'f1', metric: 'val:f1', threshold: 0.8, direction: 'higher-is-better', source: 'training' },
        ],
      },
    };
    const training = {
      algorithm: 'pytorch',
      entryPoint: 'train.py',
      instanceType: 'ml.m5.2xlarge',
      spot: false,
      metricDefinitions: [{ name: 'val:f1', regex: 'f1=([0-9.]+)' }],
      data: { bucket: 'curated', prefix: 'x/' },
      code: { s3: 's3://acme-ml-code/demo/' },
    };
    const rate = US.sagemaker!.training!['ml.m5.2xlarge'];
    const scratch = costReport(analyze({ ...base, training }));
    const tuned = (usage: object = {}) =>
      costReport(
        analyze({
          ...base,
          usage,
          training: { ...training, baseModel: { s3: 's3://acme-models/m.tar.gz' } },
        }),
      );
    expect(lineOf(scratch, 'training/jobs').usd).toBeCloseTo(20 * rate, 6);
    expect(lineOf(tuned(), 'training/jobs').usd).toBeCloseTo(20 * 0.5 * rate, 6);
    expect(lineOf(tuned(), 'training/jobs').description).toContain('10 h (fine-tuning from a base model)');
    expect(lineOf(tuned({ fineTuneHoursShare: 0.2 }), 'training/jobs').usd).toBeCloseTo(20 * 0.2 * rate, 6);
    expect(scratch.lines.find((l) => l.component === 'training/evaluation')).toBeUndefined();
  });

  test('a price the table lacks makes its component unknown, listed and left out of the totals', () => {
    const r = costReport(example('tabular-xgboost'));
    const jobs = lineOf(r, 'training/jobs');
    expect(jobs.usd).toBeUndefined();
    expect(jobs.unknown).toEqual(['sagemaker training ml.m5.2xlarge in eu-west-1']);
    expect(r.unknownPrices).toContain('sagemaker training ml.m5.2xlarge in eu-west-1');
    expect(r.total.unknownComponents).toBeGreaterThan(0);
    const known = r.lines.reduce((s, l) => s + (l.usd ?? 0), 0);
    expect(r.total.asSpecified).toBeCloseTo(known, 2);
    expect(formatCostReport(r)).toMatch(/training\/jobs\s+unknown\s+unknown/);
  });

  test('Model Monitor: every scheduled run is a processing job', () => {
    const net = {
      network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } },
    };
    const r = costReport(
      analyze({
        ...MINIMAL,
        ...net,
        serving: { endpoints: [{ name: 'scorer', model: { registry: { version: 1 } } }] },
        monitoring: { endpoints: [{ name: 'scorer', dataQuality: { driftFeatures: ['amount'] } }] },
        usage: { monitoringJobMinutes: 12 },
      }),
    );
    // Hourly data quality: 730 runs x 12 minutes on ml.m5.xlarge.
    expect(lineOf(r, 'monitoring/scorer').usd).toBeCloseTo(
      730 * 0.2 * US.sagemaker!.processing!['ml.m5.xlarge'],
      6,
    );
  });

  test('inter-region ingest is priced in the source region', () => {
    const r = costReport(
      analyze({ ...MINIMAL, usage: { sourceDataRegion: 'eu-west-1', ingestGbPerMonth: 1000 } }),
    );
    expect(lineOf(r, 'storage/ingest').usd).toBeCloseTo(1000 * 0.02, 6);
    expect(lineOf(r, 'storage/ingest').withAdvice).toBe(0);
  });
});

describe('every example', () => {
  test.each(examples())(
    '$name: estimate, advice and diagram are consistent and deterministic',
    ({ file }) => {
      const analyzed = analyzeSpec(file, readFileSync(join(ROOT, file)));
      const r = costReport(analyzed);
      expect(r.total.asSpecified).toBeCloseTo(
        r.lines.reduce((sum, l) => sum + (l.usd ?? 0), 0),
        1,
      );
      expect(r.total.withAdvice).toBeLessThanOrEqual(r.total.asSpecified);
      for (const l of r.lines) expect(l.usd === undefined).toBe(l.unknown.length > 0);
      const components = new Set(r.lines.map((l) => l.component));
      for (const f of advise(analyzed)) if (f.component) expect(components).toContain(f.component);
      expect(renderMermaid(buildGraph(analyzed.resolved))).toBe(renderMermaid(buildGraph(analyzed.resolved)));
      expect(JSON.stringify(costReport(analyzed))).toBe(JSON.stringify(r));
    },
  );
});

describe('edge fleets: AWS IoT Greengrass per core device and month', () => {
  const EDGE = {
    name: 'cams',
    devices: 25,
    models: [{ name: 'detector', version: '1.0.0', artifact: { key: 'detector/model.tar.gz' } }],
  };
  const edgeIn = (region: string) =>
    costReport(
      analyze({
        ...MINIMAL,
        region,
        ...(region === 'us-east-1'
          ? {}
          : { network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: [`${region}a`, `${region}b`] } } }),
        serving: { edge: EDGE },
      }),
    );

  test('an example fleet is priced at the cited eu-west-1 rate, with its date and source', () => {
    const r = costReport(example('serverless-many-models'));
    const edge = lineOf(r, 'serving/edge');
    expect(PRICES.regions['eu-west-1'].greengrassCoreDeviceMonth).toBe(0.18);
    expect(edge.usd).toBeCloseTo(40 * 0.18, 6);
    expect(edge.unknown).toEqual([]);
    expect(r.coverage.greengrass?.priced?.date).toBe('2022-01-01');
    expect(formatCostReport(r)).toContain(
      'greengrass: prices of 2022-01-01 from https://huggingface.co/datasets/labofsahil/aws-pricing-dataset/',
    );
  });

  test('us-east-1 is priced from the pricing page; us-west-2 and eu-central-1 are refused, so unknown', () => {
    expect(lineOf(edgeIn('us-east-1'), 'serving/edge').usd).toBeCloseTo(25 * 0.16, 6);
    for (const region of ['us-west-2', 'eu-central-1']) {
      const r = edgeIn(region);
      expect(lineOf(r, 'serving/edge').usd).toBeUndefined();
      expect(r.unknownPrices).toContain(`greengrass core device-month in ${region}`);
      expect(formatCostReport(r)).toMatch(
        new RegExp(`greengrass: not priced in ${region}: No citable public source`),
      );
    }
  });
});

describe('pipeform cost', () => {
  const QUICKSTART = join(ROOT, 'examples', 'quickstart', 'pipeline.yaml');

  test('prints components, totals and the price date, the same every run', async () => {
    const a = await runCli(['cost', QUICKSTART]);
    expect(a).toMatchObject({ code: 0, stderr: '' });
    expect(a.stdout).toContain(`prices of ${PRICES.date}`);
    expect(a.stdout).toMatch(/^total\s+\d+\.\d\d\s+\d+\.\d\d$/m);
    // No timestamp: the only dates are the table's and those of the region's prices read on
    // another day (each printed once with its source).
    const dated = Object.values(US.provenance)
      .map((p) => p.date)
      .filter((d) => d !== PRICES.date);
    expect(a.stdout.match(/\d{4}-\d{2}-\d{2}/g)).toEqual([PRICES.date, ...dated]);
    expect((await runCli(['cost', QUICKSTART])).stdout).toBe(a.stdout);
  });

  test('--json', async () => {
    const r = JSON.parse((await runCli(['cost', '--json', QUICKSTART])).stdout);
    expect(r).toMatchObject({ pipeline: 'quickstart', region: 'us-east-1', priceDate: PRICES.date });
    expect(r.lines.map((l: { component: string }) => l.component)).toContain('storage/raw');
  });
});
