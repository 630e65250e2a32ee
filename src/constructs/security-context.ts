/**
 * What every component construct receives besides its own slice of the spec: the shared
 * key and the pipeline's identity. Later areas (network, role factory) extend it.
 */
export interface SecurityContext {
  readonly pipeline: string;
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  /** ARN of the key that encrypts everything that takes a key. */
  readonly keyArn: string;
}
