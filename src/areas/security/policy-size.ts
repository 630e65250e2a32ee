/**
 * IAM policy sizes and how the role factory lays a role's statements out: what stays inline,
 * what goes to customer managed policies, and how many attachments that takes. Pure (no
 * cdktf): the role factory (src/constructs/iam/role-factory.ts) builds roles with these
 * functions, and advice predicts the same layout from the resolved spec with them, so the two
 * cannot disagree.
 */
import { createHash } from 'node:crypto';
import type { PolicyStatement } from './policy';

/**
 * IAM's hard limit on a role's inline policies, in characters without white space ("Role
 * policy size cannot exceed 10,240 characters", IAM and AWS STS quotas).
 */
export const ROLE_POLICY_CHARS = 10_240;
/**
 * IAM's hard limit on one customer managed policy, in characters without white space
 * ("Managed policy size cannot exceed 6,144 characters", IAM and AWS STS quotas).
 */
export const MANAGED_POLICY_CHARS = 6_144;
/**
 * Managed policies attached to one role: 10 by default, adjustable to 20 ("Managed policies
 * attached to an IAM role", Service Quotas code L-0DA4ABF3; IAM and AWS STS quotas).
 */
export const ATTACHED_POLICIES_DEFAULT = 10;
/** The most managed policies IAM attaches to one role, whatever the quota (see {@link ATTACHED_POLICIES_DEFAULT}). */
export const ATTACHED_POLICIES_MAX = 20;
/** The Service Quotas code of {@link ATTACHED_POLICIES_DEFAULT} (`usage.appliedQuotas` key). */
export const ATTACHED_POLICIES_QUOTA_CODE = 'L-0DA4ABF3';
/**
 * What a Terraform reference (`${aws_iam_role.x.arn}`) may grow to once resolved. Every
 * reference counts this much whatever its text, so a cdktf token at build time and a
 * placeholder in a prediction measure the same.
 */
export const RESOLVED_REFERENCE_CHARS = 128;

/** IAM role names are at most 64 characters; longer ones keep a stable hash suffix. */
export function roleName(pipeline: string, component: string): string {
  const full = `${pipeline}-${component}`;
  if (full.length <= 64) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 55)}-${hash}`;
}

/** A role's ARN as text, known before apply (`arn:<partition>:iam::<account>:role<path><name>`). */
export function roleArnOf(partition: string, account: string, path: string, name: string): string {
  return `arn:${partition}:iam::${account}:role${path}${name}`;
}

/** A policy's size as IAM counts it, with every reference at its resolved upper bound. */
export function policyChars(statements: readonly PolicyStatement[]): number {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements })
    .replace(/\$\{[^}]*\}/g, 'x'.repeat(RESOLVED_REFERENCE_CHARS))
    .replace(/\s/g, '').length;
}

/**
 * A statement too big for one policy of `limit` characters, split by its resource list into
 * pieces that each fit alone (Sids `<Sid>`, `<Sid>2`, ...; the same actions and conditions,
 * so together they grant exactly what the statement did).
 */
function splitStatement(statement: PolicyStatement, limit: number): PolicyStatement[] {
  if (policyChars([statement]) <= limit) return [statement];
  const resources = Array.isArray(statement.Resource) ? [...(statement.Resource as string[])] : [];
  if (resources.length < 2)
    throw new Error(`internal: statement ${statement.Sid} alone exceeds ${limit} policy characters`);
  const pieces: PolicyStatement[] = [];
  let current: string[] = [];
  const piece = (list: string[]): PolicyStatement => ({
    ...statement,
    Sid: pieces.length === 0 ? statement.Sid : `${statement.Sid}${pieces.length + 1}`,
    Resource: list,
  });
  for (const r of resources) {
    if (current.length > 0 && policyChars([piece([...current, r])]) > limit) {
      pieces.push(piece(current));
      current = [];
    }
    current.push(r);
  }
  if (current.length > 0) pieces.push(piece(current));
  for (const p of pieces) splitStatement(p, limit); // a single resource too long throws above
  return pieces;
}

/**
 * Statements packed into policies of at most `limit` characters each, the first at most
 * `firstLimit` (the role's inline policy): all in one when they fit it, else in order, each
 * into the first policy with room (first fit), a statement that fits no policy alone split
 * by its resources first. Deterministic: the same statements give the same policies.
 */
export function packStatements(
  statements: readonly PolicyStatement[],
  limit: number,
  firstLimit = limit,
): PolicyStatement[][] {
  if (policyChars(statements) <= firstLimit) return [[...statements]];
  const bins: PolicyStatement[][] = [];
  const room = (i: number) => (i === 0 ? firstLimit : limit);
  for (const s of statements.flatMap((x) => splitStatement(x, Math.min(limit, firstLimit)))) {
    const bin = bins.find((b, i) => policyChars([...b, s]) <= room(i));
    if (bin) bin.push(s);
    else bins.push([s]);
  }
  return bins;
}

/** How the role factory lays out one role's permissions. */
export interface RolePolicyLayout {
  /** The statements of the inline policy (the first {@link ROLE_POLICY_CHARS} characters' worth). */
  readonly inline: readonly PolicyStatement[];
  /** The customer managed policies holding the rest, in order (`<role>-1`, `<role>-2`, ...). */
  readonly managed: readonly (readonly PolicyStatement[])[];
  /** Managed policies attached to the role: {@link managed} plus the AWS managed policies named. */
  readonly attachments: number;
}

/**
 * The layout of a role with `statements` and `awsManagedPolicies` AWS managed policies: the
 * inline policy, then customer managed policies of at most {@link MANAGED_POLICY_CHARS} each.
 */
export function rolePolicyLayout(
  statements: readonly PolicyStatement[],
  awsManagedPolicies = 0,
): RolePolicyLayout {
  if (statements.length === 0) return { inline: [], managed: [], attachments: awsManagedPolicies };
  const [inline, ...managed] = packStatements(statements, MANAGED_POLICY_CHARS, ROLE_POLICY_CHARS);
  return { inline, managed, attachments: managed.length + awsManagedPolicies };
}
