import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import type { PipelineRole } from '../iam/role-factory';
import { Construct } from 'constructs';
import type { ResolvedCicd } from '../../model/cicd';
import { AssetUploads } from '../assets';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import { buildRoleStatements, type ArtifactStore } from './policies';

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
  readonly role: PipelineRole;

  constructor(scope: Construct, id: string, props: BuildProjectProps) {
    super(scope, id);
    const { cicd: c, security: sec } = props;
    const b = c.build;
    const logGroup = encryptedLogGroup(this, 'LogGroup', b.logGroupName, sec);
    // ProjectSource.buildspec: inline, a path in the source, or an S3 object by ARN in the
    // project's region (CodeBuild API reference, ProjectSource and StartBuild buildspecOverride).
    const buildspecFile = b.buildspecFile ? AssetUploads.of(this).locate(b.buildspecFile) : undefined;
    this.role = sec.roles.create(this, 'Role', b.roleComponent, {
      services: ['codebuild.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: builds and tests the model code in ${b.projectName}`,
      statements: buildRoleStatements(c, props.store, logGroup.arn, sec, buildspecFile?.arn),
    });
    const network = sec.network;
    if (b.vpc && network === undefined)
      throw new Error('internal: the build runs in the VPC but there is no network');
    this.project = new CodebuildProject(this, 'Resource', {
      name: b.projectName,
      description:
        `pipeform ${sec.pipeline}: model build and tests (${b.buildspecFile ? 'buildspec from S3' : b.buildspec})`.slice(
          0,
          255,
        ),
      serviceRole: this.role.arn,
      buildTimeout: b.timeoutMinutes,
      encryptionKey: sec.keyArn,
      source: { type: 'CODEPIPELINE', buildspec: buildspecFile?.arn ?? b.buildspec },
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
      dependsOn: this.role.policyDependables,
    });
  }
}
