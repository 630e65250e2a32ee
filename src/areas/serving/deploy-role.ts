/**
 * The serving deploy role as data: its statements from the resolved spec, and how many
 * managed policies they take. Pure (no cdktf): the construct (src/constructs/serving/deploy.ts)
 * writes the role from {@link deployRoleStatements} and {@link deployRoleEndpoints}, and
 * advice predicts its attachments with {@link deployRoleSize} from the same functions, so the
 * prediction and the synthesized role cannot disagree (test/deploy-role-size.test.ts).
 */
import { partitionOf } from '../../compiler/arn';
import { stateMachineTelemetryStatements, type PolicyStatement } from '../security/policy';
import type { ResolvedSpec } from '../../model/resolved';
import type { ResolvedEndpoint, ResolvedServingDeploy } from '../../model/serving';
import {
  policyChars,
  ROLE_POLICY_CHARS,
  roleArnOf,
  roleName,
  rolePolicyLayout,
  type RolePolicyLayout,
} from '../security/policy-size';

/** One registry endpoint as the deploy role sees it. */
export interface DeployRoleEndpoint {
  /** The SageMaker endpoint name. */
  readonly endpointName: string;
  /** The prefix of its endpoint configurations. */
  readonly configPrefix: string;
  /** Its ledger parameter. */
  readonly ledger: string;
  /** Whether the deploy registers autoscaling for it (a variant with scaling bounds). */
  readonly scales: boolean;
  /** The endpoint's execution role, which its models run as (passed to SageMaker); a reference. */
  readonly executionRoleArn: string;
  /** The same ARN as text (`PipelineRole.literalArn`), for the compact encoding. */
  readonly executionRoleLiteralArn: string;
  /** Its auto-rollback alarms (SageMaker reads them for the deploy's caller). */
  readonly alarmNames: readonly string[];
}

/** Where the deploy role's ARNs point: the pipeline's partition, region, account and key. */
export interface DeployRoleScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** The pipeline key's ARN (a reference when the configuration creates the key). */
  readonly keyArn: string;
}

/** An endpoint's execution role as the deploy role names it: a reference and its ARN text. */
export interface ExecutionRoleArns {
  readonly arn: string;
  readonly literalArn: string;
}

/**
 * The registry endpoints of `endpoints` as the deploy role sees them, in spec order;
 * `executionRole` gives each one's role ARNs (the construct's role, or a prediction's).
 */
export function deployRoleEndpoints(
  endpoints: readonly ResolvedEndpoint[],
  executionRole: (endpoint: ResolvedEndpoint) => ExecutionRoleArns,
): DeployRoleEndpoint[] {
  return endpoints.flatMap((e) => {
    if (e.registry === undefined) return [];
    const alarms = e.deployment.autoRollback?.alarmNames;
    const role = executionRole(e);
    return [
      {
        endpointName: e.endpointName,
        configPrefix: e.configNamePrefix,
        ledger: e.registry.ledgerName,
        // The deploy's scaling requests (deploy-requests.ts): one per variant with bounds.
        scales: e.autoscaling !== undefined && e.variants.some((v) => v.scaling !== undefined),
        executionRoleArn: role.arn,
        executionRoleLiteralArn: role.literalArn,
        alarmNames: alarms ? [alarms.clientErrors, alarms.modelLatency, alarms.serverErrors] : [],
      },
    ];
  });
}

/**
 * The deploy role: exactly what the state machine calls, on exactly its endpoints' names.
 * Models and configurations of an endpoint are named `<endpoint>-...` and `<prefix>...`;
 * the role passes only the endpoints' execution roles, to SageMaker only; it reads and
 * writes only the ledger parameters. Application Auto Scaling has no name-based resource
 * (scalable targets have generated ARNs), so its calls are limited by condition keys to
 * SageMaker variants' instance counts.
 */
export function deployRoleStatements(
  d: ResolvedServingDeploy,
  targets: readonly DeployRoleEndpoint[],
  sec: DeployRoleScope,
): PolicyStatement[] {
  const exact = roleStatements(d, targets, sec, false);
  return policyChars(exact) <= ROLE_POLICY_CHARS ? exact : roleStatements(d, targets, sec, true);
}

