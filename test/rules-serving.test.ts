import { servingRules } from '../src/compiler/rules/serving';
import { compileText, diagnosticsOf } from './harness/spec';
import { testRuleCases, type RuleCase } from './harness/rules';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
const NET = 'network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a]\n';
const WAF = 'security:\n  waf: {}\n';
/** Serving starts on line 9 after HEAD + NET; the first endpoint's name is on line 11. */
const serving = (endpoints: string, head = HEAD + NET) => `${head}serving:\n  endpoints:\n${endpoints}`;
const REGISTRY = '      model: {registry: {version: 3}}\n';
const XGB = 'builtinImage: {framework: xgboost, version: 1.7-1}';
const SERVERLESS = `    - name: scorer\n      type: serverless\n      model: {artifact: {key: m/model.tar.gz}, ${XGB}}\n`;

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
const cases: RuleCase[] = [
  [
    'serving/edge',
    `${HEAD}serving:\n  edge:\n    models:\n      - {name: m, version: 1.0.0, artifact: {key: a.tar.gz}}\n      - {name: m, version: 1.0.1, artifact: {key: b.tar.gz}}\n`,
    9,
    16,
    'edge model name "m" is already used by serving.edge.models[0]',
    `${HEAD}serving:\n  edge:\n    models:\n      - {name: m, version: 1.0.0, artifact: {key: a.tar.gz}}\n      - {name: n, version: 1.0.1, artifact: {key: b.tar.gz}}\n`,
  ],
  [
    'serving/edge-registry',
    `${HEAD}serving:\n  edge:\n    models:\n      - {name: m}\n`,
    8,
    9,
    'has neither artifact nor registry: true',
    `${HEAD}serving:\n  edge:\n    models:\n      - {name: m, version: 1.0.0, artifact: {key: a.tar.gz}}\n`,
  ],
  [
    'serving/scale-to-zero',
    serving(
      `    - name: scorer\n${REGISTRY}      variants: [{name: primary, instanceType: ml.m5.large, minInstances: 0}]\n`,
    ),
    13,
    75,
    'endpoint "scorer" is realtime: it answers requests as they come, so it cannot scale to zero instances',
    serving(
      `    - name: scorer\n      type: async\n${REGISTRY}      variants: [{name: primary, instanceType: ml.m5.large, minInstances: 0}]\n`,
    ),
  ],
  [
    'serving/unique-names',
    serving(`    - name: scorer\n${REGISTRY}    - name: scorer\n${REGISTRY}`),
    13,
    13,
    'endpoint name "scorer" is already used by serving.endpoints[0]',
    serving(`    - name: scorer\n${REGISTRY}    - name: scorer-b\n${REGISTRY}`),
  ],
  [
    'serving/network',
    serving(`    - name: scorer\n${REGISTRY}`, HEAD),
    7,
    13,
    'endpoint "scorer" (realtime) runs in private subnets, but the spec has no network',
    serving(SERVERLESS, HEAD),
  ],
  [
    'serving/model-source',
    serving('    - name: scorer\n      model: {registry: {version: 3}, artifact: {key: a/model.tar.gz}}\n'),
    12,
    7,
    'a model has either registry or artifact, not both',
    serving(`    - name: scorer\n${REGISTRY}`),
  ],
  [
    'serving/bucket-reference',
    serving(
      `    - name: scorer\n      model:\n        artifact:\n          bucket: modles\n          key: a/model.tar.gz\n        ${XGB}\n`,
    ),
    14,
    19,
    '"modles" is not a bucket of the data lake; did you mean "models"?',
    serving(
      `    - name: scorer\n      model:\n        artifact:\n          bucket: models\n          key: a/model.tar.gz\n        ${XGB}\n`,
    ),
  ],
  [
    'serving/image-region',
    serving(
      '    - name: scorer\n      model:\n        artifact: {key: a/model.tar.gz}\n        image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/m:1\n',
    ),
    14,
    16,
    'the image is in ECR of region eu-west-1, but the pipeline region is us-east-1',
    serving(
      '    - name: scorer\n      model:\n        artifact: {key: a/model.tar.gz}\n        image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1\n',
    ),
  ],
  [
    'serving/instance-type',
    serving(
      `    - name: scorer\n${REGISTRY}      variants:\n        - name: a\n          instanceType: ml.c6i.larg\n`,
    ),
    15,
    25,
    '"ml.c6i.larg" is not a SageMaker inference instance type; did you mean "ml.c6i.large"?',
    serving(
      `    - name: scorer\n${REGISTRY}      variants:\n        - name: a\n          instanceType: ml.c6i.large\n`,
    ),
  ],
  [
    'serving/type-settings',
    serving(`    - name: scorer\n      type: serverless\n${REGISTRY}      variants:\n        - name: a\n`),
    14,
    7,
    'serverless endpoints have one implicit variant',
    serving(`    - name: scorer\n      type: serverless\n${REGISTRY}`),
  ],
  [
    'serving/multi-model',
    serving(
      '    - name: tenants\n      type: multi-model\n      model: {artifact: {key: t/}, builtinImage: {framework: sklearn, version: 1.2-1}}\n      variants:\n        - name: a\n        - name: b\n',
    ),
    14,
    7,
    'a multi-model endpoint has one variant, not 2',
    serving(
      '    - name: tenants\n      type: multi-model\n      model: {artifact: {key: t/}, builtinImage: {framework: sklearn, version: 1.2-1}}\n      variants:\n        - name: a\n',
    ),
  ],
  [
    'serving/shadow',
    serving(
      `    - name: scorer\n      type: async\n${REGISTRY}      shadow:\n        name: next\n        model: {registry: {version: 4}}\n`,
    ),
    14,
    7,
    'shadow variants work on realtime endpoints, not async',
    serving(
      `    - name: scorer\n      type: realtime\n${REGISTRY}      shadow:\n        name: next\n        model: {registry: {version: 4}}\n`,
    ),
  ],
  [
    'serving/autoscaling-serverless',
    serving(
      `    - name: scorer\n      type: serverless\n${REGISTRY}      autoscaling:\n        targetInvocationsPerInstance: 50\n`,
    ),
    14,
    7,
    'serverless endpoints scale by themselves',
    serving(
      `    - name: scorer\n      type: serverless\n${REGISTRY}      autoscaling:\n        enabled: false\n`,
    ),
  ],
  [
    'serving/autoscaling-bounds',
    serving(
      `    - name: scorer\n${REGISTRY}      variants:\n        - name: a\n          minInstances: 3\n          maxInstances: 2\n`,
    ),
    16,
    25,
    'variant "a" scales between 3 and 2 instances: the minimum exceeds the maximum',
    serving(
      `    - name: scorer\n${REGISTRY}      variants:\n        - name: a\n          minInstances: 2\n          maxInstances: 3\n`,
    ),
  ],
  [
    'serving/data-capture-serverless',
    serving(`${SERVERLESS}      dataCapture:\n        enabled: true\n`),
    15,
    18,
    'serverless endpoints do not support data capture',
    serving(`${SERVERLESS}      dataCapture:\n        enabled: false\n`),
  ],
  [
    'serving/deployment-size',
    serving(`    - name: scorer\n${REGISTRY}      deployment:\n        strategy: canary\n        size: 60\n`),
    15,
    15,
    'a canary size of 60% is outside 1-50%',
    serving(`    - name: scorer\n${REGISTRY}      deployment:\n        strategy: canary\n        size: 50\n`),
  ],
  [
    'serving/deployment-timeout',
    serving(
      `    - name: scorer\n${REGISTRY}      deployment:\n        strategy: canary\n        maxExecutionSeconds: 1200\n`,
    ),
    15,
    30,
    'the deployment needs 1500 s of baking and termination wait, more than maxExecutionSeconds 1200',
    serving(
      `    - name: scorer\n${REGISTRY}      deployment:\n        strategy: canary\n        maxExecutionSeconds: 1500\n`,
    ),
  ],
  [
    'serving/guardrails',
    serving(
      `    - name: scorer\n${REGISTRY}      variants:\n        - name: a\n          instanceType: ml.inf1.xlarge\n      deployment:\n        strategy: canary\n`,
    ),
    17,
    19,
    'canary deployments are not available with ml.inf1.xlarge (variant "a")',
    serving(
      `    - name: scorer\n${REGISTRY}      variants:\n        - name: a\n          instanceType: ml.inf2.xlarge\n      deployment:\n        strategy: canary\n`,
    ),
  ],
  [
    'serving/public-needs-waf',
    serving(`    - name: scorer\n${REGISTRY}      public: {}\n`),
    13,
    7,
    'endpoint "scorer" is public, but the spec has no web application firewall',
    serving(`    - name: scorer\n${REGISTRY}      public: {}\n`, HEAD + NET + WAF),
  ],
  [
    'serving/public-type',
    serving(`    - name: scorer\n      type: async\n${REGISTRY}      public: {}\n`, HEAD + NET + WAF),
    16,
    7,
    'async endpoints read their input from S3 and cannot sit behind the front door',
    serving(`    - name: scorer\n      type: realtime\n${REGISTRY}      public: {}\n`, HEAD + NET + WAF),
  ],
];

