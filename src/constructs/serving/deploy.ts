import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Construct } from 'constructs';
import type { ResolvedServingDeploy } from '../../model/serving';
import { deployRoleStatements, type DeployRoleEndpoint } from '../../areas/serving/deploy-role';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import { modelApprovedPattern } from './approval';
import { servingDeployDefinition } from './deploy-definition';
import type { DeployTarget } from './deploy-requests';
import { modelVersionsInput, pinnableEndpoints, pinnedDefinition, VersionPins } from './version-pins';

/** One registry endpoint of the deploy: its requests (the definition) and its view in the role. */
export interface DeployRoleTarget {
  readonly target: DeployTarget;
  readonly role: DeployRoleEndpoint;
}

/** Props of {@link ServingDeploy}. */
export interface ServingDeployProps {
  readonly deploy: ResolvedServingDeploy;
  readonly targets: readonly DeployRoleTarget[];
  readonly security: SecurityContext;
  /** Emitted as a module: the `model_versions` input pins endpoints (version-pins.ts). */
  readonly module?: boolean;
}

/**
 * The serving deploy: the Step Functions state machine `<pipeline>-serving-deploy` (AWS SDK
 * integrations, JSONata) that brings registry endpoints up and moves them to new versions,
 * with a role limited to them, execution logs in an encrypted group, X-Ray, the pipeline
 * key; and the EventBridge rule that starts it when a version of the group is approved, for
 * the endpoints the CI/CD pipeline does not deploy behind its own approval.
 */
export class ServingDeploy extends Construct {
  readonly stateMachine: SfnStateMachine;
  readonly definition: Record<string, unknown>;
  readonly rule?: CloudwatchEventRule;
  /**
   * `<state machine>-failed` on ExecutionsFailed; when the spec has monitoring, monitoring
   * points its actions at the alerts topic and lists it on the dashboard (no actions otherwise).
   */
  readonly failedAlarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: ServingDeployProps) {
    super(scope, id);
    const { deploy: d, security: sec } = props;
    const logGroup = encryptedLogGroup(this, 'LogGroup', d.logGroupName, sec);
    const role = sec.roles.create(this, 'Role', d.roleComponent, {
      services: ['states.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: deploys approved versions of ${d.packageGroup} to the endpoints`,
      statements: deployRoleStatements(
        d,
        props.targets.map((t) => t.role),
        sec,
      ),
    });
    const targets = props.targets.map((t) => t.target);
    this.definition = servingDeployDefinition(d, targets, sec.partition);
    const pinInput =
      props.module && pinnableEndpoints(targets).length > 0
        ? modelVersionsInput(this, d, targets)
        : undefined;
    this.stateMachine = new SfnStateMachine(this, 'Resource', {
      name: d.stateMachineName,
      type: 'STANDARD',
      roleArn: role.arn,
      // As a module, the caller's pins are expressions inside the definition.
      definition: pinInput ? pinnedDefinition(this.definition, targets) : JSON.stringify(this.definition),
      loggingConfiguration: { logDestination: `${logGroup.arn}:*`, includeExecutionData: true, level: 'ALL' },
      tracingConfiguration: { enabled: true },
      encryptionConfiguration: {
        type: 'CUSTOMER_MANAGED_KMS_KEY',
        kmsKeyId: sec.keyArn,
        kmsDataKeyReusePeriodSeconds: 300,
      },
      dependsOn: role.policyDependables,
    });
    if (pinInput) {
      new VersionPins(this, 'pins', {
        deploy: d,
        stateMachine: this.stateMachine,
        variable: pinInput.variable,
        security: sec,
      });
    }

    // A failed deploy leaves the endpoint on its old version (or waiting): someone must know.
    this.failedAlarm = new CloudwatchMetricAlarm(this, 'failed', {
      alarmName: `${d.stateMachineName}-failed`,
      alarmDescription: `pipeform: an execution of ${d.stateMachineName} failed (the endpoints keep their previous version)`,
      namespace: 'AWS/States',
      metricName: 'ExecutionsFailed',
      dimensions: { StateMachineArn: this.stateMachine.arn },
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });

    const direct = d.endpoints.filter((e) => !d.cicdEndpoints.includes(e));
    // A promoted environment's manual gate starts the deploy instead (serving/promotion.ts).
    if (direct.length > 0 && !d.promotion?.gated) {
      const approvals = new Construct(this, 'approved');
      const eventsRole = sec.roles.create(approvals, 'Role', d.eventsRoleComponent, {
        services: ['events.amazonaws.com'],
        description: `pipeform ${sec.pipeline}: starts ${d.stateMachineName} when a version of ${d.packageGroup} is approved`,
        statements: [
          {
            Sid: 'StartTheServingDeploy',
            Effect: 'Allow',
            Action: 'states:StartExecution',
            Resource: this.stateMachine.arn,
          },
        ],
      });
      this.rule = new CloudwatchEventRule(approvals, 'Rule', {
        name: d.ruleName,
        description: `Deploys ${direct.join(', ')} when a version of ${d.packageGroup} is approved`,
        eventPattern: JSON.stringify(modelApprovedPattern(d.packageGroup, d.promotion?.ownerAccount)),
        state: 'ENABLED',
      });
      new CloudwatchEventTarget(approvals, 'Target', {
        rule: this.rule.name,
        targetId: 'serving-deploy',
        arn: this.stateMachine.arn,
        roleArn: eventsRole.arn,
        // The endpoints the CI/CD pipeline deploys wait for its manual approval instead.
        input: JSON.stringify({ endpoints: direct }),
      });
    }
  }
}
