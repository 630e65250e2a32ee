import { compileText, diagnosticsOf } from './spec';

/** A check-rule case: [rule id, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
export type RuleCase = readonly [
  rule: string,
  bad: string,
  line: number,
  col: number,
  message: string,
  good: string,
];

/**
 * The standard table test for check rules: the violating spec fails with exactly one
 * diagnostic of that rule at line:col, with the message and a hint; the compliant one passes.
 * `file` names the spec (local paths in it are relative to its folder).
 */
export function testRuleCases(cases: readonly RuleCase[], file = 'pipeline.yaml'): void {
  test.each(cases)(
    '%s: a violating spec fails at line:col, a compliant one passes',
    (rule, bad, line, col, message, good) => {
      const ds = diagnosticsOf(bad, file);
      expect(ds).toHaveLength(1);
      expect(ds[0]).toMatchObject({ rule, line, col });
      expect(ds[0].message).toContain(message);
      expect(ds[0].hint).toBeTruthy();
      expect(() => compileText(good, file)).not.toThrow();
    },
  );
}
