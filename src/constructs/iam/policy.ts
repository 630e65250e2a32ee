/**
 * IAM policy documents as typed data. Documents are serialized with JSON.stringify so
 * tokens (references to other resources) resolve inside the string at synth time, and
 * every statement can be inspected before it is written (the role factory does).
 */

export type Principal =
  | '*'
  | {
      readonly AWS?: string | string[];
      readonly Service?: string | string[];
      /** A web-identity (OIDC) or SAML provider ARN. */
      readonly Federated?: string;
    };

/** One IAM statement, in IAM's own field names. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal;
  readonly Action: string | readonly string[];
  /** Required in identity and resource policies; absent only in trust policies. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, string | number | boolean | readonly string[]>>>
  >;
}

/** A policy document as the JSON IAM expects. */
export function policyJson(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The AWS partition of a region (one copy, in the compiler's ARN helpers). */
export { partitionOf } from '../../compiler/arn';
