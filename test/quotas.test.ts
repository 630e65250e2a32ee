import { stringify } from 'yaml';
import { compileSpec } from '../src/compiler';
import { SpecError, UsageError } from '../src/compiler/diagnostics';
import { pipelineSchema } from '../src/spec/schema';
import type { PolicyStatement } from '../src/constructs/iam/policy';
import {
  ATTACHED_POLICIES_DEFAULT,
  MANAGED_POLICY_CHARS,
  policyChars,
  ROLE_POLICY_CHARS,
} from '../src/constructs/iam/role-factory';
import { deployRoleSize } from '../src/areas/serving/deploy-role';
import type { ResolvedSpec } from '../src/model/resolved';
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

type Statement = PolicyStatement & { Sid: string; Resource: string | string[] };
type Main = {
  resource: Record<
    string,
    Record<string, { policy?: string; name?: string; role?: string; policy_arn?: string }>
  >;
};
/** The serving deploy role's policies: its inline one, or its managed ones by address. */
interface DeployPolicies {
  readonly inline?: Statement[];
  readonly managed: Map<string, Statement[]>;
  readonly attachments: number;
}
const deployPolicies = (main: Main): DeployPolicies => {
  const parse = (json: string) => (JSON.parse(json) as { Statement: Statement[] }).Statement;
  const inline = main.resource.aws_iam_role_policy?.serving_deploy?.policy;
  const managed = new Map(
    Object.entries(main.resource.aws_iam_policy ?? {})
      .filter(([k]) => k.startsWith('serving_deploy_policy'))
      .map(([k, v]) => [k, parse(v.policy!)]),
  );
  const attachments = Object.values(main.resource.aws_iam_role_policy_attachment ?? {}).filter(
    (a) => a.role === '${aws_iam_role.serving_deploy.name}',
  ).length;
  return { ...(inline ? { inline: parse(inline) } : {}), managed, attachments };
};
/**
 * The size model's prediction from the resolved spec alone (deployRoleSize, no synthesis)
 * against what synth wrote: the same attachments, and policy by policy the same statements
 * and the same size as IAM counts it.
 */
const expectPredicted = (resolved: ResolvedSpec, p: DeployPolicies, module = false) => {
  const size = deployRoleSize(resolved, { module })!;
  const managed = [...p.managed.entries()]
    .sort(([a], [b]) => Number(a.split('_').pop()) - Number(b.split('_').pop()))
    .map(([, statements]) => statements);
  const sids = (statements: readonly PolicyStatement[]) => statements.map((x) => x.Sid);
  expect(size.attachments).toBe(p.attachments);
  expect(size.managed.map(sids)).toEqual(managed.map(sids));
  expect(size.managed.map(policyChars)).toEqual(managed.map(policyChars));
  expect(sids(size.inline)).toEqual(sids(p.inline!));
  expect(policyChars(size.inline)).toBe(policyChars(p.inline!));
};
const allStatements = (p: DeployPolicies): Statement[] => [
  ...(p.inline ?? []),
  ...[...p.managed.values()].flat(),
];

/** IAM's wildcard match (`*` any run, `?` one character), case-sensitive as for ARNs. */
const globMatch = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);
/**
 * Whether any Allow statement grants `action` on `resource`. Conditions are taken as met
 * (the strictest reading for these tests: a statement only counts as not granting when its
 * Action or Resource excludes the request).
 */
const allows = (statements: readonly Statement[], action: string, resource: string): boolean =>
  statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      [s.Action].flat().some((a) => globMatch(a.toLowerCase(), action.toLowerCase())) &&
      [s.Resource].flat().some((r) => globMatch(r, resource)),
  );

