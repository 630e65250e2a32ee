import { compileText, diagnosticsOf } from './harness/spec';
import { testRuleCases, type RuleCase } from './harness/rules';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
/** One function (lines 5-13). */
const FN = `${HEAD}orchestration:
  functions:
    - name: filter
      code: {s3: s3://acme-shared-code/code/filter.zip}
      handler: index.handler
      triggers:
        - {bucket: raw, prefix: incoming/}
      environment:
        TARGET: curated
`;

/** A Glue job, the function above and a workflow using both (workflow steps from line 19). */
const WF = `${FN}    - name: spare
      code: {s3: s3://acme-shared-code/code/spare.zip}
      handler: index.handler
  workflow:
    steps:
      - {name: filter, type: lambda, function: filter}
data:
  glue:
    jobs:
      - {name: clean, script: s3://acme-shared-code/scripts/clean.py}
`;

/** An interactive EMR cluster and a nightly workflow of two emr steps (steps from line 15). */
const EMR_WF = `${HEAD}network: {existing: {vpcId: vpc-0123456789abcdef0, subnetIds: [subnet-0123456789abcdef0], securityGroupIds: [sg-0123456789abcdef0]}}
data:
  emr: {cluster: {inTransitEncryption: false, interactive: true}}
  glue:
    jobs:
      - {name: clean, script: s3://acme-shared-code/scripts/clean.py}
orchestration:
  workflow:
    schedule: cron(0 4 * * ? *)
    steps:
      - {name: load, type: emr, script: s3://acme-sparkjobs/load.py}
      - {name: features, type: emr, script: s3://acme-sparkjobs/features.py}
`;

/** WF with a crawler (lines 24-27) and a glue-crawler step after filter (line 20). */
const CRAWL = (step: string) =>
  WF.replace(
    '      - {name: filter, type: lambda, function: filter}\n',
    `      - {name: filter, type: lambda, function: filter}\n      - {name: crawl, type: glue-crawler, ${step}}\n`,
  ) +
  `    databases:\n      - name: lake\n    crawlers:\n      - {name: raw, database: lake, targets: [{bucket: raw, prefix: events/}]}\n`;

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
const cases: RuleCase[] = [
  [
    'workflow/references',
    CRAWL('crawler: raws'),
    20,
    52,
    'Glue crawler "raws" is not defined; did you mean "raw"?',
    CRAWL('crawler: raw'),
  ],
  [
    'workflow/step-fields',
    CRAWL('pollSeconds: 60'),
    20,
    29,
    "a glue-crawler step needs 'crawler'",
    CRAWL('crawler: raw, pollSeconds: 60'),
  ],
  [
    'workflow/step-fields',
    CRAWL('crawler: raw, timeoutMinutes: 30'),
    20,
    57,
    "'timeoutMinutes' does not apply to a glue-crawler step",
    CRAWL('crawler: raw, crawlTimeoutMinutes: 30'),
  ],
  [
    'workflow/step-fields',
    CRAWL('crawler: raw, job: clean'),
    20,
    57,
    "'job' does not apply to a glue-crawler step",
    CRAWL('crawler: raw'),
  ],
  [
    'lambda/unique-names',
    `${FN}    - name: filter\n      code: {directory: src}\n      handler: index.handler\n`,
    14,
    13,
    'function name "filter" is already used by orchestration.functions[0]',
    `${FN}    - name: other\n      code: {s3: s3://acme-shared-code/code/other.zip}\n      handler: index.handler\n`,
  ],
  [
    'lambda/code-source',
    FN.replace(
      'code: {s3: s3://acme-shared-code/code/filter.zip}',
      'code: {directory: src, s3: s3://acme-shared-code/a.zip}',
    ),
    8,
    7,
    "'directory' and 's3' are both set",
    FN,
  ],
  [
    'lambda/bucket-refs',
    FN.replace('{bucket: raw, prefix: incoming/}', '{bucket: inbox, prefix: incoming/}'),
    11,
    20,
    'bucket "inbox" is not defined',
    FN,
  ],
  [
    'lambda/environment',
    FN.replace('TARGET: curated', 'AWS_REGION: eu-west-1'),
    13,
    9,
    'AWS_REGION is reserved by Lambda',
    FN,
  ],
  [
    'lambda/trigger-overlap',
    FN.replace(
      '        - {bucket: raw, prefix: incoming/}\n',
      '        - {bucket: raw, prefix: incoming/}\n        - {bucket: raw, prefix: incoming/json/}\n',
    ),
    12,
    11,
    "this trigger overlaps filter's trigger 1 on bucket raw",
    FN.replace(
      '        - {bucket: raw, prefix: incoming/}\n',
      '        - {bucket: raw, prefix: incoming/}\n        - {bucket: raw, prefix: other/}\n',
    ),
  ],
  [
    'workflow/unique-steps',
    WF.replace(
      '      - {name: filter, type: lambda, function: filter}\n',
      '      - {name: filter, type: lambda, function: filter}\n      - {name: filter, type: glue-job, job: clean}\n',
    ),
    20,
    16,
    'step name "filter" is already used by orchestration.workflow.steps[0]',
    WF.replace(
      '      - {name: filter, type: lambda, function: filter}\n',
      '      - {name: filter, type: lambda, function: filter}\n      - {name: clean, type: glue-job, job: clean}\n',
    ),
  ],
  [
    'workflow/step-fields',
    WF.replace('{name: filter, type: lambda, function: filter}', '{name: filter, type: lambda}'),
    19,
    30,
    "a lambda step needs 'function'",
    WF,
  ],
  [
    'workflow/references',
    WF.replace(
      '{name: filter, type: lambda, function: filter}',
      '{name: filter, type: glue-job, job: cleen}',
    ),
    19,
    45,
    'Glue job "cleen" is not defined; did you mean "clean"?',
    WF.replace(
      '{name: filter, type: lambda, function: filter}',
      '{name: filter, type: glue-job, job: clean}',
    ),
  ],
  [
    'workflow/emr-scheduled-on-idle-cluster',
    EMR_WF.replace('/features.py}', '/features.py, cluster: interactive}'),
    16,
    87,
    'step features runs on the interactive EMR cluster, which terminates itself after 60 idle minutes: a scheduled run (cron(0 4 * * ? *)) would find it gone',
    // The same step on demand (no schedule) may use the interactive cluster.
    EMR_WF.replace('/features.py}', '/features.py, cluster: interactive}').replace(
      '    schedule: cron(0 4 * * ? *)\n',
      '',
    ),
  ],
  [
    'workflow/emr-cluster-target',
    EMR_WF.replace('interactive: true}}', 'interactive: false}}')
      .replace('/features.py}', '/features.py, cluster: interactive}')
      .replace('    schedule: cron(0 4 * * ? *)\n', ''),
    15,
    87,
    'step features runs on the interactive EMR cluster, but data.emr.cluster.interactive is off',
    EMR_WF.replace('/features.py}', '/features.py, cluster: transient}'),
  ],
  [
    'workflow/emr-steps-together',
    EMR_WF.replace(
      '      - {name: features,',
      '      - {name: clean, type: glue-job, job: clean}\n      - {name: features,',
    ),
    16,
    9,
    'step clean runs between emr steps load and features, which share a cluster created for the run',
    EMR_WF.replace(
      '      - {name: load,',
      '      - {name: clean, type: glue-job, job: clean}\n      - {name: load,',
    ),
  ],
];

