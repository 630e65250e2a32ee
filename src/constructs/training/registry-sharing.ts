import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SagemakerModelPackageGroupPolicy } from '@cdktf/provider-aws/lib/sagemaker-model-package-group-policy';
import { Construct } from 'constructs';
import type { ResolvedObjectRead, ResolvedRegistryShares } from '../../model/promotion';
import { assetObjectKey } from '../assets';
import { policyJson, type PolicyStatement } from '../iam/policy';
import type { SecurityContext } from '../security-context';
import { modelApprovedPattern } from '../serving/approval';

const roots = (partition: string, accounts: readonly string[]): string[] =>
  accounts.map((a) => `arn:${partition}:iam::${a}:root`);

/**
 * The model package group's resource policy: the serving accounts may see the group, read
 * and list its packages, and create models from them (`CreateModel` of a package of another
 * account is authorized on the package). Nothing else: they cannot register, approve or delete.
 */
export function groupPolicyStatements(s: ResolvedRegistryShares, partition: string): PolicyStatement[] {
  const principal = { AWS: roots(partition, s.accounts) };
  return [
    {
      Sid: 'ServingAccountsSeeTheGroup',
      Effect: 'Allow',
      Principal: principal,
      Action: 'sagemaker:DescribeModelPackageGroup',
      Resource: s.packageGroupArn,
    },
    {
      Sid: 'ServingAccountsDeployPackages',
      Effect: 'Allow',
      Principal: principal,
      Action: ['sagemaker:CreateModel', 'sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'],
      Resource: `${s.packageArnPrefix}*`,
    },
  ];
}

/** The object ARN (or prefix pattern) of a read. */
export const readArn = (
  partition: string,
  r: Pick<ResolvedObjectRead, 'bucketName' | 'key' | 'match'>,
): string => `arn:${partition}:s3:::${r.bucketName}/${r.key}${r.match === 'prefix' ? '*' : ''}`;

/**
 * Bucket policy statements of the owner's lake, by bucket spec name: the serving accounts
 * may get the objects a registered model is made of (the training artifacts prefix, the
 * source archive) and nothing else in the bucket.
 */
export function modelReadGrants(
  s: ResolvedRegistryShares,
  partition: string,
): ReadonlyMap<string, readonly PolicyStatement[]> {
  const reads: ResolvedObjectRead[] = [
    ...s.reads,
    ...(s.sourceArchive
      ? [
          {
            bucket: s.sourceArchive.store.bucket,
            bucketName: s.sourceArchive.store.bucketName,
            key: assetObjectKey(s.sourceArchive.asset, s.sourceArchive.store.prefix),
            match: 'exact' as const,
          },
        ]
      : []),
  ];
  const byBucket = new Map<string, string[]>();
  for (const r of reads) {
    if (r.bucket === undefined) continue;
    byBucket.set(r.bucket, [...(byBucket.get(r.bucket) ?? []), readArn(partition, r)]);
  }
  return new Map(
    [...byBucket].map(([bucket, resources]) => [
      bucket,
      [
        {
          Sid: 'ServingAccountsReadModelArtifacts',
          Effect: 'Allow',
          Principal: { AWS: roots(partition, s.accounts) },
          Action: 's3:GetObject',
          Resource: [...new Set(resources)].sort(),
        },
      ],
    ]),
  );
}

/**
 * The key policy statement for the serving accounts: decrypt (and describe) the key only
 * when S3 asks on their behalf, i.e. to read the model objects the bucket policy lets them
 * get; no direct use of the key.
 */
export function keyReadStatement(
  accounts: readonly string[],
  partition: string,
  region: string,
): PolicyStatement {
  return {
    Sid: 'ServingAccountsDecryptModelsThroughS3',
    Effect: 'Allow',
    Principal: { AWS: roots(partition, accounts) },
    Action: ['kms:Decrypt', 'kms:DescribeKey'],
    Resource: '*',
    Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
  };
}

/** Props of {@link RegistrySharing}. */
export interface RegistrySharingProps {
  readonly shares: ResolvedRegistryShares;
  /** The group's name as Terraform knows it (a reference, so the policy follows the group). */
  readonly groupName: string;
  readonly security: SecurityContext;
}

/**
 * The owner's side of a promotion: the group's resource policy, and per serving account (once,
 * however many of its environments serve) an
 * EventBridge rule forwarding the group's approvals to that account's default bus, with the
 * role EventBridge puts the events as. (The bucket and key grants are part of the lake's
 * bucket policy and the key policy: {@link modelReadGrants}, {@link keyReadStatement}.)
 */
export class RegistrySharing extends Construct {
  /** The forwarding rules by account. */
  readonly rules: ReadonlyMap<string, CloudwatchEventRule>;

  constructor(scope: Construct, id: string, props: RegistrySharingProps) {
    super(scope, id);
    const { shares: s, security: sec } = props;
    new SagemakerModelPackageGroupPolicy(this, 'GroupPolicy', {
      modelPackageGroupName: props.groupName,
      resourcePolicy: policyJson(groupPolicyStatements(s, sec.partition)),
    });
    const role = sec.roles.create(this, 'ForwardRole', s.forwardRoleComponent, {
      services: ['events.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: forwards approvals of ${s.packageGroup} to the serving accounts`,
      statements: [
        {
          Sid: 'ForwardApprovalsToServingAccounts',
          Effect: 'Allow',
          Action: 'events:PutEvents',
          Resource: s.consumers.map((c) => c.eventBusArn),
        },
      ],
    });
    const rules = new Map<string, CloudwatchEventRule>();
    for (const c of s.consumers) {
      const scopeOf = new Construct(this, `to-${c.account}`);
      const rule = new CloudwatchEventRule(scopeOf, 'Rule', {
        name: c.ruleName,
        description: `Forwards approvals of ${s.packageGroup} to account ${c.account} (${c.environments.join(', ')}), which deploys them after its own approval`,
        eventPattern: JSON.stringify(modelApprovedPattern(s.packageGroup)),
        state: 'ENABLED',
      });
      new CloudwatchEventTarget(scopeOf, 'Target', {
        rule: rule.name,
        targetId: `promote-${c.account}`,
        arn: c.eventBusArn,
        roleArn: role.arn,
      });
      rules.set(c.account, rule);
    }
    this.rules = rules;
  }
}
