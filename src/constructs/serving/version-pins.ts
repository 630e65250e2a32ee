import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import type { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { TerraformIterator, TerraformLocal, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedServingDeploy } from '../../model/serving';
import type { SecurityContext } from '../security-context';
import type { DeployTarget } from './deploy-requests';

/** The module input pinning what registry endpoints serve. */
export const MODEL_VERSIONS_VARIABLE = 'model_versions';

/** The local holding each pin as a version number (ARNs reduced to their version). */
export const MODEL_VERSION_PINS_LOCAL = 'model_version_pins';

/** A placeholder for an endpoint's pin inside the deploy definition, before it is an expression. */
const pinMarker = (endpoint: string) => `@pipeform-pin:${endpoint}@`;

/**
 * The definition's targets with the caller's pin in every variant that follows the registry
 * (`latest-approved` in the spec): a variant the spec pins keeps the spec's pin. The result
 * is a JSON text for the state machine in which each pin is the Terraform expression
 * `jsonencode(lookup(local.model_version_pins, "<endpoint>", null))`: `null` (follow the
 * registry, as without the input) or the pinned number.
 */
export function pinnedDefinition(
  definition: Record<string, unknown>,
  targets: readonly DeployTarget[],
): string {
  const pinnable = new Set(pinnableEndpoints(targets));
  const states = definition.States as Record<string, { Assign?: Record<string, unknown> }>;
  const init = states.Init.Assign as { targets: DeployTarget[] };
  const withMarkers = {
    ...definition,
    States: {
      ...states,
      Init: {
        ...states.Init,
        Assign: {
          ...init,
          targets: init.targets.map((t) =>
            pinnable.has(t.endpoint)
              ? {
                  ...t,
                  variants: t.variants.map((v) =>
                    v.registry && v.pinned === null ? { ...v, pinned: pinMarker(t.endpoint) } : v,
                  ),
                }
              : t,
          ),
        },
      },
    },
  };
  let text = JSON.stringify(withMarkers);
  for (const e of pinnable) {
    text = text
      .split(JSON.stringify(pinMarker(e)))
      .join(`\${jsonencode(lookup(local.${MODEL_VERSION_PINS_LOCAL}, ${JSON.stringify(e)}, null))}`);
  }
  return text;
}

/** Endpoints (spec names) with a variant that follows the registry: the ones a caller can pin. */
export function pinnableEndpoints(targets: readonly DeployTarget[]): string[] {
  return targets
    .filter((t) => t.variants.some((v) => v.registry && v.pinned === null))
    .map((t) => t.endpoint);
}

/**
 * The `model_versions` input: registry endpoint (spec name) => the version it serves, as a
 * number or the model package's ARN. An endpoint left out follows the registry (every
 * approval deploys the latest approved version), as without the input.
 */
export function modelVersionsInput(
  scope: Construct,
  d: ResolvedServingDeploy,
  targets: readonly DeployTarget[],
): { variable: TerraformVariable; pins: TerraformLocal } {
  const pinnable = pinnableEndpoints(targets);
  const [min, max] = d.versionRange;
  const description = `Pins registry endpoints to a model package version (endpoint => version number or model package ARN), so a caller promotes by changing this input: ${pinnable.join(', ')}. An endpoint left out follows the registry (each approval deploys the latest approved version). A pin waits until that version exists and is approved.`;
  const variable = new TerraformVariable(scope, MODEL_VERSIONS_VARIABLE, {
    type: 'map(string)',
    description,
    default: {},
    nullable: false,
  });
  variable.overrideLogicalId(MODEL_VERSIONS_VARIABLE);
  const v = `var.${MODEL_VERSIONS_VARIABLE}`;
  variable.addValidation({
    condition: `\${alltrue([for e in keys(${v}) : contains(${JSON.stringify(pinnable)}, e)])}`,
    errorMessage: `model_versions pins endpoints that follow the registry, by spec name: ${pinnable.join(', ')}. An endpoint whose variants the spec pins itself (training.registry version) takes no pin here.`,
  });
  variable.addValidation({
    // The version: all digits, or what ends a model package ARN (`.../<group>/<version>`).
    condition: `\${alltrue([for p in values(${v}) : can(regex("^([0-9]+|arn:[a-z-]+:sagemaker:[a-z0-9-]+:[0-9]{12}:model-package/[A-Za-z0-9-]+/[0-9]+)$", p)) && try(tonumber(regex("[0-9]+$", p)) >= ${min} && tonumber(regex("[0-9]+$", p)) <= ${max}, false)])}`,
    errorMessage: `Each model_versions value is a version number from ${min} to ${max} or a model package ARN (arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>).`,
  });
  const pins = new TerraformLocal(
    scope,
    'ModelVersionPins',
    `\${{ for e, p in ${v} : e => tonumber(regex("[0-9]+$", p)) }}`,
  );
  pins.overrideLogicalId(MODEL_VERSION_PINS_LOCAL);
  return { variable, pins };
}

/** Props of {@link VersionPins}. */
export interface VersionPinsProps {
  readonly deploy: ResolvedServingDeploy;
  readonly stateMachine: SfnStateMachine;
  readonly variable: TerraformVariable;
  readonly security: SecurityContext;
}

/**
 * What moves an endpoint when its pin moves: per pinned endpoint an SSM parameter
 * `/pipeform/<pipeline>/serving-pins/<endpoint>` holding the pin, written after the state machine (whose
 * definition holds the pins) is updated, and an EventBridge rule on that parameter's
 * `Parameter Store Change` (Create, Update) that starts the serving deploy for that endpoint
 * alone. Removing a pin starts nothing: the endpoint keeps what it serves until the next
 * approval deploys the latest approved version. The pinned package's ARN must be of the
 * group the deploy reads (a precondition on the parameter).
 */
export class VersionPins extends Construct {
  constructor(scope: Construct, id: string, props: VersionPinsProps) {
    super(scope, id);
    const { deploy: d, security: sec } = props;
    const pins = TerraformIterator.fromMap(props.variable.value as unknown as Record<string, string>);
    const role = sec.roles.create(this, 'Role', d.pinsRoleComponent, {
      services: ['events.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: starts ${d.stateMachineName} when a model_versions pin changes`,
      statements: [
        {
          Sid: 'StartTheServingDeploy',
          Effect: 'Allow',
          Action: 'states:StartExecution',
          Resource: props.stateMachine.arn,
        },
      ],
    });
    const parameterName = `${d.pinsPath}/\${each.key}`;
    const rule = new CloudwatchEventRule(this, 'Rule', {
      forEach: pins,
      name: `${d.pinsRulePrefix}\${each.key}`,
      description: `Deploys the endpoint \${each.key} when its model_versions pin changes`,
      // Parameter Store sends its own events to EventBridge: source aws.ssm, detail-type
      // "Parameter Store Change", detail.operation Create, Update, Delete or
      // LabelParameterVersion (AWS Systems Manager User Guide, "Amazon EventBridge event
      // examples for Systems Manager", Parameter Store events); no CloudTrail trail needed.
      eventPattern: `\${jsonencode({ source = ["aws.ssm"], "detail-type" = ["Parameter Store Change"], detail = { name = ["${parameterName}"], operation = ["Create", "Update"] } })}`,
      state: 'ENABLED',
    });
    rule.addOverride('lifecycle.precondition', [
      {
        condition: `\${length("${d.pinsRulePrefix}\${each.key}") <= 64}`,
        error_message: `The rule name ${d.pinsRulePrefix}\${each.key} is longer than EventBridge's 64 characters: pass a shorter name_prefix.`,
      },
    ]);
    const rules = TerraformIterator.fromResources(rule);
    const target = new CloudwatchEventTarget(this, 'Target', {
      forEach: rules,
      rule: rules.getString('name'),
      targetId: 'serving-deploy',
      arn: props.stateMachine.arn,
      roleArn: role.arn,
      input: `\${jsonencode({ endpoints = [each.key] })}`,
    });
    const parameter = new SsmParameter(this, 'Parameter', {
      forEach: pins,
      name: parameterName,
      type: 'String',
      value: `\${local.${MODEL_VERSION_PINS_LOCAL}[each.key]}`,
      description: `The model_versions pin of \${each.key} (the serving deploy reads it from its definition; this parameter starts it)`,
      dependsOn: [props.stateMachine, target],
    });
    // A local, not a literal in the precondition: the module's bindings rewrite the spec's
    // account in locals (module-bindings.ts) and leave lifecycle blocks as written.
    const group = new TerraformLocal(this, 'PackageArnPrefix', d.packageArnPrefix);
    group.overrideLogicalId('model_package_arn_prefix');
    parameter.addOverride('lifecycle.precondition', [
      {
        condition: `\${can(regex("^[0-9]+$", each.value)) || startswith(each.value, local.model_package_arn_prefix)}`,
        error_message: `model_versions["\${each.key}"] is \${each.value}, a package outside \${local.model_package_arn_prefix}, the group this module's serving deploy reads. Pass a version of that group (its number or its ARN).`,
      },
    ]);
  }
}
