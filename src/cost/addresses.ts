/**
 * The estimate by Terraform address, the way Infracost shows a plan: each billed quantity
 * under the resource that bills it, with its unit, unit price and whether it depends on the
 * usage assumptions. Addresses come from the same construct paths the synth names resources
 * by (`logicalIdOf`, src/constructs/naming.ts, which is pure; each area names its own in
 * `lines/<area>.ts`), so they match `generated/<example>/main.tf.json`
 * (test/cost-address.test.ts checks every one).
 */
import type { ResolvedSpec } from '../model/resolved';
import type { CostLine, PricedItem } from './bill';
import { costAreas } from './lines';

/** One billed quantity at one Terraform address. */
export interface AddressItem {
  readonly what: string;
  readonly quantity: number;
  readonly unit: string;
  /** USD per unit; undefined when the price table lacks it. */
  readonly unitPrice?: number;
  /** quantity x unitPrice; undefined when the price is unknown. */
  readonly monthly?: number;
  /** True when the quantity comes from the `usage:` assumptions (Infracost's "usage-based"). */
  readonly usageBased: boolean;
  /** On spot capacity: the unit price has the table's spot discount applied. */
  readonly spot?: true;
}

/** A Terraform resource of the estimate. */
export interface AddressLine {
  /** `<type>.<name>`, as in the synthesized Terraform; undefined for a cost no single resource bills. */
  readonly address?: string;
  /** The cost component (`storage/raw`) the quantities belong to. */
  readonly component: string;
  readonly items: readonly AddressItem[];
  /** Sum of the items; undefined when any price is unknown. */
  readonly monthly?: number;
}

/** Units by what is billed (the first rule that matches). */
const UNITS: readonly [RegExp, string][] = [
  // Placeholders for what the estimate does not price (per-use billing it has no usage for).
  [/ and |provisioned concurrency$/, 'not estimated'],
  [/GB-month$/, 'GB-months'],
  [/^s3 .*monitoring$/, '1k objects'],
  [/^s3 /, 'GB-months'],
  [/GB-second/, 'GB-seconds'],
  [/DPU-hour$/, 'DPU-hours'],
  [/GB( processed)?$/, 'GB'],
  [/requests$/, '1M requests'],
  [/(key|web ACL|rule)-month$|month$/, 'months'],
  [/hour( per AZ)?$/, 'hours'],
  [/^sagemaker mlflow tracking server /, 'hours'],
  [/^(ec2|emr uplift|sagemaker (training|processing|hosting|notebook)) /, 'instance-hours'],
];

/** The unit of a billed quantity, from how the estimate names it. */
export function unitOf(what: string): string {
  return UNITS.find(([re]) => re.test(what))?.[1] ?? 'units';
}

const ALWAYS_ON =
  /^(NAT gateway hour|interface endpoint hour per AZ|kms |eks cluster hour|waf web ACL|waf rule|shield )/;

/**
 * Whether a quantity depends on `usage:`. Always-on resources billed by the hour or the
 * month do not, nor do endpoint instance hours (autoscaling aside) or node groups that
 * cannot burst; job hours (training, processing, EMR, Glue, notebooks), requests, GB and
 * a GPU node group's burst (`trainingHoursPerMonth` at full size) do.
 */
function usageBased(spec: ResolvedSpec, component: string, what: string): boolean {
  if (ALWAYS_ON.test(what)) return false;
  if (component.startsWith('serving/') && what.startsWith('sagemaker hosting ')) {
    const e = spec.serving?.endpoints.find((x) => `serving/${x.name}` === component);
    return e?.autoscaling !== undefined;
  }
  const ng = spec.eks?.nodeGroups.find((x) => `eks/${x.name}` === component);
  if (ng && /^(ec2 |ebs )/.test(what)) return ng.gpu && ng.scaling.maxSize > ng.scaling.desiredSize;
  return true;
}

/**
 * The Terraform addresses that bill a component, in the synth's naming, from the cost area
 * of its prefix (`lines/<area>.ts`). An empty list means no single resource bills it (log
 * ingestion across every log group, inter-region transfer, a Shield subscription, a
 * component no area names an address for): the line is listed under its component instead.
 */
export function componentAddresses(spec: ResolvedSpec, component: string): string[] {
  const [prefix, ...rest] = component.split('/');
  const area = costAreas.find((a) => a.prefix === prefix);
  return area?.addresses?.(spec, rest.join('/')) ?? [];
}

function addressItem(spec: ResolvedSpec, component: string, item: PricedItem, share: number): AddressItem {
  const quantity = item.quantity / share;
  return {
    what: item.what,
    quantity,
    unit: unitOf(item.what),
    ...(item.unitPrice !== undefined
      ? { unitPrice: item.unitPrice, monthly: quantity * item.unitPrice }
      : {}),
    usageBased: usageBased(spec, component, item.what),
    ...(item.spot ? { spot: true as const } : {}),
  };
}

const sum = (items: readonly AddressItem[]): number | undefined =>
  items.every((i) => i.monthly !== undefined) ? items.reduce((s, i) => s + (i.monthly ?? 0), 0) : undefined;

/**
 * The estimate's lines by address, sorted by address (unattributed ones last, by component).
 * A component billed by several identical resources (NAT gateways per AZ, interface
 * endpoints) is split evenly over them, which is how the estimate computed it.
 */
export function addressLines(spec: ResolvedSpec, lines: readonly CostLine[]): AddressLine[] {
  const out: AddressLine[] = [];
  for (const line of lines) {
    const addresses = componentAddresses(spec, line.component);
    if (addresses.length === 0) {
      const items = line.items.map((i) => addressItem(spec, line.component, i, 1));
      out.push({ component: line.component, items, ...opt(sum(items)) });
      continue;
    }
    for (const address of addresses) {
      const items = line.items.map((i) => addressItem(spec, line.component, i, addresses.length));
      out.push({ address, component: line.component, items, ...opt(sum(items)) });
    }
  }
  const key = (l: AddressLine) => `${l.address === undefined ? '1' : '0'}${l.address ?? l.component}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const opt = (monthly: number | undefined) => (monthly !== undefined ? { monthly } : {});
