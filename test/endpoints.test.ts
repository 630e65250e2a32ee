import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { compileSpec } from '../src/compiler';
import { formatPath, SpecError, type Diagnostic } from '../src/compiler/diagnostics';
import {
  declaredWorkloads,
  derivedInterfaceEndpoints,
  endpointsOf,
  INTERFACE_ENDPOINT_NAMES,
  WORKLOAD_ENDPOINTS,
  type WorkloadKind,
} from '../src/areas/network/catalog';
import { renderEndpointDocs } from '../src/docs/endpoints';
import type { PipelineSpec } from '../src/spec/types.generated';
import { testRuleCases, type RuleCase } from './harness/rules';
import { compileData, examples, MINIMAL, ROOT } from './harness/spec';

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'pipeline.schema.json'), 'utf8'));

/** Every check diagnostic of a spec (none when it compiles). */
function diagnostics(spec: object): Diagnostic[] {
  try {
    compileSpec('pipeline.yaml', Buffer.from(stringify(spec)));
    return [];
  } catch (e) {
    if (e instanceof SpecError) return [...e.diagnostics];
    throw e;
  }
}
const endpointProblems = (spec: object) =>
  diagnostics(spec).filter((d) => d.rule === 'network/workload-endpoints');

/**
 * The example specs with a VPC pipeform creates, plus mlops-cicd with its build in the VPC
 * (CodeBuild, resolving its GitHub token from Secrets Manager) and batch-etl reading the CRM
 * password from Parameter Store instead of Secrets Manager.
 */
function specsWithWorkloads(): { name: string; spec: PipelineSpec }[] {
  const specs = examples().map(({ name, file }) => ({
    name,
    spec: parse(readFileSync(join(ROOT, file), 'utf8')) as PipelineSpec,
  }));
  const cicd = specs.find((s) => s.name === 'mlops-cicd')!.spec;
  const etl = specs.find((s) => s.name === 'batch-etl')!.spec;
  const sessionize = etl.data!.glue!.jobs!.find((j) => j.name === 'sessionize')!;
  const jobs = etl.data!.glue!.jobs!.map((j) =>
    j === sessionize
      ? { ...j, arguments: { ...j.arguments, '--crm_db_password': { parameter: '/clicks/crm-db-password' } } }
      : j,
  );
  return [
    ...specs,
    {
      name: 'mlops-cicd with the build in the VPC',
      spec: { ...cicd, cicd: { ...cicd.cicd!, build: { ...cicd.cicd!.build, vpc: true } } },
    },
    {
      name: 'batch-etl reading a parameter',
      spec: { ...etl, data: { ...etl.data, glue: { ...etl.data!.glue, jobs } } } as PipelineSpec,
    },
  ].filter((s) => s.spec.network?.vpc !== undefined);
}

/** The spec without NAT and without derived endpoints, offering exactly `interfaces`. */
function withoutNat(spec: PipelineSpec, interfaces: string[]): PipelineSpec {
  const vpc = { ...spec.network!.vpc!, natGateways: 'none' as const, publicSubnets: false };
  return {
    ...spec,
    network: { ...spec.network, vpc, endpoints: { derive: false, interface: interfaces } },
  } as PipelineSpec;
}

describe('the endpoint table', () => {
  test('the schema accepts exactly the endpoints the table knows', () => {
    expect(schema.definitions.interfaceEndpointName.enum).toEqual(INTERFACE_ENDPOINT_NAMES);
  });

  test.each(Object.entries(WORKLOAD_ENDPOINTS))(
    '%s: every endpoint says why the workload calls it, and the entry cites AWS documentation',
    (_kind, w) => {
      for (const why of Object.values(w.needs)) expect(why!.length).toBeGreaterThan(20);
      expect(w.sources.length).toBeGreaterThan(0);
      for (const src of w.sources) expect(src).toMatch(/^https:\/\//);
    },
  );

  test('EKS nodes get what a cluster without NAT needs (so issue 14 can drop the NAT requirement)', () => {
    expect(endpointsOf('eks-nodes')).toEqual([
      'autoscaling',
      'ec2',
      'ecr-api',
      'ecr-dkr',
      'eks',
      'eks-auth',
      'elasticloadbalancing',
      'logs',
      'sts',
    ]);
  });

  test('readers of references need the service that holds them, and nothing else (KMS is called on the service side)', () => {
    expect(endpointsOf('secret-readers')).toEqual(['secretsmanager']);
    expect(endpointsOf('parameter-readers')).toEqual(['ssm']);
  });

  test('EMR nodes need KMS (local-disk encryption) and, with the Glue catalog, Glue; Glue jobs KMS for CSE-KMS bookmarks', () => {
    expect(endpointsOf('emr-cluster')).toEqual(['kms']);
    expect(endpointsOf('emr-glue-catalog')).toEqual(['glue']);
    expect(endpointsOf('glue-jobs')).toEqual(['glue', 'kms', 'logs', 'monitoring']);
  });

  test('docs/endpoints.md is rendered from the table and is fresh (npm run gen:docs)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'endpoints.md'), 'utf8')).toBe(renderEndpointDocs());
  });
});

