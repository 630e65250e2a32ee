/**
 * The storage area's catalog: the standard data-lake buckets, the bucket and lifecycle
 * defaults (read from the schema, never restated) and the name and lifecycle resolvers the
 * check stage, normalize and advice share. Pure: no cdktf, no normalize imports.
 */
import type { BucketRole, ResolvedLifecycle } from '../../model/resolved';
import { schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';
import type { Lifecycle, PipelineSpec } from '../../spec/types.generated';

const bucket = (name: string) => schemaPointer('bucket', name);
const lifecycle = (name: string) => schemaPointer('lifecycle', name);

/** The storage defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  bucket: {
    versioning: schemaDefault(bucket('versioning'), 'boolean'),
    accessLogging: schemaDefault(bucket('accessLogging'), 'boolean'),
    forceDestroy: schemaDefault(bucket('forceDestroy'), 'boolean'),
  },
  lifecycle: {
    tiering: schemaChoiceDefault(lifecycle('tiering'), [
      'intelligent-tiering',
      'standard-ia',
      'none',
    ] as const),
    tieringAfterDays: schemaDefault(lifecycle('tieringAfterDays'), 'number'),
    archiveStorageClass: schemaChoiceDefault(lifecycle('archiveStorageClass'), [
      'GLACIER_IR',
      'GLACIER',
      'DEEP_ARCHIVE',
    ] as const),
    archivePrefix: schemaDefault(lifecycle('archivePrefix'), 'string'),
    noncurrentVersionExpiryDays: schemaDefault(lifecycle('noncurrentVersionExpiryDays'), 'number'),
    abortIncompleteUploadsAfterDays: schemaDefault(lifecycle('abortIncompleteUploadsAfterDays'), 'number'),
  },
} as const;

/** The standard data-lake buckets, always present, with what they hold. */
export const STANDARD_BUCKETS: Readonly<Record<string, { purpose: string; role: BucketRole }>> = {
  raw: { purpose: 'raw data as ingested', role: 'data' },
  curated: { purpose: 'cleaned and validated data', role: 'data' },
  features: { purpose: 'engineered features and the offline feature store', role: 'data' },
  models: { purpose: 'model artifacts and evaluation reports', role: 'data' },
  checkpoints: { purpose: 'training checkpoints', role: 'checkpoints' },
  logs: { purpose: 'S3 server access logs and service logs', role: 'logs' },
};

/**
 * Long-term checkpoints go to Glacier after this many days unless the spec says otherwise.
 * Not a schema default: `archiveAfterDays` has none (only the checkpoints bucket archives
 * when the spec is silent), so the value lives here, once.
 */
export const CHECKPOINT_ARCHIVE_DAYS = 30;

/** Default bucket prefix: unique per account and region, as bucket names are global. */
export function defaultBucketPrefix(spec: Pick<PipelineSpec, 'name' | 'account' | 'region'>): string {
  return `${spec.name}-${spec.account}-${spec.region}`;
}

/** The bucket prefix of a spec: `storage.bucketPrefix` or the per-account default. */
export function bucketPrefixOf(spec: Pick<PipelineSpec, 'name' | 'account' | 'region' | 'storage'>): string {
  return spec.storage?.bucketPrefix ?? defaultBucketPrefix(spec);
}

/**
 * The lifecycle of one bucket: bucket settings win over storage-level settings, which win
 * over pipeform's defaults. The check stage validates the merged days; normalize applies them.
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
  const d = DEFAULTS.lifecycle;
  return {
    tiering: pick('tiering') ?? d.tiering,
    tieringAfterDays: pick('tieringAfterDays') ?? d.tieringAfterDays,
    ...(archiveAfterDays === undefined
      ? {}
      : {
          archive: {
            afterDays: archiveAfterDays,
            storageClass: pick('archiveStorageClass') ?? d.archiveStorageClass,
            prefix: pick('archivePrefix') ?? d.archivePrefix,
          },
        }),
    ...(expireAfterDays === undefined ? {} : { expireAfterDays }),
    noncurrentVersionExpiryDays: pick('noncurrentVersionExpiryDays') ?? d.noncurrentVersionExpiryDays,
    abortIncompleteUploadsAfterDays:
      pick('abortIncompleteUploadsAfterDays') ?? d.abortIncompleteUploadsAfterDays,
  };
}
