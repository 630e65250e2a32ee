import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { Aspects, TerraformLocal, TerraformResource, TerraformVariable, type IAspect } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import type { ResolvedSpec } from '../model/resolved';

/** Documentation of one module input, rendered into the module README. */
export interface ModuleInputDoc {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  /** Terraform default as JSON; undefined when the input is required. */
  readonly default?: unknown;
}

/**
 * The caller's account, region and partition as module locals: a module takes them from the
 * aws provider it is called with (`aws_caller_identity`, `aws_region`, `aws_partition`), never
 * from the spec. `src/synth/module-bindings.ts` rewrites the spec's literals to these.
 */
export const CALLER_LOCALS = {
  account: 'caller_account_id',
  region: 'caller_region',
  partition: 'caller_partition',
} as const;

/**
 * The inputs a pipeline exposes when it is emitted as a reusable Terraform module: tags,
 * a key to bring instead of creating one, and (for `network.existing`) the network ids.
 * Each defaults to what the spec says, so the module works unconfigured.
 */
export class ModuleInputs extends Construct {
  readonly tags: TerraformVariable;
  readonly kmsKeyArn: TerraformVariable;
  /** The pipeline key: the caller's when given, else the one the module creates. */
  readonly keyArnLocal: TerraformLocal;
  readonly network?: {
    vpcId: TerraformVariable;
    subnetIds: TerraformVariable;
    securityGroupIds: TerraformVariable;
  };
  readonly docs: ModuleInputDoc[] = [];
  /**
   * A key is regional: the caller's key (or the spec's, the input's default) must be in
   * the caller's region. Checked at plan time on the kms_key_arn output.
   */
  readonly keyInCallerRegion = {
    // HCL evaluates both branches of a conditional, and Terraform's `||` does not short-circuit: `try`.
    condition: `\${var.kms_key_arn == null || try(split(":", var.kms_key_arn)[3] == local.${CALLER_LOCALS.region}, false)}`,
    error_message: `kms_key_arn is a key in \${try(split(":", var.kms_key_arn)[3], "an unknown region")}, but the aws provider this module is called with is in \${local.${CALLER_LOCALS.region}}: KMS keys are regional. Pass a key of \${local.${CALLER_LOCALS.region}} (or null, and the module creates one).`,
  };

  constructor(scope: Construct, id: string, spec: ResolvedSpec) {
    super(scope, id);
    const variable = (name: string, type: string, description: string, dflt: unknown): TerraformVariable => {
      this.docs.push({ name, type, description, default: dflt });
      const v = new TerraformVariable(this, name, {
        type,
        description,
        nullable: dflt === null,
        ...(dflt === null ? {} : { default: dflt }),
      });
      // cdktf cannot write a null default directly; an override can.
      if (dflt === null) v.addOverride('default', null);
      // Module inputs are public API: their names are exactly what callers write.
      v.overrideLogicalId(name);
      return v;
    };
    this.tags = variable(
      'tags',
      'map(string)',
      'Tags added to every resource of the pipeline, on top of the spec tags.',
      {},
    );
    this.kmsKeyArn = variable(
      'kms_key_arn',
      'string',
      'ARN of an existing KMS key to encrypt the pipeline with. When null, the module creates a key with rotation.',
      spec.security.kms.existingKeyArn ?? null,
    );
    this.keyArnLocal = new TerraformLocal(this, 'KeyArn', '${var.kms_key_arn}');
    this.keyArnLocal.overrideLogicalId('pipeline_kms_key_arn');
    if (spec.network?.mode === 'existing') {
      const n = spec.network;
      const sameCount = (v: TerraformVariable, count: number, what: string) =>
        v.addValidation({
          condition: `\${length(var.${v.friendlyUniqueId}) == ${count}}`,
          errorMessage: `Pass exactly ${count} ${what}, as many as the pipeline spec names (components are laid out per id).`,
        });
      const subnetIds = variable(
        'private_subnet_ids',
        'list(string)',
        'Private subnets for pipeline workloads.',
        [...n.subnetIds],
      );
      const securityGroupIds = variable(
        'security_group_ids',
        'list(string)',
        'Security groups for pipeline workloads.',
        [...n.securityGroupIds],
      );
      sameCount(subnetIds, n.subnetIds.length, 'subnet ids');
      sameCount(securityGroupIds, n.securityGroupIds.length, 'security group ids');
      this.network = {
        vpcId: variable('vpc_id', 'string', 'VPC the pipeline workloads run in.', n.vpcId),
        subnetIds,
        securityGroupIds,
      };
    }
    const identity = new DataAwsCallerIdentity(this, 'CallerIdentity');
    identity.overrideLogicalId('current');
    const region = new DataAwsRegion(this, 'CallerRegion');
    region.overrideLogicalId('current');
    const partition = new DataAwsPartition(this, 'CallerPartition');
    partition.overrideLogicalId('current');
    new TerraformLocal(this, 'CallerAccount', identity.accountId).overrideLogicalId(CALLER_LOCALS.account);
    new TerraformLocal(this, 'CallerRegionName', region.name).overrideLogicalId(CALLER_LOCALS.region);
    new TerraformLocal(this, 'CallerPartitionName', partition.partition).overrideLogicalId(
      CALLER_LOCALS.partition,
    );
    new TerraformLocal(this, 'SpecTags', { ...spec.tags }).overrideLogicalId('spec_tags');
    Aspects.of(scope).add(new TagEverything('merge(local.spec_tags, var.tags)'));
  }
}

/**
 * In a module there is no provider block, so no default_tags: every taggable resource gets
 * the spec tags and the caller's tags itself, merged with the tags it already sets.
 */
class TagEverything implements IAspect {
  /** `allTags` is an HCL expression (without `${}`). */
  constructor(private readonly allTags: string) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    if (typeof (node as unknown as { resetTags?: unknown }).resetTags !== 'function') return;
    const own = (node as unknown as { tagsInput?: Record<string, string> }).tagsInput;
    const expr =
      own && Object.keys(own).length > 0 ? `merge(${this.allTags}, ${hclObject(own)})` : this.allTags;
    node.addOverride('tags', `\${${expr}}`);
  }
}

/** An HCL object literal for a string map (keys quoted: tag keys contain ':' and '/'). */
function hclObject(map: Record<string, string>): string {
  const entries = Object.keys(map)
    .sort()
    .map((k) => `${JSON.stringify(k)} = ${JSON.stringify(map[k])}`);
  return `{ ${entries.join(', ')} }`;
}
