import {
  Codepipeline,
  type CodepipelineStage,
  type CodepipelineStageAction,
} from '@cdktf/provider-aws/lib/codepipeline';
import { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import type { ResolvedCicd } from '../../model/cicd';
import type { SecurityContext } from '../security-context';
import { pipelineRoleStatements, type ArtifactStore } from './policies';
import { BuildProject } from './projects';
import { ModelApprovedTrigger } from './trigger';
import type { StackOutput } from '../outputs';

/** The Source action: a CodeStar connection to the repository, or a polled S3 object. */
function sourceAction(
  c: ResolvedCicd,
  connectionArn: string | undefined,
  lake: (name: string) => S3Bucket,
): CodepipelineStageAction {
  const src = c.source;
  const base = {
    name: 'Source',
    category: 'Source',
    owner: 'AWS',
    version: '1',
    namespace: 'SourceVariables',
    outputArtifacts: ['source'],
  };
  if (src.kind === 's3') {
    return {
      ...base,
      provider: 'S3',
      configuration: {
        S3Bucket: lake(src.bucket).bucket,
        S3ObjectKey: src.key,
        // Event-based detection needs EventBridge notifications on a shared data-lake bucket.
        PollForSourceChanges: 'true',
      },
    };
  }
  if (connectionArn === undefined) throw new Error('internal: a Git source without a connection');
  return {
    ...base,
    provider: 'CodeStarSourceConnection',
    configuration: {
      ConnectionArn: connectionArn,
      FullRepositoryId: src.repository,
      BranchName: src.branch,
      DetectChanges: String(src.detectChanges),
      OutputArtifactFormat: 'CODE_ZIP',
    },
  };
}

/** Props of {@link CiCd}. */
export interface CiCdProps {
  readonly cicd: ResolvedCicd;
  /** The data lake's buckets by spec name. */
  readonly buckets: ReadonlyMap<string, S3Bucket>;
  /** The serving deploy state machine (ARN and name) the Deploy stage runs. */
  readonly servingDeploy?: { readonly arn: string; readonly name: string };
  readonly security: SecurityContext;
}

/** Names of the stages, in order. */
export const STAGES = { source: 'Source', build: 'Build', approval: 'Approval', deploy: 'Deploy' } as const;

/**
 * The CI/CD area: a CodePipeline (V2) `<pipeline>-cicd` whose artifacts live under its own
 * prefix of a data-lake bucket, encrypted with the pipeline key; stages Source (a CodeStar
 * connection or a versioned S3 object), Build (CodeBuild, the model build and tests),
 * Approval (manual, notifying an encrypted SNS topic) and Deploy (the serving deploy state
 * machine, moving the endpoints to the approved model package); and the EventBridge rule
 * that starts it when a model package is approved.
 */
export class CiCd extends Construct {
  readonly pipeline: Codepipeline;
  readonly build: BuildProject;
  /** The connection pipeform created (PENDING until its console handshake). */
  readonly connection?: CodestarconnectionsConnection;
  /** The topic approvers subscribe to; undefined without the Deploy stage. */
  readonly approvalTopic?: SnsTopic;
  readonly trigger?: ModelApprovedTrigger;

  constructor(scope: Construct, id: string, props: CiCdProps) {
    super(scope, id);
    const { cicd: c, security: sec } = props;
    const lake = (name: string): S3Bucket => {
      const b = props.buckets.get(name);
      if (b === undefined) throw new Error(`internal: bucket ${name} is not in the data lake`);
      return b;
    };
    const artifactBucket = lake(c.artifacts.bucket);
    const store: ArtifactStore = { bucketArn: artifactBucket.arn, prefix: c.artifacts.prefix };

    const src = c.source;
    let connectionArn: string | undefined;
    if (src.kind === 'git') {
      if (src.connection.kind === 'create') {
        // Created PENDING: a person completes the provider handshake once, in the console.
        this.connection = new CodestarconnectionsConnection(this, 'git', {
          name: src.connection.name,
          providerType: src.connection.providerType,
        });
        connectionArn = this.connection.arn;
      } else {
        connectionArn = src.connection.arn;
      }
    }

    this.build = new BuildProject(this, 'build', { cicd: c, store, security: sec });
    const d = c.deploy;
    const approval = c.approval;
    const servingDeploy = props.servingDeploy;
    if (d && approval && servingDeploy) {
      const approvalScope = new Construct(this, 'approval');
      this.approvalTopic = new SnsTopic(approvalScope, 'Resource', {
        name: approval.topicName,
        displayName: `${sec.pipeline} release approvals`,
        kmsMasterKeyId: sec.keyArn,
      });
      for (const email of approval.emails) {
        new SnsTopicSubscription(approvalScope, `email-${email.toLowerCase()}`, {
          topicArn: this.approvalTopic.arn,
          protocol: 'email',
          endpoint: email,
        });
      }
    }

    const role = sec.roles.create(this, 'Role', c.roleComponent, {
      services: ['codepipeline.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: runs the release pipeline ${c.pipelineName}`,
      statements: pipelineRoleStatements(
        {
          store,
          projectArns: [this.build.project.arn],
          ...(servingDeploy && this.approvalTopic ? { servingDeploy } : {}),
          ...(connectionArn ? { connectionArn } : {}),
          ...(src.kind === 's3' ? { s3Source: { bucketArn: lake(src.bucket).arn, key: src.key } } : {}),
          ...(this.approvalTopic ? { approvalTopicArn: this.approvalTopic.arn } : {}),
        },
        sec,
      ),
    });

    const stages: CodepipelineStage[] = [
      { name: STAGES.source, action: [sourceAction(c, connectionArn, lake)] },
      {
        name: STAGES.build,
        action: [
          {
            name: 'BuildAndTest',
            category: 'Build',
            owner: 'AWS',
            provider: 'CodeBuild',
            version: '1',
            inputArtifacts: ['source'],
            configuration: { ProjectName: this.build.project.name },
          },
        ],
      },
    ];
    if (servingDeploy && this.approvalTopic && d && approval) {
      // CodePipeline keeps at most 1000 characters of custom data.
      const listed = d.targets.map((t) => t.endpointName).join(', ');
      const endpoints = listed.length <= 800 ? listed : `${d.targets.length} endpoints`;
      stages.push(
        {
          name: STAGES.approval,
          action: [
            {
              name: 'ApproveRelease',
              category: 'Approval',
              owner: 'AWS',
              provider: 'Manual',
              version: '1',
              timeoutInMinutes: approval.timeoutMinutes,
              configuration: {
                NotificationArn: this.approvalTopic.arn,
                CustomData: `Deploy model package version #{variables.${c.versionVariable.name}} of ${c.modelPackageGroupName} to ${endpoints}?`,
              },
            },
          ],
        },
        {
          name: STAGES.deploy,
          action: [
            {
              name: 'DeployApprovedModel',
              category: 'Invoke',
              owner: 'AWS',
              provider: 'StepFunctions',
              version: '1',
              configuration: {
                StateMachineArn: servingDeploy.arn,
                ExecutionNamePrefix: 'cicd',
                InputType: 'Literal',
                // The pipeline variable: latest-approved, or a version to redeploy or roll back to.
                Input: JSON.stringify({
                  endpoints: d.targets.map((t) => t.endpoint),
                  version: `#{variables.${c.versionVariable.name}}`,
                }),
              },
            },
          ],
        },
      );
    }

    this.pipeline = new Codepipeline(this, 'Resource', {
      name: c.pipelineName,
      pipelineType: 'V2',
      // A newer run replaces one still waiting at a stage boundary (e.g. for approval).
      executionMode: 'SUPERSEDED',
      roleArn: role.arn,
      artifactStore: [
        {
          location: artifactBucket.bucket,
          type: 'S3',
          encryptionKey: { id: sec.keyArn, type: 'KMS' },
        },
      ],
      // Runs from a push or an approval deploy the latest approved version; a manual run may pin one.
      ...(d
        ? {
            variable: [
              {
                name: c.versionVariable.name,
                defaultValue: c.versionVariable.defaultValue,
                description: `Version of ${c.modelPackageGroupName} to deploy: a number, or latest-approved`,
              },
            ],
          }
        : {}),
      stage: stages,
      dependsOn: role.policyDependables,
    });

    if (d) {
      this.trigger = new ModelApprovedTrigger(this, 'model-approved', {
        ruleName: d.ruleName,
        roleComponent: d.eventsRoleComponent,
        modelPackageGroupName: c.modelPackageGroupName,
        pipelineName: c.pipelineName,
        pipelineArn: this.pipeline.arn,
        security: sec,
      });
    }
  }

  /** The CI/CD area's outputs: the release pipeline, its connection and its approval topic. */
  outputs(): StackOutput[] {
    const out: StackOutput[] = [
      {
        name: 'cicd_pipeline_name',
        description: 'The release pipeline (CodePipeline): source, build and tests, approval, deploy.',
        value: this.pipeline.name,
      },
    ];
    if (this.connection) {
      out.push({
        name: 'cicd_connection_arn',
        description:
          'The CodeStar connection to the repository. It starts PENDING: complete the handshake once in the console (Developer Tools > Settings > Connections).',
        value: this.connection.arn,
      });
    }
    if (this.approvalTopic) {
      out.push({
        name: 'cicd_approval_topic_arn',
        description: 'SNS topic that asks approvers to release a model (subscribe more approvers here).',
        value: this.approvalTopic.arn,
      });
    }
    return out;
  }
}
