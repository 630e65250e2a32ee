export { estimateLines, pricingContext, type CostLine } from './estimate';
export { PRICES, regionPrices, type PriceTable } from './prices';
export { costReport, formatCostReport, type CostReport } from './report';
export { resolveUsage, USAGE_DEFAULTS, type ResolvedUsage } from './usage';
