import { DEFAULTS } from '../areas/serving/catalog';
/**
 * The monthly cost model: resolved spec x usage assumptions x price table. Pure and
 * deterministic. Every price comes from the bundled table; a missing price makes the
 * component "unknown" (listed, never guessed). `pipeform advise` prices its savings with
 * the same functions, so `cost` and `advise` always agree.
 */
import type { ResolvedBucket, ResolvedSpec, Tiering } from '../model/resolved';
import type { ResolvedEksNodeGroup } from '../model/eks';
import type { ResolvedEmrCluster, ResolvedGlueJob } from '../model/data';
import type { ResolvedNotebookInstance } from '../model/notebooks';
import type { ResolvedLambdaFunction } from '../model/orchestration';
import type { ResolvedProcessingJob, ResolvedTraining } from '../model/training';
import type { ResolvedEndpoint, ResolvedVariant } from '../model/serving';
import { regionPrices, type PriceTable, type RegionPrices } from './prices';
import { endpointTraffic, type ResolvedUsage } from './usage';

/** One billed quantity of an amount: what, how much of it a month, at which price. */
export interface PricedItem {
  /** What is billed, as the price table names it (`ec2 m5.xlarge`, `s3 STANDARD`). */
  readonly what: string;
  /** Units a month (hours, GB, GB-months, millions of requests...: see `unitOf`). */
  readonly quantity: number;
  /** USD per unit; undefined when the table lacks it. */
  readonly unitPrice?: number;
  /** On spot capacity: `unitPrice` is the on-demand price less the table's spot discount. */
  readonly spot?: true;
}

/** An amount of money that may not be known. */
export interface Amount {
  /** USD per month; undefined when a price it needs is not in the table. */
  readonly usd?: number;
  /** The prices the table lacks, e.g. `ec2 p5.48xlarge in eu-west-1`. */
  readonly unknown: readonly string[];
  /** The quantities it sums, in the order they were billed (`pipeform cost --by address`). */
  readonly items?: readonly PricedItem[];
}

/** One component of the estimate. */
export interface CostLine {
  /** Stable key, `<area>/<name>` (e.g. `storage/raw`); advice findings name the same keys. */
  readonly component: string;
  /** Architecture area, as the report groups it. */
  readonly area: string;
  /** What is billed and how much of it. */
  readonly description: string;
  readonly usd?: number;
  readonly unknown: readonly string[];
  /** True when the component runs on spot capacity (the spot discount is applied). */
  readonly spot: boolean;
  /** The billed quantities behind `usd` (known and unknown prices alike). */
  readonly items: readonly PricedItem[];
}

/** What the cost model needs. */
export interface PricingContext {
  readonly spec: ResolvedSpec;
  readonly usage: ResolvedUsage;
  readonly table: PriceTable;
  /** The pipeline region's prices. */
  readonly prices: RegionPrices;
}

/** Builds the context for a resolved spec. */
export function pricingContext(spec: ResolvedSpec, usage: ResolvedUsage, table: PriceTable): PricingContext {
  return { spec, usage, table, prices: regionPrices(table, spec.region) };
}

/** Sums priced quantities, remembering the prices that are missing. */
class Bill {
  private usd = 0;
  private readonly missing: string[] = [];
  private readonly items: PricedItem[] = [];

  constructor(private readonly region: string) {}

  /** Adds `quantity` x `price`; a missing price is recorded as unknown (a zero quantity costs nothing). */
  add(price: number | undefined, quantity: number, what: string, spot = false): this {
    if (quantity === 0) return this;
    this.items.push({
      what,
      quantity,
      ...(price !== undefined ? { unitPrice: price } : {}),
      ...(spot ? { spot: true as const } : {}),
    });
    if (price === undefined) {
      const entry = `${what} in ${this.region}`;
      if (!this.missing.includes(entry)) this.missing.push(entry);
    } else this.usd += price * quantity;
    return this;
  }

  amount(): Amount {
    const items = [...this.items];
    return this.missing.length > 0
      ? { unknown: [...this.missing], items }
      : { usd: this.usd, unknown: [], items };
  }
}

const bill = (ctx: PricingContext, region = ctx.spec.region) => new Bill(region);
const hours = (ctx: PricingContext) => ctx.table.hoursPerMonth;

