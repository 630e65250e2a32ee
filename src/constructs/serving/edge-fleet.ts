import { CloudformationStack } from '@cdktf/provider-aws/lib/cloudformation-stack';
import { IotPolicy } from '@cdktf/provider-aws/lib/iot-policy';
import { IotProvisioningTemplate } from '@cdktf/provider-aws/lib/iot-provisioning-template';
import { IotRoleAlias } from '@cdktf/provider-aws/lib/iot-role-alias';
import { IotThingGroup } from '@cdktf/provider-aws/lib/iot-thing-group';
import { IotTopicRule } from '@cdktf/provider-aws/lib/iot-topic-rule';
import { Construct } from 'constructs';
import type { ResolvedEdge, ResolvedEdgeModel } from '../../model/serving';
import { policyJson } from '../iam/policy';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import { EdgeRegistryDeploy } from './edge-registry';
import {
  edgeClaimPolicyStatements,
  edgeDevicePolicyStatements,
  edgeProvisioningStatements,
  edgeStackStatements,
  edgeTelemetryStatements,
  edgeTokenExchangeStatements,
  s3Arn,
} from './policies';

/** Props of {@link EdgeFleet}. */
export interface EdgeFleetProps {
  readonly edge: ResolvedEdge;
  /** Reference to the models bucket name, so the telemetry rule is created once the bucket exists. */
  readonly modelsBucket: string;
  readonly security: SecurityContext;
}

/** How long a running component has to acknowledge an update before the nucleus goes ahead. */
const COMPONENT_UPDATE_TIMEOUT_SECONDS = 60;

/**
 * The Greengrass recipe of one model: the artifact from the models bucket, a hard
 * dependency on the AWS-provided inference runtime, and the optional serving command.
 * Greengrass unpacks only ZIP archives (`Unarchive: ZIP | NONE`), so anything else is
 * handed over as it is. Exported for tests.
 */
export function edgeRecipe(m: ResolvedEdgeModel): object {
  return {
    RecipeFormatVersion: '2020-01-25',
    ComponentName: m.componentName,
    ComponentVersion: m.version,
    ComponentDescription: `pipeform edge model ${m.name}`,
    ComponentPublisher: 'pipeform',
    ComponentDependencies: {
      [m.runtimeComponent]: { VersionRequirement: m.runtimeVersion, DependencyType: 'HARD' },
    },
    Manifests: [
      {
        Platform: { os: 'linux' },
        ...(m.run !== undefined ? { Lifecycle: { Run: m.run } } : {}),
        Artifacts: [{ URI: m.artifactUri, Unarchive: m.artifactUri.endsWith('.zip') ? 'ZIP' : 'NONE' }],
      },
    ],
  };
}

/** CloudFormation logical id of a model's component: model names are `[a-z0-9-]`, so `-` -> `Z` is one-to-one. */
export const componentLogicalId = (model: string): string => `Model${model.replace(/-/g, 'Z')}`;

/**
 * The CloudFormation template of the fleet's component versions and their deployment to
 * the thing group (the provider has no Greengrass v2 resources). Property names from the
 * CloudFormation reference: `AWS::GreengrassV2::ComponentVersion` `InlineRecipe`;
 * `AWS::GreengrassV2::Deployment` `TargetArn`, `Components` (name -> `ComponentVersion`),
 * `DeploymentPolicies` (`FailureHandlingPolicy` ROLLBACK | DO_NOTHING, default ROLLBACK).
 */
export function edgeTemplate(edge: ResolvedEdge, thingGroupArn: string): object {
  const components = Object.fromEntries(
    edge.models.map((m) => [
      componentLogicalId(m.name),
      {
        Type: 'AWS::GreengrassV2::ComponentVersion',
        Properties: { InlineRecipe: JSON.stringify(edgeRecipe(m)) },
      },
    ]),
  );
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `pipeform: edge models of fleet ${edge.fleetName}`,
    Resources: {
      ...components,
      Deployment: {
        Type: 'AWS::GreengrassV2::Deployment',
        // The versions must exist before a deployment names them.
        DependsOn: Object.keys(components),
        Properties: {
          TargetArn: thingGroupArn,
          DeploymentName: edge.fleetName,
          Components: Object.fromEntries(
            edge.models.map((m) => [m.componentName, { ComponentVersion: m.version }]),
          ),
          DeploymentPolicies: {
            // A device that fails to apply the deployment goes back to what it ran.
            FailureHandlingPolicy: 'ROLLBACK',
            ComponentUpdatePolicy: {
              Action: 'NOTIFY_COMPONENTS',
              TimeoutInSeconds: COMPONENT_UPDATE_TIMEOUT_SECONDS,
            },
          },
        },
      },
    },
    Outputs: { DeploymentId: { Value: { Ref: 'Deployment' } } },
  };
}

