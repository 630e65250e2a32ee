import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { Construct } from 'constructs';
import type { SecurityContext } from '../security-context';
import { modelApprovedPattern } from '../serving/approval';
import { eventsRoleStatements } from './policies';

export { modelApprovedPattern };

/** Props of {@link ModelApprovedTrigger}. */
export interface ModelApprovedTriggerProps {
  readonly ruleName: string;
  readonly roleComponent: string;
  readonly modelPackageGroupName: string;
  readonly pipelineName: string;
  readonly pipelineArn: string;
  readonly security: SecurityContext;
}

/**
 * Model approval -> deployment: an EventBridge rule on a package of the group turning
 * Approved starts the release pipeline, through a role that may start that pipeline only.
 */
export class ModelApprovedTrigger extends Construct {
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: ModelApprovedTriggerProps) {
    super(scope, id);
    const sec = props.security;
    const role = sec.roles.create(this, 'Role', props.roleComponent, {
      services: ['events.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: starts ${props.pipelineName} when a model in ${props.modelPackageGroupName} is approved`,
      statements: eventsRoleStatements(props.pipelineArn),
    });
    this.rule = new CloudwatchEventRule(this, 'Rule', {
      name: props.ruleName,
      description: `Starts ${props.pipelineName} when a version of ${props.modelPackageGroupName} is approved`,
      eventPattern: JSON.stringify(modelApprovedPattern(props.modelPackageGroupName)),
      state: 'ENABLED',
    });
    new CloudwatchEventTarget(this, 'Target', {
      rule: this.rule.name,
      targetId: 'release-pipeline',
      arn: props.pipelineArn,
      roleArn: role.arn,
    });
  }
}
