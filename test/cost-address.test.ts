import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { analyzeSpec } from '../src/compiler';
import {
  costOutput,
  costReport,
  coverage,
  formatCostReport,
  infracostUsageOf,
  PRICES,
  pricedServices,
  unitOf,
} from '../src/cost';
import { pipelineSchema } from '../src/spec/schema';
import { runCli } from './harness/cli';
import { examples, MINIMAL, ROOT } from './harness/spec';

const analyzeFile = (file: string) => analyzeSpec(file, readFileSync(join(ROOT, file)));
const analyze = (data: object) => analyzeSpec('pipeline.yaml', Buffer.from(stringify(data)));
const SCHEMA_REGIONS = (pipelineSchema as { properties: { region: { enum: string[] } } }).properties.region
  .enum;

/** Every resource address of a synthesized configuration. */
function addressesOf(example: string): Set<string> {
  const tf = JSON.parse(readFileSync(join(ROOT, 'generated', example, 'main.tf.json'), 'utf8')) as {
    resource: Record<string, Record<string, unknown>>;
  };
  return new Set(
    Object.entries(tf.resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)),
  );
}

describe('price table coverage', () => {
  test('every schema region x priced service is priced (date + source) or refused (reason)', () => {
    for (const region of SCHEMA_REGIONS)
      for (const service of pricedServices(PRICES)) {
        const c = coverage(PRICES, region, service);
        expect({ region, service, covered: c !== undefined }).toEqual({ region, service, covered: true });
        if (c?.priced) {
          expect(c.priced.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(c.priced.source).toMatch(/^https:\/\//);
        } else expect(c?.refused.length).toBeGreaterThan(40);
      }
  });

  test('a priced entry has prices, a refused service has none, and no region is both in the table and refused', () => {
    for (const [region, r] of Object.entries(PRICES.regions)) {
      expect(PRICES.refusedRegions[region]).toBeUndefined();
      for (const service of Object.keys(r.refused ?? {})) expect(r.provenance[service]).toBeUndefined();
    }
    // SageMaker in eu-west-1 is priced from a cited bill; in eu-central-1 it is refused with the reason.
    expect(coverage(PRICES, 'eu-west-1', 'sagemaker')?.priced?.source).toContain('sagemaker-ssh-helper');
    expect(PRICES.regions['eu-west-1'].sagemaker?.hosting?.['ml.m5.xlarge']).toBe(0.257);
    expect(coverage(PRICES, 'eu-central-1', 'sagemaker')?.refused).toMatch(/no citable public source/i);
  });

  test('an EU spec prices its SageMaker items and names the refusals', () => {
    const r = costReport(
      analyze({
        ...MINIMAL,
        region: 'eu-west-1',
        network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'] } },
        serving: {
          endpoints: [
            {
              name: 'scorer',
              variants: [{ name: 'main', model: { registry: { version: 1 } }, instanceType: 'ml.m5.xlarge' }],
            },
          ],
        },
      }),
    );
    const serving = r.lines.find((l) => l.component === 'serving/scorer');
    expect(serving?.usd).toBeCloseTo(0.257 * PRICES.hoursPerMonth, 6);
    const text = formatCostReport(r);
    expect(text).toContain('sagemaker: prices of 2023-12-31 from https://github.com/aws-samples/');
    expect(text).toMatch(/emr: not priced in eu-west-1: /);
  });

  test('a region without prices is refused by pipeform cost, at the region, with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-cost-'));
    try {
      const spec = join(dir, 'pipeline.yaml');
      writeFileSync(spec, stringify({ ...MINIMAL, region: 'ap-south-2' }));
      const usage = join(dir, 'infracost-usage.yml');
      const r = await runCli(['cost', spec, '--infracost-usage', usage]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /pipeline\.yaml:\d+:\d+: region: pipeform cost has no prices for ap-south-2: /,
      );
      expect(r.stderr).toContain('priced regions: eu-central-1, eu-west-1, us-east-1, us-west-2');
      expect(r.stdout).toBe('');
      // The HTML report shows the refusal instead of a total of 0.00.
      const { renderHtmlReport } = await import('../src/graph/html');
      const html = renderHtmlReport(analyzeSpec(spec, readFileSync(spec)), {});
      expect(html).toContain('<p id="cost-refused">No prices for ap-south-2: the bundled price table');
      // The usage file needs no prices, so it is still written.
      expect(existsSync(usage)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('totals never hide unknown components', () => {
  const r = costReport(analyzeFile(join('examples', 'tabular-xgboost', 'pipeline.yaml')));

  test('text, JSON and the address view say how many are unknown', () => {
    expect(r.total.unknownComponents).toBeGreaterThan(0);
    const n = r.total.unknownComponents;
    expect(formatCostReport(r)).toMatch(
      new RegExp(`^total\\s+[\\d,]+\\.\\d\\d \\+ ${n} unknown\\s+[\\d,]+\\.\\d\\d \\+ ${n} unknown$`, 'm'),
    );
    const json = JSON.parse(
      costOutput(analyzeFile(join('examples', 'tabular-xgboost', 'pipeline.yaml')), { json: true }),
    );
    expect(json.total.unknownComponents).toBe(n);
    expect(
      costOutput(analyzeFile(join('examples', 'tabular-xgboost', 'pipeline.yaml')), { by: 'address' }),
    ).toMatch(new RegExp(`^total\\s+[\\d,]+\\.\\d\\d \\+ ${n} unknown$`, 'm'));
  });

  test('the HTML report card says it too', async () => {
    const { renderHtmlReport } = await import('../src/graph/html');
    const analyzed = analyzeFile(join('examples', 'tabular-xgboost', 'pipeline.yaml'));
    const html = renderHtmlReport(analyzed, {});
    expect(html).toMatch(
      new RegExp(
        `monthly cost as specified<b>[\\d,]+\\.\\d\\d \\+ ${r.total.unknownComponents} unknown USD</b>`,
      ),
    );
  });
});

describe('pipeform cost --by address', () => {
  test.each(examples().filter(({ name }) => existsSync(join(ROOT, 'generated', name, 'main.tf.json'))))(
    '$name: every address exists in the synthesized Terraform and the items add up to the components',
    ({ name, file }) => {
      const r = costReport(analyzeFile(file));
      const synthesized = addressesOf(name);
      for (const l of r.byAddress) if (l.address !== undefined) expect(synthesized).toContain(l.address);
      for (const line of r.lines) {
        const parts = r.byAddress.filter((a) => a.component === line.component);
        expect(parts.length).toBeGreaterThan(0);
        if (line.usd !== undefined)
          expect(parts.reduce((s, p) => s + (p.monthly ?? NaN), 0)).toBeCloseTo(line.usd, 6);
        else expect(parts.every((p) => p.monthly === undefined)).toBe(true);
        for (const p of parts)
          for (const i of p.items) {
            expect(i.unit).not.toBe('units');
            if (i.unit === 'not estimated') expect(i.unitPrice).toBeUndefined();
            if (i.unitPrice !== undefined) expect(i.monthly).toBeCloseTo(i.quantity * i.unitPrice, 9);
          }
      }
    },
  );

  test('marks usage-based quantities and always-on ones apart', () => {
    const r = costReport(analyzeFile(join('examples', 'complete', 'pipeline.yaml')));
    const nat = r.byAddress.find((l) => l.address?.startsWith('aws_nat_gateway.'));
    expect(nat?.items.map((i) => [i.what, i.unit, i.usageBased])).toEqual([
      ['NAT gateway hour', 'hours', false],
      ['NAT gateway GB processed', 'GB', true],
    ]);
    expect(unitOf('sagemaker hosting ml.m5.xlarge')).toBe('instance-hours');
    // Spot quantities say so, at the discounted unit price.
    const spot = r.byAddress.find((l) => l.address === 'aws_eks_node_group.eks_gpu_spot')?.items[0];
    expect(spot).toMatchObject({ what: 'ec2 g5.12xlarge', spot: true, unit: 'instance-hours' });
    expect(spot?.unitPrice).toBeCloseTo(
      PRICES.regions['us-east-1'].ec2!['g5.12xlarge'] * (1 - PRICES.spotDiscount.ec2),
      9,
    );
    expect(
      r.byAddress.find((l) => l.address === 'aws_eks_node_group.eks_system')?.items[0].spot,
    ).toBeUndefined();
  });

  test('the CLI prints it, and --json holds it', async () => {
    const file = join(ROOT, 'examples', 'complete', 'pipeline.yaml');
    const text = await runCli(['cost', '--by', 'address', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^aws_sagemaker_endpoint\.serving_scorer\s+[\d,]+\.\d\d$/m);
    expect(text.stdout).toMatch(/^ {2}NAT gateway GB processed \*\s+100\s+GB\s+0\.045\s+4\.50$/m);
    const json = JSON.parse((await runCli(['cost', '--json', file])).stdout);
    expect(json.byAddress.find((l: { address?: string }) => l.address === 'aws_kms_key.kms')).toMatchObject({
      monthly: 1,
      items: [{ what: 'kms key-month', quantity: 1, unit: 'months', unitPrice: 1, usageBased: false }],
    });
    expect((await runCli(['cost', '--by', 'resource', file])).code).toBe(2);
  });
});

describe('pipeform cost --infracost-usage', () => {
  test('writes version 0.1 resource_usage keyed by synthesized addresses, with the usage assumptions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-usage-'));
    try {
      const out = join(dir, 'infracost-usage.yml');
      const file = join(ROOT, 'examples', 'complete', 'pipeline.yaml');
      const r = await runCli(['cost', file, '--infracost-usage', out]);
      expect(r.code).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(text).toContain('infracost-usage-example.yml');
      const usage = parse(text) as {
        version: number;
        resource_usage: Record<string, Record<string, unknown>>;
      };
      expect(usage.version).toBe(0.1);
      const synthesized = addressesOf('complete');
      for (const address of Object.keys(usage.resource_usage)) expect(synthesized).toContain(address);
      const analyzed = analyzeFile(join('examples', 'complete', 'pipeline.yaml'));
      expect(usage.resource_usage['aws_nat_gateway.network_nat_us_east_1a']).toEqual({
        monthly_data_processed_gb: 100,
      });
      expect(usage.resource_usage['aws_lambda_function.lambda_validate_payments']).toEqual({
        monthly_requests: 100000,
        request_duration_ms: 500,
      });
      expect(usage.resource_usage['aws_glue_job.glue_jobs_sessionize']).toEqual({ monthly_hours: 10 });
      const raw = usage.resource_usage['aws_s3_bucket.lake_raw'] as {
        intelligent_tiering: Record<string, number>;
      };
      expect(Object.keys(raw.intelligent_tiering).sort()).toEqual(
        ['frequent_access_storage_gb', 'infrequent_access_storage_gb', 'monitored_objects'].sort(),
      );
      // Stated usage flows through.
      const stated = infracostUsageOf(
        analyze({
          ...MINIMAL,
          orchestration: {
            functions: [
              { name: 'f', code: { s3: 's3://acme-artifacts/lambda/f.zip' }, handler: 'index.handler' },
            ],
          },
          usage: { functionInvocationsPerMonth: 5000, functionDurationMs: 80 },
        }),
      );
      expect(stated).toMatch(
        / {2}aws_lambda_function\.lambda_f:\n {4}monthly_requests: 5000\n {4}request_duration_ms: 80\n/,
      );
      expect(analyzed.resolved.name).toBe('fraud');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('addresses the examples do not have', () => {
  test('notebook instances, EMR Serverless and a monitor with model quality name synthesized resources', async () => {
    const { synthesize } = await import('../src/synth/synth');
    const analyzed = analyze({
      ...MINIMAL,
      network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } },
      notebooks: { instances: [{ name: 'explore' }] },
      data: {
        emr: {
          mode: 'serverless',
          applications: ['Hive'],
          serverless: { architecture: 'arm64', maxVcpu: 64 },
        },
      },
      serving: {
        endpoints: [
          {
            name: 'scorer',
            variants: [{ name: 'main', model: { registry: { version: 1 } }, instanceType: 'ml.m5.large' }],
          },
        ],
      },
      monitoring: {
        endpoints: [
          { name: 'scorer', modelQuality: { problemType: 'regression', groundTruth: { bucket: 'curated' } } },
        ],
      },
    });
    const tf = JSON.parse(synthesize(analyzed.resolved).files.get('main.tf.json') as string) as {
      resource: Record<string, Record<string, unknown>>;
    };
    const synthesized = new Set(
      Object.entries(tf.resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)),
    );
    const r = costReport(analyzed);
    const addresses = r.byAddress.flatMap((l) => (l.address ? [l.address] : []));
    expect(addresses).toEqual(
      expect.arrayContaining([
        'aws_sagemaker_notebook_instance.notebooks_explore',
        'aws_emrserverless_application.emr',
        'aws_sagemaker_monitoring_schedule.monitoring_monitors_scorer_data_quality',
      ]),
    );
    for (const a of addresses) expect(synthesized).toContain(a);
  });
});