describe('derivation', () => {
  const NET = { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a'] } };
  const GLUE = { glue: { jobs: [{ name: 'clean', script: 's3://acme-shared-code/clean.py' }] } };
  const endpointsOfSpec = (spec: object) => {
    const n = compileData(spec).network;
    return n?.mode === 'create' ? n.endpoints.interface : undefined;
  };

  test('a created VPC gets what its workloads need, plus what the user lists', () => {
    expect(endpointsOfSpec({ ...MINIMAL, network: NET, data: GLUE })).toEqual([
      'glue',
      'kms',
      'logs',
      'monitoring',
    ]);
    expect(
      endpointsOfSpec({
        ...MINIMAL,
        network: { ...NET, endpoints: { interface: ['states', 'glue'] } },
        data: GLUE,
      }),
    ).toEqual(['glue', 'kms', 'logs', 'monitoring', 'states']);
  });

  test('no workloads, no interface endpoints; derive: false keeps only the listed ones', () => {
    expect(endpointsOfSpec({ ...MINIMAL, network: NET })).toEqual([]);
    expect(
      endpointsOfSpec({
        ...MINIMAL,
        // With NAT the opt-out is allowed: the Glue job reaches its APIs through the NAT.
        network: {
          vpc: { ...NET.vpc, publicSubnets: true, natGateways: 'single' },
          endpoints: { derive: false, interface: ['sts'] },
        },
        data: GLUE,
      }),
    ).toEqual(['sts']);
  });

  test('a workload outside the VPC needs nothing: serverless endpoints, EMR Serverless without a network', () => {
    expect(
      declaredWorkloads({
        ...MINIMAL,
        network: NET,
        serving: { endpoints: [{ name: 'a', type: 'serverless' }] },
      } as unknown as PipelineSpec),
    ).toEqual([]);
    expect(declaredWorkloads({ ...MINIMAL, data: { emr: { mode: 'serverless' } } } as PipelineSpec)).toEqual(
      [],
    );
  });

  describe('readers of secret references', () => {
    const job = (args: object) => ({
      glue: { jobs: [{ name: 'clean', script: 's3://acme-shared-code/clean.py', arguments: args }] },
    });
    const readers = (spec: object) =>
      declaredWorkloads(spec as PipelineSpec)
        .filter((w) => w.kind === 'secret-readers' || w.kind === 'parameter-readers')
        .map((w) => `${w.kind} ${formatPath(w.path)}`);

    test('a Glue job holding a secret gets secretsmanager, one holding a parameter ssm', () => {
      expect(
        endpointsOfSpec({ ...MINIMAL, network: NET, data: job({ '--db-password': { secret: 'demo/db' } }) }),
      ).toEqual(['glue', 'kms', 'logs', 'monitoring', 'secretsmanager']);
      expect(
        endpointsOfSpec({
          ...MINIMAL,
          network: NET,
          data: job({ '--db-password': { parameter: '/demo/db' } }),
        }),
      ).toEqual(['glue', 'kms', 'logs', 'monitoring', 'ssm']);
    });

    test('one declaration per reader and service, at its first reference', () => {
      const data = job({
        '--a-password': { secret: 'demo/a' },
        '--b-password': { secret: 'demo/b' },
        '--c-token': { parameter: '/demo/c' },
        '--host': 'db.internal',
      });
      expect(readers({ ...MINIMAL, network: NET, data })).toEqual([
        'secret-readers data.glue.jobs[0].arguments.--a-password',
        'parameter-readers data.glue.jobs[0].arguments.--c-token',
      ]);
    });

    test('no network, no reader in it; plain values need nothing', () => {
      expect(readers({ ...MINIMAL, data: job({ '--db-password': { secret: 'demo/db' } }) })).toEqual([]);
      expect(readers({ ...MINIMAL, network: NET, data: job({ '--db-host': 'db.internal' }) })).toEqual([]);
    });

    test('readers outside the subnets or cut off from them declare nothing', () => {
      const model = {
        artifact: { key: 'm/model.tar.gz' },
        builtinImage: { framework: 'xgboost', version: '1.7-1' },
        environment: { API_KEY: { secret: 'demo/k' } },
      };
      const endpoint = (extra: object) => ({ serving: { endpoints: [{ name: 'scorer', model, ...extra }] } });
      // Serverless endpoints run outside the VPC; an isolated container reaches no endpoint.
      expect(readers({ ...MINIMAL, network: NET, ...endpoint({ type: 'serverless' }) })).toEqual([]);
      expect(readers({ ...MINIMAL, network: NET, ...endpoint({}) })).toEqual([]);
      expect(readers({ ...MINIMAL, network: NET, ...endpoint({ networkIsolation: false }) })).toEqual([
        'secret-readers serving.endpoints[0].model.environment.API_KEY',
      ]);
      const build = (vpc: boolean) => ({
        cicd: { build: { vpc, environment: { GITHUB_TOKEN: { secret: 'demo/github' } } } },
      });
      expect(readers({ ...MINIMAL, network: NET, ...build(false) })).toEqual([]);
      expect(readers({ ...MINIMAL, network: NET, ...build(true) })).toEqual([
        'secret-readers cicd.build.environment.GITHUB_TOKEN',
      ]);
    });
  });

  test('adding a workload only adds endpoints: what other workloads derived stays (addresses come from the names)', () => {
    for (const { name, spec } of specsWithWorkloads()) {
      const all = derivedInterfaceEndpoints(spec);
      for (const w of declaredWorkloads(spec)) {
        for (const e of endpointsOf(w.kind))
          expect({ name, kind: w.kind, has: all.includes(e) }).toEqual({ name, kind: w.kind, has: true });
      }
    }
  });
});

describe('network/workload-endpoints', () => {
  const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
  /** A Glue job (line 8) in a VPC without NAT (lines 9-15). */
  const GLUE = `${HEAD}data:
  glue:
    jobs:
      - {name: clean, script: s3://acme-shared-code/clean.py}
network:
  vpc:
    cidr: 10.0.0.0/16
    availabilityZones: [us-east-1a]
  endpoints:
    derive: false
    interface: [glue, kms, logs, monitoring]
`;
  const EXISTING = `${HEAD}data:
  glue:
    jobs:
      - {name: clean, script: s3://acme-shared-code/clean.py}
network:
  existing:
    vpcId: vpc-0123456789abcdef0
    subnetIds: [subnet-0123456789abcdef0]
    securityGroupIds: [sg-0123456789abcdef0]
    egress: endpoints
    interfaceEndpoints: [glue, kms, logs, monitoring]
`;
  /** A Glue job holding a secret reference (line 11) in a VPC without NAT or derived endpoints. */
  const SECRET = GLUE.replace(
    '      - {name: clean, script: s3://acme-shared-code/clean.py}\n',
    '      - name: clean\n        script: s3://acme-shared-code/clean.py\n        arguments:\n          --db-password: {secret: demo/db}\n',
  );
  const cases: RuleCase[] = [
    [
      'network/workload-endpoints',
      SECRET,
      11,
      26,
      'Workloads reading Secrets Manager references need the secretsmanager interface endpoint (secretsmanager: the workload reads each referenced secret with GetSecretValue from its subnets at run time), but the VPC has no NAT and does not provide it',
      SECRET.replace('[glue, kms, logs, monitoring]', '[glue, kms, logs, monitoring, secretsmanager]'),
    ],
    [
      'network/workload-endpoints',
      EXISTING.replace(
        '      - {name: clean, script: s3://acme-shared-code/clean.py}\n',
        '      - name: clean\n        script: s3://acme-shared-code/clean.py\n        arguments:\n          --db-password: {parameter: /demo/db}\n',
      ),
      11,
      26,
      'Workloads reading SSM parameter references need the ssm interface endpoint',
      EXISTING.replace(
        '      - {name: clean, script: s3://acme-shared-code/clean.py}\n',
        '      - name: clean\n        script: s3://acme-shared-code/clean.py\n        arguments:\n          --db-password: {parameter: /demo/db}\n',
      ).replace('[glue, kms, logs, monitoring]', '[glue, kms, logs, monitoring, ssm]'),
    ],
    [
      'network/workload-endpoints',
      GLUE.replace('[glue, kms, logs, monitoring]', '[glue, logs, monitoring]'),
      8,
      7,
      'Glue jobs need the kms interface endpoint (kms: job bookmarks are encrypted client-side with the key (CSE-KMS in the security configuration)), but the VPC has no NAT and does not provide it',
      GLUE,
    ],
    [
      'network/workload-endpoints',
      EXISTING.replace('[glue, kms, logs, monitoring]', '[glue, kms]'),
      8,
      7,
      'Glue jobs need the logs, monitoring interface endpoints',
      EXISTING,
    ],
  ];
  testRuleCases(cases);

  test('the hints say what to do for each kind of network', () => {
    const [created] = endpointProblems(parse(GLUE.replace('kms, ', '')));
    expect(created.hint).toBe(
      "remove 'derive: false' from network.endpoints (pipeform then creates what the workloads need), add kms to network.endpoints.interface, or give the VPC NAT (natGateways)",
    );
    const [existing] = endpointProblems(parse(EXISTING.replace('kms, ', '')));
    expect(existing.hint).toBe(
      'create the kms interface endpoint in vpc-0123456789abcdef0 and add it to network.existing.interfaceEndpoints, or set network.existing.egress: nat if the subnets reach the internet',
    );
  });

  test('NAT (created or existing) reaches every API: nothing is required', () => {
    const nat = parse(GLUE.replace('[glue, kms, logs, monitoring]', '[]'));
    nat.network.vpc = { ...nat.network.vpc, publicSubnets: true, natGateways: 'single' };
    expect(endpointProblems(nat)).toEqual([]);
    expect(
      endpointProblems(
        parse(EXISTING.replace('    egress: endpoints\n', '').replace('[glue, kms, logs, monitoring]', '[]')),
      ),
    ).toEqual([]);
  });

  // For every workload of every example: offering all it needs but one endpoint fails the check,
  // naming that endpoint at the workload; offering everything passes. So no derived endpoint
  // can be dropped from the table without a spec that needs it failing at check time.
  const removals = specsWithWorkloads().flatMap(({ name, spec }) =>
    declaredWorkloads(spec).flatMap((w) =>
      endpointsOf(w.kind).map((endpoint) => ({
        name,
        spec,
        kind: w.kind,
        path: formatPath(w.path),
        endpoint,
      })),
    ),
  );

  test('every workload kind with needs is exercised by some example', () => {
    const kinds = (Object.keys(WORKLOAD_ENDPOINTS) as WorkloadKind[]).filter(
      (k) => endpointsOf(k).length > 0,
    );
    expect([...new Set(removals.map((r) => r.kind))].sort()).toEqual(kinds.sort());
  });

  test.each(removals.map((r) => [r.name, r.path, r.endpoint, r] as const))(
    '%s: %s without %s fails the check',
    (_n, path, endpoint, r) => {
      const offered = derivedInterfaceEndpoints(r.spec).filter((e) => e !== endpoint);
      const problems = endpointProblems(withoutNat(r.spec, offered)).filter((d) => d.path === path);
      expect(problems).toHaveLength(1);
      expect(problems[0].message).toMatch(new RegExp(`need the (.*, )?${endpoint}(,| interface)`));
    },
  );

  test.each(specsWithWorkloads().map((s) => [s.name, s.spec] as const))(
    '%s: without NAT, exactly the derived endpoints satisfy the check',
    (_n, spec) => {
      expect(endpointProblems(withoutNat(spec, derivedInterfaceEndpoints(spec)))).toEqual([]);
    },
  );
});