/**
 * The fleet provisioning template: a device that presents the claim certificate becomes
 * the thing `<fleet>-<SerialNumber>` in the fleet's group (and, with registry models, in
 * the registry group `<fleet>-registry` too), with its new certificate active and the
 * device policy attached (the resources the Greengrass fleet provisioning plugin requires:
 * a thing, a policy, and a certificate from `AWS::IoT::Certificate::Id`).
 */
export function provisioningTemplateBody(edge: ResolvedEdge): object {
  return {
    Parameters: {
      SerialNumber: { Type: 'String' },
      'AWS::IoT::Certificate::Id': { Type: 'String' },
    },
    Resources: {
      thing: {
        Type: 'AWS::IoT::Thing',
        Properties: {
          ThingName: { 'Fn::Join': ['', [`${edge.fleetName}-`, { Ref: 'SerialNumber' }]] },
          ThingGroups: [edge.fleetName, ...(edge.registry ? [edge.registry.thingGroupName] : [])],
        },
        OverrideSettings: { ThingGroups: 'MERGE' },
      },
      certificate: {
        Type: 'AWS::IoT::Certificate',
        Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, Status: 'Active' },
      },
      policy: { Type: 'AWS::IoT::Policy', Properties: { PolicyName: edge.devicePolicyName } },
    },
  };
}

/**
 * Models at the edge on AWS IoT Greengrass v2: the fleet's thing group; the token exchange
 * role (read the edge models, write Greengrass logs) behind an IoT role alias; the device
 * IoT policy (a device acts only as itself); fleet provisioning by claim (template, claim
 * policy, provisioning role), so devices enroll without a person; a component version per
 * model and their deployment to the group (a CloudFormation stack); and the telemetry
 * topic rule into the models bucket, encrypted by the bucket's pipeline key.
 */
export class EdgeFleet extends Construct {
  readonly thingGroup: IotThingGroup;
  readonly roleAlias: IotRoleAlias;
  readonly devicePolicy: IotPolicy;
  readonly claimPolicy: IotPolicy;
  readonly provisioning: IotProvisioningTemplate;
  readonly stack?: CloudformationStack;
  readonly telemetry?: IotTopicRule;
  /** The approval -> Neo -> component -> deployment path of registry models. */
  readonly registry?: EdgeRegistryDeploy;

