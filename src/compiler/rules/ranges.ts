import type { CheckRule } from '../check';
import type { Diagnostic } from '../diagnostics';
import { algorithmKind } from '../../areas/training/catalog';
import {
  describeRange,
  hyperparameterRange,
  inRange,
  isRatioMetric,
  metricName,
  numericValue,
} from '../ranges';

type Path = (string | number)[];

/** Numbers that must make sense beyond what the schema can say (issue 13: numbers with no sense pass). */
export const rangeRules: readonly CheckRule[] = [
  {
    id: 'core/ratio-kpi-threshold',
    description:
      'A KPI on a ratio metric (accuracy, auc, precision, recall, f1, ...) has a threshold between 0 and 1: any other one can never be met, or never be missed.',
    run: (ctx) =>
      (ctx.spec.goals?.kpis ?? []).flatMap((kpi, i) =>
        isRatioMetric(kpi.metric) && (kpi.threshold < 0 || kpi.threshold > 1)
          ? [
              ctx.report(
                ['goals', 'kpis', i, 'threshold'],
                `${metricName(kpi.metric)} is a ratio between 0 and 1, but the threshold of KPI ${JSON.stringify(kpi.name)} is ${kpi.threshold}`,
                kpi.threshold > 1 && kpi.threshold <= 100
                  ? `write the threshold as a fraction: ${kpi.threshold / 100}`
                  : 'use a threshold between 0 and 1',
              ),
            ]
          : [],
      ),
  },
  {
    id: 'training/hyperparameter-range',
    description:
      'A numeric hyperparameter of a built-in algorithm lies in its documented range (xgboost num_round a whole number from 1, eta in [0, 1], ...): the job would fail at its start otherwise.',
    run: (ctx) => {
      const t = ctx.spec.training;
      if (!t?.algorithm || algorithmKind(t.algorithm) !== 'builtin') return [];
      const algorithm = t.algorithm;
      return Object.entries(t.hyperparameters ?? {}).flatMap(([name, raw]) => {
        const range = hyperparameterRange(algorithm, name);
        const value = numericValue(raw);
        if (range === undefined || value === undefined || inRange(value, range)) return [];
        return [
          ctx.report(
            ['training', 'hyperparameters', name],
            `${algorithm} ${name} must be ${describeRange(range)}; got ${raw}`,
            `use ${describeRange(range)} (SageMaker Developer Guide, ${algorithm} hyperparameters)`,
          ),
        ];
      });
    },
  },
  {
    id: 'training/tuning-range-bounds',
    description:
      "A tuning range of a built-in algorithm's hyperparameter stays inside the hyperparameter's documented range, and tunes a whole-number hyperparameter with an integer range (a continuous one would pass fractions).",
    run: (ctx) => {
      const t = ctx.spec.training;
      if (!t?.algorithm || !t.tuning || algorithmKind(t.algorithm) !== 'builtin') return [];
      const algorithm = t.algorithm;
      const out: Diagnostic[] = [];
      t.tuning.ranges.forEach((r, i) => {
        const range = hyperparameterRange(algorithm, r.name);
        if (range === undefined) return;
        const at = (k: string): Path => ['training', 'tuning', 'ranges', i, k];
        if (r.type === 'categorical') {
          (r.values ?? []).forEach((v, j) => {
            const n = numericValue(v);
            if (n !== undefined && !inRange(n, range))
              out.push(
                ctx.report(
                  [...at('values'), j],
                  `${algorithm} ${r.name} must be ${describeRange(range)}; got ${v}`,
                  `try only values that are ${describeRange(range)}`,
                ),
              );
          });
          return;
        }
        if (range.integer && r.type === 'continuous') {
          out.push(
            ctx.report(
              at('type'),
              `${algorithm} ${r.name} takes whole numbers, but a continuous range would try fractions`,
              'use type: integer',
            ),
          );
        }
        for (const k of ['min', 'max'] as const) {
          const v = r[k];
          // Whole numbers for integer ranges are training/tuning-ranges' to report.
          if (v !== undefined && !inRange(v, { ...range, integer: false }))
            out.push(
              ctx.report(
                at(k),
                `${algorithm} ${r.name} must be ${describeRange(range)}; a tuning ${k} of ${v} is outside that`,
                `make min and max each ${describeRange(range)}`,
              ),
            );
        }
      });
      return out;
    },
  },
];
