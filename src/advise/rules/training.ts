import { instanceTypeInfo } from '../../areas/eks/catalog';
import { trainingCost } from '../../cost/estimate';
import { TECHNIQUES } from '../techniques';
import type { AdviceRule } from '../types';

/** SageMaker GPU training types with EFA (SageMaker turns it on by itself there). */
const efaCapable = (mlType: string) =>
  (instanceTypeInfo(mlType.replace(/^ml\./, ''))?.efaInterfaces ?? 0) > 0;

export const trainingAdvice: readonly AdviceRule[] = [
  {
    id: 'training/on-demand-gpu',
    description:
      'GPU training runs on-demand where managed spot fits: with checkpoints, an interrupted job resumes, and spot training costs a fraction.',
    severity: 'warning',
    technique: TECHNIQUES.spot,
    run: ({ analyzed, pricing }, report) => {
      const t = analyzed.resolved.training;
      if (!t || t.spot || t.instance.accelerator === 'none') return [];
      return [
        report({
          path: ['training', 'spot'],
          message: `training on ${t.instanceCount} x ${t.instance.type} runs on-demand; managed spot with checkpoints is about ${Math.round(pricing.table.spotDiscount.sagemakerTraining * 100)}% cheaper`,
          fix: true,
          component: 'training/jobs',
          before: trainingCost(pricing, t, false),
          after: trainingCost(pricing, t, true),
        }),
      ];
    },
  },
  {
    id: 'training/spot-without-checkpoints',
    description:
      'Spot training with checkpointing waived: an interruption restarts the job from scratch and pays the lost hours again.',
    severity: 'warning',
    technique: TECHNIQUES.faultTolerance,
    run: ({ analyzed }, report) => {
      const t = analyzed.resolved.training;
      if (!t?.spot || t.checkpoints) return [];
      return [
        report({
          path: ['training', 'checkpointing', 'waiveSpotRisk'],
          key: true,
          message: `spot training without checkpoints: every interruption of the ${t.maxRuntimeSeconds / 3600}-hour budget starts over`,
          fixPath: ['training', 'checkpointing'],
          fix: { enabled: true, waiveSpotRisk: false },
        }),
      ];
    },
  },
  {
    id: 'training/multi-node-efa',
    description:
      'Multi-node GPU training on an instance type without EFA: gradients cross nodes over plain TCP, and NCCL waits on the network.',
    severity: 'warning',
    technique: TECHNIQUES.communication,
    run: ({ analyzed }, report) => {
      const t = analyzed.resolved.training;
      if (!t || t.instanceCount < 2 || t.instance.accelerator !== 'nvidia' || efaCapable(t.instance.type))
        return [];
      return [
        report({
          path: ['training', 'instanceType'],
          message: `${t.instanceCount} x ${t.instance.type} train across nodes without EFA; EFA types (ml.p4d.24xlarge, ml.p5.48xlarge, ml.g5.48xlarge) get it automatically`,
          fix: 'ml.p4d.24xlarge',
        }),
      ];
    },
  },
];
