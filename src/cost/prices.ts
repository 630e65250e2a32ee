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
}

/** The price table shipped with pipeform. */
export const PRICES: PriceTable = table;

/** The prices of a region; an empty set (everything unknown) for a region the table lacks. */
export function regionPrices(prices: PriceTable, region: string): RegionPrices {
  return prices.regions[region] ?? {};
}
