import type { ResolvedProcessingJob, ResolvedTraining } from '../../model/training';
import { bill, fmt, id, line, type Amount, type CostArea, type CostLine, type PricingContext } from '../bill';

/**
 * Training hours per month: `trainingHoursPerMonth`, times `fineTuneHoursShare` when training
 * starts from a base model (a fine-tuning run is shorter than one from scratch).
 */
export function trainingHours(ctx: PricingContext, t: ResolvedTraining): number {
  return ctx.usage.trainingHoursPerMonth * (t.baseModel ? ctx.usage.fineTuneHoursShare : 1);
}

/** Training jobs per month: {@link trainingHours} on every instance; the spot discount when spot is on. */
export function trainingCost(ctx: PricingContext, t: ResolvedTraining, spot = t.spot !== undefined): Amount {
  const rate = ctx.prices.sagemaker?.training?.[t.instance.type];
  return bill(ctx)
    .add(
      rate === undefined ? undefined : rate * (spot ? 1 - ctx.table.spotDiscount.sagemakerTraining : 1),
      t.instanceCount * trainingHours(ctx, t),
      `sagemaker training ${t.instance.type}`,
      spot,
    )
    .amount();
}

/** A processing step per month: `processingHoursPerMonth` on every instance. */
export function processingCost(ctx: PricingContext, job: ResolvedProcessingJob): Amount {
  return bill(ctx)
    .add(
      ctx.prices.sagemaker?.processing?.[job.instance.type],
      job.instanceCount * ctx.usage.processingHoursPerMonth,
      `sagemaker processing ${job.instance.type}`,
    )
    .amount();
}

/** The SageMaker pipeline's training jobs, preprocessing and evaluation steps. */
export const trainingCostLines: CostArea = {
  prefix: 'training',
  lines(ctx) {
    const { spec, usage } = ctx;
    const lines: CostLine[] = [];
    const t = spec.training;
    if (!t) return lines;
    lines.push(
      line(
        'training/jobs',
        'training',
        `training ${t.instanceCount} x ${t.instance.type}, ${fmt(trainingHours(ctx, t))} h${t.baseModel ? ' (fine-tuning from a base model)' : ''}${t.spot ? ', managed spot' : ''}`,
        trainingCost(ctx, t),
        t.spot !== undefined,
      ),
    );
    if (t.preprocessing) {
      lines.push(
        line(
          'training/preprocessing',
          'processing',
          `preprocessing ${t.preprocessing.instanceCount} x ${t.preprocessing.instance.type}, ${fmt(usage.processingHoursPerMonth)} h`,
          processingCost(ctx, t.preprocessing),
        ),
      );
    }
    if (t.evaluation) {
      lines.push(
        line(
          'training/evaluation',
          'training',
          `evaluation ${t.evaluation.instanceCount} x ${t.evaluation.instance.type}, ${fmt(usage.processingHoursPerMonth)} h`,
          processingCost(ctx, t.evaluation),
        ),
      );
    }
    return lines;
  },
  // Training, preprocessing and evaluation jobs are steps of the one SageMaker pipeline.
  addresses: () => [`aws_sagemaker_pipeline.${id('training')}`],
};