/**
 * The deploy role's statements. `compact` (when they do not fit IAM's inline limit; the role
 * factory then spreads them over managed policies) writes the same grants in fewer
 * characters, about 320 per endpoint instead of 700, so 200 endpoints fit the inline policy
 * and the default 10 managed policies: configurations listed once (the endpoint actions join
 * their statement), execution roles by their ARN text instead of a reference (counted at 128),
 * each endpoint's alarms by `alarm:<endpoint>-*` (read only), and the ledgers by the
 * pipeline's own path `/pipeform/<pipeline>/serving/*` (a `/` ends the pipeline name, so no
 * other pipeline's parameter matches).
 */
function roleStatements(
  d: ResolvedServingDeploy,
  targets: readonly DeployRoleEndpoint[],
  sec: DeployRoleScope,
  compact: boolean,
): PolicyStatement[] {
  const arn = (service: string, resource: string) =>
    `arn:${sec.partition}:${service}:${sec.region}:${sec.account}:${resource}`;
  const endpoints = targets.map((t) => arn('sagemaker', `endpoint/${t.endpointName}`));
  const configs = targets.map((t) => arn('sagemaker', `endpoint-config/${t.configPrefix}*`));
  const models = targets.map((t) => arn('sagemaker', `model/${t.endpointName}-*`));
  const alarms = targets.flatMap((t) =>
    compact && t.alarmNames.length > 0 && t.alarmNames.every((a) => a.startsWith(`${t.endpointName}-`))
      ? [arn('cloudwatch', `alarm:${t.endpointName}-*`)]
      : t.alarmNames.map((a) => arn('cloudwatch', `alarm:${a}`)),
  );
  const endpointActions = [
    'sagemaker:AddTags',
    'sagemaker:CreateEndpoint',
    'sagemaker:DescribeEndpoint',
    'sagemaker:UpdateEndpoint',
  ];
  const configActions = [
    'sagemaker:AddTags',
    'sagemaker:CreateEndpointConfig',
    'sagemaker:DeleteEndpointConfig',
    'sagemaker:DescribeEndpointConfig',
  ];
  const scaling = {
    StringEquals: {
      'application-autoscaling:service-namespace': 'sagemaker',
      'application-autoscaling:scalable-dimension': 'sagemaker:variant:DesiredInstanceCount',
    },
  };
  const statements: PolicyStatement[] = [
    {
      // ListModelPackages takes no resource; it lists names and states only.
      Sid: 'FindLatestApprovedVersion',
      Effect: 'Allow',
      Action: 'sagemaker:ListModelPackages',
      Resource: '*',
    },
    {
      Sid: 'ReadPackages',
      Effect: 'Allow',
      Action: 'sagemaker:DescribeModelPackage',
      Resource: `${d.packageArnPrefix}*`,
    },
    {
      Sid: 'ManageEndpointModels',
      Effect: 'Allow',
      Action: [
        'sagemaker:AddTags',
        'sagemaker:CreateModel',
        'sagemaker:DeleteModel',
        'sagemaker:DescribeModel',
      ],
      Resource: models,
    },
    {
      Sid: 'ManageEndpointConfigs',
      Effect: 'Allow',
      // CreateEndpoint and UpdateEndpoint authorize on the configuration too.
      Action: compact ? [...new Set([...configActions, ...endpointActions])].sort() : configActions,
      Resource: configs,
    },
    {
      Sid: 'DeployEndpoints',
      Effect: 'Allow',
      Action: endpointActions,
      Resource: compact ? endpoints : [...endpoints, ...configs],
    },
    {
      Sid: 'PassEndpointExecutionRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: [...new Set(targets.map((t) => (compact ? t.executionRoleLiteralArn : t.executionRoleArn)))],
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    },
    {
      // Endpoint configurations encrypt volumes and captured data with the key through grants.
      Sid: 'GrantKeyToEndpoints',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: sec.keyArn,
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    },
    {
      // The state machine's own data (execution history) is encrypted with the key.
      Sid: 'UseThePipelineKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
      Resource: sec.keyArn,
    },
    {
      Sid: 'ReadWriteLedgers',
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:PutParameter'],
      Resource: compact
        ? arn('ssm', `parameter${d.ledgerPath}/*`)
        : targets.map((t) => arn('ssm', `parameter${t.ledger}`)),
    },
  ];
  if (alarms.length > 0) {
    statements.push({
      // CreateEndpoint and UpdateEndpoint check the auto-rollback alarms as the caller.
      Sid: 'ReadRollbackAlarms',
      Effect: 'Allow',
      Action: 'cloudwatch:DescribeAlarms',
      Resource: alarms,
    });
  }
  if (targets.some((t) => t.scales)) {
    statements.push(
      {
        Sid: 'ScaleVariants',
        Effect: 'Allow',
        Action: [
          'application-autoscaling:DescribeScalableTargets',
          'application-autoscaling:PutScalingPolicy',
          'application-autoscaling:PutScheduledAction',
          'application-autoscaling:RegisterScalableTarget',
          'application-autoscaling:TagResource',
        ],
        Resource: '*',
        Condition: scaling,
      },
      {
        // The first registration creates Application Auto Scaling's role for SageMaker variants.
        Sid: 'CreateScalingServiceRole',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: `arn:${sec.partition}:iam::${sec.account}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
        Condition: {
          StringEquals: { 'iam:AWSServiceName': 'sagemaker.application-autoscaling.amazonaws.com' },
        },
      },
    );
  }
  return [...statements, ...stateMachineTelemetryStatements()];
}

/** The serving deploy role of a resolved spec and the layout of its permissions. */
export interface DeployRoleSize extends RolePolicyLayout {
  /** The IAM role name (`<pipeline>-<component>`). */
  readonly role: string;
  /** How many registry endpoints the role deploys. */
  readonly endpoints: number;
}

/** Which configuration {@link deployRoleSize} predicts for. */
export interface DeployRoleSizeOptions {
  /**
   * A module (`pipeform module`, the shared module of a spec with environments): the key is
   * the module's `kms_key_arn` input, a reference even when the spec names an existing key.
   * @default false (the root configuration `pipeform synth` writes)
   */
  readonly module?: boolean;
}

/**
 * The serving deploy role the configuration of `resolved` creates: its statements and how the
 * role factory lays them out, so its managed-policy attachments are known before synthesis.
 * Undefined when the spec has no serving deploy. Exact: each reference (the endpoints'
 * execution roles, the key when created or a module input) counts 128 characters whatever its
 * text (`RESOLVED_REFERENCE_CHARS`), as at build, and the rest are the literals the build
 * uses (a module rewrites account, region and partition to its caller's only after the build
 * has laid the role out).
 */
export function deployRoleSize(
  resolved: ResolvedSpec,
  options: DeployRoleSizeOptions = {},
): DeployRoleSize | undefined {
  const d = resolved.serving?.deploy;
  if (d === undefined || resolved.serving === undefined) return undefined;
  const partition = partitionOf(resolved.region);
  const { rolePath } = resolved.security.iam;
  const targets = deployRoleEndpoints(resolved.serving.endpoints, (e) => ({
    // Any reference measures the same (policyChars), so the text only has to be one per role.
    arn: `\${aws_iam_role.serving_${e.name}.arn}`,
    literalArn: roleArnOf(partition, resolved.account, rolePath, roleName(resolved.name, e.roleComponent)),
  }));
  const statements = deployRoleStatements(d, targets, {
    partition,
    region: resolved.region,
    account: resolved.account,
    keyArn: (!options.module && resolved.security.kms.existingKeyArn) || '${var.kms_key_arn}',
  });
  return {
    role: roleName(resolved.name, d.roleComponent),
    endpoints: targets.length,
    ...rolePolicyLayout(statements),
  };
}
