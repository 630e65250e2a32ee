import type { CheckRule } from '../check';
import type { Diagnostic } from '../diagnostics';
import { duplicateNames } from './data';

const GROUPS = ['features', 'groups'] as const;

/** Names Feature Store adds to every record (a feature may not use them). */
export const RESERVED_FEATURE_NAMES = ['api_invocation_time', 'is_deleted', 'write_time'];

export const featuresRules: readonly CheckRule[] = [
  {
    id: 'features/unique-names',
    description: 'Feature groups have unique names, and so do the features of a group.',
    run: (ctx) => [
      ...duplicateNames(ctx, ctx.spec.features?.groups, GROUPS, 'feature group'),
      ...(ctx.spec.features?.groups ?? []).flatMap((g, i) =>
        duplicateNames(ctx, g.features, [...GROUPS, i, 'features'], 'feature'),
      ),
    ],
  },
  {
    id: 'features/record-and-event',
    description:
      'The record identifier and event time name features of the group; the identifier is string or integral, the event time string or fractional.',
    run: (ctx) =>
      (ctx.spec.features?.groups ?? []).flatMap((g, i) => {
        const out: Diagnostic[] = [];
        const types = new Map(g.features.map((f) => [f.name, f.type]));
        const check = (field: 'recordId' | 'eventTime', allowed: readonly string[]) => {
          const type = types.get(g[field]);
          if (type === undefined) {
            out.push(
              ctx.report(
                [...GROUPS, i, field],
                `${field} ${g[field]} is not one of the group's features`,
                `add {name: ${g[field]}, type: ${allowed[0]}} to features, or name an existing feature`,
              ),
            );
          } else if (!allowed.includes(type)) {
            out.push(
              ctx.report(
                [...GROUPS, i, field],
                `${field} ${g[field]} is ${type}; it must be ${allowed.join(' or ')}`,
                `change the type of feature ${g[field]}`,
              ),
            );
          }
        };
        check('recordId', ['string', 'integral']);
        check('eventTime', ['fractional', 'string']);
        return out;
      }),
  },
  {
    id: 'features/reserved-names',
    description:
      'Features do not use the names Feature Store adds to every record (write_time, api_invocation_time, is_deleted).',
    run: (ctx) =>
      (ctx.spec.features?.groups ?? []).flatMap((g, i) =>
        g.features.flatMap((f, fi) =>
          RESERVED_FEATURE_NAMES.includes(f.name.toLowerCase())
            ? [
                ctx.report(
                  [...GROUPS, i, 'features', fi, 'name'],
                  `${f.name} is reserved by Feature Store`,
                  'rename the feature',
                ),
              ]
            : [],
        ),
      ),
  },
  {
    id: 'features/store',
    description: 'A feature group keeps its records somewhere: the online store, the offline store, or both.',
    run: (ctx) =>
      (ctx.spec.features?.groups ?? []).flatMap((g, i) =>
        g.online === false && g.offline === false
          ? [
              ctx.report(
                [...GROUPS, i, 'offline'],
                `feature group ${g.name} has neither an online nor an offline store`,
                'remove online: false or offline: false',
              ),
            ]
          : [],
      ),
  },
];
