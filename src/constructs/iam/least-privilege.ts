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

/**
 * What is wrong with an identity policy's statements: any Allow of `*`, `iam:*` or `s3:*`,
 * and any service-wide wildcard (`svc:*`) on every resource (`*` on `*`).
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
  }
  return problems;
}

/** What is wrong with a list of managed policy ARNs. */
export function managedPolicyProblems(arns: readonly string[]): string[] {
  return arns
    .filter((arn) => FORBIDDEN_MANAGED_POLICIES.includes(arn.split('/').pop() ?? ''))
    .map((arn) => `managed policy ${arn} grants far more than one component needs`);
}
