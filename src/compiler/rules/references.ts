/** Helpers for rules that check references between sections of the spec. */
import type { CheckContext } from '../check';
import { formatPath, type Diagnostic } from '../diagnostics';
import { STANDARD_BUCKETS } from '../../areas/storage/catalog';
import { didYouMean } from '../suggest';

export type SpecPath = readonly (string | number)[];

/** Every data-lake bucket name the pipeline will have. */
export function lakeBuckets(ctx: CheckContext): string[] {
  return [
    ...new Set([...Object.keys(STANDARD_BUCKETS), ...Object.keys(ctx.spec.storage?.buckets ?? {})]),
  ].sort();
}

/** A reference to a named thing that does not exist, with a suggestion. */
export function unknownRef(
  ctx: CheckContext,
  path: SpecPath,
  kind: string,
  name: string,
  known: readonly string[],
  where: string,
): Diagnostic {
  const near = didYouMean(name, known);
  return ctx.report(
    path,
    `${kind} ${JSON.stringify(name)} is not defined${near ? `; did you mean "${near}"?` : ''}`,
    known.length > 0 ? `use one of: ${known.join(', ')}` : `define it under ${where} first`,
  );
}

/** Bucket references (`{bucket: ...}` objects) under `path` that name no data-lake bucket. */
export function unknownBuckets(ctx: CheckContext, root: unknown, path: SpecPath): Diagnostic[] {
  const known = lakeBuckets(ctx);
  const out: Diagnostic[] = [];
  const walk = (node: unknown, at: SpecPath): void => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, [...at, i]));
    else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'bucket' && typeof v === 'string') {
          if (!known.includes(v))
            out.push(unknownRef(ctx, [...at, k], 'bucket', v, known, 'storage.buckets'));
        } else walk(v, [...at, k]);
      }
    }
  };
  walk(root, path);
  return out;
}

/** Names used twice in a list of named things, each reported at the second use. */
export function duplicateNames(
  ctx: CheckContext,
  items: readonly { readonly name: string }[] | undefined,
  path: SpecPath,
  kind: string,
): Diagnostic[] {
  const seen = new Map<string, number>();
  const out: Diagnostic[] = [];
  (items ?? []).forEach((item, i) => {
    const first = seen.get(item.name);
    if (first === undefined) seen.set(item.name, i);
    else {
      out.push(
        ctx.report(
          [...path, i, 'name'],
          `${kind} name ${JSON.stringify(item.name)} is already used by ${formatPath([...path, first])}`,
          `give each ${kind} its own name`,
        ),
      );
    }
  });
  return out;
}

/**
 * A reference to a data-lake bucket that the pipeline does not have, with a suggestion;
 * undefined when the name is absent or known.
 */
export function unknownLakeBucket(
  ctx: CheckContext,
  name: string | undefined,
  path: SpecPath,
): Diagnostic | undefined {
  const buckets = lakeBuckets(ctx);
  if (name === undefined || buckets.includes(name)) return undefined;
  const guess = didYouMean(name, buckets);
  return ctx.report(
    path,
    `${JSON.stringify(name)} is not a bucket of the data lake${guess ? `; did you mean ${JSON.stringify(guess)}?` : ''}`,
    `use one of: ${buckets.join(', ')} (or add it under storage.buckets)`,
  );
}
