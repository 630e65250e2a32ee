/**
 * The monthly cost model: resolved spec x usage assumptions x price table. Pure and
 * deterministic. Every price comes from the bundled table; a missing price makes the
 * component "unknown" (listed, never guessed). `pipeform advise` prices its savings with
 * the same functions, so `cost` and `advise` always agree.
 *
 * Each area's lines, the prices they are made of and the addresses that bill them are in
 * `lines/<area>.ts`, listed in `costAreas` (`lines/index.ts`); the shared model (context,
 * bill, line) is `bill.ts`. This module runs them and is the one the rest imports from.
 */
import type { CostLine, PricingContext } from './bill';
import { costAreas } from './lines';

export {
  cents,
  pricingContext,
  type Amount,
  type CostArea,
  type CostLine,
  type PricedItem,
  type PricingContext,
} from './bill';
export { eksCostLines, nodeGroupCost, nodeHours } from './lines/eks';
export { emrClusterCost, emrCostLines } from './lines/emr';
export { GLUE_WORKER_DPU, glueCostLines, glueJobCost } from './lines/glue';
export { functionCost, lambdaCostLines } from './lines/lambda';
export { interfaceEndpointCost, natCost, natGatewayCount, networkCostLines } from './lines/network';
export { notebookInstanceCost, notebooksCostLines, STUDIO_DEFAULT_INSTANCE } from './lines/notebooks';
export { averageInstances, endpointCost, serverlessCost, servingCostLines } from './lines/serving';
export { bucketSizes, bucketStorage, storageCostLines } from './lines/storage';
export { processingCost, trainingCost, trainingCostLines, trainingHours } from './lines/training';
export { costAreas } from './lines';

/** Every billed component of the pipeline, sorted by component key. */
export function estimateLines(ctx: PricingContext): CostLine[] {
  const lines = costAreas.flatMap((area) => area.lines(ctx));
  return lines.sort((a, b) => (a.component < b.component ? -1 : a.component > b.component ? 1 : 0));
}
