import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformElement, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct, Node } from 'constructs';
import type { ResolvedSpec } from '../model/resolved';
import { configureBackend } from './backend';
import { DataLake } from './data-lake';
import { RoleFactory } from './iam/role-factory';
import { WebFirewall } from './edge';
import { PipelineKey } from './kms';
import { ModuleInputs } from './module-inputs';
import { PipelineNetwork } from './network';
import { logicalIdOf, pathBelow } from './naming';
import { partitionOf } from './iam/policy';
import type { SecurityContext } from './security-context';

/** The provider version @cdktf/provider-aws 20.1.0 binds; generated configs pin it. */
export const AWS_PROVIDER_VERSION = '5.100.0';

/** How the stack is emitted. */
export interface PipelineStackOptions {
  /**
   * Emit a reusable module: inputs for tags, the key and existing network ids.
   * @default false - a root configuration
   */
  readonly module?: boolean;
}

/**
 * The whole pipeline as one Terraform stack. It only wires: each AWS area is its own
 * construct, built from its slice of the resolved spec plus the security context.
 */
export class PipelineStack extends TerraformStack {
  readonly security: SecurityContext;
  /** Present when the stack is emitted as a module. */
  readonly moduleInputs?: ModuleInputs;
  readonly key: PipelineKey;
  readonly lake: DataLake;

  constructor(scope: Construct, id: string, spec: ResolvedSpec, options: PipelineStackOptions = {}) {
    super(scope, id);
    const partition = partitionOf(spec.region);
    // As a module, the pipeline takes inputs; as a root configuration, the spec decides all.
    this.moduleInputs = options.module ? new ModuleInputs(this, 'Inputs', spec) : undefined;

    new AwsProvider(this, 'Aws', {
      region: spec.region,
      // Refuses to plan or apply with credentials of any other account.
      allowedAccountIds: [spec.account],
      defaultTags: [{ tags: { ...spec.tags } }],
    });
    configureBackend(this, spec.state);
    // cdktf writes the short source "aws"; spell it out as users and module registries expect.
    this.addOverride('terraform.required_providers.aws.source', 'hashicorp/aws');
    // S3 native state locking needs Terraform 1.10; everything else works from 1.5.
    const lockfile = spec.state.backend === 's3' && spec.state.lockfile;
    this.addOverride('terraform.required_version', lockfile ? '>= 1.10.0' : '>= 1.5.0');

    this.key = new PipelineKey(this, 'kms', {
      kms: spec.security.kms,
      pipeline: spec.name,
      region: spec.region,
      account: spec.account,
      partition,
      description: spec.description,
      ...(this.moduleInputs ? { moduleInputs: this.moduleInputs } : {}),
    });
    const base = {
      pipeline: spec.name,
      region: spec.region,
      account: spec.account,
      partition,
      keyArn: this.key.keyArn,
      logRetentionDays: spec.security.logRetentionDays,
      roles: new RoleFactory({
        pipeline: spec.name,
        account: spec.account,
        partition,
        path: spec.security.iam.rolePath,
        ...(spec.security.iam.permissionsBoundaryArn
          ? { permissionsBoundaryArn: spec.security.iam.permissionsBoundaryArn }
          : {}),
      }),
    };
    const network = spec.network
      ? new PipelineNetwork(this, 'network', {
          network: spec.network,
          security: base,
          ...(this.moduleInputs?.network ? { existing: this.moduleInputs.network } : {}),
        })
      : undefined;
    const edge = spec.security.waf
      ? new WebFirewall(this, 'waf', { waf: spec.security.waf, shield: spec.security.shield, security: base })
      : undefined;
    this.security = {
      ...base,
      ...(network ? { network: network.context } : {}),
      ...(edge ? { edge } : {}),
    };

    this.lake = new DataLake(this, 'lake', { storage: spec.storage, security: this.security });

    new TerraformOutput(this, 'kms_key_arn', {
      description: 'ARN of the KMS key that encrypts the pipeline.',
      value: this.key.keyArn,
    });
    const buckets = [...this.lake.buckets.entries()];
    new TerraformOutput(this, 'bucket_names', {
      description: 'Data-lake bucket names by spec name.',
      value: Object.fromEntries(buckets.map(([n, b]) => [n, b.bucket])),
    });
    new TerraformOutput(this, 'bucket_arns', {
      description: 'Data-lake bucket ARNs by spec name.',
      value: Object.fromEntries(buckets.map(([n, b]) => [n, b.arn])),
    });
    if (network) {
      new TerraformOutput(this, 'vpc_id', {
        description: 'VPC the pipeline runs in.',
        value: network.context.vpcId,
      });
      new TerraformOutput(this, 'private_subnet_ids', {
        description: 'Private subnets where workloads run.',
        value: [...network.context.privateSubnetIds],
      });
      new TerraformOutput(this, 'workload_security_group_ids', {
        description: 'Security groups of pipeline workloads.',
        value: [...network.context.securityGroupIds],
      });
    }
    if (edge) {
      new TerraformOutput(this, 'web_acl_arn', {
        description: 'WAFv2 web ACL for the public front door.',
        value: edge.webAclArn,
      });
    }
    if (spec.goals.kpis.length > 0) {
      new TerraformOutput(this, 'kpis', {
        description: 'KPIs the model must meet: thresholds for gates and retraining alarms.',
        value: Object.fromEntries(
          spec.goals.kpis.map((k) => [
            k.name,
            { metric: k.metric, threshold: k.threshold, direction: k.direction },
          ]),
        ),
      });
    }
  }

  /** Addresses from spec names (see naming.ts), not cdktf's hashed ids. */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    return logicalIdOf(pathBelow(this, node));
  }
}
