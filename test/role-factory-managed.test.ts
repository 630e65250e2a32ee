import { PolicyError } from '../src/constructs/iam/least-privilege';
import type { PolicyStatement } from '../src/constructs/iam/policy';
import { UsageError } from '../src/compiler/diagnostics';
import {
  ATTACHED_POLICIES_DEFAULT,
  MANAGED_POLICY_CHARS,
  packStatements,
  policyChars,
  ROLE_POLICY_CHARS,
  RoleFactory,
} from '../src/constructs/iam/role-factory';
import { synthScope } from './harness/cdktf-testing';

/**
 * Roles whose statements pass IAM's inline limit (10,240 characters) spread them over
 * customer managed policies of at most 6,144 characters each ("IAM and AWS STS quotas").
 */
const factory = new RoleFactory({
  pipeline: 'demo',
  account: '123456789012',
  partition: 'aws',
  path: '/pipeform/',
});
const bucketArns = (n: number, prefix = 'b') =>
  Array.from({ length: n }, (_, i) => `arn:aws:s3:::demo-${prefix}${String(i).padStart(4, '0')}/*`);
const read = (sid: string, resources: string[]): PolicyStatement => ({
  Sid: sid,
  Effect: 'Allow',
  Action: 's3:GetObject',
  Resource: resources,
});

type Resources = Record<string, Record<string, Record<string, unknown>>>;
const synthRole = (statements: PolicyStatement[]): Resources =>
  (
    JSON.parse(
      synthScope((stack) => {
        factory.create(stack, 'reader', 'reader', {
          services: ['lambda.amazonaws.com'],
          description: 'reads',
          statements,
        });
      }),
    ) as { resource: Resources }
  ).resource;
const docOf = (json: unknown) => (JSON.parse(String(json)) as { Statement: PolicyStatement[] }).Statement;

describe('packStatements', () => {
  test('statements that fit one policy stay together, in order, unsplit', () => {
    const s = [read('A', bucketArns(3)), read('B', bucketArns(3, 'c'))];
    expect(packStatements(s, MANAGED_POLICY_CHARS, ROLE_POLICY_CHARS)).toEqual([s]);
  });

  test('a statement too big for one policy is split by its resources; every piece fits and all resources stay', () => {
    const big = read('Big', bucketArns(800));
    const bins = packStatements([big], MANAGED_POLICY_CHARS, ROLE_POLICY_CHARS);
    expect(bins.length).toBeGreaterThan(2);
    expect(policyChars(bins[0])).toBeLessThanOrEqual(ROLE_POLICY_CHARS);
    for (const b of bins.slice(1)) expect(policyChars(b)).toBeLessThanOrEqual(MANAGED_POLICY_CHARS);
    const pieces = bins.flat();
    expect(pieces.flatMap((p) => [p.Resource].flat())).toEqual(big.Resource);
    expect(pieces.map((p) => p.Sid)).toEqual(pieces.map((_, i) => (i === 0 ? 'Big' : `Big${i + 1}`)));
    for (const p of pieces) expect(p.Action).toBe('s3:GetObject');
  });

  test('first fit: a small later statement goes into the first policy with room', () => {
    const bins = packStatements(
      [read('Big', bucketArns(800)), read('Small', ['arn:aws:s3:::demo-x/*'])],
      MANAGED_POLICY_CHARS,
      ROLE_POLICY_CHARS,
    );
    const where = bins.findIndex((b) => b.some((s) => s.Sid === 'Small'));
    expect(where).toBeGreaterThanOrEqual(0);
    expect(
      bins
        .slice(0, where)
        .every(
          (b, i) =>
            policyChars([...b, read('Small', ['arn:aws:s3:::demo-x/*'])]) >
            (i === 0 ? ROLE_POLICY_CHARS : MANAGED_POLICY_CHARS),
        ),
    ).toBe(true);
  });

  test('the same statements give the same policies', () => {
    const s = [read('Big', bucketArns(800)), read('Other', bucketArns(50, 'o'))];
    expect(JSON.stringify(packStatements(s, MANAGED_POLICY_CHARS, ROLE_POLICY_CHARS))).toBe(
      JSON.stringify(packStatements(s, MANAGED_POLICY_CHARS, ROLE_POLICY_CHARS)),
    );
  });
});

