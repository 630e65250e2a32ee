import { DEFAULTS } from '../areas/promotion/catalog';
import type { ResolvedObjectRead, ResolvedPromotion, ResolvedServingAccount } from '../model/promotion';
import type { ResolvedSpec } from '../model/resolved';
import type { PipelineSpec } from '../spec/types.generated';
import { partitionOf } from './arn';
import { environmentName } from './environments';
import type { RegistryOwner } from './normalize/serving';

/**
 * Promotion (`promotion` in the spec): which environment trains and owns the model
 * registry, which serve from it. The view of each environment's spec (what it builds) is
 * applied with its overrides (`applyEnvironment`); this file resolves what the owner shares
 * and where a serving environment's models come from, from the owner's own resolved spec,
 * so both sides name the same group, bucket, prefixes and key.
 */

/** The account an environment deploys to. */
export function environmentAccount(base: PipelineSpec, env: string): string {
  return base.environments?.[env]?.account ?? base.account;
}

/** The registry a serving environment (not the owner) reads; undefined for every other environment. */
export function registryOwnerOf(base: PipelineSpec, env: string): RegistryOwner | undefined {
  const p = base.promotion;
  if (p === undefined || p.owner === env || !p.serve.includes(env)) return undefined;
  return {
    account: environmentAccount(base, p.owner),
    pipeline: environmentName(base.name, p.owner),
    gated: (p.approval ?? DEFAULTS.approval) === 'manual',
  };
}

/** What a registered model of the owner reads: its artifacts, and a source archive read where it is. */
function modelReads(owner: ResolvedSpec): ResolvedObjectRead[] {
  const t = owner.training;
  if (t === undefined)
    throw new Error('internal: the promotion owner has no training pipeline (check stage)');
  const lake = (bucketName: string) => owner.storage.buckets.find((b) => b.bucketName === bucketName)?.name;
  const artifacts = lake(t.artifacts.bucketName);
  const reads: ResolvedObjectRead[] = [
    {
      ...(artifacts ? { bucket: artifacts } : {}),
      bucketName: t.artifacts.bucketName,
      key: t.artifacts.prefix,
      match: 'prefix',
    },
  ];
  const archive = t.scriptMode?.sourceArchive;
  if (archive?.kind === 's3') {
    const bucket = lake(archive.bucketName);
    reads.push({
      ...(bucket ? { bucket } : {}),
      bucketName: archive.bucketName,
      key: archive.key,
      match: 'exact',
    });
  }
  return reads;
}

/**
 * This environment's part in the spec's promotion; undefined without `promotion`. `owner`
 * is the owner environment's resolved spec (normalized first).
 */
export function resolvePromotion(
  base: PipelineSpec,
  env: string,
  owner: ResolvedSpec,
): ResolvedPromotion | undefined {
  const p = base.promotion;
  if (p === undefined) return undefined;
  const t = owner.training;
  if (t === undefined)
    throw new Error('internal: the promotion owner has no training pipeline (check stage)');
  const partition = partitionOf(base.region);
  const ownerAccount = owner.account;
  const group = t.modelPackageGroupName;
  const groupArn = `arn:${partition}:sagemaker:${base.region}:${ownerAccount}:model-package-group/${group}`;
  const packageArnPrefix = `arn:${partition}:sagemaker:${base.region}:${ownerAccount}:model-package/${group}/`;
  const reads = modelReads(owner);
  const archive = t.scriptMode?.sourceArchive;
  const sourceArchive = archive?.kind === 'asset' ? { asset: archive.asset, store: owner.assets } : undefined;
  const trains = p.owner === env;
  const serves = p.serve.includes(env);
  const pipeline = environmentName(base.name, env);

  if (trains) {
    const servers = [...p.serve]
      .filter((e) => e !== env && environmentAccount(base, e) !== ownerAccount)
      .sort();
    const consumers: ResolvedServingAccount[] = [...new Set(servers.map((e) => environmentAccount(base, e)))]
      .sort()
      .map((account) => ({
        account,
        environments: servers.filter((e) => environmentAccount(base, e) === account),
        eventBusArn: `arn:${partition}:events:${base.region}:${account}:event-bus/default`,
        ruleName: `${owner.name}-promote-${account}`,
      }));
    return {
      environment: env,
      owner: p.owner,
      trains,
      serves,
      ...(consumers.length > 0
        ? {
            shares: {
              packageGroup: group,
              packageGroupArn: groupArn,
              packageArnPrefix,
              consumers,
              accounts: consumers.map((c) => c.account),
              reads,
              ...(sourceArchive ? { sourceArchive } : {}),
              forwardRoleComponent: 'promotion-forward',
            },
          }
        : {}),
    };
  }
  if (!serves) return { environment: env, owner: p.owner, trains, serves };
  const image = t.registration.image;
  const manual = (p.approval ?? DEFAULTS.approval) === 'manual';
  return {
    environment: env,
    owner: p.owner,
    trains,
    serves,
    source: {
      ownerEnvironment: p.owner,
      ownerAccount,
      ownerPipeline: owner.name,
      crossAccount: environmentAccount(base, env) !== ownerAccount,
      packageGroup: group,
      packageGroupArn: groupArn,
      packageArnPrefix,
      reads,
      ...(sourceArchive ? { sourceArchive } : {}),
      key: owner.security.kms.existingKeyArn
        ? { arn: owner.security.kms.existingKeyArn }
        : { alias: owner.security.kms.alias },
      ...(image.kind === 'uri'
        ? {
            imageRepositoryArn: `arn:${partition}:ecr:${image.region}:${image.account}:repository/${image.repository}`,
          }
        : {}),
      busStatementId: `${pipeline}-from-${p.owner}`,
      ...(manual
        ? {
            gate: {
              stateMachineName: `${pipeline}-promotion`,
              topicName: `${pipeline}-promotion-approval`,
              roleComponent: 'promotion-gate',
              logGroupName: `/aws/vendedlogs/states/${pipeline}-promotion`,
              timeoutSeconds: (p.approvalTimeoutHours ?? DEFAULTS.approvalTimeoutHours) * 3600,
            },
          }
        : {}),
    },
  };
}
