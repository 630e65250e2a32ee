/**
 * The spec's usage assumptions as an Infracost usage file (`infracost breakdown --path plan.json
 * --usage-file infracost-usage.yml`), so Infracost prices the usage-based resources of a plan
 * with the same numbers `pipeform cost` used.
 *
 * Format and keys from Infracost's own example, infracost/infracost `infracost-usage-example.yml`
 * (https://github.com/infracost/infracost/blob/master/infracost-usage-example.yml, `version: 0.1`,
 * `resource_usage:` keyed by address): aws_s3_bucket `standard.storage_gb`,
 * `standard_infrequent_access.storage_gb`, `intelligent_tiering.frequent_access_storage_gb` /
 * `infrequent_access_storage_gb` / `monitored_objects`, `glacier_flexible_retrieval.storage_gb`,
 * `glacier_deep_archive.storage_gb`; aws_nat_gateway and aws_vpc_endpoint
 * `monthly_data_processed_gb`; aws_lambda_function `monthly_requests`, `request_duration_ms`;
 * aws_glue_job and aws_glue_crawler `monthly_hours`; aws_api_gateway_rest_api and
 * aws_wafv2_web_acl `monthly_requests`; aws_eks_node_group `instances`. SageMaker, EMR and KMS
 * resources have no usage keys there, so they are not in the file (Infracost prices what it
 * supports of them from the plan alone).
 */
import type { ResolvedSpec } from '../model/resolved';
import type { AddressLine } from './addresses';
import { endpointTraffic, type ResolvedUsage } from './usage';

type Usage = Record<string, number | Record<string, number>>;

/** Infracost's S3 usage keys by the estimate's storage class (GLACIER_IR has none in the example). */
const S3_KEYS: Readonly<Record<string, readonly [string, string]>> = {
  's3 STANDARD': ['standard', 'storage_gb'],
  's3 STANDARD_IA': ['standard_infrequent_access', 'storage_gb'],
  's3 INTELLIGENT_TIERING frequent access': ['intelligent_tiering', 'frequent_access_storage_gb'],
  's3 INTELLIGENT_TIERING infrequent access': ['intelligent_tiering', 'infrequent_access_storage_gb'],
  's3 GLACIER': ['glacier_flexible_retrieval', 'storage_gb'],
  's3 DEEP_ARCHIVE': ['glacier_deep_archive', 'storage_gb'],
};

const round = (n: number) => Math.round(n * 1000) / 1000;

function bucketUsage(line: AddressLine): Usage {
  const out: Record<string, Record<string, number>> = {};
  for (const item of line.items) {
    const key = S3_KEYS[item.what];
    if (key) {
      const [cls, field] = key;
      out[cls] = { ...out[cls], [field]: round((out[cls]?.[field] ?? 0) + item.quantity) };
    } else if (item.what === 's3 INTELLIGENT_TIERING monitoring') {
      // The estimate counts monitoring per 1,000 objects; Infracost wants objects.
      out.intelligent_tiering = {
        ...out.intelligent_tiering,
        monitored_objects: Math.round(item.quantity * 1000),
      };
    }
  }
  return out;
}

/** The usage of one address, or undefined when Infracost has no usage keys for its type. */
function usageOf(spec: ResolvedSpec, usage: ResolvedUsage, line: AddressLine): Usage | undefined {
  const address = line.address;
  if (address === undefined) return undefined;
  const type = address.slice(0, address.indexOf('.'));
  const gb = (what: RegExp) =>
    round(line.items.filter((i) => what.test(i.what)).reduce((s, i) => s + i.quantity, 0));
  switch (type) {
    case 'aws_s3_bucket':
      return bucketUsage(line);
    case 'aws_nat_gateway':
      return { monthly_data_processed_gb: gb(/^NAT gateway GB processed$/) };
    case 'aws_vpc_endpoint':
      return { monthly_data_processed_gb: gb(/^interface endpoint GB processed$/) };
    case 'aws_lambda_function':
      return {
        monthly_requests: usage.functionInvocationsPerMonth,
        request_duration_ms: usage.functionDurationMs,
      };
    case 'aws_glue_job':
      return { monthly_hours: usage.glueJobHoursPerMonth };
    case 'aws_glue_crawler':
      // pipeform assumes DPU-hours; a crawler runs on few DPUs, so its hours are at most these.
      return { monthly_hours: usage.glueCrawlerDpuHoursPerMonth };
    case 'aws_api_gateway_rest_api': {
      const name = line.component.slice('serving/'.length, -'-api'.length);
      return { monthly_requests: endpointTraffic(usage, name).requestsPerMonth };
    }
    case 'aws_wafv2_web_acl': {
      const requests = (spec.serving?.endpoints ?? [])
        .filter((e) => e.public)
        .reduce((s, e) => s + endpointTraffic(usage, e.name).requestsPerMonth, 0);
      return { monthly_requests: requests };
    }
    case 'aws_eks_node_group': {
      const ng = spec.eks?.nodeGroups.find((x) => `eks/${x.name}` === line.component);
      return ng ? { instances: ng.scaling.desiredSize } : undefined;
    }
    default:
      return undefined;
  }
}

const yamlKey = (k: string) => (/^[A-Za-z0-9_.-]+$/.test(k) ? k : JSON.stringify(k));

/** The usage file's text (deterministic: addresses sorted, no date). */
export function infracostUsage(
  spec: ResolvedSpec,
  usage: ResolvedUsage,
  lines: readonly AddressLine[],
): string {
  const entries = new Map<string, Usage>();
  for (const l of lines) {
    const u = usageOf(spec, usage, l);
    if (u && l.address !== undefined && Object.keys(u).length > 0) entries.set(l.address, u);
  }
  const out = [
    `# Usage of pipeline ${spec.name} for Infracost, from the spec's usage: assumptions (pipeform cost).`,
    '# infracost breakdown --path plan.json --usage-file infracost-usage.yml',
    '# Keys as in https://github.com/infracost/infracost/blob/master/infracost-usage-example.yml',
    'version: 0.1',
    entries.size > 0 ? 'resource_usage:' : 'resource_usage: {}',
  ];
  for (const address of [...entries.keys()].sort()) {
    out.push(`  ${yamlKey(address)}:`);
    for (const [k, v] of Object.entries(entries.get(address) ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (typeof v === 'number') out.push(`    ${k}: ${v}`);
      else {
        out.push(`    ${k}:`);
        for (const [kk, vv] of Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
          out.push(`      ${kk}: ${vv}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}