/** What the deploy does to one endpoint `m<i>` of pipeline `pipeline`, as (action, ARN). */
const deployRequests = (pipeline: string, i: number): [string, string][] => {
  const sm = 'arn:aws:sagemaker:us-east-1:123456789012';
  return [
    ['sagemaker:CreateEndpoint', `${sm}:endpoint/${pipeline}-m${i}`],
    ['sagemaker:UpdateEndpoint', `${sm}:endpoint/${pipeline}-m${i}`],
    ['sagemaker:CreateModel', `${sm}:model/${pipeline}-m${i}-v1-abcdef`],
    ['sagemaker:DeleteModel', `${sm}:model/${pipeline}-m${i}-v1-abcdef`],
    ['sagemaker:DeleteEndpointConfig', `${sm}:endpoint-config/${pipeline}-m${i}-v1-abcdef`],
    ['iam:PassRole', `arn:aws:iam::123456789012:role/pipeform/${pipeline}-serving-m${i}`],
    [
      'cloudwatch:DescribeAlarms',
      `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${pipeline}-m${i}-client-errors`,
    ],
    ['ssm:PutParameter', `arn:aws:ssm:us-east-1:123456789012:parameter/pipeform/${pipeline}/serving/m${i}`],
  ];
};

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

  const deploys = new Map<number, DeployPolicies>();
  test('200 endpoints synthesize, each with its endpoint, in output that grows linearly', () => {
    const size = (n: number) => {
      const started = Date.now();
      const { resolved } = compile({ ...MINIMAL, ...NET, serving: { endpoints: endpoints(n) } });
      const result = synthesize(resolved);
      const main = JSON.parse(result.files.get(MAIN_FILE)!.toString()) as Main;
      deploys.set(n, deployPolicies(main));
      expectPredicted(resolved, deploys.get(n)!);
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
  }, 180_000);

  test('the deploy role of 200 endpoints: inline plus managed policies, each under its limit, within the default attachment quota', () => {
    const p = deploys.get(200)!;
    expect(policyChars(p.inline!)).toBeLessThanOrEqual(ROLE_POLICY_CHARS);
    expect(p.managed.size).toBeGreaterThan(1);
    expect(p.attachments).toBe(p.managed.size);
    expect(p.attachments).toBeLessThanOrEqual(ATTACHED_POLICIES_DEFAULT);
    for (const statements of p.managed.values())
      expect(policyChars(statements)).toBeLessThanOrEqual(MANAGED_POLICY_CHARS);
    // Stable ids counting from 1 in packing order.
    expect([...p.managed.keys()].sort()).toEqual(
      Array.from({ length: p.managed.size }, (_, i) => `serving_deploy_policy_${i + 1}`).sort(),
    );
    // Statement ids stay unique across the role's policies.
    const sids = allStatements(p).map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    // 20 endpoints fit inline, as before.
    expect(deploys.get(20)!.managed.size).toBe(0);
    expect(policyChars(deploys.get(20)!.inline!)).toBeLessThanOrEqual(ROLE_POLICY_CHARS);
  });

  test.each([20, 200])('%i endpoints: exact ARNs, no pipeline-wide pattern', (n) => {
    const statements = allStatements(deploys.get(n)!);
    const resources = statements.flatMap((s) => [s.Resource].flat());
    for (const wide of [
      ':endpoint/demo-*',
      ':endpoint-config/demo-*',
      ':model/demo-*',
      'role/pipeform/demo-serving-*',
      ':alarm:demo-*',
    ])
      expect(resources.filter((r) => r.endsWith(wide))).toEqual([]);
    // Every endpoint of the pipeline is reachable: each request is granted (the execution
    // roles are references until apply while the policy fits inline)...
    const references = resources.some((r) => r.startsWith('${aws_iam_role.serving_m'));
    for (let i = 0; i < n; i += 1)
      for (const [action, arn] of deployRequests('demo', i)) {
        if (action === 'iam:PassRole' && references) continue;
        expect([action, arn, allows(statements, action, arn)]).toEqual([action, arn, true]);
      }
    // ...and none of a pipeline `demo-eu` with the same endpoints in the same account.
    for (let i = 0; i < n; i += 1)
      for (const [action, arn] of deployRequests('demo-eu', i))
        expect([action, arn, allows(statements, action, arn)]).toEqual([action, arn, false]);
    // The pass-role grant names the endpoints' own roles, one each.
    const pass = statements.filter((s) => [s.Action].flat().includes('iam:PassRole'));
    expect(pass.flatMap((s) => [s.Resource].flat())).toHaveLength(n);
  });

  test('a few endpoints keep their exact ARNs in the deploy role', () => {
    const result = synthesize(compile({ ...MINIMAL, ...NET, serving: { endpoints: endpoints(3) } }).resolved);
    const main = JSON.parse(result.files.get(MAIN_FILE)!.toString()) as Main;
    const deploy = deployPolicies(main).inline!.find((x) => x.Sid === 'DeployEndpoints')!;
    expect([deploy.Resource].flat().filter((r) => r.includes(':endpoint/'))).toEqual([
      'arn:aws:sagemaker:us-east-1:123456789012:endpoint/demo-m0',
      'arn:aws:sagemaker:us-east-1:123456789012:endpoint/demo-m1',
      'arn:aws:sagemaker:us-east-1:123456789012:endpoint/demo-m2',
    ]);
  }, 60_000);
});

