import { compileText, diagnosticsOf } from './harness/spec';
import { compileSpec } from '../src/compiler';
import { synthesizeTargets } from '../src/synth/targets';

const BASE = `apiVersion: pipeform/v1
name: demand
region: us-west-2
account: "111111111111"
tags:
  team: forecasting
network:
  vpc:
    cidr: 10.10.0.0/16
    availabilityZones: [us-west-2a]
`;

const compile = (text: string) => compileSpec('pipeline.yaml', Buffer.from(text));

describe('environments', () => {
  const text = `${BASE}environments:
  dev: {}
  prod:
    account: "222222222222"
    tags: {tier: production}
    network:
      vpc: {cidr: 10.20.0.0/16, availabilityZones: [us-west-2a, us-west-2b]}
    storage: {bucketPrefix: demand-prod}
`;
  const compiled = compile(text);

  test('one resolved spec per environment, named <name>-<environment>, with its overrides', () => {
    expect(compiled.environments.map((e) => e.environment)).toEqual(['dev', 'prod']);
    const [dev, prod] = compiled.environments.map((e) => e.resolved);
    expect([dev.name, prod.name]).toEqual(['demand-dev', 'demand-prod']);
    expect([dev.account, prod.account]).toEqual(['111111111111', '222222222222']);
    expect(prod.tags).toMatchObject({
      team: 'forecasting',
      tier: 'production',
      'pipeform:environment': 'prod',
    });
    expect(prod.storage.bucketPrefix).toBe('demand-prod');
    expect(dev.storage.bucketPrefix).toBe('demand-dev-111111111111-us-west-2');
    expect(prod.network?.mode === 'create' && prod.network.vpc.cidr).toBe('10.20.0.0/16');
  });

  test('parity by construction: both environments have the same components', () => {
    const { targets } = synthesizeTargets(compiled, 'pipeline.yaml');
    const areas = targets.map((t) => Object.keys(t.result.resourcesByArea).sort());
    expect(areas[0]).toEqual(areas[1]);
    const configs = targets.map((t) => JSON.parse(t.result.files.get('main.tf.json') as string));
    expect(configs.map((c) => c.provider.aws[0].allowed_account_ids)).toEqual([
      ['111111111111'],
      ['222222222222'],
    ]);
    const kinds = (c: { resource: Record<string, object> }) => Object.keys(c.resource).sort();
    expect(kinds(configs[0])).toEqual(kinds(configs[1]));
  });

  test('a spec without environments has none', () => {
    expect(compile(BASE).environments).toEqual([]);
  });

  test('a problem an override causes is reported inside the environment, naming it', () => {
    const ds = diagnosticsOf(`${BASE}environments:
  prod:
    network:
      vpc: {cidr: 10.20.0.0/16, availabilityZones: [eu-west-1a]}
`);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({
      rule: 'network/azs-in-region',
      line: 14,
      col: 53,
      path: 'network.vpc.availabilityZones[0]',
    });
    expect(ds[0].message).toBe(
      'environment prod: availability zone eu-west-1a is not in the pipeline region us-west-2',
    );
  });

  test('a problem of the shared spec is reported once, at the shared spec', () => {
    const ds = diagnosticsOf(
      `${BASE.replace('us-west-2a]', 'us-west-2a, eu-west-1a]')}environments:\n  dev: {}\n`,
    );
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ line: 10, rule: 'network/azs-in-region' });
  });

  test.each([
    [
      'environments/name-length',
      `${BASE.replace('name: demand', 'name: a-pipeline-named-at-leng')}environments:\n  production: {}\n`,
      12,
      3,
    ],
  ])('%s', (rule, spec, line, col) => {
    expect(diagnosticsOf(spec)[0]).toMatchObject({ rule, line, col });
  });

  test('overrides may only change where the pipeline runs, not what runs', () => {
    const [d] = diagnosticsOf(`${BASE}environments:\n  prod:\n    training: {}\n`);
    expect(d.message).toBe('unknown key "training"');
    expect(d.hint).toBe('allowed keys here: account, network, security, state, storage, tags');
  });

  test('compileText keeps working for specs with environments', () => {
    expect(compileText(text).name).toBe('demand');
  });
});
