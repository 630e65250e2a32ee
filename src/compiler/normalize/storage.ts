import type { BucketRole, ResolvedBucket, ResolvedLifecycle, ResolvedStorage } from '../../model/resolved';
import type { Lifecycle, PipelineSpec } from '../../spec/types.generated';

/** The standard data-lake buckets, always present, with what they hold. */
export const STANDARD_BUCKETS: Readonly<Record<string, { purpose: string; role: BucketRole }>> = {
  raw: { purpose: 'raw data as ingested', role: 'data' },
  curated: { purpose: 'cleaned and validated data', role: 'data' },
  features: { purpose: 'engineered features and the offline feature store', role: 'data' },
  models: { purpose: 'model artifacts and evaluation reports', role: 'data' },
  checkpoints: { purpose: 'training checkpoints', role: 'checkpoints' },
  logs: { purpose: 'S3 server access logs and service logs', role: 'logs' },
};

/** Long-term checkpoints go to Glacier after this many days unless the spec says otherwise. */
export const CHECKPOINT_ARCHIVE_DAYS = 30;

/** Default bucket prefix: unique per account and region, as bucket names are global. */
export function defaultBucketPrefix(spec: Pick<PipelineSpec, 'name' | 'account' | 'region'>): string {
  return `${spec.name}-${spec.account}-${spec.region}`;
}

/**
 * The lifecycle of one bucket: bucket settings win over storage-level settings, which win
 * over pipeform's defaults. Exported for the check stage, which validates the merged days.
 */
export function resolveLifecycle(
  role: BucketRole,
  storageLevel: Lifecycle | undefined,
  bucketLevel: Lifecycle | undefined,
): ResolvedLifecycle {
  const pick = <K extends keyof Lifecycle>(k: K): Lifecycle[K] => bucketLevel?.[k] ?? storageLevel?.[k];
  const archiveAfterDays =
    pick('archiveAfterDays') ?? (role === 'checkpoints' ? CHECKPOINT_ARCHIVE_DAYS : undefined);
  const expireAfterDays = pick('expireAfterDays');
  return {
    tiering: pick('tiering') ?? 'intelligent-tiering',
    tieringAfterDays: pick('tieringAfterDays') ?? 0,
    ...(archiveAfterDays === undefined
      ? {}
      : {
          archive: {
            afterDays: archiveAfterDays,
            storageClass: pick('archiveStorageClass') ?? 'GLACIER',
            prefix: pick('archivePrefix') ?? '',
          },
        }),
    ...(expireAfterDays === undefined ? {} : { expireAfterDays }),
    noncurrentVersionExpiryDays: pick('noncurrentVersionExpiryDays') ?? 90,
    abortIncompleteUploadsAfterDays: pick('abortIncompleteUploadsAfterDays') ?? 7,
  };
}

/** Resolves the data lake: the standard buckets plus the user's, sorted by name. */
export function normalizeStorage(spec: PipelineSpec): ResolvedStorage {
  const storage = spec.storage ?? {};
  const bucketPrefix = storage.bucketPrefix ?? defaultBucketPrefix(spec);
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
      versioning: user.versioning ?? true,
      // The logs bucket never logs to itself: that would loop.
      accessLogging: role === 'logs' ? false : (user.accessLogging ?? true),
      forceDestroy: user.forceDestroy ?? false,
      lifecycle: resolveLifecycle(role, storage.lifecycle, user.lifecycle),
    };
  });
  return { bucketPrefix, buckets };
}
