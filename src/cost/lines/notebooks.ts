import type { ResolvedNotebookInstance } from '../../model/notebooks';
import { STUDIO_DEFAULT_INSTANCE } from '../../areas/notebooks/catalog';
import { bill, fmt, id, line, type Amount, type CostArea, type CostLine, type PricingContext } from '../bill';

export { STUDIO_DEFAULT_INSTANCE };

/** A notebook instance per month: `hoursUp` running plus its volume all month. */
export function notebookInstanceCost(
  ctx: PricingContext,
  nb: ResolvedNotebookInstance,
  hoursUp = ctx.usage.notebookHoursPerMonth,
): Amount {
  const sm = ctx.prices.sagemaker ?? {};
  return bill(ctx)
    .add(sm.notebook?.[nb.instanceType], hoursUp, `sagemaker notebook ${nb.instanceType}`)
    .add(sm.mlStorageGbMonth, nb.volumeGiB, 'sagemaker ML storage GB-month')
    .amount();
}

/** Notebook instances (`notebooks/<name>`) and the Studio domain's users (`notebooks/domain`). */
export const notebooksCostLines: CostArea = {
  prefix: 'notebooks',
  lines(ctx) {
    const { spec, usage, prices } = ctx;
    const lines: CostLine[] = [];
    for (const nb of spec.notebooks?.instances ?? []) {
      lines.push(
        line(
          `notebooks/${nb.name}`,
          'notebooks',
          `notebook ${nb.name}: ${nb.instanceType}, ${fmt(usage.notebookHoursPerMonth)} h, ${nb.volumeGiB} GiB`,
          notebookInstanceCost(ctx, nb),
        ),
      );
    }
    const domain = spec.notebooks?.domain;
    if (domain) {
      const users = domain.users.length;
      lines.push(
        line(
          'notebooks/domain',
          'notebooks',
          `Studio domain: ${users} user${users === 1 ? '' : 's'} x ${fmt(usage.notebookHoursPerMonth)} h of ${STUDIO_DEFAULT_INSTANCE} (Studio's default; home directories not estimated)`,
          bill(ctx)
            .add(
              prices.sagemaker?.notebook?.[STUDIO_DEFAULT_INSTANCE],
              users * usage.notebookHoursPerMonth,
              `sagemaker notebook ${STUDIO_DEFAULT_INSTANCE}`,
            )
            .amount(),
        ),
      );
    }
    return lines;
  },
  addresses: (_spec, name) =>
    name === 'domain'
      ? [`aws_sagemaker_domain.${id('notebooks')}`]
      : [`aws_sagemaker_notebook_instance.${id('notebooks', name)}`],
};