/** Rounds to cents; the only rounding the model does (at the edges, for printing and tests). */
export const cents = (usd: number): number => Math.round(usd * 100) / 100;

// ---------------------------------------------------------------------------
// Storage

/** GB per bucket: the stated sizes, the rest of `dataVolumeGb` split evenly over the others. */
export function bucketSizes(ctx: PricingContext): ReadonlyMap<string, number> {
  const buckets = ctx.spec.storage.buckets;
  const stated = ctx.usage.bucketGb;
  const statedTotal = buckets.reduce((sum, b) => sum + (stated[b.name] ?? 0), 0);
  const others = buckets.filter((b) => stated[b.name] === undefined).length;
  const share = others > 0 ? Math.max(0, ctx.usage.dataVolumeGb - statedTotal) / others : 0;
  return new Map(buckets.map((b) => [b.name, stated[b.name] ?? share]));
}

/**
 * A bucket's storage per month. The cold share (`coldDataPercent`) moves to the archive
 * class when the bucket archives, else to the tiering class; the rest stays in the frequent
 * tier. `tiering` overrides the bucket's own (advise prices the fix with it).
 */
export function bucketStorage(
  ctx: PricingContext,
  bucket: ResolvedBucket,
  gb: number,
  tiering: Tiering = bucket.lifecycle.tiering,
): Amount {
  const s3 = ctx.prices.s3 ?? {};
  const cold = (gb * ctx.usage.coldDataPercent) / 100;
  const hot = gb - cold;
  const b = bill(ctx);
  const archive = bucket.lifecycle.archive?.storageClass;
  if (tiering === 'intelligent-tiering') {
    b.add(s3.INTELLIGENT_TIERING_FREQUENT, hot, 's3 INTELLIGENT_TIERING frequent access');
    if (archive) b.add(s3[archive], cold, `s3 ${archive}`);
    else b.add(s3.INTELLIGENT_TIERING_INFREQUENT, cold, 's3 INTELLIGENT_TIERING infrequent access');
    const objects = (gb * 1024) / ctx.usage.averageObjectSizeMb;
    b.add(
      s3.INTELLIGENT_TIERING_MONITORING_PER_1000_OBJECTS,
      objects / 1000,
      's3 INTELLIGENT_TIERING monitoring',
    );
  } else if (tiering === 'standard-ia') {
    b.add(s3.STANDARD, hot, 's3 STANDARD');
    if (archive) b.add(s3[archive], cold, `s3 ${archive}`);
    else b.add(s3.STANDARD_IA, cold, 's3 STANDARD_IA');
  } else {
    b.add(s3.STANDARD, archive ? hot : gb, 's3 STANDARD');
    if (archive) b.add(s3[archive], cold, `s3 ${archive}`);
  }
  return b.amount();
}

// ---------------------------------------------------------------------------
// Network

/** Number of NAT gateways a created VPC gets. */
export function natGatewayCount(spec: ResolvedSpec): number {
  const n = spec.network;
  if (n?.mode !== 'create') return 0;
  if (n.vpc.natGateways === 'single') return 1;
  return n.vpc.natGateways === 'per-az' ? n.vpc.availabilityZones.length : 0;
}

/** NAT gateways: hours plus the data they process (`natTrafficGbPerMonth`, or `trafficGb`). */
export function natCost(ctx: PricingContext, trafficGb = ctx.usage.natTrafficGbPerMonth): Amount {
  const nat = ctx.prices.natGateway ?? {};
  return bill(ctx)
    .add(nat.hour, natGatewayCount(ctx.spec) * hours(ctx), 'NAT gateway hour')
    .add(nat.gb, natGatewayCount(ctx.spec) > 0 ? trafficGb : 0, 'NAT gateway GB processed')
    .amount();
}

/** Interface endpoints: hours per endpoint and AZ, plus the data they process. */
export function interfaceEndpointCost(ctx: PricingContext, endpoints: number, trafficGb: number): Amount {
  const n = ctx.spec.network;
  const azs = n?.mode === 'create' ? n.vpc.availabilityZones.length : 0;
  const ep = ctx.prices.interfaceEndpoint ?? {};
  return bill(ctx)
    .add(ep.hourPerAz, endpoints * azs * hours(ctx), 'interface endpoint hour per AZ')
    .add(ep.gb, endpoints > 0 ? trafficGb : 0, 'interface endpoint GB processed')
    .amount();
}