describe('check rules: orchestration', () => {
  testRuleCases(cases);

  test('triggers overlap only with a shared event type and overlapping suffixes', () => {
    const base = FN.replace(
      '        - {bucket: raw, prefix: incoming/}\n',
      '        - {bucket: raw, prefix: incoming/, suffix: .json}\n',
    );
    expect(() =>
      compileText(
        base.replace(
          '      environment:',
          '        - {bucket: raw, prefix: incoming/, suffix: .csv}\n        - {bucket: raw, prefix: incoming/, events: [removed]}\n      environment:',
        ),
      ),
    ).not.toThrow();
  });

  test('workflow steps: extra fields, EMR and training prerequisites', () => {
    const extra = diagnosticsOf(
      WF.replace(
        '{name: filter, type: lambda, function: filter}',
        '{name: filter, type: lambda, function: filter, args: [x]}',
      ),
    );
    expect(extra.map((d) => [d.rule, d.message])).toEqual([
      ['workflow/step-fields', "'args' does not apply to a lambda step"],
    ]);
    const noEmr = diagnosticsOf(
      WF.replace(
        '{name: filter, type: lambda, function: filter}',
        '{name: agg, type: emr, script: s3://acme-shared-code/a.py}',
      ),
    );
    expect(noEmr.map((d) => d.message)).toEqual(['an emr step needs data.emr']);
    const hive = diagnosticsOf(
      WF.replace(
        '{name: filter, type: lambda, function: filter}',
        '{name: agg, type: emr, script: s3://acme-shared-code/a.q}',
      ).replace('data:\n', 'data:\n  emr: {mode: serverless, applications: [Hive]}\n'),
    );
    expect(hive.map((d) => d.message)).toEqual([
      'emr steps run Spark scripts, but the EMR Serverless application runs Hive',
    ]);
    const training = diagnosticsOf(
      WF.replace('{name: filter, type: lambda, function: filter}', '{name: train, type: sagemaker-pipeline}'),
    );
    expect(training.map((d) => d.message)).toEqual([
      'a sagemaker-pipeline step starts the training pipeline, but the spec has none',
    ]);
  });

  test("an emr step's cluster: only with an EMR cluster; a single transient step needs no neighbour rule", () => {
    const serverless = diagnosticsOf(
      EMR_WF.replace(
        '{cluster: {inTransitEncryption: false, interactive: true}}',
        '{mode: serverless}',
      ).replace('/load.py}', '/load.py, cluster: transient}'),
    );
    expect(serverless.map((d) => [d.rule, d.path, d.message])).toEqual([
      [
        'workflow/emr-cluster-target',
        'orchestration.workflow.steps[0].cluster',
        "'cluster' chooses an EMR cluster, but data.emr runs on EMR Serverless",
      ],
    ]);
    expect(() =>
      compileText(
        EMR_WF.replace('      - {name: features, type: emr, script: s3://acme-sparkjobs/features.py}\n', ''),
      ),
    ).not.toThrow();
  });

  test('a missing code source and an oversized environment are refused', () => {
    const none = diagnosticsOf(FN.replace('code: {s3: s3://acme-shared-code/code/filter.zip}', 'code: {}'));
    expect(none[0]).toMatchObject({
      rule: 'lambda/code-source',
      message: 'the code needs a directory or an s3 object',
    });
    const big = diagnosticsOf(
      FN.replace(
        'TARGET: curated',
        ['A', 'B', 'C'].map((k) => `${k}: "${'x'.repeat(2000)}"`).join('\n        '),
      ),
    );
    expect(big[0].message).toBe('the environment is 6003 bytes; Lambda allows 4096');
  });
});
