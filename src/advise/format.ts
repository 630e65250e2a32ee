import type { Finding } from './types';

const money = (usd: number) =>
  usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Findings as text: one block per finding, then a summary line. */
export function formatFindings(findings: readonly Finding[], file: string): string {
  if (findings.length === 0) return `no advice for ${file}: nothing to optimize that pipeform can see\n`;
  const blocks = findings.map((f) => {
    const saving =
      f.saving !== undefined
        ? ` (saves ~${money(f.saving)} USD/month)`
        : f.savingUnknown
          ? ' (saving unknown: price missing)'
          : '';
    const fix = f.fix
      .split('\n')
      .map((l) => `      ${l}`)
      .join('\n');
    return [
      `${f.severity} ${f.file}:${f.line}:${f.col}: ${f.path}: ${f.message}${saving} [${f.id}]`,
      `    technique: "${f.technique}"`,
      '    fix:',
      fix,
    ].join('\n');
  });
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  // Findings on one component are alternatives: the largest saving per component counts.
  const best = new Map<string, number>();
  findings.forEach((f, i) => {
    const key = f.component ?? `#${i}`;
    best.set(key, Math.max(best.get(key) ?? 0, f.saving ?? 0));
  });
  const total = [...best.values()].reduce((s, v) => s + v, 0);
  // A total never hides what it leaves out: findings whose saving needs a missing price are counted.
  const unknown = findings.filter((f) => f.saving === undefined && f.savingUnknown).length;
  const saves =
    total > 0 || unknown > 0
      ? `, savings up to ~${money(total)} USD/month${unknown > 0 ? ` + ${unknown} unknown` : ''}`
      : '';
  const summary = `${findings.length} finding${findings.length === 1 ? '' : 's'} (${warnings} warning${warnings === 1 ? '' : 's'})${saves}`;
  return `${blocks.join('\n\n')}\n\n${summary}\n`;
}