// ---------------------------------------------------------------------------
// EKS

/**
 * Node-hours of a node group: its desired size all month, plus, for GPU groups that can
 * grow, `trainingHoursPerMonth` at full size (training runs scale the group up).
 */
export function nodeHours(
  ctx: PricingContext,
  ng: ResolvedEksNodeGroup,
  desired = ng.scaling.desiredSize,
): number {
  const burst = ng.gpu ? Math.max(0, ng.scaling.maxSize - desired) * ctx.usage.trainingHoursPerMonth : 0;
  return desired * hours(ctx) + burst;
}

/** A node group per month: instance hours (spot discount on SPOT groups) and node disks. */
export function nodeGroupCost(
  ctx: PricingContext,
  ng: ResolvedEksNodeGroup,
  opts: { readonly capacityType?: 'SPOT' | 'ON_DEMAND'; readonly desired?: number } = {},
): Amount {
  const type = ng.instanceTypes[0];
  const spot = (opts.capacityType ?? ng.capacityType) === 'SPOT';
  const rate = ctx.prices.ec2?.[type];
  const h = nodeHours(ctx, ng, opts.desired ?? ng.scaling.desiredSize);
  return bill(ctx)
    .add(
      rate === undefined ? undefined : rate * (spot ? 1 - ctx.table.spotDiscount.ec2 : 1),
      h,
      `ec2 ${type}`,
      spot,
    )
    .add(ctx.prices.ebsGp3GbMonth, (ng.diskSizeGiB * h) / hours(ctx), 'ebs gp3 GB-month')
    .amount();
}

// ---------------------------------------------------------------------------
// Glue

/** DPUs of one worker of each Glue worker type. */
export const GLUE_WORKER_DPU: Readonly<Record<ResolvedGlueJob['workerType'], number>> = {
  'G.1X': 1,
  'G.2X': 2,
  'G.4X': 4,
  'G.8X': 8,
};

/** A Glue job per month: workers x DPU x hours (an upper bound when auto scaling is on). */
export function glueJobCost(ctx: PricingContext, job: ResolvedGlueJob, flex = job.flex): Amount {
  const glue = ctx.prices.glue ?? {};
  const dpuHours = job.workers * GLUE_WORKER_DPU[job.workerType] * ctx.usage.glueJobHoursPerMonth;
  return bill(ctx)
    .add(flex ? glue.flexDpuHour : glue.dpuHour, dpuHours, flex ? 'glue Flex DPU-hour' : 'glue DPU-hour')
    .amount();
}

// ---------------------------------------------------------------------------
// EMR

/** An EMR cluster per month: `emrHoursPerMonth` of its primary, core and task fleets (EC2 + EMR uplift + EBS). */
export function emrClusterCost(
  ctx: PricingContext,
  c: ResolvedEmrCluster,
  hoursUp = ctx.usage.emrHoursPerMonth,
): Amount {
  const b = bill(ctx);
  const spotFactor = 1 - ctx.table.spotDiscount.ec2;
  const fleet = (type: string, onDemand: number, spot: number) => {
    const ec2 = ctx.prices.ec2?.[type];
    b.add(ec2, onDemand * hoursUp, `ec2 ${type}`);
    b.add(ec2 === undefined ? undefined : ec2 * spotFactor, spot * hoursUp, `ec2 ${type}`, true);
    b.add(ctx.prices.emrUplift?.[type], (onDemand + spot) * hoursUp, `emr uplift ${type}`);
    b.add(
      ctx.prices.ebsGp3GbMonth,
      ((onDemand + spot) * c.ebsGiB * hoursUp) / hours(ctx),
      'ebs gp3 GB-month',
    );
  };
  fleet(c.primaryInstanceTypes[0], 1, 0);
  fleet(c.core.instanceTypes[0], c.core.onDemandUnits, c.core.spotUnits);
  fleet(c.task.instanceTypes[0], c.task.onDemandUnits, c.task.spotUnits);
  return b.amount();
}

// ---------------------------------------------------------------------------
// SageMaker training

/**
 * Training hours per month: `trainingHoursPerMonth`, times `fineTuneHoursShare` when training
 * starts from a base model (a fine-tuning run is shorter than one from scratch).
 */
