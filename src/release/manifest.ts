import { createHash } from 'node:crypto';
import type { ModuleResult } from '../synth/module';
import { MODULE_PROVIDER_CONSTRAINT } from '../synth/module';
import { VERSION } from '../version';

/** Resource types whose replacement or removal loses data or identity: a major change. */
export const STATEFUL_IDENTITY: Readonly<Record<string, readonly string[]>> = {
  aws_s3_bucket: ['bucket'],
  aws_kms_key: ['customer_master_key_spec', 'key_usage'],
  aws_sagemaker_feature_group: [
    'feature_group_name',
    'record_identifier_feature_name',
    'event_time_feature_name',
  ],
  aws_sagemaker_model_package_group: ['model_package_group_name'],
  aws_sagemaker_domain: ['domain_name', 'auth_mode'],
  aws_eks_cluster: ['name'],
  aws_emr_cluster: ['name', 'release_label', 'applications'],
  aws_glue_catalog_database: ['name'],
  aws_vpc: ['cidr_block'],
  // Replacing a subnet fails or disrupts while anything has an ENI in it (endpoints, nodes,
  // clusters, NAT), so a subnet that moves is a breaking change.
  aws_subnet: ['cidr_block', 'availability_zone'],
};

/** One resource as a release remembers it. */
export interface ManifestResource {
  readonly type: string;
  /** Attributes whose change replaces the resource (stateful types only). */
  readonly identity?: Readonly<Record<string, unknown>>;
  /** sha256-free fingerprint of the whole configuration (sorted JSON), to recognise moves. */
  readonly config: string;
}

/** What `pipeform release` records next to each released module (pipeform-release.json). */
export interface ReleaseManifest {
  readonly name: string;
  readonly version: string;
  readonly specHash: string;
  /**
   * sha256 over the module's files (paths and bytes, README and examples included): equal
   * hashes mean there is nothing to release. Absent in manifests of earlier pipeform versions.
   */
  readonly moduleHash?: string;
  readonly pipeformVersion: string;
  readonly providerConstraint: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly outputs: readonly string[];
  readonly resources: Readonly<Record<string, ManifestResource>>;
}

/** The manifest of a module about to be released. */
export function manifestOf(
  name: string,
  version: string,
  specHash: string,
  module: ModuleResult,
): ReleaseManifest {
  const resources: Record<string, ManifestResource> = {};
  const byType = (module.config.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  for (const type of Object.keys(byType).sort()) {
    for (const n of Object.keys(byType[type]).sort()) {
      const r = byType[type][n];
      const identityKeys = STATEFUL_IDENTITY[type];
      resources[`${type}.${n}`] = {
        type,
        ...(identityKeys ? { identity: Object.fromEntries(identityKeys.map((k) => [k, r[k] ?? null])) } : {}),
        config: JSON.stringify(r),
      };
    }
  }
  const hash = createHash('sha256');
  for (const path of [...module.files.keys()].sort()) {
    hash.update(`${path}\0`);
    hash.update(module.files.get(path)!);
    hash.update('\0');
  }
  return {
    name,
    version,
    specHash,
    moduleHash: hash.digest('hex'),
    pipeformVersion: VERSION,
    providerConstraint: MODULE_PROVIDER_CONSTRAINT,
    inputs: Object.fromEntries(module.inputs.map((i) => [i.name, i.type])),
    outputs: module.outputs.map((o) => o.name),
    resources,
  };
}