describe('serving rules', () => {
  testRuleCases(cases);

  test('every serving rule has a case here', () => {
    expect(servingRules.map((r) => r.id).sort()).toEqual(cases.map(([rule]) => rule).sort());
  });

  describe('GIVEN names that only differ in where the hyphen sits', () => {
    test('THEN endpoint "a" variant "b-c" and endpoint "a-b" variant "c" clash on one address', () => {
      const ds = diagnosticsOf(
        serving(
          `    - name: a\n${REGISTRY}      variants:\n        - name: b-c\n    - name: a-b\n${REGISTRY}      variants:\n        - name: c\n`,
        ),
      );
      expect(ds).toHaveLength(1);
      expect(ds[0]).toMatchObject({ rule: 'serving/unique-names', line: 18, col: 17 });
      expect(ds[0].message).toBe(
        'endpoint "a-b" variant "c" and endpoint "a" variant "b-c" would share the Terraform address serving_a_b_c',
      );
    });

    test('THEN an endpoint named like another one’s front door clashes with it', () => {
      const ds = diagnosticsOf(
        serving(
          `    - name: a\n${REGISTRY}      public: {}\n    - name: a-front-door\n${REGISTRY}`,
          HEAD + NET + WAF,
        ),
      );
      expect(ds.map((d) => d.message)).toEqual([
        'endpoint "a-front-door" and the front door of "a" would share the Terraform address serving_a_front_door',
      ]);
    });
  });

  test('variant names are unique per endpoint, the shadow included', () => {
    const ds = diagnosticsOf(
      serving(
        `    - name: scorer\n${REGISTRY}      variants:\n        - name: a\n      shadow:\n        name: a\n        model: {registry: {version: 4}}\n`,
      ),
    );
    expect(ds.map((d) => [d.rule, d.line, d.message])).toEqual([
      [
        'serving/unique-names',
        16,
        'variant name "a" is already used by a production variant of endpoint "scorer"',
      ],
    ]);
  });

  test('a fleet name too long for its provisioning template', () => {
    const ds = diagnosticsOf(
      `${HEAD.replace('name: demo', 'name: demo-pipeline-long')}serving:\n  edge:\n    name: shelf-cameras-north\n`,
    );
    expect(ds.map((d) => [d.rule, d.line, d.message])).toEqual([
      [
        'serving/edge',
        7,
        'the fleet provisioning template would be named "demo-pipeline-long-shelf-cameras-north" (38 characters); AWS IoT allows at most 36',
      ],
    ]);
  });

  test('"edge" is reserved for the edge fleet', () => {
    const ds = diagnosticsOf(serving(`    - name: edge\n${REGISTRY}`));
    expect(ds[0]).toMatchObject({
      rule: 'serving/unique-names',
      message: 'endpoint name "edge" is reserved for the edge fleet',
    });
  });

  test('a variant without a model, when the endpoint has none either', () => {
    const ds = diagnosticsOf(serving('    - name: scorer\n      variants:\n        - name: a\n'));
    expect(ds.map((d) => [d.rule, d.line, d.col, d.message])).toEqual([
      ['serving/model-source', 13, 17, 'variant "a" of endpoint "scorer" has no model'],
    ]);
  });

  test('an artifact needs exactly one image; a registry model takes none', () => {
    const noImage = diagnosticsOf(
      serving('    - name: scorer\n      model: {artifact: {key: a/model.tar.gz}}\n'),
    );
    expect(noImage.map((d) => d.message)).toEqual(['an artifact model needs an image']);
    const both = diagnosticsOf(
      serving(`    - name: scorer\n      model: {registry: {version: 3}, ${XGB}}\n`),
    );
    expect(both.map((d) => d.message)).toEqual([
      'a registry model brings its own image (the model package names it)',
    ]);
  });

  describe('artifact: exactly one of file and key, bucket only with key', () => {
    /** The 'artifact' key is at 13:9, its object opens at 13:19. */
    const artifact = (a: string) =>
      serving(`    - name: scorer\n      model:\n        artifact: ${a}\n        ${XGB}\n`);
    test.each([
      [
        '{file: s3://acme-models/m.tar.gz, key: a/model.tar.gz}',
        13,
        9,
        "an artifact has either 'file' or 'key', not both",
      ],
      ['{bucket: models}', 13, 9, "an artifact needs 'file' (a model archive) or 'key'"],
      [
        '{file: s3://acme-models/m.tar.gz, bucket: models}',
        13,
        53,
        "'bucket' names the data-lake bucket of 'key'; a 'file' is uploaded to the asset store",
      ],
    ])('%s', (a, line, col, message) => {
      const ds = diagnosticsOf(artifact(a));
      expect(ds.map((d) => [d.rule, d.line, d.col])).toEqual([['serving/model-source', line, col]]);
      expect(ds[0].message).toContain(message);
      expect(ds[0].hint).toBeTruthy();
    });
    test('a file outside the lake, or a key with its bucket, is a model', () => {
      expect(() => compileText(artifact('{file: s3://acme-models/m.tar.gz}'))).not.toThrow();
      expect(() => compileText(artifact('{bucket: models, key: a/model.tar.gz}'))).not.toThrow();
    });
  });

  test('a multi-model endpoint serves a prefix (key), not one archive (file)', () => {
    const mme = (a: string) =>
      serving(
        `    - name: tenants\n      type: multi-model\n      model:\n        artifact: ${a}\n        builtinImage: {framework: sklearn, version: 1.2-1}\n`,
      );
    const ds = diagnosticsOf(mme('{file: s3://acme-models/t.tar.gz}'));
    expect(ds.map((d) => [d.rule, d.line, d.col, d.message])).toEqual([
      [
        'serving/multi-model',
        14,
        20,
        'a multi-model endpoint serves the model archives under an S3 prefix, not one file',
      ],
    ]);
    expect(ds[0].hint).toContain("'artifact: {key: <prefix>/}'");
    expect(() => compileText(mme('{key: t/}'))).not.toThrow();
  });

  test('a registry version is a number from 1, or latest-approved', () => {
    const ds = diagnosticsOf(serving('    - name: scorer\n      model: {registry: {version: latest}}\n'));
    expect(ds.map((d) => [d.rule, d.line, d.col, d.message])).toEqual([
      ['serving/model-source', 12, 35, '"latest" is not a model package version'],
    ]);
    expect(ds[0].hint).toContain('"latest-approved"');
  });

  test.each([
    ['0', '0 must be >= 1'],
    ['100000', '100000 must be <= 99999'],
    ['1e21', '1e+21 must be <= 99999'],
  ])('the schema bounds a pinned version: %s is refused', (version, message) => {
    const ds = diagnosticsOf(serving(`    - name: scorer\n      model: {registry: {version: ${version}}}\n`));
    expect(ds[0]).toMatchObject({ line: 12, col: 35, message });
  });

  test.each(['1', '99999'])('the schema bounds a pinned version: %s is accepted', (version) => {
    expect(() =>
      compileText(serving(`    - name: scorer\n      model: {registry: {version: ${version}}}\n`)),
    ).not.toThrow();
  });

  test('a multi-model endpoint serves a prefix, not a registry package or a single archive', () => {
    const registry = diagnosticsOf(serving(`    - name: t\n      type: multi-model\n${REGISTRY}`));
    expect(registry.map((d) => d.message)).toEqual([
      'a multi-model endpoint serves an S3 prefix of models, not a registry package',
    ]);
    const archive = diagnosticsOf(
      serving(
        `    - name: t\n      type: multi-model\n      model: {artifact: {key: t/model.tar.gz}, ${XGB}}\n`,
      ),
    );
    expect(archive[0].message).toBe(
      'a multi-model endpoint needs a prefix ending in "/", not "t/model.tar.gz"',
    );
    expect(archive[0].hint).toContain('"t/"');
  });

  test('a shadow mirrors a single production variant', () => {
    const ds = diagnosticsOf(
      serving(
        `    - name: scorer\n${REGISTRY}      variants:\n        - name: a\n        - name: b\n      shadow:\n        name: next\n        model: {registry: {version: 4}}\n`,
      ),
    );
    expect(ds.map((d) => [d.rule, d.message])).toEqual([
      ['serving/shadow', 'a shadow variant mirrors one production variant, but endpoint "scorer" has 2'],
    ]);
  });

  test('linear steps are 10-50%; instance steps must fit every variant; serverless takes percentages', () => {
    const linear = diagnosticsOf(
      serving(
        `    - name: scorer\n${REGISTRY}      deployment:\n        strategy: linear\n        size: 5\n`,
      ),
    );
    expect(linear.map((d) => d.message)).toEqual(['a linear step of 5% is outside 10-50%']);
    const instances = diagnosticsOf(
      serving(
        `    - name: scorer\n${REGISTRY}      variants:\n        - name: a\n          instanceCount: 2\n      deployment:\n        strategy: canary\n        size: 2\n        sizeUnit: instances\n`,
      ),
    );
    expect(instances.map((d) => d.message)).toEqual([
      'a canary size of 2 instances does not fit variant "a" with 2',
    ]);
    const serverless = diagnosticsOf(
      serving(
        `${SERVERLESS}      deployment:\n        strategy: canary\n        size: 1\n        sizeUnit: instances\n`,
      ),
    );
    expect(serverless.map((d) => d.message)).toEqual(['serverless endpoints have no instances to count']);
    const allAtOnce = diagnosticsOf(
      serving(`    - name: scorer\n${REGISTRY}      deployment:\n        size: 10\n`),
    );
    expect(allAtOnce.map((d) => d.message)).toEqual(['size applies to canary and linear deployments']);
  });

  test('baking periods beyond SageMaker’s 4 hours are refused when no limit is given', () => {
    const ds = diagnosticsOf(
      serving(
        `    - name: scorer\n${REGISTRY}      deployment:\n        strategy: linear\n        size: 10\n        waitSeconds: 3600\n`,
      ),
    );
    expect(ds.map((d) => [d.rule, d.message])).toEqual([
      [
        'serving/deployment-timeout',
        "the deployment's baking periods add up to 36300 s; SageMaker allows 14400 s in all",
      ],
    ]);
  });

  test('schedules change something, in order, for variants that exist', () => {
    const ds = diagnosticsOf(
      serving(
        `    - name: scorer\n${REGISTRY}      autoscaling:\n        schedules:\n          - {name: day, schedule: 'cron(0 8 * * ? *)', minInstances: 3, maxInstances: 2, variants: [primari]}\n          - {name: noop, schedule: 'rate(1 day)'}\n`,
      ),
    );
    expect(ds.map((d) => d.message)).toEqual([
      'schedule "day" sets minInstances 3 above maxInstances 2',
      'endpoint "scorer" has no production variant "primari"; did you mean "primary"?',
      'schedule "noop" changes nothing',
    ]);
  });

  test('serverless endpoints refuse network isolation and provisioned concurrency above the maximum', () => {
    const ds = diagnosticsOf(
      serving(
        `${SERVERLESS}      networkIsolation: true\n      serverless: {maxConcurrency: 5, provisionedConcurrency: 6}\n`,
      ),
    );
    expect(ds.map((d) => d.message)).toEqual([
      'serverless endpoints do not support network isolation (nor a VPC)',
      'provisioned concurrency 6 exceeds maxConcurrency 5',
    ]);
    const misplaced = diagnosticsOf(
      serving(`    - name: scorer\n${REGISTRY}      serverless: {memoryMb: 1024}\n      async: {}\n`),
    );
    expect(misplaced.map((d) => d.message)).toEqual([
      "'serverless' settings apply to serverless endpoints, not realtime",
      "'async' settings apply to async endpoints, not realtime",
    ]);
  });

  test('an async bucket must be in the data lake too', () => {
    const ds = diagnosticsOf(
      serving(`    - name: scorer\n      type: async\n${REGISTRY}      async: {bucket: results}\n`),
    );
    expect(ds.map((d) => [d.rule, d.path])).toEqual([
      ['serving/bucket-reference', 'serving.endpoints[0].async.bucket'],
    ]);
    expect(() =>
      compileText(
        serving(`    - name: scorer\n      type: async\n${REGISTRY}      async: {bucket: results}\n`).replace(
          'serving:',
          'storage:\n  buckets:\n    results: {}\nserving:',
        ),
      ),
    ).not.toThrow();
  });
});
