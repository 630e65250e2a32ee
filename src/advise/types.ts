import type { AnalyzedSpec } from '../compiler';
import type { PricingContext } from '../cost/estimate';
import type { Technique } from './techniques';

/** Warnings are worth fixing (and fail `advise --strict`); infos are trade-offs to know about. */
export type Severity = 'warning' | 'info';

/** One piece of advice, at its place in the spec. */
export interface Finding {
  /** Rule id, `<area>/<what>`. */
  readonly id: string;
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Dotted spec path the finding is about (the position falls back to its nearest ancestor). */
  readonly path: string;
  readonly message: string;
  /** The seed heading the advice comes from, quoted. */
  readonly technique: Technique;
  /** The fix, as a YAML snippet to merge into the spec. */
  readonly fix: string;
  /** The same fix as data: `value` merged at `path` (`applyFix`, src/advise/apply.ts). */
  readonly patch: { readonly path: SpecPath; readonly value: unknown; readonly replace?: boolean };
  /** The cost component the saving applies to (a key of the cost estimate). */
  readonly component?: string;
  /** Estimated saving in USD per month, from the same price table as `pipeform cost`. */
  readonly saving?: number;
  /** Prices missing from the table to estimate the saving. */
  readonly savingUnknown?: readonly string[];
}

/** What a rule sees. */
export interface AdviceContext {
  readonly analyzed: AnalyzedSpec;
  readonly pricing: PricingContext;
}

/** An advice rule: like a check rule, but about cost and operations, never validity. */
export interface AdviceRule {
  readonly id: string;
  readonly description: string;
  readonly severity: Severity;
  readonly technique: Technique;
  readonly run: (ctx: AdviceContext, report: Reporter) => Finding[];
}

/** A spec path: keys, list indexes, or `{ name }` for the list item with that name. */
export type SpecPath = readonly (string | number | { readonly name: string })[];

/** What a rule says; the engine adds the rule's id, severity, technique and the position. */
export interface Advice {
  readonly path: SpecPath;
  readonly message: string;
  /** The fix as data at `fixPath` (default: `path` without its last key); rendered as YAML. */
  readonly fix: unknown;
  readonly fixPath?: SpecPath;
  /** The fix replaces the item at `fixPath` instead of merging into it (a merge cannot remove keys). */
  readonly replace?: boolean;
  readonly component?: string;
  /** Cost before and after the fix (USD per month); the saving is their difference. */
  readonly before?: { readonly usd?: number; readonly unknown: readonly string[] };
  readonly after?: { readonly usd?: number; readonly unknown: readonly string[] };
  /** Position on the key instead of the value. */
  readonly key?: boolean;
}

/** Turns a rule's advice into a finding. */
export type Reporter = (advice: Advice) => Finding;
