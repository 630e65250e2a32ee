import type { AnalyzedSpec } from '../compiler';
import { advise } from '../advise/engine';
import type { Finding } from '../advise/types';
import { cents, estimateLines, pricingContext, type CostLine } from './estimate';
import { PRICES, type PriceTable } from './prices';
import { resolveUsage, type ResolvedUsage } from './usage';

/** A component of the report: its cost as specified and with all advice applied. */
export interface CostReportLine extends CostLine {
  /** USD per month with every advice finding on this component applied (the largest saving counts). */
  readonly withAdvice?: number;
  /** Ids of the findings whose saving applies. */
  readonly advice: readonly string[];
}

/** What `pipeform cost` prints. */
export interface CostReport {
  readonly file: string;
  readonly pipeline: string;
  readonly region: string;
  readonly currency: string;
  /** The price table's date: the only date in the output. */
  readonly priceDate: string;
  readonly spotDiscount: { readonly sagemakerTraining: number; readonly ec2: number };
  readonly lines: readonly CostReportLine[];
  readonly total: {
    /** Sum of the components with known prices. */
    readonly asSpecified: number;
    readonly withAdvice: number;
    /** Components whose price is unknown (not in the totals). */
    readonly unknownComponents: number;
  };
  /** Every price the table lacks, sorted. */
  readonly unknownPrices: readonly string[];
  readonly usage: ResolvedUsage;
  /** Keys of `usage` the spec states (the rest are defaults). */
  readonly usageStated: readonly string[];
}

/**
 * The cost report: the estimate, and the same estimate with every advice finding's saving
 * applied. Findings on one component are alternatives (e.g. autoscaling or serverless for
 * the same endpoint), so the largest saving per component counts.
 */
export function costReport(
  analyzed: AnalyzedSpec,
  table: PriceTable = PRICES,
  findings: readonly Finding[] = advise(analyzed, table),
): CostReport {
  const { resolved } = analyzed;
  const usage = resolveUsage(analyzed.spec);
  const lines = estimateLines(pricingContext(resolved, usage, table)).map((line): CostReportLine => {
    const applying = findings.filter((f) => f.component === line.component && f.saving !== undefined);
    const saving = Math.max(0, ...applying.map((f) => f.saving ?? 0));
    return {
      ...line,
      ...(line.usd !== undefined ? { withAdvice: Math.max(0, line.usd - saving) } : {}),
      advice: [...new Set(applying.map((f) => f.id))].sort(),
    };
  });
  const known = lines.filter((l) => l.usd !== undefined);
  return {
    file: analyzed.file,
    pipeline: resolved.name,
    region: resolved.region,
    currency: table.currency,
    priceDate: table.date,
    spotDiscount: { sagemakerTraining: table.spotDiscount.sagemakerTraining, ec2: table.spotDiscount.ec2 },
    lines,
    total: {
      asSpecified: cents(known.reduce((s, l) => s + (l.usd ?? 0), 0)),
      withAdvice: cents(known.reduce((s, l) => s + (l.withAdvice ?? 0), 0)),
      unknownComponents: lines.length - known.length,
    },
    unknownPrices: [...new Set(lines.flatMap((l) => l.unknown))].sort(),
    usage,
    usageStated: Object.keys(analyzed.spec.usage ?? {}).sort(),
  };
}

const money = (usd: number | undefined): string =>
  usd === undefined
    ? 'unknown'
    : usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The report as a text table (deterministic: no timestamps but the price table's date). */
export function formatCostReport(r: CostReport): string {
  const rows = r.lines.map((l) => [
    l.component,
    money(l.usd),
    money(l.withAdvice),
    `${l.description}${l.spot ? ' (spot)' : ''}`,
  ]);
  const total = ['total', money(r.total.asSpecified), money(r.total.withAdvice), ''];
  const header = ['component', 'as specified', 'with advice', 'what'];
  const widths = [0, 1, 2].map((i) => Math.max(...[header, ...rows, total].map((row) => row[i].length)));
  const fmt = (row: string[]) =>
    [row[0].padEnd(widths[0]), row[1].padStart(widths[1]), row[2].padStart(widths[2]), row[3]]
      .join('  ')
      .trimEnd();
  const out = [
    `cost of pipeline ${r.pipeline} in ${r.region}, ${r.currency} per month, prices of ${r.priceDate}`,
    `(on-demand; spot discount ${Math.round(r.spotDiscount.ec2 * 100)}% EC2 / ${Math.round(r.spotDiscount.sagemakerTraining * 100)}% SageMaker training, only where spot is on)`,
    '',
    fmt(header),
    ...rows.map(fmt),
    fmt(total),
  ];
  if (r.total.unknownComponents > 0) {
    out.push(
      '',
      `unknown: ${r.total.unknownComponents} component${r.total.unknownComponents === 1 ? '' : 's'} not in the totals; the price table lacks:`,
      ...r.unknownPrices.map((p) => `  - ${p}`),
    );
  }
  out.push(
    '',
    r.usageStated.length > 0
      ? `usage: ${r.usageStated.join(', ')} from the spec; other assumptions are defaults (docs/advise-cost-graph.md)`
      : 'usage: default assumptions; state yours under usage: in the spec (docs/advise-cost-graph.md)',
    'exact prices for a plan: infracost breakdown --path plan.json (docs/advise-cost-graph.md)',
  );
  return `${out.join('\n')}\n`;
}
