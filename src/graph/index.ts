export { renderHtmlReport } from './html';
export { renderMermaid } from './mermaid';
export { buildGraph, FLOW_STAGES, type PipelineGraph } from './model';
export { renderSvg } from './svg';
