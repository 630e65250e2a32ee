import type { ResolvedLambdaFunction } from '../../model/orchestration';
import { bill, fmt, id, line, type Amount, type CostArea, type PricingContext } from '../bill';

/** A function per month: requests plus GB-seconds at its architecture's rate. */
export function functionCost(ctx: PricingContext, f: ResolvedLambdaFunction): Amount {
  const l = ctx.prices.lambda ?? {};
  const n = ctx.usage.functionInvocationsPerMonth;
  const gbSeconds = (n * ctx.usage.functionDurationMs * f.memoryMiB) / 1000 / 1024;
  return bill(ctx)
    .add(l.requestsPerMillion, n / 1e6, 'lambda requests')
    .add(
      f.architecture === 'arm64' ? l.gbSecondArm : l.gbSecond,
      gbSeconds,
      `lambda GB-second ${f.architecture}`,
    )
    .amount();
}

/** Each Lambda function of `orchestration.functions`. */
export const lambdaCostLines: CostArea = {
  prefix: 'lambda',
  lines: (ctx) =>
    (ctx.spec.orchestration?.functions ?? []).map((f) =>
      line(
        `lambda/${f.name}`,
        'processing',
        `Lambda ${f.name}: ${fmt(ctx.usage.functionInvocationsPerMonth / 1e6)}M invocations x ${fmt(ctx.usage.functionDurationMs)} ms x ${f.memoryMiB} MiB`,
        functionCost(ctx, f),
      ),
    ),
  addresses: (_spec, name) => [`aws_lambda_function.${id('lambda', name)}`],
};
