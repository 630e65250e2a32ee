import type { ResolvedAsset, ResolvedAssetStore } from './assets';

/** Objects a registered model is made of, which a serving account's models read. */
export interface ResolvedObjectRead {
  /** Spec name of the owner's data-lake bucket; undefined for a bucket pipeform does not create (its policy is yours). */
  readonly bucket?: string;
  readonly bucketName: string;
  /** A key prefix ending in `/` (everything under it) or one object's key. */
  readonly key: string;
  readonly match: 'prefix' | 'exact';
}

/** The owner's framework source archive (script mode): its key is computed from the same bytes the owner uploads. */
export interface ResolvedSharedAsset {
  readonly asset: ResolvedAsset;
  readonly store: ResolvedAssetStore;
}

/**
 * One account, other than the owner's, with serving environments: what the owner grants it
 * and where its approval events go. Events are forwarded once per account (every serving
 * environment's rule there sees them on the account's default bus).
 */
export interface ResolvedServingAccount {
  readonly account: string;
  /** Its serving environments, sorted. */
  readonly environments: readonly string[];
  /** `arn:<partition>:events:<region>:<account>:event-bus/default`. */
  readonly eventBusArn: string;
  /** The owner's EventBridge rule forwarding approvals to it, `<owner pipeline>-promote-<account>`. */
  readonly ruleName: string;
}

/**
 * What the owner shares: read access to the group and its packages, to the objects a
 * registered model is made of, and decryption of them through S3, for the serving accounts.
 */
export interface ResolvedRegistryShares {
  /** `<owner pipeline>-models`. */
  readonly packageGroup: string;
  readonly packageGroupArn: string;
  /** `arn:...:model-package/<group>/`. */
  readonly packageArnPrefix: string;
  /** Accounts with serving environments, other than the owner's, sorted by account. */
  readonly consumers: readonly ResolvedServingAccount[];
  /** Their accounts, sorted and unique: the principals of every grant. */
  readonly accounts: readonly string[];
  /** What a registered model reads: the training artifacts, and a source archive read where it is. */
  readonly reads: readonly ResolvedObjectRead[];
  /** The framework source archive the owner's apply uploads (script mode). */
  readonly sourceArchive?: ResolvedSharedAsset;
  /** Role factory component of the forwarding rules' role, `promotion-forward`. */
  readonly forwardRoleComponent: string;
}

/** The manual approval gate of a serving environment. */
export interface ResolvedPromotionGate {
  /** `<pipeline>-promotion`: waits for the approval, then starts the serving deploy. */
  readonly stateMachineName: string;
  /** `<pipeline>-promotion-approval`: approvers subscribe here. */
  readonly topicName: string;
  readonly roleComponent: string;
  readonly logGroupName: string;
  /** How long the task token waits for an answer. */
  readonly timeoutSeconds: number;
}

/** Where a serving environment's registry models come from. */
export interface ResolvedPromotedSource {
  readonly ownerEnvironment: string;
  readonly ownerAccount: string;
  readonly ownerPipeline: string;
  /** True when the owner is another account: grants, forwarding and the bus permission exist only then. */
  readonly crossAccount: boolean;
  readonly packageGroup: string;
  readonly packageGroupArn: string;
  readonly packageArnPrefix: string;
  /** What the owner's packages read (see {@link ResolvedRegistryShares}). */
  readonly reads: readonly ResolvedObjectRead[];
  readonly sourceArchive?: ResolvedSharedAsset;
  /** The owner's key: its ARN when the owner brings one, else its alias (the key ARN is not known before the owner's apply). */
  readonly key: { readonly arn: string } | { readonly alias: string };
  /** Repository of a custom inference image the owner registers (AWS-owned images need no grant). */
  readonly imageRepositoryArn?: string;
  /** `aws_cloudwatch_event_permission` statement id admitting the owner's forwarded events. */
  readonly busStatementId: string;
  /** Present with `approval: manual`. */
  readonly gate?: ResolvedPromotionGate;
}

/** This environment's part in a promotion (`promotion` in the spec). */
export interface ResolvedPromotion {
  readonly environment: string;
  readonly owner: string;
  /** Whether this environment trains (it is the owner). */
  readonly trains: boolean;
  /** Whether this environment serves (it is listed in `serve`). */
  readonly serves: boolean;
  /** Set in the owner when a serving environment is in another account. */
  readonly shares?: ResolvedRegistryShares;
  /** Set in a serving environment other than the owner. */
  readonly source?: ResolvedPromotedSource;
}