export function trainingHours(ctx: PricingContext, t: ResolvedTraining): number {
  return ctx.usage.trainingHoursPerMonth * (t.baseModel ? ctx.usage.fineTuneHoursShare : 1);
}

/** Training jobs per month: {@link trainingHours} on every instance; the spot discount when spot is on. */
export function trainingCost(ctx: PricingContext, t: ResolvedTraining, spot = t.spot !== undefined): Amount {
  const rate = ctx.prices.sagemaker?.training?.[t.instance.type];
  return bill(ctx)
    .add(
      rate === undefined ? undefined : rate * (spot ? 1 - ctx.table.spotDiscount.sagemakerTraining : 1),
      t.instanceCount * trainingHours(ctx, t),
      `sagemaker training ${t.instance.type}`,
      spot,
    )
    .amount();
}

/** A processing step per month: `processingHoursPerMonth` on every instance. */
export function processingCost(ctx: PricingContext, job: ResolvedProcessingJob): Amount {
  return bill(ctx)
    .add(
      ctx.prices.sagemaker?.processing?.[job.instance.type],
      job.instanceCount * ctx.usage.processingHoursPerMonth,
      `sagemaker processing ${job.instance.type}`,
    )
    .amount();
}

// ---------------------------------------------------------------------------
// Notebooks

/** The instance type a Studio JupyterLab space runs on unless its user picks another. */
export const STUDIO_DEFAULT_INSTANCE = 'ml.t3.medium';

/** A notebook instance per month: `hoursUp` running plus its volume all month. */
export function notebookInstanceCost(
  ctx: PricingContext,
  nb: ResolvedNotebookInstance,
  hoursUp = ctx.usage.notebookHoursPerMonth,
): Amount {
  const sm = ctx.prices.sagemaker ?? {};
  return bill(ctx)
    .add(sm.notebook?.[nb.instanceType], hoursUp, `sagemaker notebook ${nb.instanceType}`)
    .add(sm.mlStorageGbMonth, nb.volumeGiB, 'sagemaker ML storage GB-month')
    .amount();
}

// ---------------------------------------------------------------------------
// Lambda

/** A function per month: requests plus GB-seconds at its architecture's rate. */
export function functionCost(ctx: PricingContext, f: ResolvedLambdaFunction): Amount {
  const l = ctx.prices.lambda ?? {};
  const n = ctx.usage.functionInvocationsPerMonth;
  const gbSeconds = (n * ctx.usage.functionDurationMs * f.memoryMiB) / 1000 / 1024;
  return bill(ctx)
    .add(l.requestsPerMillion, n / 1e6, 'lambda requests')
    .add(
      f.architecture === 'arm64' ? l.gbSecondArm : l.gbSecond,
      gbSeconds,
      `lambda GB-second ${f.architecture}`,
    )
    .amount();
}

// ---------------------------------------------------------------------------
// Serving

/** Average instances of an instance-backed variant over the month. */
export function averageInstances(ctx: PricingContext, e: ResolvedEndpoint, v: ResolvedVariant): number {
  const count = v.instanceCount ?? DEFAULTS.variant.instanceCount;
  if (!e.autoscaling || !v.scaling) return count;
  const traffic = endpointTraffic(ctx.usage, e.name);
  const weights = e.variants.reduce((sum, x) => sum + x.weight, 0) || 1;
  const requests = (traffic.requestsPerMonth * v.weight) / weights;
  const needed =
    e.autoscaling.metric === 'invocations-per-instance'
      ? Math.ceil(requests / (hours(ctx) * 60) / e.autoscaling.target)
      : // Async: instances busy for the total request time (a backlog scales out, idle scales in).
        Math.ceil((requests * traffic.averageRequestDurationMs) / 1000 / 3600 / hours(ctx));
  return Math.min(v.scaling.maxInstances, Math.max(v.scaling.minInstances, needed));
}

