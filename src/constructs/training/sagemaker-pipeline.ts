import { DataAwsSagemakerPrebuiltEcrImage } from '@cdktf/provider-aws/lib/data-aws-sagemaker-prebuilt-ecr-image';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { SagemakerPipeline } from '@cdktf/provider-aws/lib/sagemaker-pipeline';
import { Construct } from 'constructs';
import type { ResolvedImage, ResolvedTraining } from '../../model/training';
import { AssetUploads } from '../assets';
import { roleName } from '../iam/role-factory';
import type { SecurityContext } from '../security-context';
import { lakeBucket, type LakeBuckets } from '../data/access';
import { buildPipelineDefinition, canonicalJson, type PipelineDefinition } from './pipeline-definition';
import { ChampionLookup } from './champion';
import { ModelRegistry } from './registry';
import { trainingRoleStatements } from './role';
import type { StackOutput } from '../outputs';

/** Props of {@link TrainingPipeline}. */
export interface TrainingPipelineProps {
  readonly training: ResolvedTraining;
  readonly security: SecurityContext;
  /** IAM path of pipeform roles: the role's own ARN (for iam:PassRole) is computed from it. */
  readonly rolePath: string;
  /** The data-lake buckets: the champion lookup's placeholder lives in the models bucket. */
  readonly buckets: LakeBuckets;
}

/**
 * The SageMaker training pipeline `<pipeline>-training`: its role, the model package group
 * `<pipeline>-models`, the AWS images resolved per region (no AWS call), and the
 * `aws_sagemaker_pipeline` whose definition is built as typed data (pipeline-definition.ts).
 */
export class TrainingPipeline extends Construct {
  readonly pipeline: SagemakerPipeline;
  readonly registry: ModelRegistry;
  readonly role: IamRole;
  /** The definition as built (tokens unresolved); what the pipeline resource holds, serialized. */
  readonly definition: PipelineDefinition;

  constructor(scope: Construct, id: string, props: TrainingPipelineProps) {
    super(scope, id);
    const t = props.training;
    const sec = props.security;
    const net = sec.network;
    if (!net)
      throw new Error('internal: SageMaker training without a network (the check stage requires one)');

    const images = new Map<string, string>();
    const image = (use: string, i: ResolvedImage): string => {
      if (i.kind === 'uri') return i.uri;
      const key = `${i.repository}:${i.tag}`;
      let uri = images.get(key);
      if (uri === undefined) {
        uri = new DataAwsSagemakerPrebuiltEcrImage(this, use, {
          repositoryName: i.repository,
          imageTag: i.tag,
          region: sec.region,
        }).registryPath;
        images.set(key, uri);
      }
      return uri;
    };
    const trainingImage = image('image', t.image);
    const preprocessingImage = t.preprocessing
      ? image('preprocessing-image', t.preprocessing.image)
      : undefined;
    const evaluationImage = t.evaluation ? image('evaluation-image', t.evaluation.image) : undefined;
    const inferenceImage = image('inference-image', t.registration.image);

    // The code the jobs run: uploads of the local code directory, or objects under the S3 prefix.
    const uploads = AssetUploads.of(this);
    const evaluationCode = t.evaluation ? uploads.locate(t.evaluation.script) : undefined;
    const preprocessingCode = t.preprocessing ? uploads.locate(t.preprocessing.script) : undefined;
    const sourceArchive = t.scriptMode ? uploads.locate(t.scriptMode.sourceArchive) : undefined;
    const codeObjects =
      t.code.kind === 'directory'
        ? [
            ...(evaluationCode ? [evaluationCode] : []),
            ...(preprocessingCode ? [preprocessingCode] : []),
            ...(sourceArchive ? [sourceArchive] : []),
          ]
        : [];

    this.role = sec.roles.create(this, 'Role', t.roleComponent, {
      services: ['sagemaker.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: runs the ${t.pipelineName} SageMaker pipeline and its jobs`,
      statements: trainingRoleStatements(t, {
        partition: sec.partition,
        region: sec.region,
        account: sec.account,
        keyArn: sec.keyArn,
        roleArn: `arn:${sec.partition}:iam::${sec.account}:role${props.rolePath}${roleName(sec.pipeline, t.roleComponent)}`,
        vpcId: net.vpcId,
        codeObjects,
      }),
    });
    this.registry = new ModelRegistry(this, 'Registry', {
      name: t.modelPackageGroupName,
      description: t.registryDescription,
    });

    const champion =
      t.baseModel?.kind === 'champion'
        ? new ChampionLookup(this, 'champion', {
            champion: t.baseModel,
            groupName: t.modelPackageGroupName,
            security: sec,
            modelsBucket: lakeBucket(props.buckets, 'models'),
          })
        : undefined;
    this.definition = buildPipelineDefinition(t, {
      ...(champion ? { championFunctionArn: champion.function.arn } : {}),
      region: sec.region,
      roleArn: this.role.arn,
      keyArn: sec.keyArn,
      subnetIds: net.privateSubnetIds,
      securityGroupIds: net.securityGroupIds,
      images: {
        training: trainingImage,
        ...(evaluationImage ? { evaluation: evaluationImage } : {}),
        inference: inferenceImage,
        ...(preprocessingImage ? { preprocessing: preprocessingImage } : {}),
      },
      code: {
        ...(evaluationCode ? { evaluation: evaluationCode.uri } : {}),
        ...(preprocessingCode ? { preprocessing: preprocessingCode.uri } : {}),
        ...(sourceArchive ? { sourceArchive: sourceArchive.uri } : {}),
      },
    });
    const json = canonicalJson(this.definition);

    this.pipeline = new SagemakerPipeline(this, 'Resource', {
      pipelineName: t.pipelineName,
      pipelineDisplayName: t.pipelineName,
      pipelineDescription: t.description,
      roleArn: this.role.arn,
      pipelineDefinition: json,
      // Registrations need the group; a pipeline run right after apply must find it.
      dependsOn: [this.registry.group],
    });
  }

  /** The training area's outputs: the pipeline to start, the group it registers into, its role. */
  outputs(): StackOutput[] {
    return [
      {
        name: 'training_pipeline_arn',
        description: 'ARN of the SageMaker training pipeline: start it to train, gate and register.',
        value: this.pipeline.arn,
      },
      {
        name: 'model_package_group_name',
        description: 'Model package group that receives the models passing the KPI gate.',
        value: this.registry.group.modelPackageGroupName,
      },
      {
        name: 'training_role_arn',
        description: 'Role the training pipeline and its jobs run as.',
        value: this.role.arn,
      },
    ];
  }
}
