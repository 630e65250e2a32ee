/** A secret reference as the build needs it: what to grant and, for CodeBuild, what to resolve. */

/** A Secrets Manager secret or an SSM parameter a component's role may read. */
export type ResolvedSecretRef =
  | {
      readonly kind: 'secret';
      /** The secret's name or full ARN, as the spec wrote it. */
      readonly id: string;
      /** CodeBuild only: the JSON key to extract. */
      readonly jsonKey?: string;
      /** CodeBuild only: the staging label to read. */
      readonly versionStage?: string;
      /** The customer managed key that encrypts it, when the spec names one. */
      readonly kmsKeyArn?: string;
    }
  | {
      readonly kind: 'parameter';
      /** The parameter's name, as the spec wrote it. */
      readonly name: string;
      readonly kmsKeyArn?: string;
    };

/** Values of a map with the references replaced by their names under derived keys, and what to grant. */
export interface ResolvedValues {
  /** Sorted by key: plain values, and each reference's name under its derived key. */
  readonly values: Readonly<Record<string, string>>;
  /** The references, sorted and without duplicates: what the reading role may read. */
  readonly secrets: readonly ResolvedSecretRef[];
}