describe('RoleFactory past the inline limit', () => {
  test('a small role keeps only its inline policy', () => {
    const r = synthRole([read('A', bucketArns(3))]);
    expect(Object.keys(r.aws_iam_role_policy)).toHaveLength(1);
    expect(r.aws_iam_policy).toBeUndefined();
    expect(r.aws_iam_role_policy_attachment).toBeUndefined();
  });

  test('a big role: inline plus managed policies named <pipeline>-<component>-<n> on the role path, each attached, ids policy-<n>', () => {
    const big = read('Big', bucketArns(800));
    const r = synthRole([big]);
    const managed = r.aws_iam_policy;
    const ids = Object.keys(managed);
    expect(ids.length).toBeGreaterThan(1);
    // Construct ids policy-1, policy-2, ... (the test stack adds its hash suffix).
    ids.forEach((id, i) => expect(id).toMatch(new RegExp(`^reader_policy-${i + 1}_`)));
    ids.forEach((id, i) => {
      expect(managed[id].name).toBe(`demo-reader-${i + 1}`);
      expect(managed[id].path).toBe('/pipeform/');
      expect(policyChars(docOf(managed[id].policy))).toBeLessThanOrEqual(MANAGED_POLICY_CHARS);
    });
    const attachments = Object.values(r.aws_iam_role_policy_attachment);
    expect(attachments.map((a) => a.policy_arn).sort()).toEqual(
      ids.map((id) => `\${aws_iam_policy.${id}.arn}`).sort(),
    );
    const [roleId] = Object.keys(r.aws_iam_role);
    for (const a of attachments) expect(a.role).toBe(`\${aws_iam_role.${roleId}.name}`);
    // Together the inline and managed policies grant exactly the statement's resources.
    const inline = docOf(Object.values(r.aws_iam_role_policy)[0].policy);
    const all = [...inline, ...ids.flatMap((id) => docOf(managed[id].policy))];
    expect(all.flatMap((s) => [s.Resource].flat()).sort()).toEqual([...big.Resource!].sort());
  });

  test('the least-privilege check still refuses a wildcard statement of a big role', () => {
    expect(() =>
      synthRole([
        read('Big', bucketArns(800)),
        { Sid: 'Wide', Effect: 'Allow', Action: 's3:*', Resource: '*' },
      ]),
    ).toThrow(PolicyError);
  });

  test('more policies than IAM can ever attach (20, quota L-0DA4ABF3) is refused at build', () => {
    expect(() => synthRole([read('Huge', bucketArns(6000))])).toThrow(/L-0DA4ABF3/);
  });
});

describe('the attachment quota L-0DA4ABF3 (default 10, granted up to 20)', () => {
  /** The smallest bucket count whose statement packs into inline + `managed` policies. */
  const bucketsFor = (managed: number): number => {
    let n = 1;
    while (
      packStatements([read('Many', bucketArns(n))], MANAGED_POLICY_CHARS, ROLE_POLICY_CHARS).length <
      managed + 1
    )
      n += 25;
    while (
      packStatements([read('Many', bucketArns(n - 1))], MANAGED_POLICY_CHARS, ROLE_POLICY_CHARS).length ===
      managed + 1
    )
      n -= 1;
    return n;
  };
  const synthWith = (buckets: number, quota?: number) => {
    const f = new RoleFactory({
      pipeline: 'demo',
      account: '123456789012',
      partition: 'aws',
      path: '/pipeform/',
      ...(quota === undefined ? {} : { attachedPoliciesQuota: quota }),
    });
    const out = JSON.parse(
      synthScope((stack) => {
        f.create(stack, 'reader', 'reader', {
          services: ['lambda.amazonaws.com'],
          description: 'reads',
          statements: [read('Many', bucketArns(buckets))],
        });
      }),
    ) as { resource: Resources };
    return Object.keys(out.resource.aws_iam_role_policy_attachment ?? {}).length;
  };
  const ten = bucketsFor(ATTACHED_POLICIES_DEFAULT);
  const eleven = bucketsFor(ATTACHED_POLICIES_DEFAULT + 1);

  test('10 attachments synthesize without any applied quota', () => {
    expect(synthWith(ten)).toBe(10);
  });

  test('11 attachments are refused at build with a user error naming role, count, quota and the increase command', () => {
    const run = () => synthWith(eleven);
    expect(run).toThrow(UsageError);
    expect(run).toThrow(
      'role demo-reader needs 11 managed policies attached, more than quota L-0DA4ABF3 ' +
        '("Managed policies attached to an IAM role") allows: the AWS default of 10. Request an increase ' +
        '(aws service-quotas request-service-quota-increase --service-code iam --quota-code L-0DA4ABF3 --desired-value 11), ' +
        'then state the granted value in usage.appliedQuotas: { L-0DA4ABF3: 11 }.',
    );
  });

  test('an applied quota of 11 lets 11 attachments through; 10 still refuses them, naming the applied value', () => {
    expect(synthWith(eleven, 11)).toBe(11);
    expect(() => synthWith(eleven, 10)).toThrow(UsageError);
    expect(() => synthWith(bucketsFor(12), 11)).toThrow(
      /allows: 11 \(usage.appliedQuotas\).*--desired-value 12/,
    );
  });
});
