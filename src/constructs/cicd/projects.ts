import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { DEFAULT_BUILD_IMAGE } from '../../compiler/normalize/cicd';
import type { ResolvedCicd, ResolvedCicdDeploy } from '../../model/cicd';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import { deployBuildspec } from './deploy-buildspec';
import { buildRoleStatements, deployRoleStatements, type ArtifactStore } from './policies';

/** The inline policy the role factory put beside a role: resources that use the role wait for it. */
export function rolePolicyOf(role: IamRole): ITerraformDependable[] {
  const policy = role.node.scope?.node.tryFindChild('Policy') as ITerraformDependable | undefined;
  return policy ? [policy] : [];
}

const plaintext = (env: Readonly<Record<string, string>>) =>
  Object.entries(env).map(([name, value]) => ({ name, value, type: 'PLAINTEXT' }));

/** Props of {@link BuildProject}. */
export interface BuildProjectProps {
  readonly cicd: ResolvedCicd;
  readonly store: ArtifactStore;
  readonly security: SecurityContext;
}

/**
 * The Build stage's CodeBuild project: the repository's buildspec on a managed image,
 * unprivileged, output encrypted with the pipeline key, logs in an encrypted group with
 * retention, a local cache (free, faster rebuilds), optionally in the private subnets.
 */
export class BuildProject extends Construct {
  readonly project: CodebuildProject;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: BuildProjectProps) {
    super(scope, id);
    const { cicd: c, security: sec } = props;
    const b = c.build;
    const logGroup = encryptedLogGroup(this, 'LogGroup', b.logGroupName, sec);
    this.role = sec.roles.create(this, 'Role', b.roleComponent, {
      services: ['codebuild.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: builds and tests the model code in ${b.projectName}`,
      statements: buildRoleStatements(c, props.store, logGroup.arn, sec),
    });
    const network = sec.network;
    if (b.vpc && network === undefined)
      throw new Error('internal: the build runs in the VPC but there is no network');
    this.project = new CodebuildProject(this, 'Resource', {
      name: b.projectName,
      description: `pipeform ${sec.pipeline}: model build and tests (${b.buildspec})`.slice(0, 255),
      serviceRole: this.role.arn,
      buildTimeout: b.timeoutMinutes,
      encryptionKey: sec.keyArn,
      source: { type: 'CODEPIPELINE', buildspec: b.buildspec },
      artifacts: { type: 'CODEPIPELINE' },
      environment: {
        computeType: b.computeType,
        image: b.image,
        type: b.environmentType,
        imagePullCredentialsType: 'CODEBUILD',
        privilegedMode: false,
        environmentVariable: [...plaintext(b.environment), ...b.secretVariables].sort((x, y) =>
          x.name < y.name ? -1 : x.name > y.name ? 1 : 0,
        ),
      },
      cache: { type: 'LOCAL', modes: ['LOCAL_SOURCE_CACHE', 'LOCAL_CUSTOM_CACHE'] },
      logsConfig: {
        cloudwatchLogs: { status: 'ENABLED', groupName: logGroup.name },
        s3Logs: { status: 'DISABLED' },
      },
      ...(b.vpc && network
        ? {
            vpcConfig: {
              vpcId: network.vpcId,
              subnets: [...network.privateSubnetIds],
              securityGroupIds: [...network.securityGroupIds],
            },
          }
        : {}),
      dependsOn: rolePolicyOf(this.role),
    });
  }
}

/** Props of {@link DeployProject}. */
export interface DeployProjectProps {
  readonly cicd: ResolvedCicd;
  readonly deploy: ResolvedCicdDeploy;
  readonly store: ArtifactStore;
  /** The artifact bucket's name (the deployed versions are written there). */
  readonly artifactBucketName: string;
  /** Execution role ARNs of the target endpoints. */
  readonly servingRoleArns: readonly string[];
  readonly security: SecurityContext;
}

/**
 * The Deploy stage's CodeBuild project: pipeform's own buildspec (see deploy-buildspec.ts)
 * with a role limited to the target endpoints, one build at a time so two deploys never
 * race on an endpoint.
 */
export class DeployProject extends Construct {
  readonly project: CodebuildProject;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: DeployProjectProps) {
    super(scope, id);
    const { cicd: c, deploy: d, security: sec } = props;
    const logGroup = encryptedLogGroup(this, 'LogGroup', d.logGroupName, sec);
    this.role = sec.roles.create(this, 'Role', d.roleComponent, {
      services: ['codebuild.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: deploys approved versions of ${c.modelPackageGroupName} to the endpoints`,
      statements: deployRoleStatements(
        c,
        d,
        { store: props.store, logGroupArn: logGroup.arn, servingRoleArns: props.servingRoleArns },
        sec,
      ),
    });
    const targets = d.targets.map((t) => ({
      endpointName: t.endpointName,
      configNamePrefix: t.configNamePrefix,
      variants: t.variants.map((v) => ({
        variant: v.variant,
        variable: v.variable,
        modelNamePrefix: v.modelNamePrefix,
      })),
    }));
    // CodeBuild keeps at most 255 characters of description.
    const endpoints = d.targets.map((t) => t.endpointName).join(', ');
    const description = `pipeform ${sec.pipeline}: deploys the approved model package to ${endpoints}`;
    this.project = new CodebuildProject(this, 'Resource', {
      name: d.projectName,
      description: description.slice(0, 255),
      serviceRole: this.role.arn,
      buildTimeout: d.timeoutMinutes,
      concurrentBuildLimit: 1,
      encryptionKey: sec.keyArn,
      source: { type: 'CODEPIPELINE', buildspec: deployBuildspec() },
      artifacts: { type: 'CODEPIPELINE' },
      environment: {
        computeType: 'BUILD_GENERAL1_SMALL',
        // The deploy needs the AWS CLI v2 and jq, both in the default image.
        image: DEFAULT_BUILD_IMAGE,
        type: 'LINUX_CONTAINER',
        imagePullCredentialsType: 'CODEBUILD',
        privilegedMode: false,
        environmentVariable: plaintext({
          [c.versionVariable.name]: c.versionVariable.defaultValue,
          PIPEFORM_ARTIFACT_BUCKET: props.artifactBucketName,
          PIPEFORM_DEPLOY_TARGETS: JSON.stringify(targets),
          PIPEFORM_MODEL_PACKAGE_ARN_PREFIX: c.modelPackageArnPrefix,
          PIPEFORM_MODEL_PACKAGE_GROUP: c.modelPackageGroupName,
          PIPEFORM_PIPELINE: sec.pipeline,
          PIPEFORM_VERSIONS_KEY: d.versionsKey,
        }),
      },
      logsConfig: {
        cloudwatchLogs: { status: 'ENABLED', groupName: logGroup.name },
        s3Logs: { status: 'DISABLED' },
      },
      dependsOn: rolePolicyOf(this.role),
    });
  }
}
