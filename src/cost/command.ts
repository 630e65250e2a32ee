/**
 * `pipeform cost`: what it prints and writes, kept out of src/cli.ts so the CLI only wires
 * options to these functions.
 */
import type { AnalyzedSpec } from '../compiler';
import { SpecError, UsageError } from '../compiler/diagnostics';
import { infracostUsage } from './infracost';
import { PRICES, type PriceTable } from './prices';
import { costReport, formatAddressReport, formatCostReport } from './report';
import { resolveUsage } from './usage';

/** Options of `pipeform cost`. */
export interface CostOptions {
  readonly json?: boolean;
  /** `component` (default) or `address`. */
  readonly by?: string;
}

/**
 * Refuses a region the price table has no prices for, as a spec diagnostic at `region`
 * (the estimate would be all unknown; a total of 0.00 there would mislead).
 */
function refuse(analyzed: AnalyzedSpec, table: PriceTable): void {
  const region = analyzed.resolved.region;
  const reason = table.refusedRegions[region];
  if (reason === undefined) return;
  const at = analyzed.sourceMap.positionOf(['region']);
  throw new SpecError([
    {
      file: analyzed.file,
      line: at.line,
      col: at.col,
      path: 'region',
      message: `pipeform cost has no prices for ${region}: ${reason}`,
      hint: `priced regions: ${Object.keys(table.regions).sort().join(', ')}; in ${region}, price the plan with Infracost (--infracost-usage FILE writes the usage file it reads)`,
    },
  ]);
}

/** The text (or JSON) `pipeform cost` prints; throws a SpecError for a refused region. */
export function costOutput(
  analyzed: AnalyzedSpec,
  opts: CostOptions = {},
  table: PriceTable = PRICES,
): string {
  const by = opts.by ?? 'component';
  if (by !== 'component' && by !== 'address')
    throw new UsageError(`--by takes 'component' or 'address', not ${JSON.stringify(by)}`);
  refuse(analyzed, table);
  const report = costReport(analyzed, table);
  if (opts.json) return `${JSON.stringify(report, null, 2)}\n`;
  return by === 'address' ? formatAddressReport(report) : formatCostReport(report);
}

/** The Infracost usage file of a spec (`pipeform cost --infracost-usage FILE`); needs no prices. */
export function infracostUsageOf(analyzed: AnalyzedSpec, table: PriceTable = PRICES): string {
  const report = costReport(analyzed, table);
  return infracostUsage(analyzed.resolved, resolveUsage(analyzed.spec), report.byAddress);
}
