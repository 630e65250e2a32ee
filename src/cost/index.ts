export { addressLines, componentAddresses, unitOf, type AddressItem, type AddressLine } from './addresses';
export { estimateLines, pricingContext, type CostLine, type PricedItem } from './estimate';
export { infracostUsage } from './infracost';
export {
  coverage,
  PRICES,
  pricedServices,
  refusedRegion,
  regionPrices,
  type Coverage,
  type PriceTable,
} from './prices';
export { costReport, formatAddressReport, formatCostReport, formatTotal, type CostReport } from './report';
export { resolveUsage, USAGE_DEFAULTS, type ResolvedUsage } from './usage';
export { costOutput, infracostUsageOf, type CostOptions } from './command';
