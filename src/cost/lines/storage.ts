import type { ResolvedBucket, Tiering } from '../../model/resolved';
import { bill, fmt, id, line, type Amount, type CostArea, type CostLine, type PricingContext } from '../bill';
import { regionPrices } from '../prices';

/** GB per bucket: the stated sizes, the rest of `dataVolumeGb` split evenly over the others. */
export function bucketSizes(ctx: PricingContext): ReadonlyMap<string, number> {
  const buckets = ctx.spec.storage.buckets;
  const stated = ctx.usage.bucketGb;
  const statedTotal = buckets.reduce((sum, b) => sum + (stated[b.name] ?? 0), 0);
  const others = buckets.filter((b) => stated[b.name] === undefined).length;
  const share = others > 0 ? Math.max(0, ctx.usage.dataVolumeGb - statedTotal) / others : 0;
  return new Map(buckets.map((b) => [b.name, stated[b.name] ?? share]));
}

/**
 * A bucket's storage per month. The cold share (`coldDataPercent`) moves to the archive
 * class when the bucket archives, else to the tiering class; the rest stays in the frequent
 * tier. `tiering` overrides the bucket's own (advise prices the fix with it).
 */
export function bucketStorage(
  ctx: PricingContext,
  bucket: ResolvedBucket,
  gb: number,
  tiering: Tiering = bucket.lifecycle.tiering,
): Amount {
  const s3 = ctx.prices.s3 ?? {};
  const cold = (gb * ctx.usage.coldDataPercent) / 100;
  const hot = gb - cold;
  const b = bill(ctx);
  const archive = bucket.lifecycle.archive?.storageClass;
  if (tiering === 'intelligent-tiering') {
    b.add(s3.INTELLIGENT_TIERING_FREQUENT, hot, 's3 INTELLIGENT_TIERING frequent access');
    if (archive) b.add(s3[archive], cold, `s3 ${archive}`);
    else b.add(s3.INTELLIGENT_TIERING_INFREQUENT, cold, 's3 INTELLIGENT_TIERING infrequent access');
    const objects = (gb * 1024) / ctx.usage.averageObjectSizeMb;
    b.add(
      s3.INTELLIGENT_TIERING_MONITORING_PER_1000_OBJECTS,
      objects / 1000,
      's3 INTELLIGENT_TIERING monitoring',
    );
  } else if (tiering === 'standard-ia') {
    b.add(s3.STANDARD, hot, 's3 STANDARD');
    if (archive) b.add(s3[archive], cold, `s3 ${archive}`);
    else b.add(s3.STANDARD_IA, cold, 's3 STANDARD_IA');
  } else {
    b.add(s3.STANDARD, archive ? hot : gb, 's3 STANDARD');
    if (archive) b.add(s3[archive], cold, `s3 ${archive}`);
  }
  return b.amount();
}

/** Each bucket's storage, and the transfer of data ingested from another region (billed there). */
export const storageCostLines: CostArea = {
  prefix: 'storage',
  lines(ctx) {
    const { spec, usage } = ctx;
    const lines: CostLine[] = [];
    const sizes = bucketSizes(ctx);
    for (const b of spec.storage.buckets) {
      const gb = sizes.get(b.name) ?? 0;
      const cls = b.lifecycle.archive ? `, cold to ${b.lifecycle.archive.storageClass}` : '';
      lines.push(
        line(
          `storage/${b.name}`,
          'storage',
          `bucket ${b.name}: ${fmt(gb)} GB, ${b.lifecycle.tiering}${cls}`,
          bucketStorage(ctx, b, gb),
        ),
      );
    }
    if (usage.sourceDataRegion !== spec.region) {
      const source = regionPrices(ctx.table, usage.sourceDataRegion);
      lines.push(
        line(
          'storage/ingest',
          'storage',
          `${fmt(usage.ingestGbPerMonth)} GB/month ingested from ${usage.sourceDataRegion}`,
          bill(ctx, usage.sourceDataRegion)
            .add(source.interRegionTransferGb, usage.ingestGbPerMonth, 'inter-region transfer GB')
            .amount(),
        ),
      );
    }
    return lines;
  },
  addresses: (_spec, name) => (name === 'ingest' ? [] : [`aws_s3_bucket.${id('lake', name)}`]),
};
