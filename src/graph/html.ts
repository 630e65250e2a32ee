import type { AnalyzedSpec } from '../compiler';
import { advise } from '../advise/engine';
import { costReport, formatTotal } from '../cost/report';
import { PRICES, type PriceTable } from '../cost/prices';
import { VERSION } from '../version';
import { renderMermaid } from './mermaid';
import { buildGraph } from './model';
import { renderSvg } from './svg';

const html = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const money = (usd: number | undefined) =>
  usd === undefined
    ? 'unknown'
    : usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const table = (id: string, head: readonly string[], rows: readonly string[][], foot?: readonly string[]) =>
  [
    `<table id="${id}">`,
    `<thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}</tbody>`,
    foot ? `<tfoot><tr>${foot.map((c) => `<td>${c}</td>`).join('')}</tr></tfoot>` : '',
    '</table>',
  ].join('\n');

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;margin:0;background:#fafafa}
header,section,footer{max-width:1200px;margin:0 auto;padding:12px 24px}
header{border-bottom:1px solid #ddd;background:#fff;max-width:none}
header>*{max-width:1152px;margin-left:auto;margin-right:auto}
h1{font-size:22px;margin:8px 0 2px}h2{font-size:17px;margin:18px 0 8px}
.meta{color:#555;margin:0 0 8px}
.diagram{overflow-x:auto;background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #ddd;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}td:has(>.num){text-align:right}.num{font-variant-numeric:tabular-nums;white-space:nowrap}
tfoot td{font-weight:600;background:#f7f7f7}
#resources-table{width:auto;min-width:320px}
.sev-warning{color:#9a5b00;font-weight:600}.sev-info{color:#2f6f9f}
code,pre{font:12px ui-monospace,Menlo,Consolas,monospace}pre{margin:4px 0;white-space:pre-wrap}
.summary{display:flex;gap:16px;flex-wrap:wrap;margin:8px 0}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px 14px}
.card b{display:block;font-size:20px}
details{margin:8px 0}summary{cursor:pointer;color:#444}
footer{color:#666;font-size:12px;border-top:1px solid #ddd;margin-top:16px}
`;

/**
 * The self-contained HTML report: diagram (inline SVG, its Mermaid source alongside),
 * resources per area, advice and cost. No script, no external resource (the page's own
 * Content-Security-Policy forbids fetching any), so it opens offline. Deterministic: the
 * only date is the price table's.
 */
export function renderHtmlReport(
  analyzed: AnalyzedSpec,
  resourcesByArea: Readonly<Record<string, number>>,
  prices: PriceTable = PRICES,
): string {
  const spec = analyzed.resolved;
  const graph = buildGraph(spec);
  const findings = advise(analyzed, prices);
  const cost = costReport(analyzed, prices, findings);
  const areas = Object.entries(resourcesByArea).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const resourceTotal = areas.reduce((s, [, n]) => s + n, 0);
  const warnings = findings.filter((f) => f.severity === 'warning').length;

  const adviceRows = findings.map((f) => [
    `<span class="sev-${f.severity}">${f.severity}</span>`,
    `<code>${html(f.id)}</code>`,
    `${html(f.message)}<details><summary>fix</summary><pre>${html(f.fix)}</pre></details>`,
    `<code>${html(`${f.file}:${f.line}:${f.col}`)}</code><br/><small>${html(f.path)}</small>`,
    html(f.technique),
    `<span class="num">${f.saving !== undefined ? money(f.saving) : f.savingUnknown ? 'unknown' : '-'}</span>`,
  ]);
  const costRows = cost.lines.map((l) => [
    `<code>${html(l.component)}</code>`,
    html(`${l.description}${l.spot ? ' (spot)' : ''}`),
    `<span class="num">${money(l.usd)}</span>`,
    `<span class="num">${money(l.withAdvice)}</span>`,
  ]);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pipeform ${VERSION}">
<title>pipeform report: ${html(spec.name)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Pipeline ${html(spec.name)}</h1>
<p class="meta">${html(spec.description)} · region ${html(spec.region)} · account ${html(spec.account)} · from <code>${html(analyzed.file)}</code></p>
</header>
<section id="summary">
<div class="summary">
<div class="card">resources<b id="resource-total">${resourceTotal}</b></div>
<div class="card">monthly cost as specified<b>${html(formatTotal(cost.total.asSpecified, cost.total.unknownComponents))} ${html(cost.currency)}</b></div>
<div class="card">with all advice applied<b>${html(formatTotal(cost.total.withAdvice, cost.total.unknownComponents))} ${html(cost.currency)}</b></div>
<div class="card">findings<b>${findings.length} (${warnings} warning${warnings === 1 ? '' : 's'})</b></div>
</div>
</section>
<section id="diagram">
<h2>Architecture</h2>
<div class="diagram">
${renderSvg(graph)}
</div>
<details id="mermaid"><summary>Mermaid source</summary><pre>${html(renderMermaid(graph))}</pre></details>
</section>
<section id="resources">
<h2>Resources per area</h2>
${table(
  'resources-table',
  ['area', 'resources'],
  areas.map(([area, n]) => [`<code>${html(area)}</code>`, `<span class="num">${n}</span>`]),
  ['total', `<span class="num">${resourceTotal}</span>`],
)}
</section>
<section id="advice">
<h2>Advice</h2>
${
  findings.length > 0
    ? table(
        'advice-table',
        ['severity', 'rule', 'finding and fix', 'where', 'technique (seed)', 'saving/month'],
        adviceRows,
      )
    : '<p id="advice-table">No advice: nothing to optimize that pipeform can see.</p>'
}
</section>
<section id="cost">
<h2>Monthly cost (${html(cost.currency)}, prices of ${html(cost.priceDate)})</h2>
${table('cost-table', ['component', 'what', 'as specified', 'with advice'], costRows, [
  'total',
  cost.total.unknownComponents > 0 ? `${cost.total.unknownComponents} unknown component(s) not included` : '',
  `<span class="num">${money(cost.total.asSpecified)}</span>`,
  `<span class="num">${money(cost.total.withAdvice)}</span>`,
])}
${
  cost.unknownPrices.length > 0
    ? `<p>Not in the price table (shown as unknown): ${cost.unknownPrices.map((p) => `<code>${html(p)}</code>`).join(', ')}.</p>`
    : ''
}${
    cost.refused !== undefined
      ? `<p id="cost-refused">No prices for ${html(cost.region)}: ${html(cost.refused)}</p>`
      : ''
  }
<p>On-demand prices; spot discount ${Math.round(cost.spotDiscount.ec2 * 100)}% (EC2) and ${Math.round(cost.spotDiscount.sagemakerTraining * 100)}% (SageMaker training) only where spot is on. Usage: ${
    cost.usageStated.length > 0
      ? `${html(cost.usageStated.join(', '))} from the spec, the rest defaults`
      : 'default assumptions'
  }. Exact prices for a plan: Infracost on <code>terraform show -json</code>.</p>
</section>
<footer>Generated by pipeform ${VERSION}. Price table of ${html(prices.date)}: ${Object.values(prices.sources)
    .map((s) => html(s.url))
    .filter((u, i, all) => all.indexOf(u) === i)
    .join(', ')}.</footer>
</body>
</html>
`;
}
