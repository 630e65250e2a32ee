import { DEFAULTS } from '../../areas/emr/catalog';
import { emrClusterCost } from '../../cost/estimate';
import { TECHNIQUES } from '../techniques';
import type { AdviceRule } from '../types';

/** The idle time pipeform's default auto-termination allows (the schema's default). */
const DEFAULT_IDLE_SECONDS = DEFAULTS.cluster.idleTimeoutMinutes * 60;
/** Idle periods a month the saving assumes: one a working day. */
const IDLE_PERIODS_PER_MONTH = 22;

const CLUSTER = ['data', 'emr', 'cluster'] as const;

export const emrAdvice: readonly AdviceRule[] = [
  {
    id: 'emr/idle-timeout',
    description:
      'The interactive EMR cluster waits longer than an hour idle before auto-termination: every idle period bills the whole cluster (per-run clusters are terminated by the workflow).',
    severity: 'warning',
    technique: TECHNIQUES.parallelism,
    run: ({ analyzed, pricing }, report) => {
      const c = analyzed.resolved.data?.emr?.cluster;
      if (!c?.interactive || c.idleTimeoutSeconds <= DEFAULT_IDLE_SECONDS) return [];
      const extraHours = ((c.idleTimeoutSeconds - DEFAULT_IDLE_SECONDS) / 3600) * IDLE_PERIODS_PER_MONTH;
      return [
        report({
          path: [...CLUSTER, 'idleTimeoutMinutes'],
          message: `the cluster idles ${c.idleTimeoutSeconds / 60} minutes before it terminates; at one idle period a working day that is ${extraHours.toFixed(0)} extra cluster-hours a month`,
          fix: DEFAULT_IDLE_SECONDS / 60,
          component: 'emr/cluster',
          before: emrClusterCost(pricing, c, extraHours),
          after: { usd: 0, unknown: [] },
        }),
      ];
    },
  },
  {
    id: 'emr/fixed-capacity',
    description:
      'EMR managed scaling is pinned (minimum units equal the maximum): the cluster cannot scale in when work drops or out for spikes.',
    severity: 'info',
    technique: TECHNIQUES.parallelism,
    run: ({ analyzed }, report) => {
      const c = analyzed.resolved.data?.emr?.cluster;
      if (!c || c.scaling.minUnits < c.scaling.maxUnits) return [];
      return [
        report({
          path: [...CLUSTER, 'scaling'],
          message: `managed scaling is pinned at ${c.scaling.maxUnits} units: nothing scales`,
          fix: { minUnits: 1, maxUnits: Math.max(2, c.scaling.maxUnits) },
        }),
      ];
    },
  },
];
