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

/** A domain (lines 9-12); its user on line 11. */
const DOMAIN = `${HEAD}${NET}notebooks:
  domain:
    users: [{name: alice, ssoUserName: alice@example.com}]
    authMode: IAM
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
  [
    'notebooks/sso-users',
    DOMAIN.replace('authMode: IAM', 'authMode: SSO').replace(', ssoUserName: alice@example.com', ''),
    11,
    13,
    'user "alice" of an SSO domain has no ssoUserName',
    DOMAIN.replace('authMode: IAM', 'authMode: SSO'),
  ],
  [
    'notebooks/sso-users',
    DOMAIN,
    11,
    27,
    'user "alice" has an ssoUserName, but the domain signs in with IAM',
    DOMAIN.replace(', ssoUserName: alice@example.com', ''),
  ],
];

describe('check rules: notebooks', () => {
  testRuleCases(cases);

  test('notebooks with neither a domain nor instances are refused', () => {
    const [d] = diagnosticsOf(`${HEAD}${NET}notebooks:\n  reads: [{bucket: curated}]\n`);
    expect(d).toMatchObject({ rule: 'notebooks/one-kind', message: 'notebooks needs a domain or instances' });
  });
});
