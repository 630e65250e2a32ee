import { DEFAULTS } from '../../areas/notebooks/catalog';
import { notebookInstanceCost } from '../../cost/estimate';
import { TECHNIQUES } from '../techniques';
import type { AdviceRule } from '../types';

/** pipeform's default idle times before a notebook instance stops and a Studio app shuts down. */
const INSTANCE_IDLE_MINUTES = DEFAULTS.instance.idleStopMinutes;
const DOMAIN_IDLE_MINUTES = DEFAULTS.domain.idleShutdownMinutes;
/** Idle periods a month the saving assumes: one a working day. */
const IDLE_PERIODS_PER_MONTH = 22;

export const notebooksAdvice: readonly AdviceRule[] = [
  {
    id: 'notebooks/idle-stop',
    description:
      'Notebooks wait longer than an hour without activity before they stop: every forgotten session bills the instance until then.',
    severity: 'warning',
    technique: TECHNIQUES.dataProcessing,
    run: ({ analyzed, pricing }, report) => {
      const nb = analyzed.resolved.notebooks;
      const instances = (nb?.instances ?? [])
        .filter((i) => i.idleStopMinutes > INSTANCE_IDLE_MINUTES)
        .map((i) => {
          const extra = ((i.idleStopMinutes - INSTANCE_IDLE_MINUTES) / 60) * IDLE_PERIODS_PER_MONTH;
          return report({
            path: ['notebooks', 'instances', { name: i.name }, 'idleStopMinutes'],
            message: `notebook ${i.name} stops after ${i.idleStopMinutes} idle minutes; at one idle period a working day that is ${extra.toFixed(0)} extra instance-hours a month`,
            fix: INSTANCE_IDLE_MINUTES,
            component: `notebooks/${i.name}`,
            before: notebookInstanceCost(pricing, i, extra),
            after: notebookInstanceCost(pricing, i, 0),
          });
        });
      const domain =
        nb?.domain && nb.domain.idleShutdownMinutes > DOMAIN_IDLE_MINUTES
          ? [
              report({
                path: ['notebooks', 'domain', 'idleShutdownMinutes'],
                message: `Studio apps shut down after ${nb.domain.idleShutdownMinutes} idle minutes; each forgotten app bills its instance until then`,
                fix: DOMAIN_IDLE_MINUTES,
              }),
            ]
          : [];
      return [...instances, ...domain];
    },
  },
];
