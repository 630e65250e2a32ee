import type { CheckContext, CheckRule } from '../check';
import { bucketPrefixOf, resolveLifecycle, STANDARD_BUCKETS } from '../../areas/storage/catalog';
import type { Lifecycle } from '../../spec/types.generated';

/** Every bucket the pipeline will have, standard ones included, with its merged lifecycle. */
function buckets(ctx: CheckContext) {
  const storage = ctx.spec.storage ?? {};
  const names = [
    ...new Set([...Object.keys(STANDARD_BUCKETS), ...Object.keys(storage.buckets ?? {})]),
  ].sort();
  return names.map((name) => {
    const role = STANDARD_BUCKETS[name]?.role ?? 'data';
    const own = storage.buckets?.[name]?.lifecycle;
    return { name, own, lifecycle: resolveLifecycle(role, storage.lifecycle, own) };
  });
}

/** Where a lifecycle field was set: on the bucket, on storage, or (a default) at the bucket. */
function origin(ctx: CheckContext, bucket: string, own: Lifecycle | undefined, field: keyof Lifecycle) {
  if (own?.[field] !== undefined) return ['storage', 'buckets', bucket, 'lifecycle', field];
  if (ctx.spec.storage?.lifecycle?.[field] !== undefined) return ['storage', 'lifecycle', field];
  return ctx.spec.storage?.buckets?.[bucket] ? ['storage', 'buckets', bucket] : ['storage'];
}

export const storageRules: readonly CheckRule[] = [
  {
    id: 'storage/bucket-name-length',
    description: 'S3 bucket names are 3-63 characters: the prefix plus the bucket name must fit.',
    run: (ctx) => {
      const prefix = bucketPrefixOf(ctx.spec);
      const where = ctx.spec.storage?.bucketPrefix !== undefined ? ['storage', 'bucketPrefix'] : ['name'];
      return buckets(ctx)
        .filter((b) => `${prefix}-${b.name}`.length > 63)
        .map((b) =>
          ctx.report(
            ctx.spec.storage?.buckets?.[b.name] ? ['storage', 'buckets', b.name] : where,
            `bucket name "${prefix}-${b.name}" is ${prefix.length + 1 + b.name.length} characters; S3 allows 63`,
            "set a shorter 'storage.bucketPrefix' or a shorter bucket name",
            { key: true },
          ),
        );
    },
  },
  {
    id: 'storage/lifecycle-order',
    description:
      'Lifecycle days are consistent: Standard-IA after >= 30 days, archive after tiering (30 days after Standard-IA), expiry after archive.',
    run: (ctx) => {
      // A storage-level setting affects every bucket: group by where the value was set so
      // the user sees one problem per line of the spec, naming the buckets it breaks.
      const found = new Map<
        string,
        { path: (string | number)[]; buckets: string[]; message: string; hint: string }
      >();
      const add = (path: (string | number)[], bucket: string, message: string, hint: string) => {
        const key = `${path.join('.')}|${message}`;
        const entry = found.get(key) ?? { path, buckets: [], message, hint };
        entry.buckets.push(bucket);
        found.set(key, entry);
      };
      for (const { name, own, lifecycle: l } of buckets(ctx)) {
        if (l.tiering === 'standard-ia' && l.tieringAfterDays < 30) {
          add(
            origin(ctx, name, own, 'tieringAfterDays'),
            name,
            `Standard-IA tiering after ${l.tieringAfterDays} days; S3 requires at least 30`,
            'set tieringAfterDays to 30 or more, or use intelligent-tiering (no minimum)',
          );
        }
        if (l.archive && l.tiering !== 'none') {
          const minimum = l.tiering === 'standard-ia' ? l.tieringAfterDays + 30 : l.tieringAfterDays + 1;
          if (l.archive.afterDays < minimum) {
            add(
              origin(ctx, name, own, 'archiveAfterDays'),
              name,
              `archive after ${l.archive.afterDays} days comes before tiering has run (${l.tiering} after ${l.tieringAfterDays} days)`,
              `set archiveAfterDays to at least ${minimum}`,
            );
          }
        }
        const last = l.archive?.afterDays ?? (l.tiering === 'none' ? 0 : l.tieringAfterDays);
        if (l.expireAfterDays !== undefined && l.expireAfterDays <= last) {
          add(
            origin(ctx, name, own, 'expireAfterDays'),
            name,
            `objects expire after ${l.expireAfterDays} days, before or when they transition (day ${last})`,
            `set expireAfterDays above ${last}, or remove the transition`,
          );
        }
      }
      return [...found.values()].map((f) =>
        ctx.report(
          f.path,
          `${f.buckets.length === 1 ? 'bucket' : 'buckets'} ${f.buckets.join(', ')}: ${f.message}`,
          f.hint,
        ),
      );
    },
  },
  {
    id: 'storage/logs-bucket-not-logged',
    description: 'The logs bucket cannot log its own access: logs of logs would loop.',
    run: (ctx) =>
      ctx.spec.storage?.buckets?.logs?.accessLogging === true
        ? [
            ctx.report(
              ['storage', 'buckets', 'logs', 'accessLogging'],
              'the logs bucket receives access logs; it cannot also log its own access',
              'remove accessLogging from the logs bucket',
            ),
          ]
        : [],
  },
];
