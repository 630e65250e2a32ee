import type { IConstruct, Node } from 'constructs';

/**
 * Terraform addresses from construct paths: lowercase ids (area names and spec names)
 * are kept, PascalCase ids (structural: `Resource`, `Versioning`, ...) are dropped, and
 * the rest is joined with `_`. So `lake/raw/Versioning` becomes
 * `aws_s3_bucket_versioning.lake_raw`. Addresses depend only on spec names, never on list
 * positions or hashes, which keeps state stable across upgrades.
 */
export function logicalIdOf(path: readonly string[]): string {
  const kept = path.filter((id) => !/^[A-Z]/.test(id));
  if (kept.length === 0)
    throw new Error(`internal: construct path ${path.join('/')} has no lowercase id to name it`);
  return kept.map((id) => id.replace(/[^A-Za-z0-9]+/g, '_')).join('_');
}

/**
 * Whether a path can be named after spec names: it has at least one lowercase id. A
 * library user's own construct with only PascalCase ids (`Reporting/Bucket`) cannot, and
 * gets cdktf's usual unique id instead (see `PipelineStack.allocateLogicalId`).
 */
export function namedBySpec(path: readonly string[]): boolean {
  return path.some((id) => !/^[A-Z]/.test(id));
}

/** The construct ids from below the stack down to `node`. */
export function pathBelow(stack: IConstruct, node: Node): string[] {
  const scopes = node.scopes;
  return scopes.slice(scopes.indexOf(stack) + 1).map((c) => c.node.id);
}
