import { createHash } from 'node:crypto';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Construct } from 'constructs';
import type { ResolvedBaseModel } from '../../model/training';
import { StackAssets } from '../assets';
import { eniStatements, keyUseStatement, logWriteStatement } from '../data/access';
import { zipEntries } from '../data/zip';
import type { PolicyStatement } from '../iam/policy';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import { CHAMPION_OUTPUT } from './pipeline-definition';

type Champion = Extract<ResolvedBaseModel, { kind: 'champion' }>;

/**
 * The function's code. The newest approved version by creation time is the champion: the
 * version the serving deploy of a registry endpoint moves to on approval. A versioned
 * package's ModelDataUrl is its first container's (CreateModelPackage's InferenceSpecification).
 */
export const CHAMPION_SOURCE = `import os

import boto3

sagemaker = boto3.client("sagemaker")


def handler(event, context):
    """The ModelDataUrl of the newest approved version of the group, or the fallback."""
    listed = sagemaker.list_model_packages(
        ModelPackageGroupName=os.environ["MODEL_PACKAGE_GROUP"],
        ModelApprovalStatus="Approved",
        SortBy="CreationTime",
        SortOrder="Descending",
        MaxResults=1,
    )["ModelPackageSummaryList"]
    if not listed:
        return {"${CHAMPION_OUTPUT}": os.environ["FALLBACK_URI"]}
    package = sagemaker.describe_model_package(ModelPackageName=listed[0]["ModelPackageArn"])
    return {"${CHAMPION_OUTPUT}": package["InferenceSpecification"]["Containers"][0]["ModelDataUrl"]}
`;

/** Props of {@link ChampionLookup}. */
export interface ChampionLookupProps {
  readonly champion: Champion;
  readonly groupName: string;
  readonly security: SecurityContext;
  /** The models bucket, which holds the placeholder. */
  readonly modelsBucket: S3Bucket;
}

/**
 * The champion lookup of `training.baseModel.champion`: a Lambda function the pipeline's
 * first step invokes (SageMaker Pipelines has no registry query of its own), which returns
 * the ModelDataUrl of the newest approved version of the group, or the first-run fallback.
 * Resolved at run time, so a retraining run fine-tunes the champion of that moment. Like
 * every pipeform function: encrypted environment and log group, X-Ray, the private subnets
 * (the SageMaker API endpoint the training workload derives serves it). Its role lists the
 * group's versions and describes only those of this group.
 */
export class ChampionLookup extends Construct {
  readonly function: LambdaFunction;

  constructor(scope: Construct, id: string, props: ChampionLookupProps) {
    super(scope, id);
    const { champion: c, security: sec } = props;
    if (c.placeholder) {
      // What the model channel holds before any version is approved: one small object, so
      // the channel is never empty (SageMaker fails a job whose S3 prefix matches nothing).
      new S3Object(this, 'Placeholder', {
        bucket: props.modelsBucket.id,
        key: c.fallback.key,
        content: 'No approved model version yet: train from scratch.\n',
        contentType: 'text/plain',
        serverSideEncryption: 'aws:kms',
        kmsKeyId: sec.keyArn,
        bucketKeyEnabled: true,
      });
    }
    const logGroup = encryptedLogGroup(this, 'LogGroup', c.logGroupName, sec);
    const sm = (resource: string) =>
      `arn:${sec.partition}:sagemaker:${sec.region}:${sec.account}:${resource}`;
    const statements: PolicyStatement[] = [
      logWriteStatement('Lookup', [logGroup.arn]),
      {
        // ListModelPackages takes no resource; it lists names and states only.
        Sid: 'ListVersions',
        Effect: 'Allow',
        Action: 'sagemaker:ListModelPackages',
        Resource: '*',
      },
      {
        Sid: 'DescribeVersionsOfTheGroup',
        Effect: 'Allow',
        Action: 'sagemaker:DescribeModelPackage',
        Resource: sm(`model-package/${props.groupName}/*`),
      },
      keyUseStatement(sec),
      {
        // X-Ray takes no resource ARNs.
        Sid: 'SendTraces',
        Effect: 'Allow',
        Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
        Resource: '*',
      },
      ...eniStatements(sec, 'lambda'),
    ];
    const role = sec.roles.create(this, 'Role', c.roleComponent, {
      services: ['lambda.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: looks up the champion model the training pipeline fine-tunes`,
      statements,
    });
    const zip = zipEntries([{ path: 'index.py', data: new TextEncoder().encode(CHAMPION_SOURCE) }]);
    const n = sec.network;
    this.function = new LambdaFunction(this, 'Resource', {
      functionName: c.functionName,
      description: `pipeform ${sec.pipeline}: the newest approved version of ${props.groupName}, for fine-tuning`,
      role: role.arn,
      handler: 'index.handler',
      // pipeform's own function with its own code (CHAMPION_SOURCE): pinned to the runtime that
      // code is written for, not the spec's lambdaFunction defaults (those may change for users).
      runtime: 'python3.12',
      architectures: ['arm64'],
      memorySize: 128,
      timeout: 30,
      filename: StackAssets.of(this).add(`${c.functionName}.zip`, zip),
      sourceCodeHash: createHash('sha256').update(zip).digest('base64'),
      kmsKeyArn: sec.keyArn,
      environment: {
        variables: { FALLBACK_URI: c.fallback.uri, MODEL_PACKAGE_GROUP: props.groupName },
      },
      tracingConfig: { mode: 'Active' },
      ...(n
        ? { vpcConfig: { subnetIds: [...n.privateSubnetIds], securityGroupIds: [...n.securityGroupIds] } }
        : {}),
      // The log group (with retention and the key) must exist before Lambda would create its own.
      dependsOn: [logGroup, ...role.policyDependables],
    });
  }
}
