import { diagnosticsOf } from './harness/spec';
import { testRuleCases, type RuleCase } from './harness/rules';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
/** Glue with one database, crawler and job (lines 5-18); cases append below or replace parts. */
const GLUE = `${HEAD}data:
  glue:
    databases:
      - name: lake
    crawlers:
      - name: raw
        database: lake
        targets:
          - bucket: raw
            prefix: events/
    jobs:
      - name: clean
        script: s3://acme-shared-code/scripts/clean.py
        workerType: G.1X
`;

const NET =
  'network:\n  existing:\n    vpcId: vpc-0123456789abcdef0\n    subnetIds: [subnet-0123456789abcdef0]\n    securityGroupIds: [sg-0123456789abcdef0]\n';
/** An interactive EMR cluster (lines 10-15) in an existing network. */
const EMR = `${HEAD}${NET}data:
  emr:
    applications: [Spark, Trino]
    cluster:
      tlsCertificates: s3://acme-pki/emr/certs.zip
      interactive: true
`;

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
const cases: RuleCase[] = [
  [
    'glue/unique-names',
    `${GLUE}      - name: clean\n        script: s3://acme-shared-code/scripts/other.py\n`,
    19,
    15,
    'job name "clean" is already used by data.glue.jobs[0]',
    `${GLUE}      - name: other\n        script: s3://acme-shared-code/scripts/other.py\n`,
  ],
  [
    'glue/bucket-refs',
    GLUE.replace('          - bucket: raw', '          - bucket: raww'),
    13,
    21,
    'bucket "raww" is not defined; did you mean "raw"?',
    GLUE,
  ],
  [
    'glue/references',
    GLUE.replace('        database: lake', '        database: lakes'),
    11,
    19,
    'database "lakes" is not defined; did you mean "lake"?',
    GLUE,
  ],
  [
    'glue/flex-worker-type',
    GLUE.replace('workerType: G.1X', 'workerType: G.4X\n        flex: true'),
    19,
    15,
    'Flex execution does not run on G.4X workers',
    GLUE.replace('workerType: G.1X', 'workerType: G.4X'),
  ],
  [
    'glue/incremental-crawl',
    GLUE.replace(
      '            prefix: events/',
      '            prefix: events/\n        recrawl: new-folders-only',
    ),
    15,
    18,
    "recrawl: new-folders-only needs schemaChange update and delete 'log'",
    GLUE.replace(
      '            prefix: events/',
      '            prefix: events/\n        recrawl: new-folders-only\n        schemaChange: {update: log, delete: log}',
    ),
  ],
  [
    'glue/managed-arguments',
    `${GLUE}        arguments:\n          --job-bookmark-option: job-bookmark-disable\n`,
    20,
    11,
    'argument --job-bookmark-option is managed by pipeform',
    `${GLUE}        bookmarks: false\n        arguments:\n          --target: events\n`,
  ],
  [
    'glue/scala-class',
    `${GLUE}        language: scala\n`,
    19,
    19,
    'a scala job needs scalaClass',
    `${GLUE}        language: scala\n        scalaClass: com.example.Clean\n`,
  ],
  [
    'emr/mode-settings',
    EMR.replace('    applications: [Spark, Trino]\n', '    mode: serverless\n'),
    13,
    5,
    "'cluster' settings do not apply in mode serverless",
    `${HEAD}data:\n  emr:\n    mode: serverless\n`,
  ],
  [
    'emr/release',
    `${EMR.replace('[Spark, Trino]', '[Spark]')}    releaseLabel: emr-5.36.0\n`,
    16,
    19,
    'emr-5.36.0 is older than emr-6.1.0',
    `${EMR}    releaseLabel: emr-6.15.0\n`,
  ],
  [
    'emr/applications',
    `${EMR}    releaseLabel: emr-6.3.0\n`,
    12,
    27,
    'Trino is not in emr-6.3.0; it ships from emr-6.4.0',
    `${EMR}    releaseLabel: emr-6.4.0\n`,
  ],
  [
    'emr/scaling-limits',
    `${EMR}      scaling: {minUnits: 12, maxUnits: 8}\n`,
    16,
    27,
    'managed scaling minUnits 12 is above maxUnits 8',
    `${EMR}      scaling: {minUnits: 2, maxUnits: 8}\n`,
  ],
  [
    'emr/in-transit-certificates',
    EMR.replace('      tlsCertificates: s3://acme-pki/emr/certs.zip\n', '      idleTimeoutMinutes: 30\n'),
    13,
    5,
    'in-transit encryption needs TLS certificates',
    EMR.replace('      tlsCertificates: s3://acme-pki/emr/certs.zip\n', '      inTransitEncryption: false\n'),
  ],
  [
    'emr/needs-network',
    EMR.replace(NET, ''),
    6,
    3,
    'an EMR cluster runs in private subnets, but the spec has no network',
    EMR.replace(NET, '').replace(
      '  emr:\n    applications: [Spark, Trino]\n    cluster:\n      tlsCertificates: s3://acme-pki/emr/certs.zip\n      interactive: true\n',
      '  emr:\n    mode: serverless\n',
    ),
  ],
  [
    'emr/cluster-used',
    EMR.replace('      interactive: true\n', ''),
    11,
    3,
    'data.emr defines an EMR cluster that nothing uses',
    `${EMR.replace('      interactive: true\n', '')}orchestration:\n  workflow:\n    steps:\n      - {name: run, type: emr, script: s3://acme-shared-code/s.py}\n`,
  ],
  [
    'emr/bucket-refs',
    EMR.replace('Trino]\n', 'Trino]\n    reads: [{bucket: certs}]\n'),
    13,
    22,
    'bucket "certs" is not defined',
    EMR,
  ],
];

