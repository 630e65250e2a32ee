import type { AnalyzedSpec } from '../compiler';
import { advise } from '../advise/engine';
import type { Finding } from '../advise/types';
import { cents, estimateLines, pricingContext, type CostLine } from './estimate';
import { addressLines, type AddressLine } from './addresses';
import { coverage, PRICES, pricedServices, refusedRegion, type Coverage, type PriceTable } from './prices';
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
  /** How the table covers each priced service in the region: date and source, or why it is refused. */
  readonly coverage: Readonly<Record<string, Coverage>>;
  /** Why the table refuses the whole region (`pipeform cost` then exits 1), if it does. */
  readonly refused?: string;
  /** The same estimate by Terraform address (`pipeform cost --by address`). */
  readonly byAddress: readonly AddressLine[];
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
    coverage: Object.fromEntries(
      pricedServices(table).flatMap((s) => {
        const c = coverage(table, resolved.region, s);
        return c ? [[s, c]] : [];
      }),
    ),
    ...(refusedRegion(table, resolved.region) !== undefined
      ? { refused: refusedRegion(table, resolved.region) }
      : {}),
    byAddress: addressLines(resolved, lines),
    usage,
    usageStated: Object.keys(analyzed.spec.usage ?? {}).sort(),
  };
}

const money = (usd: number | undefined): string =>
  usd === undefined
    ? 'unknown'
    : usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * A total that never hides what it leaves out: `1,484.46 + 2 unknown` when components have
 * no price (the HTML report, `cost` and `advise` print totals through this).
 */
export function formatTotal(usd: number, unknownComponents: number): string {
  return unknownComponents > 0 ? `${money(usd)} + ${unknownComponents} unknown` : money(usd);
}

/** Dates and sources of the region's prices that differ from the table's date, and every refusal. */
function coverageNotes(r: CostReport): string[] {
  return Object.entries(r.coverage).flatMap(([service, c]) =>
    c.refused !== undefined
      ? r.refused !== undefined
        ? []
        : [`  - ${service}: not priced in ${r.region}: ${c.refused}`]
      : c.priced.date !== r.priceDate
        ? [`  - ${service}: prices of ${c.priced.date} from ${c.priced.source}`]
        : [],
  );
}

/** The report as a text table (deterministic: no timestamps but the price table's date). */
export function formatCostReport(r: CostReport): string {
  const rows = r.lines.map((l) => [
    l.component,
    money(l.usd),
    money(l.withAdvice),
    `${l.description}${l.spot ? ' (spot)' : ''}`,
  ]);
  const total = [
    'total',
    formatTotal(r.total.asSpecified, r.total.unknownComponents),
    formatTotal(r.total.withAdvice, r.total.unknownComponents),
    '',
  ];
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
  const notes = coverageNotes(r);
  if (notes.length > 0) out.push('', `price table coverage in ${r.region}:`, ...notes);
  out.push(
    '',
    r.usageStated.length > 0
      ? `usage: ${r.usageStated.join(', ')} from the spec; other assumptions are defaults (docs/advise-cost-graph.md)`
      : 'usage: default assumptions; state yours under usage: in the spec (docs/advise-cost-graph.md)',
    'exact prices for a plan: infracost breakdown --path plan.json (docs/advise-cost-graph.md)',
  );
  return `${out.join('\n')}\n`;
}

const quantity = (n: number) =>
  n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 3 : 1, useGrouping: true });
const unitPrice = (n: number | undefined) =>
  n === undefined ? 'unknown' : n.toLocaleString('en-US', { maximumSignificantDigits: 6 });

/**
 * The report by Terraform address, as Infracost lays out a breakdown: each resource with
 * its billed quantities, unit, unit price and monthly cost; `*` marks a usage-based
 * quantity (it follows the spec's `usage:` assumptions).
 */
export function formatAddressReport(r: CostReport): string {
  const header = ['address / what', 'quantity', 'unit', 'unit price', 'monthly'];
  const rows: string[][] = [];
  for (const l of r.byAddress) {
    rows.push([l.address ?? `(${l.component}: no single resource)`, '', '', '', money(l.monthly)]);
    for (const i of l.items)
      rows.push([
        `  ${i.what}${i.spot ? ' (spot)' : ''}${i.usageBased ? ' *' : ''}`,
        quantity(i.quantity),
        i.unit,
        unitPrice(i.unitPrice),
        money(i.monthly),
      ]);
  }
  const total = ['total', '', '', '', formatTotal(r.total.asSpecified, r.total.unknownComponents)];
  const all = [header, ...rows, total];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const fmt = (row: string[]) =>
    row
      .map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [
    `cost of pipeline ${r.pipeline} in ${r.region} by Terraform address, ${r.currency} per month, prices of ${r.priceDate}`,
    '* usage-based: the quantity follows the usage: assumptions (pipeform cost --infracost-usage FILE writes them for Infracost)',
    '',
    ...all.map(fmt),
    '',
  ].join('\n');
}
