import { stringify } from 'yaml';
import { compileSpec } from '../src/compiler';
import { SpecError } from '../src/compiler/diagnostics';
import { pipelineSchema } from '../src/spec/schema';
import type { PolicyStatement } from '../src/constructs/iam/policy';
import { policyChars, ROLE_POLICY_CHARS } from '../src/constructs/serving/deploy';
import { MAIN_FILE, synthesize } from '../src/synth/synth';
import type { Schema } from './harness/schema';
import { MINIMAL } from './harness/spec';

/**
 * Caps from AWS quotas (issue 17): a list pipeform capped where AWS has only a soft quota (a
 * default the account can raise) has no cap, and says which quota applies instead.
 */
const NET = { network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } } };
const endpoints = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `m${i}`,
    variants: [{ name: 'main', model: { registry: { version: 1 } }, instanceType: 'ml.m5.large' }],
  }));
const compile = (data: object) => compileSpec('pipeline.yaml', Buffer.from(stringify(data)));
const errors = (data: object): string[] => {
  try {
    compile(data);
    return [];
  } catch (e) {
    if (e instanceof SpecError) return e.diagnostics.map((d) => `${d.path}: ${d.message}`);
    throw e;
  }
};

/** The subschema at a JSON pointer `#/definitions/<def>/properties/<prop>`. */
const at = (def: string, prop: string): Schema =>
  ((pipelineSchema.definitions as Record<string, Schema>)[def].properties as Record<string, Schema>)[prop];

describe('no pipeform cap where AWS has only a soft quota', () => {
  test.each([
    ['serving', 'endpoints', 'L-7A3DF611'],
    ['monitoring', 'endpoints', 'serving.endpoints'],
    ['cicdDeploy', 'endpoints', 'serving.endpoints'],
    ['usage', 'endpoints', 'serving.endpoints'],
    ['glue', 'databases', 'L-F953935E'],
    ['glue', 'crawlers', 'L-11FA2C1A'],
    ['glue', 'jobs', 'L-611FDDE4'],
    ['glue', 'workflows', 'L-7DD7C33A'],
    ['orchestration', 'functions', 'L-2ACBD22F'],
    ['eks', 'nodeGroups', 'L-6D54EA21'],
    ['features', 'groups', 'soft SageMaker quota'],
    ['notebooks', 'instances', 'L-04CE2E67'],
  ])('%s.%s: no maxItems/maxProperties, and a $comment naming %s', (def, prop, source) => {
    const s = at(def, prop);
    expect(s.maxItems).toBeUndefined();
    expect(s.maxProperties).toBeUndefined();
    expect(s.$comment).toContain(source);
  });
});

type DeployPolicy = { Statement: (PolicyStatement & { Sid: string; Resource: string | string[] })[] };
const policies = new Map<number, DeployPolicy>();

describe('more than 20 endpoints (the old cap)', () => {
  test('21 endpoints validate and compile', () => {
    expect(errors({ ...MINIMAL, ...NET, serving: { endpoints: endpoints(21) } })).toEqual([]);
  });

  test('a hard limit stays: more than 10 production variants is refused', () => {
    const variants = Array.from({ length: 11 }, (_, i) => ({
      name: `v${i}`,
      model: { registry: { version: 1 } },
      instanceType: 'ml.m5.large',
    }));
    expect(errors({ ...MINIMAL, ...NET, serving: { endpoints: [{ name: 'wide', variants }] } })).toEqual([
      expect.stringMatching(/variants/),
    ]);
  });

  test('a glue catalog of 60 databases validates (the old cap was 50)', () => {
    const databases = Array.from({ length: 60 }, (_, i) => ({ name: `db${i}` }));
    expect(errors({ ...MINIMAL, data: { glue: { databases } } })).toEqual([]);
  });

  test('200 endpoints synthesize, each with its endpoint, in output that grows linearly', () => {
    const size = (n: number) => {
      const started = Date.now();
      const result = synthesize(
        compile({ ...MINIMAL, ...NET, serving: { endpoints: endpoints(n) } }).resolved,
      );
      const main = JSON.parse(result.files.get(MAIN_FILE)!.toString()) as {
        resource: Record<string, Record<string, { policy?: string }>>;
      };
      policies.set(n, JSON.parse(main.resource.aws_iam_role_policy.serving_deploy.policy!) as DeployPolicy);
      const bytes = [...result.files.values()].reduce((sum, f) => sum + f.length, 0);
      return {
        endpoints: Object.keys(main.resource.aws_sagemaker_endpoint ?? {}).length,
        bytes,
        ms: Date.now() - started,
      };
    };
    const few = size(20);
    const many = size(200);
    expect(few.endpoints).toBe(20);
    expect(many.endpoints).toBe(200);
    // Per-endpoint output is constant: 10x the endpoints is at most 10x the bytes (shared parts
    // such as the network are written once), so nothing grows with the square of the count.
    expect(many.bytes).toBeLessThan(10 * few.bytes);
    expect(many.bytes).toBeGreaterThan(5 * few.bytes);
    // Measured 12 s on a shared 2-core machine (compile under 1 s): generous against load.
    expect(many.ms).toBeLessThan(90_000);

    // The deploy role fits IAM's role policy size: exact ARNs while they fit, else the
    // pipeline's name prefix.
    const resources = (n: number, sid: string) =>
      [policies.get(n)!.Statement.find((x) => x.Sid === sid)!.Resource].flat();
    for (const n of [20, 200]) {
      expect(policyChars(policies.get(n)!.Statement)).toBeLessThanOrEqual(ROLE_POLICY_CHARS);
      expect(resources(n, 'DeployEndpoints')).toContain(
        'arn:aws:sagemaker:us-east-1:123456789012:endpoint/demo-*',
      );
      expect(resources(n, 'PassEndpointExecutionRoles')).toEqual([
        'arn:aws:iam::123456789012:role/pipeform/demo-serving-*',
      ]);
      expect(resources(n, 'ReadWriteLedgers')).toEqual([
        'arn:aws:ssm:us-east-1:123456789012:parameter/pipeform/demo/serving/*',
      ]);
    }
  }, 180_000);

  test('a few endpoints keep their exact ARNs in the deploy role', () => {
    const result = synthesize(compile({ ...MINIMAL, ...NET, serving: { endpoints: endpoints(3) } }).resolved);
    const main = JSON.parse(result.files.get(MAIN_FILE)!.toString()) as {
      resource: Record<string, Record<string, { policy?: string }>>;
    };
    const policy = JSON.parse(main.resource.aws_iam_role_policy.serving_deploy.policy!) as DeployPolicy;
    const deploy = policy.Statement.find((x) => x.Sid === 'DeployEndpoints')!;
    expect([deploy.Resource].flat().filter((r) => r.includes(':endpoint/'))).toEqual([
      'arn:aws:sagemaker:us-east-1:123456789012:endpoint/demo-m0',
      'arn:aws:sagemaker:us-east-1:123456789012:endpoint/demo-m1',
      'arn:aws:sagemaker:us-east-1:123456789012:endpoint/demo-m2',
    ]);
  }, 60_000);
});