/** Serverless inference per month: memory x duration x requests, plus the data processed. */
export function serverlessCost(
  ctx: PricingContext,
  endpoint: string,
  memoryMb: number,
  provisionedConcurrency = 0,
): Amount {
  const sm = ctx.prices.sagemaker ?? {};
  const traffic = endpointTraffic(ctx.usage, endpoint);
  const gbSeconds = (traffic.requestsPerMonth * traffic.averageRequestDurationMs * memoryMb) / 1000 / 1024;
  const dataGb = (traffic.requestsPerMonth * ctx.usage.averagePayloadKb) / 1024 / 1024;
  return bill(ctx)
    .add(sm.serverlessGbSecond, gbSeconds, 'sagemaker serverless GB-second')
    .add(sm.serverlessDataGb, dataGb, 'sagemaker serverless GB processed')
    .add(undefined, provisionedConcurrency, 'sagemaker serverless provisioned concurrency')
    .amount();
}

/** An endpoint per month (its instances or serverless capacity; not its public front door). */
export function endpointCost(ctx: PricingContext, e: ResolvedEndpoint): Amount {
  if (e.type === 'serverless') {
    return serverlessCost(
      ctx,
      e.name,
      e.serverless?.memoryMb ?? DEFAULTS.serverless.memoryMb,
      e.serverless?.provisionedConcurrency ?? 0,
    );
  }
  const b = bill(ctx);
  const hosting = ctx.prices.sagemaker?.hosting ?? {};
  for (const v of [...e.variants, ...(e.shadow ? [e.shadow] : [])]) {
    const type = v.instanceType ?? '';
    const instances =
      v === e.shadow ? (v.instanceCount ?? DEFAULTS.shadow.instanceCount) : averageInstances(ctx, e, v);
    b.add(hosting[type], instances * hours(ctx), `sagemaker hosting ${type}`);
  }
  return b.amount();
}

// ---------------------------------------------------------------------------
// The whole pipeline

/**
 * The schema bounds every usage number, so every amount is finite; this guard keeps a
 * future unbounded field from printing NaN, Infinity or a 300-digit figure.
 */
function finite(n: number, what: string): number {
  if (!Number.isFinite(n) || Math.abs(n) >= 1e21)
    throw new RangeError(`internal: ${what} is ${n}, not a finite amount (a usage field without bounds?)`);
  return n;
}

const fmt = (n: number): string => {
  finite(n, 'a quantity in a cost line');
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1).replace(/\.?0+$/, '');
};

function line(component: string, area: string, description: string, amount: Amount, spot = false): CostLine {
  if (amount.usd !== undefined) finite(amount.usd, `the monthly cost of ${component}`);
  return {
    component,
    area,
    description,
    ...(amount.usd !== undefined ? { usd: amount.usd } : {}),
    unknown: amount.unknown,
    spot,
    items: amount.items ?? [],
  };
}

/** Whether the pipeline creates log groups (flow logs, EKS control plane, jobs, endpoints, WAF). */
function logsSomething(spec: ResolvedSpec): boolean {
  return Boolean(
    (spec.network?.mode === 'create' && spec.network.flowLogs.enabled) ||
    spec.eks ||
    (spec.data?.glue?.jobs.length ?? 0) > 0 ||
    (spec.serving?.endpoints.length ?? 0) > 0 ||
    spec.training ||
    spec.data?.emr ||
    (spec.orchestration?.functions.length ?? 0) > 0 ||
    spec.security.waf?.logging,
  );
}