  constructor(scope: Construct, id: string, props: EdgeFleetProps) {
    super(scope, id);
    const { edge, security: sec } = props;
    const bucketArn = s3Arn(sec.partition, edge.bucketName);

    this.thingGroup = new IotThingGroup(this, 'ThingGroup', {
      name: edge.fleetName,
      properties: { description: edge.description },
    });

    const role = sec.roles.create(this, 'Role', `edge-${edge.name}`, {
      services: ['credentials.iot.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: Greengrass token exchange role of the edge devices of fleet ${edge.fleetName}`,
      statements: edgeTokenExchangeStatements(edge, bucketArn, sec),
      // The IoT credentials provider assumes the role for a device certificate without aws:SourceAccount.
      sourceAccountCondition: false,
    });
    this.roleAlias = new IotRoleAlias(this, 'RoleAlias', {
      alias: edge.roleAlias,
      roleArn: role.arn,
      credentialDuration: edge.credentialDurationSeconds,
    });

    this.devicePolicy = new IotPolicy(new Construct(this, 'device'), 'Resource', {
      name: edge.devicePolicyName,
      policy: policyJson(edgeDevicePolicyStatements(edge, this.roleAlias.arn, sec)),
    });
    this.claimPolicy = new IotPolicy(new Construct(this, 'claim'), 'Resource', {
      name: edge.claimPolicyName,
      policy: policyJson(edgeClaimPolicyStatements(edge, sec)),
    });
    if (edge.registry !== undefined) {
      // Before the provisioning template, which names its thing group.
      this.registry = new EdgeRegistryDeploy(this, 'registry', {
        edge,
        registry: edge.registry,
        bucketArn,
        security: sec,
      });
    }

    const provisioning = new Construct(this, 'provisioning');
    const provisioningRole = sec.roles.create(provisioning, 'Role', `edge-${edge.name}-provisioning`, {
      services: ['iot.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: AWS IoT registers the devices of fleet ${edge.fleetName}`,
      statements: edgeProvisioningStatements(edge, sec),
    });
    this.provisioning = new IotProvisioningTemplate(provisioning, 'Resource', {
      name: edge.templateName,
      description: `pipeform ${sec.pipeline}: devices of fleet ${edge.fleetName} enroll with the claim certificate`,
      provisioningRoleArn: provisioningRole.arn,
      type: 'FLEET_PROVISIONING',
      enabled: true,
      templateBody: JSON.stringify(provisioningTemplateBody(edge)),
      // The template names the groups and the device policy: they must exist first.
      dependsOn: [this.thingGroup, ...(this.registry ? [this.registry.thingGroup] : []), this.devicePolicy],
    });

    if (edge.stackName !== undefined) {
      const models = new Construct(this, 'models');
      const stackRole = sec.roles.create(models, 'Role', `edge-${edge.name}-stack`, {
        services: ['cloudformation.amazonaws.com'],
        description: `pipeform ${sec.pipeline}: CloudFormation creates the Greengrass components and deployment of fleet ${edge.fleetName}`,
        statements: edgeStackStatements(edge, bucketArn, sec),
        // The CloudFormation service role guide trusts cloudformation.amazonaws.com alone; only
        // principals allowed to iam:PassRole it can hand it to a stack.
        sourceAccountCondition: false,
      });
      this.stack = new CloudformationStack(this, 'Models', {
        name: edge.stackName,
        templateBody: JSON.stringify(edgeTemplate(edge, this.thingGroup.arn)),
        iamRoleArn: stackRole.arn,
        onFailure: 'DELETE',
        // CloudFormation acts with the role: its permissions must be in place first (and stay until the stack is gone).
        ...(stackRole.policyDependables.length > 0 ? { dependsOn: stackRole.policyDependables } : {}),
      });
    }

    if (edge.telemetryRuleName !== undefined) {
      const telemetry = new Construct(this, 'telemetry');
      const logGroup = encryptedLogGroup(
        telemetry,
        'Errors',
        `/pipeform/${sec.pipeline}/edge/${edge.name}/telemetry-errors`,
        sec,
      );
      const ruleRole = sec.roles.create(telemetry, 'Role', `edge-${edge.name}-telemetry`, {
        services: ['iot.amazonaws.com'],
        description: `pipeform ${sec.pipeline}: the telemetry rule of fleet ${edge.fleetName} writes device data to the lake`,
        statements: edgeTelemetryStatements(edge, bucketArn, logGroup.arn, sec),
      });
      this.telemetry = new IotTopicRule(telemetry, 'Resource', {
        name: edge.telemetryRuleName,
        description: `pipeform ${sec.pipeline}: telemetry of fleet ${edge.fleetName} to s3://${edge.bucketName}/${edge.telemetryPrefix}`,
        enabled: true,
        // topic(2) is the thing name: devices may publish only under their own name.
        sql: `SELECT *, topic(2) AS thing, timestamp() AS received FROM '${edge.fleetName}/+/telemetry'`,
        sqlVersion: '2016-03-23',
        s3: [
          {
            bucketName: props.modelsBucket,
            // Substitution templates, escaped so Terraform passes them to IoT verbatim.
            key: `${edge.telemetryPrefix}$\${topic(2)}/$\${timestamp()}-$\${newuuid()}.json`,
            roleArn: ruleRole.arn,
          },
        ],
        errorAction: { cloudwatchLogs: { logGroupName: logGroup.name, roleArn: ruleRole.arn } },
      });
    }
  }
}
