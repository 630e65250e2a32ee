import table from './prices.json';

/** The prices of one region; any of them may be missing (then the estimate says "unknown"). */
export interface RegionPrices {
  readonly sagemaker?: {
    /** USD per instance-hour, by ml.* instance type. */
    readonly training?: Readonly<Record<string, number>>;
    readonly processing?: Readonly<Record<string, number>>;
    readonly hosting?: Readonly<Record<string, number>>;
    readonly notebook?: Readonly<Record<string, number>>;
    /** Serverless inference, USD per GB-second of configured memory. */
    readonly serverlessGbSecond?: number;
    /** Serverless inference, USD per GB in and out. */
    readonly serverlessDataGb?: number;
    /** ML storage volumes (notebook instances), USD per GB-month. */
    readonly mlStorageGbMonth?: number;
    /** Managed MLflow tracking servers, USD per hour by size (Small, Medium, Large). */
    readonly mlflowServerHour?: Readonly<Record<string, number>>;
  };
  /** USD per instance-hour, by EC2 instance type (Linux). */
  readonly ec2?: Readonly<Record<string, number>>;
  readonly ebsGp3GbMonth?: number;
  /** EMR uplift per instance-hour, on top of EC2. */
  readonly emrUplift?: Readonly<Record<string, number>>;
  /** USD per GB-month by storage class (and Intelligent-Tiering's monitoring per 1,000 objects). */
  readonly s3?: Readonly<Record<string, number>>;
  readonly natGateway?: { readonly hour?: number; readonly gb?: number };
  readonly interfaceEndpoint?: { readonly hourPerAz?: number; readonly gb?: number };
  readonly interRegionTransferGb?: number;
  readonly kmsKeyMonth?: number;
  readonly cloudwatchLogs?: { readonly ingestGb?: number; readonly storageGbMonth?: number };
  readonly glue?: {
    readonly dpuHour?: number;
    readonly flexDpuHour?: number;
    readonly crawlerDpuHour?: number;
  };
  readonly eks?: { readonly clusterHour?: number; readonly extendedSupportClusterHour?: number };
  readonly lambda?: {
    readonly requestsPerMillion?: number;
    readonly gbSecond?: number;
    readonly gbSecondArm?: number;
  };
  readonly waf?: {
    readonly webAclMonth?: number;
    readonly ruleMonth?: number;
    readonly requestsPerMillion?: number;
  };
  readonly shieldAdvancedMonth?: number;
  readonly apiGatewayRestPerMillion?: number;
  /** AWS IoT Greengrass: per core device that connects in a month. */
  readonly greengrassCoreDeviceMonth?: number;
  /** Per priced service (a key of `PriceTable.sources`): the day its prices hold and where they come from. */
  readonly provenance: Readonly<Record<string, Provenance>>;
  /** Services this region has no citable price for, with the reason; their components stay unknown. */
  readonly refused?: Readonly<Record<string, string>>;
}

/** Where one service's prices in one region come from. */
export interface Provenance {
  /** ISO day the prices were read (or billed). */
  readonly date: string;
  readonly source: string;
}

/** Where a group of prices comes from. */
export interface PriceSource {
  readonly url: string;
  readonly about: string;
  /** Pages the values were cross-checked against. */
  readonly checked?: readonly string[];
}

/** The bundled, date-stamped price table (src/cost/prices.json). */
export interface PriceTable {
  /** The day the prices were compiled (ISO date): the only date pipeform prints. */
  readonly date: string;
  readonly currency: string;
  /** Hours a month is billed for (AWS uses 730). */
  readonly hoursPerMonth: number;
  readonly about: string;
  /** Typical discount of spot over on-demand (0.7 = 70% cheaper), applied only where spot is on. */
  readonly spotDiscount: {
    readonly sagemakerTraining: number;
    readonly ec2: number;
    readonly about: string;
    readonly sources: readonly string[];
  };
  readonly sources: Readonly<Record<string, PriceSource>>;
  readonly regions: Readonly<Record<string, RegionPrices>>;
  /** Regions the schema allows that the table has no prices for: `pipeform cost` refuses them, with the reason. */
  readonly refusedRegions: Readonly<Record<string, string>>;
}

/** The price table shipped with pipeform. */
export const PRICES: PriceTable = table;

/** The prices of a region; an empty set (everything unknown) for a region the table lacks. */
export function regionPrices(prices: PriceTable, region: string): RegionPrices {
  return prices.regions[region] ?? { provenance: {} };
}

/** How the table covers one service in one region: priced (date and source) or refused (reason). */
export type Coverage =
  | { readonly priced: Provenance; readonly refused?: undefined }
  | { readonly refused: string; readonly priced?: undefined };

/** The priced services: the keys of the table's `sources`, sorted. */
export function pricedServices(prices: PriceTable): string[] {
  return Object.keys(prices.sources).sort();
}

/**
 * Coverage of `service` in `region`. A region or service with neither a price entry nor a
 * recorded refusal is a bug in the table (a test walks every schema region x service).
 */
export function coverage(prices: PriceTable, region: string, service: string): Coverage | undefined {
  const whole = prices.refusedRegions[region];
  if (whole !== undefined) return { refused: whole };
  const r = prices.regions[region];
  const refused = r?.refused?.[service];
  if (refused !== undefined) return { refused };
  const priced = r?.provenance[service];
  return priced ? { priced } : undefined;
}

/** The reason `pipeform cost` refuses a region, or undefined when the table prices it. */
export function refusedRegion(prices: PriceTable, region: string): string | undefined {
  return prices.refusedRegions[region];
}