/** Every billed component of the pipeline, sorted by component key. */
export function estimateLines(ctx: PricingContext): CostLine[] {
  const { spec, usage, prices } = ctx;
  const h = hours(ctx);
  const lines: CostLine[] = [];

  // Security
  if (spec.security.kms.existingKeyArn === undefined) {
    lines.push(
      line(
        'security/kms',
        'security',
        'customer managed KMS key',
        bill(ctx).add(prices.kmsKeyMonth, 1, 'kms key-month').amount(),
      ),
    );
  }
  const waf = spec.security.waf;
  const publicRequests = (spec.serving?.endpoints ?? [])
    .filter((e) => e.public)
    .reduce((sum, e) => sum + endpointTraffic(usage, e.name).requestsPerMonth, 0);
  if (waf) {
    const rules = waf.managedRuleGroups.length + 1;
    lines.push(
      line(
        'security/waf',
        'security',
        `WAF web ACL, ${rules} rules, ${publicRequests > 0 ? `${fmt(publicRequests / 1e6)}M requests` : 'no public endpoint yet'}`,
        bill(ctx)
          .add(prices.waf?.webAclMonth, 1, 'waf web ACL-month')
          .add(prices.waf?.ruleMonth, rules, 'waf rule-month')
          .add(prices.waf?.requestsPerMillion, publicRequests / 1e6, 'waf requests')
          .amount(),
      ),
    );
  }
  if (spec.security.shield) {
    lines.push(
      line(
        'security/shield',
        'security',
        'Shield Advanced subscription',
        bill(ctx).add(prices.shieldAdvancedMonth, 1, 'shield advanced month').amount(),
      ),
    );
  }

  // Storage
  const sizes = bucketSizes(ctx);
  for (const b of spec.storage.buckets) {
    const gb = sizes.get(b.name) ?? 0;
    const cls = b.lifecycle.archive ? `, cold to ${b.lifecycle.archive.storageClass}` : '';
    lines.push(
      line(
        `storage/${b.name}`,
        'storage',
        `bucket ${b.name}: ${fmt(gb)} GB, ${b.lifecycle.tiering}${cls}`,
        bucketStorage(ctx, b, gb),
      ),
    );
  }
  if (usage.sourceDataRegion !== spec.region) {
    const source = regionPrices(ctx.table, usage.sourceDataRegion);
    lines.push(
      line(
        'storage/ingest',
        'storage',
        `${fmt(usage.ingestGbPerMonth)} GB/month ingested from ${usage.sourceDataRegion}`,
        bill(ctx, usage.sourceDataRegion)
          .add(source.interRegionTransferGb, usage.ingestGbPerMonth, 'inter-region transfer GB')
          .amount(),
      ),
    );
  }

  // Network
  const n = spec.network;
  if (n?.mode === 'create') {
    const nats = natGatewayCount(spec);
    if (nats > 0) {
      lines.push(
        line(
          'network/nat',
          'network',
          `${nats} NAT gateway${nats === 1 ? '' : 's'}, ${fmt(usage.natTrafficGbPerMonth)} GB processed`,
          natCost(ctx),
        ),
      );
    }
    if (n.endpoints.interface.length > 0) {
      const count = n.endpoints.interface.length;
      lines.push(
        line(
          'network/endpoints',
          'network',
          `${count} interface endpoints x ${n.vpc.availabilityZones.length} AZs, ${fmt(usage.endpointTrafficGbPerMonth)} GB processed`,
          interfaceEndpointCost(ctx, count, usage.endpointTrafficGbPerMonth),
        ),
      );
    }
  }
  if (logsSomething(spec)) {
    const retentionMonths = spec.security.logRetentionDays / 30;
    const stored = usage.logsGbPerMonth * retentionMonths;
    lines.push(
      line(
        'logs/cloudwatch',
        'logs',
        `${fmt(usage.logsGbPerMonth)} GB/month ingested, ${fmt(stored)} GB kept (${spec.security.logRetentionDays} days)`,
        bill(ctx)
          .add(prices.cloudwatchLogs?.ingestGb, usage.logsGbPerMonth, 'cloudwatch logs ingestion GB')
          .add(prices.cloudwatchLogs?.storageGbMonth, stored, 'cloudwatch logs storage GB-month')
          .amount(),
      ),
    );
  }

  // EKS
  if (spec.eks) {
    const extended = spec.eks.supportType === 'EXTENDED';
    lines.push(
      line(
        'eks/cluster',
        'eks',
        `EKS cluster ${spec.eks.clusterName} (${extended ? 'extended' : 'standard'} support)`,
        bill(ctx)
          .add(
            extended ? prices.eks?.extendedSupportClusterHour : prices.eks?.clusterHour,
            h,
            'eks cluster hour',
          )
          .amount(),
      ),
    );
    for (const ng of spec.eks.nodeGroups) {
      const nh = nodeHours(ctx, ng);
      lines.push(
        line(
          `eks/${ng.name}`,
          'eks',
          `node group ${ng.name}: ${fmt(nh)} node-hours of ${ng.instanceTypes[0]} ${ng.capacityType}`,
          nodeGroupCost(ctx, ng),
          ng.capacityType === 'SPOT',
        ),
      );
    }
  }

  // Data processing
  for (const job of spec.data?.glue?.jobs ?? []) {
    lines.push(
      line(
        `glue/${job.name}`,
        'processing',
        `Glue job ${job.name}: ${job.workers} x ${job.workerType}, ${fmt(usage.glueJobHoursPerMonth)} h${job.flex ? ', Flex' : ''}`,
        glueJobCost(ctx, job),
      ),
    );
  }
  for (const crawler of spec.data?.glue?.crawlers ?? []) {
    lines.push(
      line(
        `glue/crawler-${crawler.name}`,
        'processing',
        `Glue crawler ${crawler.name}: ${fmt(usage.glueCrawlerDpuHoursPerMonth)} DPU-hours`,
        bill(ctx)
          .add(prices.glue?.crawlerDpuHour, usage.glueCrawlerDpuHoursPerMonth, 'glue crawler DPU-hour')
          .amount(),
      ),
    );
  }

  const emr = spec.data?.emr;
  if (emr?.cluster) {
    const c = emr.cluster;
    const units = c.core.onDemandUnits + c.core.spotUnits + c.task.onDemandUnits + c.task.spotUnits;
    lines.push(
      line(
        'emr/cluster',
        'processing',
        `EMR cluster ${emr.name}: 1 primary + ${units} units of ${c.core.instanceTypes[0]}, ${fmt(usage.emrHoursPerMonth)} h`,
        emrClusterCost(ctx, c),
        c.core.spotUnits + c.task.spotUnits > 0,
      ),
    );
  } else if (emr?.serverless) {
    lines.push(
      line(
        'emr/serverless',
        'processing',
        `EMR Serverless application ${emr.name} (billed per vCPU- and GB-hour of jobs)`,
        bill(ctx).add(undefined, 1, 'emr serverless vCPU-hour and GB-hour').amount(),
      ),
    );
  }
  for (const f of spec.orchestration?.functions ?? []) {
    lines.push(
      line(
        `lambda/${f.name}`,
        'processing',
        `Lambda ${f.name}: ${fmt(usage.functionInvocationsPerMonth / 1e6)}M invocations x ${fmt(usage.functionDurationMs)} ms x ${f.memoryMiB} MiB`,
        functionCost(ctx, f),
      ),
    );
  }

  // Notebooks and features
  for (const nb of spec.notebooks?.instances ?? []) {
    lines.push(
      line(
        `notebooks/${nb.name}`,
        'notebooks',
        `notebook ${nb.name}: ${nb.instanceType}, ${fmt(usage.notebookHoursPerMonth)} h, ${nb.volumeGiB} GiB`,
        notebookInstanceCost(ctx, nb),
      ),
    );
  }
  const domain = spec.notebooks?.domain;
  if (domain) {
    const users = domain.users.length;
    lines.push(
      line(
        'notebooks/domain',
        'notebooks',
        `Studio domain: ${users} user${users === 1 ? '' : 's'} x ${fmt(usage.notebookHoursPerMonth)} h of ${STUDIO_DEFAULT_INSTANCE} (Studio's default; home directories not estimated)`,
        bill(ctx)
          .add(
            prices.sagemaker?.notebook?.[STUDIO_DEFAULT_INSTANCE],
            users * usage.notebookHoursPerMonth,
            `sagemaker notebook ${STUDIO_DEFAULT_INSTANCE}`,
          )
          .amount(),
      ),
    );
  }
  // tracking.mlflow: the server runs around the clock; its metadata storage is not estimated.
  const mlflow = spec.tracking?.mlflow;
  if (mlflow) {
    lines.push(
      line(
        'tracking/mlflow',
        'tracking',
        `MLflow tracking server ${mlflow.serverName}: ${mlflow.size}, ${fmt(h)} h (artifacts in the models bucket)`,
        bill(ctx)
          .add(
            prices.sagemaker?.mlflowServerHour?.[mlflow.size],
            h,
            `sagemaker mlflow tracking server ${mlflow.size}`,
          )
          .amount(),
      ),
    );
  }
  for (const g of (spec.features?.groups ?? []).filter((x) => x.online)) {
    lines.push(
      line(
        `features/${g.name}`,
        'features',
        `feature group ${g.name}: online store (billed per read, write and GB; the offline store is in the features bucket)`,
        bill(ctx).add(undefined, 1, 'feature store online reads, writes and storage').amount(),
      ),
    );
  }

  // Training
  const t = spec.training;
  if (t) {
    lines.push(
      line(
        'training/jobs',
        'training',
        `training ${t.instanceCount} x ${t.instance.type}, ${fmt(trainingHours(ctx, t))} h${t.baseModel ? ' (fine-tuning from a base model)' : ''}${t.spot ? ', managed spot' : ''}`,
        trainingCost(ctx, t),
        t.spot !== undefined,
      ),
    );
    if (t.preprocessing) {
      lines.push(
        line(
          'training/preprocessing',
          'processing',
          `preprocessing ${t.preprocessing.instanceCount} x ${t.preprocessing.instance.type}, ${fmt(usage.processingHoursPerMonth)} h`,
          processingCost(ctx, t.preprocessing),
        ),
      );
    }
    if (t.evaluation) {
      lines.push(
        line(
          'training/evaluation',
          'training',
          `evaluation ${t.evaluation.instanceCount} x ${t.evaluation.instance.type}, ${fmt(usage.processingHoursPerMonth)} h`,
          processingCost(ctx, t.evaluation),
        ),
      );
    }
  }

  // Edge: Greengrass bills each core device that connects in a month (no bundled price: unknown until added).
  const edge = spec.serving?.edge;
  if (edge) {
    lines.push(
      line(
        'serving/edge',
        'serving',
        `IoT Greengrass fleet ${edge.fleetName}: ${fmt(edge.devices)} core devices, ${edge.models.length} model component${edge.models.length === 1 ? '' : 's'}`,
        bill(ctx)
          .add(prices.greengrassCoreDeviceMonth, edge.devices, 'greengrass core device-month')
          .amount(),
      ),
    );
  }
  // Serving
  for (const e of spec.serving?.endpoints ?? []) {
    const traffic = endpointTraffic(usage, e.name);
    const what =
      e.type === 'serverless'
        ? `serverless ${e.serverless?.memoryMb ?? DEFAULTS.serverless.memoryMb} MB`
        : e.variants
            .map((v) => `${fmt(averageInstances(ctx, e, v))} x ${v.instanceType}`)
            .concat(
              e.shadow
                ? [
                    `shadow ${e.shadow.instanceCount ?? DEFAULTS.shadow.instanceCount} x ${e.shadow.instanceType}`,
                  ]
                : [],
            )
            .join(' + ');
    lines.push(
      line(
        `serving/${e.name}`,
        'serving',
        `${e.type} endpoint ${e.name}: ${what}, ${fmt(traffic.requestsPerMonth / 1e6)}M requests`,
        endpointCost(ctx, e),
      ),
    );
    if (e.public) {
      lines.push(
        line(
          `serving/${e.name}-api`,
          'serving',
          `REST API in front of ${e.name}: ${fmt(traffic.requestsPerMonth / 1e6)}M requests`,
          bill(ctx)
            .add(prices.apiGatewayRestPerMillion, traffic.requestsPerMonth / 1e6, 'api gateway REST requests')
            .amount(),
        ),
      );
    }
  }

  // Model Monitor: every run of a schedule is a processing job of `monitoringJobMinutes`.
  for (const m of spec.monitoring?.monitors ?? []) {
    const periods = [
      m.dataQuality?.periodSeconds,
      m.modelQuality?.periodSeconds,
      m.bias?.periodSeconds,
    ].filter((p) => p !== undefined);
    const runs = periods.reduce((sum, p) => sum + (h * 3600) / p, 0);
    const jobHours = runs * (usage.monitoringJobMinutes / 60) * m.instanceCount;
    lines.push(
      line(
        `monitoring/${m.endpoint}`,
        'monitoring',
        `Model Monitor of ${m.endpoint}: ${fmt(jobHours)} h of ${m.instanceType} (${periods.length} schedule${periods.length === 1 ? '' : 's'}, ${fmt(usage.monitoringJobMinutes)} min a run)`,
        bill(ctx)
          .add(
            prices.sagemaker?.processing?.[m.instanceType],
            jobHours,
            `sagemaker processing ${m.instanceType}`,
          )
          .amount(),
      ),
    );
  }

  if (spec.cicd) {
    lines.push(
      line(
        'cicd/pipeline',
        'cicd',
        'CodePipeline and CodeBuild (billed per action-minute and build-minute)',
        bill(ctx).add(undefined, 1, 'codepipeline action-minutes and codebuild build-minutes').amount(),
      ),
    );
  }

  return lines.sort((a, b) => (a.component < b.component ? -1 : a.component > b.component ? 1 : 0));
}
