/**
 * IAM policy documents as typed data. Documents are serialized with JSON.stringify so
 * tokens (references to other resources) resolve inside the string at synth time, and
 * every statement can be inspected before it is written (the role factory does).
 */

// The statement types are pure data shared with the areas' size models (src/areas/security/policy.ts).
import type { PolicyStatement } from '../../areas/security/policy';
export type { Principal, PolicyStatement } from '../../areas/security/policy';

/** A policy document as the JSON IAM expects. */
export function policyJson(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The AWS partition of a region (one copy, in the compiler's ARN helpers). */
export { partitionOf } from '../../compiler/arn';