describe('the deploy role and quota L-0DA4ABF3 (10 managed policies by default)', () => {
  const attached = (n: number, quota?: number) => {
    const spec = {
      ...MINIMAL,
      ...NET,
      ...(quota === undefined ? {} : { usage: { appliedQuotas: { 'L-0DA4ABF3': quota } } }),
      serving: { endpoints: endpoints(n) },
    };
    const { resolved } = compile(spec);
    const main = JSON.parse(synthesize(resolved).files.get(MAIN_FILE)!.toString()) as Main;
    expectPredicted(resolved, deployPolicies(main));
    return deployPolicies(main).attachments;
  };
  const predicted = (n: number) =>
    deployRoleSize(compile({ ...MINIMAL, ...NET, serving: { endpoints: endpoints(n) } }).resolved)!
      .attachments;

  test('210 registry endpoints need 10 attachments and synthesize; 211 need 11 and are refused, naming the increase', () => {
    expect(attached(210)).toBe(10);
    // The size model says so before synthesis: 211 need 11, the count the refusal names.
    expect(predicted(211)).toBe(11);
    expect(() => attached(211)).toThrow(UsageError);
    expect(() => attached(211)).toThrow(
      /role demo-\S+ needs 11 managed policies attached, more than quota L-0DA4ABF3 .*the AWS default of 10.*--quota-code L-0DA4ABF3 --desired-value 11\)/,
    );
  }, 120_000);

  test('usage.appliedQuotas L-0DA4ABF3: 11 lets the 211 endpoints through', () => {
    expect(attached(211, 11)).toBe(11);
  }, 60_000);
});

describe('the deploy role size model (deployRoleSize) predicts what synth writes', () => {
  /** Registry endpoints that vary what the role names: scaling, rollback alarms, a shadow-free mix. */
  const mixed = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      name: `e${i}`,
      ...(i % 3 === 1 ? { autoscaling: { enabled: false } } : {}),
      ...(i % 4 === 2 ? { deployment: { autoRollback: { enabled: false } } } : {}),
      variants: [
        {
          name: 'main',
          model: { registry: { version: i % 2 === 0 ? 1 : 'latest-approved' } },
          instanceType: 'ml.m5.large',
        },
      ],
    }));
  const synthesized = (spec: object) => {
    const { resolved } = compile(spec);
    const main = JSON.parse(synthesize(resolved).files.get(MAIN_FILE)!.toString()) as Main;
    return { resolved, policies: deployPolicies(main) };
  };

  test.each([1, 50])(
    '%i registry endpoints',
    (n) => {
      const { resolved, policies } = synthesized({
        ...MINIMAL,
        ...NET,
        serving: { endpoints: endpoints(n) },
      });
      expectPredicted(resolved, policies);
      expect(deployRoleSize(resolved)!.endpoints).toBe(n);
    },
    60_000,
  );

  test('mixed endpoints (scaling off, alarms off, latest-approved) with an existing key, exact and compact', () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    for (const n of [5, 40]) {
      const { resolved, policies } = synthesized({
        ...MINIMAL,
        ...NET,
        security: { kms: { existingKeyArn: key } },
        serving: { endpoints: mixed(n) },
      });
      expectPredicted(resolved, policies);
    }
    // None scales and none has alarms: the role has no scaling and no alarm statements.
    const still = mixed(3).map((e) => ({
      ...e,
      autoscaling: { enabled: false },
      deployment: { autoRollback: { enabled: false } },
    }));
    const { resolved, policies } = synthesized({ ...MINIMAL, ...NET, serving: { endpoints: still } });
    expectPredicted(resolved, policies);
    expect(policies.inline!.map((x) => x.Sid)).not.toContain('ScaleVariants');
  }, 60_000);

  test('as a module, an existing key is an input reference: predicted with { module: true }', () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { resolved } = compile({
      ...MINIMAL,
      ...NET,
      security: { kms: { existingKeyArn: key } },
      serving: { endpoints: mixed(40) },
    });
    const main = JSON.parse(
      synthesize(resolved, 'pipeline.yaml', { module: true }).files.get(MAIN_FILE)!.toString(),
    ) as Main;
    expectPredicted(resolved, deployPolicies(main), true);
    // The key counts 128 characters twice instead of its ARN: the module's role is larger.
    const chars = (module: boolean) => {
      const size = deployRoleSize(resolved, { module })!;
      return [size.inline, ...size.managed].reduce((sum, x) => sum + policyChars(x), 0);
    };
    expect(chars(true) - chars(false)).toBe(2 * (128 - key.length));
  }, 60_000);

  test('no registry endpoint, no deploy role, no prediction', () => {
    const { resolved } = compile({ ...MINIMAL });
    expect(deployRoleSize(resolved)).toBeUndefined();
  });
});
