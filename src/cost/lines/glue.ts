import type { ResolvedGlueJob } from '../../model/data';
import { bill, fmt, id, line, type Amount, type CostArea, type CostLine, type PricingContext } from '../bill';

/** DPUs of one worker of each Glue worker type. */
export const GLUE_WORKER_DPU: Readonly<Record<ResolvedGlueJob['workerType'], number>> = {
  'G.1X': 1,
  'G.2X': 2,
  'G.4X': 4,
  'G.8X': 8,
};

/** A Glue job per month: workers x DPU x hours (an upper bound when auto scaling is on). */
export function glueJobCost(ctx: PricingContext, job: ResolvedGlueJob, flex = job.flex): Amount {
  const glue = ctx.prices.glue ?? {};
  const dpuHours = job.workers * GLUE_WORKER_DPU[job.workerType] * ctx.usage.glueJobHoursPerMonth;
  return bill(ctx)
    .add(flex ? glue.flexDpuHour : glue.dpuHour, dpuHours, flex ? 'glue Flex DPU-hour' : 'glue DPU-hour')
    .amount();
}

/** Glue jobs (`glue/<job>`) and crawlers (`glue/crawler-<crawler>`). */
export const glueCostLines: CostArea = {
  prefix: 'glue',
  lines(ctx) {
    const { spec, usage, prices } = ctx;
    const lines: CostLine[] = [];
    for (const job of spec.data?.glue?.jobs ?? []) {
      lines.push(
        line(
          `glue/${job.name}`,
          'processing',
          `Glue job ${job.name}: ${job.workers} x ${job.workerType}, ${fmt(usage.glueJobHoursPerMonth)} h${job.flex ? ', Flex' : ''}`,
          glueJobCost(ctx, job),
        ),
      );
    }
    for (const crawler of spec.data?.glue?.crawlers ?? []) {
      lines.push(
        line(
          `glue/crawler-${crawler.name}`,
          'processing',
          `Glue crawler ${crawler.name}: ${fmt(usage.glueCrawlerDpuHoursPerMonth)} DPU-hours`,
          bill(ctx)
            .add(prices.glue?.crawlerDpuHour, usage.glueCrawlerDpuHoursPerMonth, 'glue crawler DPU-hour')
            .amount(),
        ),
      );
    }
    return lines;
  },
  addresses: (_spec, name) =>
    name.startsWith('crawler-')
      ? [`aws_glue_crawler.${id('glue', 'crawlers', name.slice('crawler-'.length))}`]
      : [`aws_glue_job.${id('glue', 'jobs', name)}`],
};
