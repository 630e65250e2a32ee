import { stringify } from 'yaml';
import type { AnalyzedSpec } from '../compiler';
import { formatPath } from '../compiler/diagnostics';
import { cents, pricingContext } from '../cost/estimate';
import { PRICES, type PriceTable } from '../cost/prices';
import { resolveUsage } from '../cost/usage';
import { adviceRules } from './rules';
import type { Advice, AdviceContext, AdviceRule, Finding, SpecPath } from './types';

/** Turns `{ name }` segments into the list index of the item with that name, as far as the spec has it. */
export function concretePath(spec: unknown, path: SpecPath): (string | number)[] {
  const out: (string | number)[] = [];
  let node: unknown = spec;
  for (const segment of path) {
    if (typeof segment === 'object') {
      const index = Array.isArray(node)
        ? node.findIndex((item) => (item as { name?: unknown } | null)?.name === segment.name)
        : -1;
      // An item the spec does not list (a default) is reported at the list that would hold it.
      if (index < 0) return out;
      out.push(index);
      node = (node as unknown[])[index];
    } else {
      out.push(segment);
      node =
        node !== null && typeof node === 'object'
          ? (node as Record<string | number, unknown>)[segment]
          : undefined;
    }
  }
  return out;
}

/** The fix as a YAML snippet: `value` nested under `path` (`{ name }` becomes a list item with that name). */
export function fixSnippet(path: SpecPath, value: unknown): string {
  const nested = [...path].reduceRight<unknown>((inner, segment) => {
    if (typeof segment === 'string') return { [segment]: inner };
    if (typeof segment === 'number') return [inner];
    return [{ name: segment.name, ...(inner as object) }];
  }, value);
  return stringify(nested, { lineWidth: 0 }).trimEnd();
}

/** Display form of a path with names: `training.eks.nodeGroups[a100].capacityType`. */
function displayPath(path: SpecPath): string {
  return formatPath(path.map((s) => (typeof s === 'object' ? `[${s.name}]` : s))).replace(/\.\[/g, '[');
}

function reporter(ctx: AdviceContext, rule: AdviceRule) {
  return (a: Advice): Finding => {
    const { analyzed } = ctx;
    const position = analyzed.sourceMap.positionOf(concretePath(analyzed.spec, a.path), { key: a.key });
    const last = a.path[a.path.length - 1];
    const [fixPath, fixValue] = a.fixPath
      ? [a.fixPath, a.fix]
      : typeof last === 'string'
        ? [a.path.slice(0, -1), { [last]: a.fix }]
        : [a.path, a.fix];
    const unknown = [...(a.before?.unknown ?? []), ...(a.after?.unknown ?? [])];
    const saving =
      a.before?.usd !== undefined && a.after?.usd !== undefined
        ? cents(a.before.usd - a.after.usd)
        : undefined;
    return {
      id: rule.id,
      severity: rule.severity,
      file: analyzed.file,
      line: position.line,
      col: position.col,
      path: displayPath(a.path),
      message: a.message,
      technique: rule.technique,
      fix: fixSnippet(fixPath, fixValue),
      patch: { path: fixPath, value: fixValue, ...(a.replace ? { replace: true } : {}) },
      ...(a.component ? { component: a.component } : {}),
      ...(saving !== undefined && saving > 0 ? { saving } : {}),
      ...(unknown.length > 0 ? { savingUnknown: [...new Set(unknown)].sort() } : {}),
    };
  };
}

/** Sorts findings by place in the file, then rule id, then path: output never depends on rule order. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const key = (f: Finding) => [f.file, f.line, f.col, f.id, f.path, f.message];
  return [...findings].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] < kb[i]) return -1;
      if (ka[i] > kb[i]) return 1;
    }
    return 0;
  });
}

/** Runs every advice rule over an analyzed spec. Pure and deterministic. */
export function advise(
  analyzed: AnalyzedSpec,
  table: PriceTable = PRICES,
  rules: readonly AdviceRule[] = adviceRules,
): Finding[] {
  const ctx: AdviceContext = {
    analyzed,
    pricing: pricingContext(analyzed.resolved, resolveUsage(analyzed.spec), table),
  };
  return sortFindings(rules.flatMap((rule) => rule.run(ctx, reporter(ctx, rule))));
}
