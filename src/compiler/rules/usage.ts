import type { Diagnostic } from '../diagnostics';
import type { CheckRule } from '../check';
import { didYouMean } from '../suggest';
import { lakeBuckets } from './references';

export const usageRules: readonly CheckRule[] = [
  {
    id: 'usage/references',
    description:
      'Per-endpoint traffic and per-bucket sizes under usage name endpoints and buckets the spec has: a typo would silently estimate with the defaults.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      const usage = ctx.spec.usage;
      const check = (keys: string[], known: string[], section: string, what: string) => {
        for (const key of keys) {
          if (known.includes(key)) continue;
          const near = didYouMean(key, known);
          out.push(
            ctx.report(
              ['usage', section, key],
              `usage.${section} names ${what} ${JSON.stringify(key)}, which the spec does not have${near ? `; did you mean ${JSON.stringify(near)}?` : ''}`,
              known.length > 0 ? `use one of: ${known.join(', ')}` : `the spec has no ${what}s`,
              { key: true },
            ),
          );
        }
      };
      const endpoints = (ctx.spec.serving?.endpoints ?? []).map((e) => e.name).sort();
      const buckets = lakeBuckets(ctx);
      check(Object.keys(usage?.endpoints ?? {}), endpoints, 'endpoints', 'endpoint');
      check(Object.keys(usage?.bucketGb ?? {}), buckets, 'bucketGb', 'bucket');
      return out;
    },
  },
];
