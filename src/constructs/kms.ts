import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import type { ResolvedKms } from '../model/resolved';
import { policyJson, type PolicyStatement } from './iam/policy';
import type { ModuleInputs } from './module-inputs';
import type { StackOutput } from './outputs';

/** Props of {@link PipelineKey}. */
export interface PipelineKeyProps {
  readonly kms: ResolvedKms;
  readonly pipeline: string;
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  readonly description: string;
  /** Set when the pipeline is emitted as a module: the key becomes swappable. */
  readonly moduleInputs?: ModuleInputs;
  /** The pipeline has a Step Functions workflow whose execution logs are encrypted with the key. */
  readonly stateMachineLogDelivery?: boolean;
  /** CloudWatch alarms and EventBridge rules publish to the key-encrypted alerts topic (monitoring). */
  readonly alertPublishers?: boolean;
  /** Promotion owner: the key policy statement letting the serving accounts decrypt model objects through S3. */
  readonly servingAccountsStatement?: PolicyStatement;
}

/** Actions a key administrator needs, and nothing that uses the key for data (also the admins input of an environment module). */
export const ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:Create*',
  'kms:Delete*',
  'kms:Describe*',
  'kms:Disable*',
  'kms:Enable*',
  'kms:Get*',
  'kms:List*',
  'kms:Put*',
  'kms:Revoke*',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:Update*',
];

/** The key policy: account root (IAM delegation), named admins, and service principals scoped to this account. */
export function keyPolicyStatements(p: PipelineKeyProps): PolicyStatement[] {
  const root = `arn:${p.partition}:iam::${p.account}:root`;
  const statements: PolicyStatement[] = [
    {
      // Without the account root the key becomes unmanageable; IAM policies then decide who uses it.
      Sid: 'AccountRootManagesKey',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: 'kms:*',
      Resource: '*',
    },
  ];
  if (p.kms.admins.length > 0) {
    statements.push({
      Sid: 'KeyAdministrators',
      Effect: 'Allow',
      Principal: { AWS: [...p.kms.admins] },
      Action: ADMIN_ACTIONS,
      Resource: '*',
    });
  }
  statements.push(
    {
      Sid: 'CloudWatchLogsEncryptsPipelineLogGroups',
      Effect: 'Allow',
      Principal: { Service: `logs.${p.region}.amazonaws.com` },
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Resource: '*',
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': `arn:${p.partition}:logs:${p.region}:${p.account}:log-group:*`,
        },
      },
    },
    {
      // S3 server access log delivery writes into the SSE-KMS logs bucket with this key.
      Sid: 'S3LogDeliveryEncryptsAccessLogs',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: ['kms:Encrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': p.account } },
    },
  );
  if (p.stateMachineLogDelivery) {
    // A state machine encrypted with this key logs execution data; log delivery must read it.
    statements.push({
      Sid: 'LogDeliveryReadsStateMachineData',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': p.account } },
    });
  }
  if (p.alertPublishers) {
    // Publishing to an encrypted topic needs a data key: alarms and rules of this account only.
    statements.push({
      Sid: 'AlarmsAndEventsPublishToEncryptedTopics',
      Effect: 'Allow',
      Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': p.account } },
    });
  }
  if (p.servingAccountsStatement) statements.push(p.servingAccountsStatement);
  return statements;
}

/**
 * The pipeline's customer-managed KMS key, with rotation, a deletion window and a key
 * policy without wildcard principals; or a reference to an existing key.
 */
export class PipelineKey extends Construct {
  /** ARN of the key every component encrypts with. */
  readonly keyArn: string;
  /** The created key; undefined when the spec brings its own. */
  readonly key?: KmsKey;

  constructor(scope: Construct, id: string, props: PipelineKeyProps) {
    super(scope, id);
    const inputs = props.moduleInputs;
    if (props.kms.existingKeyArn !== undefined) {
      // In a module the caller may swap the key; its default is the spec's.
      this.keyArn = inputs ? inputs.kmsKeyArn.stringValue : props.kms.existingKeyArn;
      return;
    }
    this.key = new KmsKey(this, 'Resource', {
      description: `pipeform ${props.pipeline}: ${props.description}`.slice(0, 8192),
      enableKeyRotation: true,
      rotationPeriodInDays: props.kms.rotationPeriodDays,
      deletionWindowInDays: props.kms.deletionWindowDays,
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      policy: policyJson(keyPolicyStatements(props)),
    });
    const alias = new KmsAlias(this, 'Alias', { name: props.kms.alias, targetKeyId: this.key.keyId });
    if (!inputs) {
      this.keyArn = this.key.arn;
      return;
    }
    // Module: the key exists only when the caller brings none (count 0 or 1), and every
    // component uses whichever key is in force through one local.
    const address = `${this.key.terraformResourceType}.${this.key.friendlyUniqueId}`;
    const created = '${var.kms_key_arn == null ? 1 : 0}';
    this.key.addOverride('count', created);
    alias.addOverride('count', created);
    alias.addOverride('target_key_id', `\${${address}[0].key_id}`);
    inputs.keyArnLocal.expression = `\${coalesce(var.kms_key_arn, one(${address}[*].arn))}`;
    this.keyArn = inputs.keyArnLocal.asString;
  }

  /** The key's output: the ARN to encrypt with. */
  outputs(): StackOutput[] {
    return [
      {
        name: 'kms_key_arn',
        description: 'ARN of the KMS key that encrypts the pipeline.',
        value: this.keyArn,
      },
    ];
  }
}
