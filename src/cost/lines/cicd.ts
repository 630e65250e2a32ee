import { bill, id, line, type CostArea } from '../bill';

/** The release pipeline (CodePipeline and CodeBuild, billed per minute of use: unknown). */
export const cicdCostLines: CostArea = {
  prefix: 'cicd',
  lines: (ctx) =>
    ctx.spec.cicd
      ? [
          line(
            'cicd/pipeline',
            'cicd',
            'CodePipeline and CodeBuild (billed per action-minute and build-minute)',
            bill(ctx).add(undefined, 1, 'codepipeline action-minutes and codebuild build-minutes').amount(),
          ),
        ]
      : [],
  addresses: () => [`aws_codepipeline.${id('cicd')}`],
};
