import type { BucketRole, ResolvedBucket, ResolvedStorage } from '../../model/resolved';
import type { PipelineSpec } from '../../spec/types.generated';
import { bucketPrefixOf, DEFAULTS, resolveLifecycle, STANDARD_BUCKETS } from '../../areas/storage/catalog';

// The tables and resolvers live in the storage catalog (issue 18); re-exported for the
// files of other areas that still import them from here (cicd's rules, some normalize files).
export { defaultBucketPrefix, STANDARD_BUCKETS } from '../../areas/storage/catalog';

/** Resolves the data lake: the standard buckets plus the user's, sorted by name. */
export function normalizeStorage(spec: PipelineSpec): ResolvedStorage {
  const storage = spec.storage ?? {};
  const bucketPrefix = bucketPrefixOf(spec);
  const names = new Set([...Object.keys(STANDARD_BUCKETS), ...Object.keys(storage.buckets ?? {})]);
  const buckets: ResolvedBucket[] = [...names].sort().map((name) => {
    const user = storage.buckets?.[name] ?? {};
    const standard = STANDARD_BUCKETS[name];
    const role: BucketRole = standard?.role ?? 'data';
    return {
      name,
      bucketName: `${bucketPrefix}-${name}`,
      purpose: user.purpose ?? standard?.purpose ?? name,
      role,
      versioning: user.versioning ?? DEFAULTS.bucket.versioning,
      // The logs bucket never logs to itself: that would loop.
      accessLogging: role === 'logs' ? false : (user.accessLogging ?? DEFAULTS.bucket.accessLogging),
      forceDestroy: user.forceDestroy ?? DEFAULTS.bucket.forceDestroy,
      lifecycle: resolveLifecycle(role, storage.lifecycle, user.lifecycle),
    };
  });
  return { bucketPrefix, buckets };
}
