import { DataAwsSagemakerPrebuiltEcrImage } from '@cdktf/provider-aws/lib/data-aws-sagemaker-prebuilt-ecr-image';
import type { PipelineRole } from '../iam/role-factory';
import {
  SagemakerEndpoint,
  type SagemakerEndpointDeploymentConfig,
} from '@cdktf/provider-aws/lib/sagemaker-endpoint';
import {
  SagemakerEndpointConfiguration,
  type SagemakerEndpointConfigurationConfig,
} from '@cdktf/provider-aws/lib/sagemaker-endpoint-configuration';
import { SagemakerModel, type SagemakerModelPrimaryContainer } from '@cdktf/provider-aws/lib/sagemaker-model';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Construct } from 'constructs';
import type { ResolvedEndpoint, ResolvedVariant } from '../../model/serving';
import { AssetUploads } from '../assets';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import { rollbackAlarms } from './alarms';
import { variantAutoscaling } from './autoscaling';
import { deployTarget, type DeployTarget } from './deploy-requests';
import { FrontDoor } from './front-door';
import type { ServingLedger } from './ledger';
import { executionRoleStatements } from './policies';
import type { PolicyStatement } from '../iam/policy';
import { RegistryEndpoint } from './registry-endpoint';

/** Props of {@link InferenceEndpoint}. */
export interface InferenceEndpointProps {
  readonly endpoint: ResolvedEndpoint;
  /** Data-lake buckets by spec name. */
  readonly buckets: ReadonlyMap<string, S3Bucket>;
  readonly modelsBucketName: string;
  readonly security: SecurityContext;
  /** The serving ledger; required when the endpoint serves from the registry. */
  readonly ledger?: ServingLedger;
  /** The provider's default tags (the serving deploy tags what it creates the same). */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Registry models come from the promotion owner: what the execution role reads there.
   * @default - the pipeline's own registry
   */
  readonly promotedReads?: readonly PolicyStatement[];
}

/** What production and shadow variants share in the endpoint configuration. */
interface VariantBlock {
  readonly variantName: string;
  readonly modelName: string;
  readonly initialVariantWeight: number;
  readonly instanceType?: string;
  readonly initialInstanceCount?: number;
  readonly serverlessConfig?: {
    memorySizeInMb: number;
    maxConcurrency: number;
    provisionedConcurrency?: number;
  };
}

const TRAFFIC_ROUTING = { 'all-at-once': 'ALL_AT_ONCE', canary: 'CANARY', linear: 'LINEAR' } as const;
const SIZE_TYPE = { percent: 'CAPACITY_PERCENT', instances: 'INSTANCE_COUNT' } as const;

/**
 * One SageMaker endpoint and everything it needs: an execution role scoped to its
 * artifacts, its container log group (encrypted, with retention), a model per variant, an
 * endpoint configuration (the pipeline key, data capture, async output), the endpoint with
 * blue/green deployment and auto-rollback on the alarms generated here, autoscaling per
 * variant, and the optional public front door.
 *
 * Models and configurations are immutable in SageMaker. Model names carry a hash of every
 * model input and configurations are named from a prefix, both created before the old ones
 * are destroyed: a change produces a new configuration, and switching the endpoint to it is
 * what runs the blue/green deployment.
 *
 * An endpoint with a variant from the registry is brought up by the serving deploy once its
 * versions are approved, and adopted from the ledger ({@link RegistryEndpoint}); its role,
 * log group, topics, alarms and artifact models exist from day 0.
 */
export class InferenceEndpoint extends Construct {
  /** The endpoint resource (for a registry endpoint, with one instance once deployed). */
  readonly endpoint: SagemakerEndpoint;
  readonly role: PipelineRole;
  /** The SageMaker endpoint name (a literal: a registry endpoint may not exist yet). */
  readonly endpointName: string;
  /** The front door's URL, when the endpoint is public. */
  readonly frontDoorUrl?: string;
  /** Set for a registry endpoint: what its deploy sends, and its Terraform side. */
  readonly deployTarget?: DeployTarget;
  readonly registry?: RegistryEndpoint;

