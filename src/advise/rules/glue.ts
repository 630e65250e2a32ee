import { glueJobCost } from '../../cost/estimate';
import { FLEX_WORKER_TYPES } from '../../areas/data/catalog';
import { TECHNIQUES } from '../techniques';
import type { AdviceRule } from '../types';

export const glueAdvice: readonly AdviceRule[] = [
  {
    id: 'glue/flex',
    description:
      'A Glue job on a worker type Flex supports runs on dedicated capacity; Flex runs the same job on spare capacity at a lower DPU-hour rate (for jobs that can wait for a start).',
    severity: 'info',
    technique: TECHNIQUES.parallelism,
    run: ({ analyzed, pricing }, report) =>
      (analyzed.resolved.data?.glue?.jobs ?? [])
        .filter((job) => !job.flex && FLEX_WORKER_TYPES.includes(job.workerType))
        .map((job) =>
          report({
            path: ['data', 'glue', 'jobs', { name: job.name }, 'flex'],
            message: `Glue job ${job.name} runs on dedicated capacity; unless it is time-critical, Flex costs less per DPU-hour`,
            fix: true,
            component: `glue/${job.name}`,
            before: glueJobCost(pricing, job, false),
            after: glueJobCost(pricing, job, true),
          }),
        ),
  },
];
