import type { ResolvedCicd, ResolvedCicdDeploy } from '../../model/cicd';
import type { PolicyStatement } from '../iam/policy';
import type { SecurityContext } from '../security-context';
import { secretReadStatements } from '../iam/secrets';
import { describeNetworkStatement } from '../iam/statements';

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
  /** ARNs of the build and deploy projects. */
  readonly projectArns: readonly string[];
  /** ARN of the Git connection. */
  readonly connectionArn?: string;
  /** The S3 source object and its bucket. */
  readonly s3Source?: { readonly bucketArn: string; readonly key: string };
  readonly approvalTopicArn?: string;
}

/**
 * The CodePipeline role: its artifacts, the key, starting and watching its two builds, the
 * connection, the S3 source object, and publishing approval requests.
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

/**
 * The build role: its logs, the pipeline artifacts, the key, test reports of its own
 * report groups, publishing the training code, (in the VPC) its network interfaces, and the
 * secrets its variables reference.
 */
export function buildRoleStatements(
  c: ResolvedCicd,
  store: ArtifactStore,
  logGroupArn: string,
  sec: SecurityContext,
): PolicyStatement[] {
  const code = c.build.code;
  const codeBucketArn = `arn:${sec.partition}:s3:::${code.bucketName}`;
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
  const network = sec.network;
  if (c.build.vpc && network) {
    statements.push(
      describeNetworkStatement('DescribeBuildNetwork'),
      {
        Sid: 'BuildNetworkInterfaces',
        Effect: 'Allow',
        Action: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'],
        Resource: ['network-interface/*', 'security-group/*', 'subnet/*'].map((r) => arnOf(sec, 'ec2', r)),
      },
      {
        // CodeBuild attaches the interface on the build's behalf, in the pipeline VPC only.
        Sid: 'AuthorizeCodeBuildInterfaces',
        Effect: 'Allow',
        Action: 'ec2:CreateNetworkInterfacePermission',
        Resource: arnOf(sec, 'ec2', 'network-interface/*'),
        Condition: {
          StringEquals: { 'ec2:AuthorizedService': 'codebuild.amazonaws.com' },
          ArnEquals: { 'ec2:Vpc': arnOf(sec, 'ec2', `vpc/${network.vpcId}`) },
        },
      },
    );
  }
  // CodeBuild resolves SECRETS_MANAGER and PARAMETER_STORE variables with the build role.
  statements.push(...secretReadStatements(c.build.secrets, sec));
  return statements;
}

/** What the deploy role acts on besides names it derives. */
export interface DeployRoleTargets {
  readonly store: ArtifactStore;
  readonly logGroupArn: string;
  /** Execution role ARNs of the target endpoints (passed to the models the deploy creates). */
  readonly servingRoleArns: readonly string[];
}

/**
 * The deploy role: exactly what the deploy script calls. It reads the approved package,
 * clones models and endpoint configurations under the endpoints' own name prefixes,
 * updates only the target endpoints, passes only their execution roles to SageMaker, and
 * writes the deployed versions to one object. It cannot change anything else in the stack.
 */
export function deployRoleStatements(
  c: ResolvedCicd,
  d: ResolvedCicdDeploy,
  t: DeployRoleTargets,
  sec: SecurityContext,
): PolicyStatement[] {
  const sm = (resource: string) => arnOf(sec, 'sagemaker', resource);
  const endpoints = d.targets.map((x) => sm(`endpoint/${x.endpointName}`));
  const newConfigs = d.targets.map((x) => sm(`endpoint-config/${x.configNamePrefix}cd-*`));
  const newModels = d.targets.flatMap((x) => x.variants.map((v) => sm(`model/${v.modelNamePrefix}-*`)));
  const alarms = d.targets.flatMap((x) => x.alarmNames.map((a) => arnOf(sec, 'cloudwatch', `alarm:${a}`)));
  const statements: PolicyStatement[] = [
    logStatement(t.logGroupArn),
    artifactStatements(t.store, false)[0],
    {
      Sid: 'WriteDeployedVersions',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: `${t.store.bucketArn}/${d.versionsKey}`,
    },
    keyStatement(sec, 'UseThePipelineKey'),
    {
      // Endpoint configurations encrypt volumes and captured data with the key through grants.
      Sid: 'GrantKeyToEndpoints',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: sec.keyArn,
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    },
    {
      // ListModelPackages has no resource type; it only lists names and states.
      Sid: 'FindLatestApprovedVersion',
      Effect: 'Allow',
      Action: 'sagemaker:ListModelPackages',
      Resource: '*',
    },
    {
      Sid: 'ReadApprovedPackages',
      Effect: 'Allow',
      Action: 'sagemaker:DescribeModelPackage',
      Resource: `${c.modelPackageArnPrefix}*`,
    },
    {
      Sid: 'ReadPipelineEndpoints',
      Effect: 'Allow',
      Action: ['sagemaker:DescribeEndpoint', 'sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeModel'],
      Resource: [...endpoints, sm(`endpoint-config/${sec.pipeline}-*`), sm(`model/${sec.pipeline}-*`)],
    },
    {
      Sid: 'CreateDeployModels',
      Effect: 'Allow',
      Action: ['sagemaker:AddTags', 'sagemaker:CreateModel'],
      Resource: newModels,
    },
    {
      Sid: 'CreateDeployEndpointConfigs',
      Effect: 'Allow',
      Action: ['sagemaker:AddTags', 'sagemaker:CreateEndpointConfig'],
      Resource: newConfigs,
    },
    {
      Sid: 'UpdateTargetEndpoints',
      Effect: 'Allow',
      Action: 'sagemaker:UpdateEndpoint',
      Resource: [...endpoints, ...newConfigs],
    },
    {
      Sid: 'PassEndpointExecutionRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: [...t.servingRoleArns],
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    },
  ];
  if (alarms.length > 0) {
    statements.push({
      // The endpoints' auto-rollback alarms guard the update SageMaker runs for this role.
      Sid: 'ReadRollbackAlarms',
      Effect: 'Allow',
      Action: 'cloudwatch:DescribeAlarms',
      Resource: alarms,
    });
  }
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
