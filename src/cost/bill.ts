/**
 * What every part of the cost model shares: the context it prices with, the bill that sums
 * priced quantities, the line an area contributes, and the registry entry type each area's
 * module in `lines/` exports. Pure and deterministic.
 */
import { logicalIdOf } from '../constructs/naming';
import type { ResolvedSpec } from '../model/resolved';
import { regionPrices, type PriceTable, type RegionPrices } from './prices';
import type { ResolvedUsage } from './usage';

/** One billed quantity of an amount: what, how much of it a month, at which price. */
export interface PricedItem {
  /** What is billed, as the price table names it (`ec2 m5.xlarge`, `s3 STANDARD`). */
  readonly what: string;
  /** Units a month (hours, GB, GB-months, millions of requests...: see `unitOf`). */
  readonly quantity: number;
  /** USD per unit; undefined when the table lacks it. */
  readonly unitPrice?: number;
  /** On spot capacity: `unitPrice` is the on-demand price less the table's spot discount. */
  readonly spot?: true;
}

/** An amount of money that may not be known. */
export interface Amount {
  /** USD per month; undefined when a price it needs is not in the table. */
  readonly usd?: number;
  /** The prices the table lacks, e.g. `ec2 p5.48xlarge in eu-west-1`. */
  readonly unknown: readonly string[];
  /** The quantities it sums, in the order they were billed (`pipeform cost --by address`). */
  readonly items?: readonly PricedItem[];
}

/** One component of the estimate. */
export interface CostLine {
  /** Stable key, `<area>/<name>` (e.g. `storage/raw`); advice findings name the same keys. */
  readonly component: string;
  /** Architecture area, as the report groups it. */
  readonly area: string;
  /** What is billed and how much of it. */
  readonly description: string;
  readonly usd?: number;
  readonly unknown: readonly string[];
  /** True when the component runs on spot capacity (the spot discount is applied). */
  readonly spot: boolean;
  /** The billed quantities behind `usd` (known and unknown prices alike). */
  readonly items: readonly PricedItem[];
}

/** What the cost model needs. */
export interface PricingContext {
  readonly spec: ResolvedSpec;
  readonly usage: ResolvedUsage;
  readonly table: PriceTable;
  /** The pipeline region's prices. */
  readonly prices: RegionPrices;
}

/**
 * One area's part of the estimate: its lines and the Terraform addresses that bill them, in
 * one place (`src/cost/lines/<area>.ts`, listed in `costAreas`).
 */
export interface CostArea {
  /** The `<prefix>` of the area's component keys `<prefix>/<name>` (`glue` for `glue/sessionize`). */
  readonly prefix: string;
  /** The area's lines for the spec; none when the spec does not use the area. */
  readonly lines: (ctx: PricingContext) => CostLine[];
  /**
   * The addresses, in the synth's naming, of the resources that bill the component
   * `<prefix>/<name>`; empty when no single resource bills it (the line is then listed
   * under its component). Absent: the area has no resource to name.
   */
  readonly addresses?: (spec: ResolvedSpec, name: string) => string[];
}

/** Builds the context for a resolved spec. */
export function pricingContext(spec: ResolvedSpec, usage: ResolvedUsage, table: PriceTable): PricingContext {
  return { spec, usage, table, prices: regionPrices(table, spec.region) };
}

/** Sums priced quantities, remembering the prices that are missing. */
export class Bill {
  private usd = 0;
  private readonly missing: string[] = [];
  private readonly items: PricedItem[] = [];

  constructor(private readonly region: string) {}

  /** Adds `quantity` x `price`; a missing price is recorded as unknown (a zero quantity costs nothing). */
  add(price: number | undefined, quantity: number, what: string, spot = false): this {
    if (quantity === 0) return this;
    this.items.push({
      what,
      quantity,
      ...(price !== undefined ? { unitPrice: price } : {}),
      ...(spot ? { spot: true as const } : {}),
    });
    if (price === undefined) {
      const entry = `${what} in ${this.region}`;
      if (!this.missing.includes(entry)) this.missing.push(entry);
    } else this.usd += price * quantity;
    return this;
  }

  /** The sum so far: known, or the prices it lacks. */
  amount(): Amount {
    const items = [...this.items];
    return this.missing.length > 0
      ? { unknown: [...this.missing], items }
      : { usd: this.usd, unknown: [], items };
  }
}

/** A new bill in the pipeline's region (or `region`: inter-region transfer is billed at the source). */
export const bill = (ctx: PricingContext, region = ctx.spec.region): Bill => new Bill(region);
/** Hours in the price table's month. */
export const hours = (ctx: PricingContext): number => ctx.table.hoursPerMonth;

/** Rounds to cents; the only rounding the model does (at the edges, for printing and tests). */
export const cents = (usd: number): number => Math.round(usd * 100) / 100;

/**
 * The schema bounds every usage number, so every amount is finite; this guard keeps a
 * future unbounded field from printing NaN, Infinity or a 300-digit figure.
 */
function finite(n: number, what: string): number {
  if (!Number.isFinite(n) || Math.abs(n) >= 1e21)
    throw new RangeError(`internal: ${what} is ${n}, not a finite amount (a usage field without bounds?)`);
  return n;
}

/** A quantity as a line's description prints it (at most two decimals below 10, one above). */
export const fmt = (n: number): string => {
  finite(n, 'a quantity in a cost line');
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1).replace(/\.?0+$/, '');
};

/** A line of the estimate from its amount (refuses a non-finite one). */
export function line(
  component: string,
  area: string,
  description: string,
  amount: Amount,
  spot = false,
): CostLine {
  if (amount.usd !== undefined) finite(amount.usd, `the monthly cost of ${component}`);
  return {
    component,
    area,
    description,
    ...(amount.usd !== undefined ? { usd: amount.usd } : {}),
    unknown: amount.unknown,
    spot,
    items: amount.items ?? [],
  };
}

/** The synth's name of the resource at a construct path (`id('lake', 'raw')`: `lake_raw`). */
export const id = (...path: string[]): string => logicalIdOf(path);
/** Addresses in a stable order. */
export const sorted = (xs: readonly string[]): string[] => [...xs].sort();
