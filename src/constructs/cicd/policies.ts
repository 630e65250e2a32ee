import type { ResolvedCicd } from '../../model/cicd';
import type { PolicyStatement } from '../iam/policy';
import type { SecurityContext } from '../security-context';
import { secretReadStatements } from '../iam/secrets';
import { NETWORK_INTERFACE_SERVICES, networkInterfaceStatements } from '../iam/statements';

/** The artifact bucket as the roles see it: its ARN and the prefix CodePipeline writes under. */
export interface ArtifactStore {
  readonly bucketArn: string;
  readonly prefix: string;
}

const arnOf = (sec: SecurityContext, service: string, resource: string) =>
  `arn:${sec.partition}:${service}:${sec.region}:${sec.account}:${resource}`;

/** Data keys of the pipeline key for reading and writing encrypted artifacts. */
function keyStatement(sec: SecurityContext, sid: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
    Resource: sec.keyArn,
  };
}

/** Writing to one CodeBuild log group and its streams. */
function logStatement(logGroupArn: string): PolicyStatement {
  return {
    Sid: 'WriteBuildLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: [logGroupArn, `${logGroupArn}:*`],
  };
}

/** Artifacts under the pipeline's prefix only. */
function artifactStatements(store: ArtifactStore, write: boolean): PolicyStatement[] {
  return [
    {
      Sid: write ? 'ReadWritePipelineArtifacts' : 'ReadPipelineArtifacts',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion', ...(write ? ['s3:PutObject'] : [])],
      Resource: `${store.bucketArn}/${store.prefix}*`,
    },
    {
      Sid: 'LocateArtifactBucket',
      Effect: 'Allow',
      Action: ['s3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketVersioning'],
      Resource: store.bucketArn,
    },
  ];
}

/** What the CodePipeline role needs. */
export interface PipelineRoleTargets {
  readonly store: ArtifactStore;
  /** ARNs of the CodeBuild projects. */
  readonly projectArns: readonly string[];
  /** ARN of the Git connection. */
  readonly connectionArn?: string;
  /** The S3 source object and its bucket. */
  readonly s3Source?: { readonly bucketArn: string; readonly key: string };
  readonly approvalTopicArn?: string;
  /** The serving deploy state machine the Deploy stage runs: its ARN and name. */
  readonly servingDeploy?: { readonly arn: string; readonly name: string };
}

/**
 * The CodePipeline role: its artifacts, the key, starting and watching its build, the
 * connection, the S3 source object, publishing approval requests, and running the serving
 * deploy (the Step Functions invoke action starts an execution and polls it).
 */
export function pipelineRoleStatements(t: PipelineRoleTargets, sec: SecurityContext): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    ...artifactStatements(t.store, true),
    keyStatement(sec, 'EncryptArtifacts'),
    {
      Sid: 'RunPipelineBuilds',
      Effect: 'Allow',
      Action: ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'],
      Resource: [...t.projectArns],
    },
  ];
  if (t.servingDeploy) {
    const executions = arnOf(sec, 'states', `execution:${t.servingDeploy.name}:*`);
    statements.push(
      {
        Sid: 'StartServingDeploy',
        Effect: 'Allow',
        Action: ['states:DescribeStateMachine', 'states:StartExecution'],
        Resource: t.servingDeploy.arn,
      },
      {
        Sid: 'WatchServingDeploy',
        Effect: 'Allow',
        Action: ['states:DescribeExecution', 'states:StopExecution'],
        Resource: executions,
      },
    );
  }
  if (t.connectionArn) {
    statements.push({
      // CodeStar Connections is now AWS CodeConnections; either prefix may be checked.
      Sid: 'UseSourceConnection',
      Effect: 'Allow',
      Action: ['codeconnections:UseConnection', 'codestar-connections:UseConnection'],
      Resource: t.connectionArn,
    });
  }
  if (t.s3Source) {
    statements.push(
      {
        Sid: 'ReadSourceObject',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: `${t.s3Source.bucketArn}/${t.s3Source.key}`,
      },
      {
        Sid: 'CheckSourceBucketVersioning',
        Effect: 'Allow',
        Action: 's3:GetBucketVersioning',
        Resource: t.s3Source.bucketArn,
      },
    );
  }
  if (t.approvalTopicArn) {
    statements.push({
      Sid: 'NotifyApprovers',
      Effect: 'Allow',
      Action: 'sns:Publish',
      Resource: t.approvalTopicArn,
    });
  }
  return statements;
}

/** What training code the build publishes: its statements, when the pipeline reads code from the lake. */
function publishStatements(c: ResolvedCicd, sec: SecurityContext): PolicyStatement[] {
  const code = c.build.code;
  if (code === undefined) return [];
  const codeBucketArn = `arn:${sec.partition}:s3:::${code.bucketName}`;
  return [
    {
      Sid: 'PublishTrainingCode',
      Effect: 'Allow',
      Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      Resource: `${codeBucketArn}/${code.prefix}*`,
    },
    {
      Sid: 'ListTrainingCode',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: codeBucketArn,
      Condition: { StringLike: { 's3:prefix': [`${code.prefix}*`] } },
    },
  ];
}

/**
 * The build role: its logs, the pipeline artifacts, the key, test reports of its own
 * report groups, the buildspec object (when it is read from S3), publishing the training
 * code (when the pipeline reads it from the lake), (in the VPC) its network interfaces, and
 * the secrets its variables reference.
 */
export function buildRoleStatements(
  c: ResolvedCicd,
  store: ArtifactStore,
  logGroupArn: string,
  sec: SecurityContext,
  buildspecArn?: string,
): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    logStatement(logGroupArn),
    ...artifactStatements(store, true),
    keyStatement(sec, 'EncryptBuildData'),
    {
      // `reports:` in the buildspec creates groups named `<project>-<report>`.
      Sid: 'ReportTestResults',
      Effect: 'Allow',
      Action: [
        'codebuild:BatchPutCodeCoverages',
        'codebuild:BatchPutTestCases',
        'codebuild:CreateReport',
        'codebuild:CreateReportGroup',
        'codebuild:UpdateReport',
      ],
      Resource: arnOf(sec, 'codebuild', `report-group/${c.build.projectName}-*`),
    },
    ...(buildspecArn
      ? [{ Sid: 'ReadBuildspec', Effect: 'Allow' as const, Action: 's3:GetObject', Resource: buildspecArn }]
      : []),
    ...publishStatements(c, sec),
  ];
  const network = sec.network;
  if (c.build.vpc && network) {
    statements.push(
      ...networkInterfaceStatements(sec, network.vpcId, {
        service: NETWORK_INTERFACE_SERVICES.codebuild,
        sids: {
          create: 'BuildNetworkInterfacesInPipelineVpc',
          manage: 'BuildNetworkInterfaces',
          authorize: 'AuthorizeCodeBuildInterfaces',
          describe: 'DescribeBuildNetwork',
        },
      }),
    );
  }
  // CodeBuild resolves SECRETS_MANAGER and PARAMETER_STORE variables with the build role.
  statements.push(...secretReadStatements(c.build.secrets, sec));
  return statements;
}

/** The EventBridge target role: start this one pipeline. */
export function eventsRoleStatements(pipelineArn: string): PolicyStatement[] {
  return [
    {
      Sid: 'StartTheReleasePipeline',
      Effect: 'Allow',
      Action: 'codepipeline:StartPipelineExecution',
      Resource: pipelineArn,
    },
  ];
}
