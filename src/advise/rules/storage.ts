import { bucketSizes, bucketStorage } from '../../cost/estimate';
import { TECHNIQUES } from '../techniques';
import type { AdviceRule, SpecPath } from '../types';

/** Buckets whose objects expire within a month gain nothing from tiering (IA bills 30 days minimum). */
const SHORT_LIVED_DAYS = 30;

export const storageAdvice: readonly AdviceRule[] = [
  {
    id: 'storage/no-tiering',
    description:
      'A bucket with tiering off keeps every object in S3 Standard, also the data nobody reads; Intelligent-Tiering moves it to cheaper tiers by itself.',
    severity: 'warning',
    technique: TECHNIQUES.dataProcessing,
    run: ({ analyzed, pricing }, report) => {
      const sizes = bucketSizes(pricing);
      return analyzed.resolved.storage.buckets
        .filter((b) => b.lifecycle.tiering === 'none' && !b.lifecycle.archive)
        .filter((b) => (b.lifecycle.expireAfterDays ?? Infinity) > SHORT_LIVED_DAYS)
        .map((b) => {
          const gb = sizes.get(b.name) ?? 0;
          const own = analyzed.spec.storage?.buckets?.[b.name]?.lifecycle?.tiering !== undefined;
          const path: SpecPath = own
            ? ['storage', 'buckets', b.name, 'lifecycle', 'tiering']
            : ['storage', 'lifecycle', 'tiering'];
          return report({
            path,
            message: `bucket ${b.name} keeps all its data (${gb.toFixed(0)} GB assumed) in S3 Standard, also the ${pricing.usage.coldDataPercent}% nobody reads for a month`,
            fixPath: ['storage', 'buckets', b.name, 'lifecycle'],
            fix: { tiering: 'intelligent-tiering' },
            component: `storage/${b.name}`,
            before: bucketStorage(pricing, b, gb),
            after: bucketStorage(pricing, b, gb, 'intelligent-tiering'),
          });
        });
    },
  },
];