  constructor(scope: Construct, id: string, props: InferenceEndpointProps) {
    super(scope, id);
    const { endpoint: ep, security: sec } = props;
    this.endpointName = ep.endpointName;
    const bucket = (name: string): S3Bucket => {
      const b = props.buckets.get(name);
      if (b === undefined) throw new Error(`internal: bucket ${name} is not in the data lake`);
      return b;
    };

    const logGroup = encryptedLogGroup(this, 'LogGroup', ep.logGroupName, sec);
    const topics = ep.async?.topics
      ? {
          success: new SnsTopic(this, 'success', {
            name: ep.async.topics.success,
            kmsMasterKeyId: sec.keyArn,
          }),
          error: new SnsTopic(this, 'error', { name: ep.async.topics.error, kmsMasterKeyId: sec.keyArn }),
        }
      : undefined;
    // Archives given as artifact.file: the upload (or the object read where it is) each model reads.
    const uploads = AssetUploads.of(this);
    const archives = new Map(
      [...ep.variants, ...(ep.shadow ? [ep.shadow] : [])].flatMap((v) => {
        const s = v.model.source;
        return s.kind === 'artifact' && s.location.kind !== 'lake'
          ? [[v.name, uploads.locate(s.location)] as const]
          : [];
      }),
    );
    this.role = sec.roles.create(this, 'Role', ep.roleComponent, {
      services: ['sagemaker.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: runs the models of the SageMaker endpoint ${ep.endpointName}`,
      statements: executionRoleStatements(
        {
          endpoint: ep,
          modelsBucketName: props.modelsBucketName,
          archives,
          logGroupArn: logGroup.arn,
          topicArns: topics ? [topics.error.arn, topics.success.arn] : [],
          ...(props.promotedReads ? { promotedReads: props.promotedReads } : {}),
        },
        sec,
      ),
    });
    // The endpoint starts pulling images and artifacts at once: the permissions must be in place.

    // One scope per variant (its id is the variant name): the model, and later its scaling.
    const variantScopes = new Map<string, Construct>();
    const models = new Map<string, SagemakerModel>();
    for (const v of [...ep.variants, ...(ep.shadow ? [ep.shadow] : [])]) {
      if (v.model.source.kind === 'registry') continue;
      const variantScope = new Construct(this, v.name);
      variantScopes.set(v.name, variantScope);
      models.set(v.name, this.model(variantScope, v, ep, sec, bucket, archives.get(v.name)?.uri));
    }

    const capture = ep.dataCapture;
    const async = ep.async;
    const configProps: Omit<SagemakerEndpointConfigurationConfig, 'productionVariants'> = {
      // Omitted only where SageMaker refuses a key: volumes of local-NVMe instance types are hardware-encrypted.
      ...(ep.volumeKey ? { kmsKeyArn: sec.keyArn } : {}),
      ...(capture
        ? {
            dataCaptureConfig: {
              enableCapture: true,
              initialSamplingPercentage: capture.samplingPercent,
              destinationS3Uri: `s3://${bucket(capture.bucket).bucket}/${capture.prefix}`,
              kmsKeyId: sec.keyArn,
              captureOptions: capture.modes.map((captureMode) => ({ captureMode })),
              ...(capture.csvContentTypes.length + capture.jsonContentTypes.length > 0
                ? {
                    captureContentTypeHeader: {
                      ...(capture.csvContentTypes.length > 0
                        ? { csvContentTypes: [...capture.csvContentTypes] }
                        : {}),
                      ...(capture.jsonContentTypes.length > 0
                        ? { jsonContentTypes: [...capture.jsonContentTypes] }
                        : {}),
                    },
                  }
                : {}),
            },
          }
        : {}),
      ...(async
        ? {
            asyncInferenceConfig: {
              outputConfig: {
                s3OutputPath: `s3://${bucket(async.bucket).bucket}/${async.prefix}output/`,
                s3FailurePath: `s3://${bucket(async.bucket).bucket}/${async.prefix}failures/`,
                kmsKeyId: sec.keyArn,
                ...(topics
                  ? { notificationConfig: { successTopic: topics.success.arn, errorTopic: topics.error.arn } }
                  : {}),
              },
              ...(async.maxConcurrentInvocationsPerInstance !== undefined
                ? {
                    clientConfig: {
                      maxConcurrentInvocationsPerInstance: async.maxConcurrentInvocationsPerInstance,
                    },
                  }
                : {}),
            },
          }
        : {}),
    };

    const alarms = rollbackAlarms(this, ep);
    const d = ep.deployment;
    const deploymentConfig: SagemakerEndpointDeploymentConfig = {
      blueGreenUpdatePolicy: {
        trafficRoutingConfiguration: {
          type: TRAFFIC_ROUTING[d.strategy],
          waitIntervalInSeconds: d.waitSeconds,
          ...(d.strategy === 'canary' && d.size
            ? { canarySize: { type: SIZE_TYPE[d.size.unit], value: d.size.value } }
            : {}),
          ...(d.strategy === 'linear' && d.size
            ? { linearStepSize: { type: SIZE_TYPE[d.size.unit], value: d.size.value } }
            : {}),
        },
        terminationWaitInSeconds: d.terminationWaitSeconds,
        maximumExecutionTimeoutInSeconds: d.maxExecutionSeconds,
      },
      ...(alarms.length > 0
        ? { autoRollbackConfiguration: { alarms: alarms.map((a) => ({ alarmName: a.alarmName })) } }
        : {}),
    };

    if (ep.registry) {
      if (props.ledger === undefined)
        throw new Error(`internal: endpoint ${ep.name} needs the serving ledger`);
      const network = sec.network;
      this.deployTarget = deployTarget(ep, {
        executionRoleArn: this.role.arn,
        keyArn: sec.keyArn,
        ...(network
          ? { subnetIds: network.privateSubnetIds, securityGroupIds: network.securityGroupIds }
          : {}),
        bucketName: (name) => bucket(name).bucket,
        ...(topics ? { topics: { success: topics.success.arn, error: topics.error.arn } } : {}),
        tags: props.tags,
      });
      this.registry = new RegistryEndpoint(this, 'Registry', {
        endpoint: ep,
        registry: ep.registry,
        security: sec,
        ledger: props.ledger,
        target: this.deployTarget,
        executionRoleArn: this.role.arn,
        artifactModels: models,
        alarms,
        configProps,
        deploymentConfig,
        dependsOn: this.role.policyDependables,
      });
      this.endpoint = this.registry.endpoint;
    } else {
      const variantBlock = (v: ResolvedVariant, weight: number): VariantBlock => ({
        variantName: v.name,
        modelName: models.get(v.name)?.name ?? '',
        initialVariantWeight: weight,
        ...(ep.serverless
          ? {
              serverlessConfig: {
                memorySizeInMb: ep.serverless.memoryMb,
                maxConcurrency: ep.serverless.maxConcurrency,
                ...(ep.serverless.provisionedConcurrency !== undefined
                  ? { provisionedConcurrency: ep.serverless.provisionedConcurrency }
                  : {}),
              },
            }
          : { instanceType: v.instanceType, initialInstanceCount: v.instanceCount }),
      });
      const config = new SagemakerEndpointConfiguration(this, 'Config', {
        namePrefix: ep.configNamePrefix,
        ...configProps,
        productionVariants: ep.variants.map((v) => variantBlock(v, v.weight)),
        ...(ep.shadow ? { shadowProductionVariants: [variantBlock(ep.shadow, ep.shadow.weight)] } : {}),
        lifecycle: { createBeforeDestroy: true },
      });
      this.endpoint = new SagemakerEndpoint(this, 'Resource', {
        name: ep.endpointName,
        endpointConfigName: config.name,
        deploymentConfig,
        dependsOn: this.role.policyDependables,
      });
      if (ep.autoscaling) {
        for (const v of ep.variants) {
          const variantScope = variantScopes.get(v.name);
          if (variantScope === undefined) throw new Error(`internal: variant ${v.name} has no scope`);
          variantAutoscaling(variantScope, ep, ep.autoscaling, v, this.endpoint.name);
        }
      }
    }

    if (ep.public) {
      const door = new FrontDoor(this, 'front-door', {
        endpoint: ep,
        public: ep.public,
        // A registry endpoint may not exist yet: the integration takes its name, not a reference.
        endpointName: ep.registry ? ep.endpointName : this.endpoint.name,
        security: sec,
      });
      this.frontDoorUrl = door.url;
    }
  }

  /** The SageMaker model of a variant: network-isolated and in the VPC unless serverless. */
  private model(
    scope: Construct,
    v: ResolvedVariant,
    ep: ResolvedEndpoint,
    sec: SecurityContext,
    bucket: (name: string) => S3Bucket,
    /** The archive's URI when it is an upload or an object outside the lake (a reference to the upload). */
    archiveUri: string | undefined,
  ): SagemakerModel {
    const m = v.model;
    const environment = Object.keys(m.environment).length > 0 ? { environment: { ...m.environment } } : {};
    const s = m.source;
    let container: SagemakerModelPrimaryContainer;
    if (s.kind === 'registry') throw new Error(`internal: variant ${v.name} serves from the registry`);
    const l = s.location;
    const modelDataUrl = l.kind === 'lake' ? `s3://${bucket(l.bucket).bucket}/${l.key}` : archiveUri;
    if (modelDataUrl === undefined) throw new Error(`internal: variant ${v.name} has no located archive`);
    {
      const image =
        s.image.kind === 'uri'
          ? s.image.uri
          : new DataAwsSagemakerPrebuiltEcrImage(scope, 'Image', {
              repositoryName: s.image.repository,
              imageTag: s.image.tag,
            }).registryPath;
      container = {
        image,
        // An upload by its own key: the model waits for it, and a new archive is a new key.
        modelDataUrl,
        ...environment,
        ...(ep.type === 'multi-model' ? { mode: 'MultiModel' } : {}),
      };
    }
    const network = sec.network;
    if (ep.inVpc && network === undefined) throw new Error(`internal: endpoint ${ep.name} needs the network`);
    return new SagemakerModel(scope, 'Resource', {
      name: m.name,
      executionRoleArn: this.role.arn,
      primaryContainer: container,
      enableNetworkIsolation: ep.networkIsolation,
      ...(ep.inVpc && network
        ? {
            vpcConfig: {
              subnets: [...network.privateSubnetIds],
              securityGroupIds: [...network.securityGroupIds],
            },
          }
        : {}),
      lifecycle: { createBeforeDestroy: true },
    });
  }
}
