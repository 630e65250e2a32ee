import type { GraphNode, GraphStage, PipelineGraph } from './model';

/** Layout constants, in SVG user units (pixels at 100%). */
const MARGIN = 24;
const COL_W = 190;
const GAP = 36;
const HEADER = 34;
const NODE_H = 44;
const NODE_GAP = 10;
const PAD = 12;
const LOOP_LANE = 78;
const FOUNDATION_NODE_W = 178;

/** Fill and stroke of each stage's column. */
const COLORS: Readonly<Record<string, readonly [string, string]>> = {
  lake: ['#e8f1fb', '#4a7fb5'],
  processing: ['#eef6ea', '#5b8f45'],
  training: ['#fdf0e3', '#c27a2c'],
  registry: ['#f3ecfa', '#7d56a8'],
  serving: ['#e6f5f4', '#2f8f88'],
  monitoring: ['#fbeaea', '#b5514a'],
  foundation: ['#f4f4f4', '#777777'],
};

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Cuts text to `max` characters (the full text stays in the box's tooltip). */
const fit = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

function node(n: GraphNode, x: number, y: number, w: number, stroke: string): string {
  const tip = n.detail ? `${n.label} (${n.detail})` : n.label;
  const chars = Math.floor((w - 16) / 7.2);
  const label = `<text x="${x + 8}" y="${y + (n.detail ? 18 : 27)}" class="label">${xml(fit(n.label, chars))}</text>`;
  const detail = n.detail
    ? `<text x="${x + 8}" y="${y + 34}" class="detail">${xml(fit(n.detail, Math.floor((w - 16) / 6.2)))}</text>`
    : '';
  return `<g class="node" data-node="${n.id}"><title>${xml(tip)}</title><rect x="${x}" y="${y}" width="${w}" height="${NODE_H}" rx="6" fill="#ffffff" stroke="${stroke}"/>${label}${detail}</g>`;
}

function column(stage: GraphStage, x: number, y: number, h: number): string {
  const [fill, stroke] = COLORS[stage.id];
  const boxes = stage.nodes.map((n, i) =>
    node(n, x + PAD, y + HEADER + i * (NODE_H + NODE_GAP), COL_W - 2 * PAD, stroke),
  );
  return [
    `<g class="stage" data-stage="${stage.id}">`,
    `<rect x="${x}" y="${y}" width="${COL_W}" height="${h}" rx="10" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`,
    `<text x="${x + COL_W / 2}" y="${y + 22}" class="title" text-anchor="middle">${xml(stage.title)}</text>`,
    ...boxes,
    '</g>',
  ].join('');
}

/**
 * The diagram as inline SVG: one column per stage, arrows in flow order, the retraining
 * loop as a back arrow under the columns, and the foundation (key, network, WAF) as a row
 * below. A fixed layered layout: no script, no fonts or libraries to fetch.
 */
export function renderSvg(graph: PipelineGraph): string {
  const k = graph.stages.length;
  const tallest = Math.max(1, ...graph.stages.map((s) => s.nodes.length));
  const colH = HEADER + tallest * NODE_H + (tallest - 1) * NODE_GAP + PAD;
  const flowW = k * COL_W + Math.max(0, k - 1) * GAP;
  const foundation = graph.foundation;
  // The foundation row is as wide as the flow, and at least wide enough for four boxes.
  const fits = Math.floor((flowW - PAD) / (FOUNDATION_NODE_W + PAD));
  const perRow = Math.max(1, fits, Math.min(foundation?.nodes.length ?? 1, 4));
  const fRows = foundation ? Math.ceil(foundation.nodes.length / perRow) : 0;
  const fW = foundation ? Math.max(flowW, perRow * (FOUNDATION_NODE_W + PAD) + PAD) : 0;
  const width = MARGIN * 2 + Math.max(flowW, fW);
  const loopLane = graph.loop ? LOOP_LANE : 24;
  const fTop = MARGIN + colH + loopLane;
  const fH = foundation ? HEADER + fRows * (NODE_H + NODE_GAP) + PAD - NODE_GAP : 0;
  const height = (foundation ? fTop + fH : MARGIN + colH + loopLane - 24) + MARGIN;

  const xOf = new Map(graph.stages.map((s, i) => [s.id, MARGIN + i * (COL_W + GAP)]));
  const parts: string[] = [];
  graph.stages.forEach((s) => parts.push(column(s, xOf.get(s.id) ?? 0, MARGIN, colH)));
  for (let i = 1; i < k; i++) {
    const x1 = (xOf.get(graph.stages[i - 1].id) ?? 0) + COL_W;
    const x2 = xOf.get(graph.stages[i].id) ?? 0;
    const y = MARGIN + colH / 2;
    parts.push(`<line class="flow" x1="${x1}" y1="${y}" x2="${x2 - 2}" y2="${y}" marker-end="url(#arrow)"/>`);
  }
  if (graph.loop) {
    const fx = (xOf.get(graph.loop.from) ?? 0) + COL_W / 2;
    const tx = (xOf.get(graph.loop.to) ?? 0) + COL_W / 2;
    const yb = MARGIN + colH;
    const dip = yb + LOOP_LANE - 26;
    const cls = graph.loop.configured ? 'loop' : 'loop pending';
    parts.push(
      `<g class="${cls}" data-loop="${graph.loop.from}-${graph.loop.to}"><path d="M ${fx} ${yb} C ${fx} ${dip}, ${tx} ${dip}, ${tx} ${yb + 3}" marker-end="url(#arrow)"/>`,
      `<text x="${(fx + tx) / 2}" y="${dip + 4}" text-anchor="middle" class="detail">${xml(graph.loop.label)}</text></g>`,
    );
  }
  if (foundation) {
    const [fill, stroke] = COLORS.foundation;
    parts.push(
      `<g class="stage" data-stage="foundation"><rect x="${MARGIN}" y="${fTop}" width="${fW}" height="${fH}" rx="10" fill="${fill}" stroke="${stroke}" stroke-dasharray="5 4"/>`,
      `<text x="${MARGIN + 12}" y="${fTop + 22}" class="title">${xml(foundation.title)}</text>`,
      ...foundation.nodes.map((n, i) =>
        node(
          n,
          MARGIN + PAD + (i % perRow) * (FOUNDATION_NODE_W + PAD),
          fTop + HEADER + Math.floor(i / perRow) * (NODE_H + NODE_GAP),
          FOUNDATION_NODE_W,
          stroke,
        ),
      ),
      '</g>',
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" id="diagram-svg" role="img" aria-label="Architecture of pipeline ${xml(graph.name)}" width="${width}" height="${height}" style="max-width:100%;height:auto" viewBox="0 0 ${width} ${height}">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#444444"/></marker></defs>',
    '<style>.title{font:600 14px system-ui,sans-serif;fill:#222}.label{font:500 13px system-ui,sans-serif;fill:#222}.detail{font:11px system-ui,sans-serif;fill:#555}.flow{stroke:#444;stroke-width:2}.loop path{fill:none;stroke:#b5514a;stroke-width:2}.loop.pending path{stroke:#999;stroke-dasharray:6 5}</style>',
    ...parts,
    '</svg>',
  ].join('\n');
}
