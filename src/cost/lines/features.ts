import { bill, id, line, type CostArea } from '../bill';

/** Online feature stores (billed per read, write and GB: no usage for them, so unknown). */
export const featuresCostLines: CostArea = {
  prefix: 'features',
  lines: (ctx) =>
    (ctx.spec.features?.groups ?? [])
      .filter((x) => x.online)
      .map((g) =>
        line(
          `features/${g.name}`,
          'features',
          `feature group ${g.name}: online store (billed per read, write and GB; the offline store is in the features bucket)`,
          bill(ctx).add(undefined, 1, 'feature store online reads, writes and storage').amount(),
        ),
      ),
  addresses: (_spec, name) => [`aws_sagemaker_feature_group.${id('features', name)}`],
};
