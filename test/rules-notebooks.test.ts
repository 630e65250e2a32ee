import { diagnosticsOf } from './harness/spec';
import { testRuleCases, type RuleCase } from './harness/rules';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
const NET = 'network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a]\n';
/** Notebook instances (lines 9-12) in a created VPC. */
const NB = `${HEAD}${NET}notebooks:
  instances:
    - name: explore
  reads: [{bucket: curated}]
`;

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
const cases: RuleCase[] = [
  [
    'notebooks/one-kind',
    NB.replace('notebooks:\n', 'notebooks:\n  domain:\n    users: [{name: alice}]\n'),
    12,
    3,
    "'domain' and 'instances' are both set",
    NB,
  ],
  [
    'notebooks/needs-network',
    NB.replace(NET, ''),
    5,
    1,
    'notebooks run in private subnets, but the spec has no network',
    NB,
  ],
  [
    'notebooks/unique-names',
    `${NB}  instances:\n`.replace(
      '  reads: [{bucket: curated}]\n  instances:\n',
      '    - name: explore\n  reads: [{bucket: curated}]\n',
    ),
    12,
    13,
    'notebook instance name "explore" is already used by notebooks.instances[0]',
    NB,
  ],
  [
    'notebooks/bucket-refs',
    NB.replace('{bucket: curated}', '{bucket: curate}'),
    12,
    20,
    'bucket "curate" is not defined; did you mean "curated"?',
    NB,
  ],
];

describe('check rules: notebooks', () => {
  testRuleCases(cases);

  test('notebooks with neither a domain nor instances are refused', () => {
    const [d] = diagnosticsOf(`${HEAD}${NET}notebooks:\n  reads: [{bucket: curated}]\n`);
    expect(d).toMatchObject({ rule: 'notebooks/one-kind', message: 'notebooks needs a domain or instances' });
  });
});
