import type { PolicyStatement } from './policy';

/** Managed policies no pipeform role may carry: each grants far more than a component needs. */
export const FORBIDDEN_MANAGED_POLICIES = [
  'AdministratorAccess',
  'AmazonSageMakerFullAccess',
  'PowerUserAccess',
  'IAMFullAccess',
  'AmazonS3FullAccess',
];

/** A policy that breaks least privilege; thrown at build time, before anything is written. */
export class PolicyError extends Error {
  constructor(
    readonly role: string,
    readonly problems: readonly string[],
  ) {
    super(`role ${role} is not least-privilege:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PolicyError';
  }
}

const list = (v: string | readonly string[]): readonly string[] => (typeof v === 'string' ? [v] : v);

/** A literal S3 ARN: `arn:<partition>:s3:::<bucket>` and, for objects, `/<key pattern>`. */
const S3_ARN = /^arn:[^:]+:s3:::([^/]*)(?:\/(.*))?$/s;
/** A reference to a bucket ARN (a cdktf token or a Terraform expression) followed by `/<key pattern>`. */
const REFERENCED_OBJECT_ARN = /^\$\{[^}]*\}\/(.*)$/s;

/**
 * True when an S3 key pattern (an object ARN's key part or an `s3:prefix` value) has no
 * wildcard but at most one trailing `*`. IAM reads `*` and `?` as wildcards anywhere while S3
 * keys treat them as plain characters, so a `*` inside a prefix (`*` + `/`, then pipeform's
 * trailing `*`) would match every key of the bucket.
 */
export function isScopedS3Pattern(pattern: string): boolean {
  const body = pattern.endsWith('*') ? pattern.slice(0, -1) : pattern;
  return !/[*?]/.test(body);
}

/** S3 object ARNs and `s3:prefix` values of one Allow statement whose wildcards widen it. */
function s3WildcardProblems(s: PolicyStatement, resources: readonly string[]): string[] {
  const problems: string[] = [];
  const s3Actions = list(s.Action).some((a) => a.toLowerCase().startsWith('s3:'));
  for (const resource of resources) {
    const literal = S3_ARN.exec(resource);
    const referenced = s3Actions && !literal ? REFERENCED_OBJECT_ARN.exec(resource) : null;
    const bucket = literal?.[1];
    const key = literal ? literal[2] : referenced?.[1];
    if (bucket !== undefined && /[*?]/.test(bucket))
      problems.push(`${s.Sid}: S3 resource "${resource}" has a wildcard in its bucket name`);
    if (key !== undefined && !isScopedS3Pattern(key))
      problems.push(
        `${s.Sid}: S3 object resource "${resource}" has a wildcard other than one trailing "*" (IAM would match keys outside the prefix)`,
      );
  }
  for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
    for (const [name, value] of Object.entries(keys)) {
      if (name.toLowerCase() !== 's3:prefix') continue;
      const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
      for (const v of values.filter((x): x is string => typeof x === 'string' && !isScopedS3Pattern(x)))
        problems.push(`${s.Sid}: ${operator} s3:prefix "${v}" has a wildcard other than one trailing "*"`);
    }
  }
  return problems;
}

/**
 * What is wrong with an identity policy's statements: any Allow of `*`, `iam:*` or `s3:*`,
 * any service-wide wildcard (`svc:*`) on every resource (`*` on `*`), and any S3 object ARN
 * or `s3:prefix` value with a wildcard other than the single trailing `*` pipeform adds.
 */
export function leastPrivilegeProblems(statements: readonly PolicyStatement[]): string[] {
  const problems: string[] = [];
  for (const s of statements) {
    if (s.Effect !== 'Allow') continue;
    const actions = list(s.Action);
    const resources = s.Resource === undefined ? [] : list(s.Resource);
    for (const action of actions) {
      const a = action.toLowerCase();
      if (a === '*') problems.push(`${s.Sid}: action "*" allows everything`);
      else if (a === 'iam:*' || a === 's3:*')
        problems.push(`${s.Sid}: action "${action}" allows the whole service`);
      else if (a.endsWith(':*') && resources.includes('*'))
        problems.push(`${s.Sid}: action "${action}" on resource "*"`);
    }
    if (resources.length === 0) problems.push(`${s.Sid}: no resource`);
    problems.push(...s3WildcardProblems(s, resources));
  }
  return problems;
}

/** What is wrong with a list of managed policy ARNs. */
export function managedPolicyProblems(arns: readonly string[]): string[] {
  return arns
    .filter((arn) => FORBIDDEN_MANAGED_POLICIES.includes(arn.split('/').pop() ?? ''))
    .map((arn) => `managed policy ${arn} grants far more than one component needs`);
}