describe('check rules: data', () => {
  testRuleCases(cases);

  test('workflow stages: unknown members, empty stages and repeated members are refused', () => {
    const ds = diagnosticsOf(
      `${GLUE}    workflows:\n      - name: nightly\n        stages:\n          - {name: a, crawlers: [raw]}\n          - {name: b, jobs: [clean, cleen]}\n          - {name: c}\n          - {name: d, crawlers: [raw]}\n`,
    );
    expect(ds.map((d) => [d.rule, d.path, d.message])).toEqual([
      [
        'glue/references',
        'data.glue.workflows[0].stages[1].jobs[1]',
        'job "cleen" is not defined; did you mean "clean"?',
      ],
      ['glue/references', 'data.glue.workflows[0].stages[2].name', 'stage c runs nothing'],
      [
        'glue/references',
        'data.glue.workflows[0].stages[3].crawlers[0]',
        'crawler raw already runs in stage a of workflow nightly',
      ],
    ]);
  });

  test('EMR Serverless runs one engine, Spark or Hive', () => {
    const ds = diagnosticsOf(
      `${HEAD}data:\n  emr:\n    mode: serverless\n    applications: [Spark, Trino]\n`,
    );
    expect(ds.map((d) => [d.rule, d.path, d.message])).toEqual([
      ['emr/applications', 'data.emr.applications[1]', 'EMR Serverless does not run Trino'],
    ]);
    const two = diagnosticsOf(
      `${HEAD}data:\n  emr:\n    mode: serverless\n    applications: [Spark, Hive]\n`,
    );
    expect(two[0].message).toBe('an EMR Serverless application runs one engine, Spark or Hive');
    expect(
      diagnosticsOf(`${HEAD}data:\n  emr:\n    mode: serverless\n    releaseLabel: emr-6.5.0\n`)[0].message,
    ).toContain('older than emr-6.6.0');
  });

  test('managed scaling: on-demand and core limits within maxUnits; a core fleet of at least one unit', () => {
    const ds = diagnosticsOf(
      `${EMR}      core: {units: 0}\n      scaling: {minUnits: 1, maxUnits: 4, maxOnDemandUnits: 5, maxCoreUnits: 6}\n`,
    );
    expect(ds.map((d) => d.message)).toEqual([
      'the core fleet needs at least one unit',
      'managed scaling maxOnDemandUnits 5 is above maxUnits 4',
      'managed scaling maxCoreUnits 6 is above maxUnits 4',
    ]);
  });
});
