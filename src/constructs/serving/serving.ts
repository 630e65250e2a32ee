import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Construct } from 'constructs';
import { withArchiveDigests } from '../../compiler/normalize/serving';
import type { ResolvedServing } from '../../model/serving';
import { AssetUploads } from '../assets';
import type { SecurityContext } from '../security-context';
import { deployRoleEndpoints } from '../../areas/serving/deploy-role';
import { ServingDeploy } from './deploy';
import { EdgeFleet } from './edge-fleet';
import { InferenceEndpoint } from './endpoint';
import { ServingLedger } from './ledger';
import { PromotionIntake, promotedModelStatements } from './promotion';
import type { ResolvedPromotedSource } from '../../model/promotion';
import type { StackOutput } from '../outputs';

/** Props of {@link Serving}. */
export interface ServingProps {
  readonly serving: ResolvedServing;
  /** The data lake's buckets by spec name. */
  readonly buckets: ReadonlyMap<string, S3Bucket>;
  readonly security: SecurityContext;
  /** The provider's default tags (the serving deploy tags what it creates the same way). */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Registry models come from the promotion owner (`promotion`), and `environment` is this one.
   * @default - the pipeline's own registry
   */
  readonly promotion?: { readonly source: ResolvedPromotedSource; readonly environment: string };
  /** Emitted as a module (the serving deploy takes `model_versions`). */
  readonly module?: boolean;
}

/**
 * The serving area: one {@link InferenceEndpoint} per endpoint (construct id = spec name,
 * model names completed with the content of local model archives),
 * the {@link EdgeFleet} (id `edge`, a name endpoints may not take), and, when an endpoint
 * serves from the registry, the ledger Terraform reads and the {@link ServingDeploy} that
 * writes it (id `deploy`).
 */
export class Serving extends Construct {
  /** Endpoints by spec name. */
  readonly endpoints: ReadonlyMap<string, InferenceEndpoint>;
  readonly edge?: EdgeFleet;
  readonly ledger?: ServingLedger;
  readonly deploy?: ServingDeploy;
  /** The owner's approvals arriving here, and the approval gate (promotion). */
  readonly promotion?: PromotionIntake;

  constructor(scope: Construct, id: string, props: ServingProps) {
    super(scope, id);
    const d = props.serving.deploy;
    this.ledger = d ? new ServingLedger(this, 'Ledger', d.ledgerPath) : undefined;
    const endpoints = new Map<string, InferenceEndpoint>();
    const promotedReads = props.promotion
      ? promotedModelStatements(props.promotion.source, props.security)
      : undefined;
    const uploads = AssetUploads.of(this);
    for (const resolved of props.serving.endpoints) {
      // A local model archive is uploaded first: its content completes its model's name.
      const endpoint = withArchiveDigests(resolved, (asset) => {
        const hash = uploads.locate({ kind: 'asset', asset }).contentHash;
        if (hash === undefined) throw new Error(`internal: the upload of ${asset.id} has no content hash`);
        return hash;
      });
      endpoints.set(
        endpoint.name,
        new InferenceEndpoint(this, endpoint.name, {
          endpoint,
          buckets: props.buckets,
          modelsBucketName: props.serving.modelsBucketName,
          security: props.security,
          ...(this.ledger ? { ledger: this.ledger } : {}),
          ...(promotedReads ? { promotedReads } : {}),
          tags: props.tags,
        }),
      );
    }
    this.endpoints = endpoints;
    if (d) {
      const built = (e: { name: string }): InferenceEndpoint => {
        const endpoint = endpoints.get(e.name);
        if (endpoint === undefined) throw new Error(`internal: endpoint ${e.name} was not built`);
        return endpoint;
      };
      // Registry endpoints in spec order, as deployRoleEndpoints lists them.
      const deployTargets = props.serving.endpoints.flatMap((e) => {
        if (e.registry === undefined) return [];
        const target = built(e).deployTarget;
        if (target === undefined)
          throw new Error(`internal: registry endpoint ${e.name} has no deploy target`);
        return [target];
      });
      this.deploy = new ServingDeploy(this, 'deploy', {
        deploy: d,
        // The role's view comes from the pure model advice predicts with (deployRoleSize).
        targets: deployRoleEndpoints(props.serving.endpoints, (e) => built(e).role).map((role, i) => ({
          target: deployTargets[i],
          role,
        })),
        security: props.security,
        ...(props.module ? { module: true } : {}),
      });
      if (props.promotion) {
        this.promotion = new PromotionIntake(this, 'promotion', {
          source: props.promotion.source,
          deploy: d,
          deployArn: this.deploy.stateMachine.arn,
          environment: props.promotion.environment,
          security: props.security,
        });
      }
    }
    if (props.serving.edge) {
      const models = props.buckets.get(props.serving.edge.bucket);
      if (models === undefined) throw new Error('internal: the data lake has no models bucket');
      this.edge = new EdgeFleet(this, 'edge', {
        edge: props.serving.edge,
        modelsBucket: models.bucket,
        security: props.security,
      });
    }
  }

  /** SageMaker endpoint names by spec name (literals: registry endpoints may not exist yet). */
  get endpointNames(): Record<string, string> {
    return Object.fromEntries([...this.endpoints].map(([name, e]) => [name, e.endpointName]));
  }

  /** What each registry endpoint is doing: serving a configuration, or waiting for a version. */
  get registryStatus(): Record<string, string> {
    return Object.fromEntries(
      [...this.endpoints].flatMap(([name, e]) => (e.registry ? [[name, e.registry.status]] : [])),
    );
  }

  /** Front door URLs of the public endpoints, by spec name. */
  get frontDoorUrls(): Record<string, string> {
    return Object.fromEntries(
      [...this.endpoints].flatMap(([name, e]) => (e.frontDoorUrl ? [[name, e.frontDoorUrl]] : [])),
    );
  }

  /** The serving area's outputs: endpoints, the deploy and its status, front doors, the promotion gate. */
  outputs(): StackOutput[] {
    const out: StackOutput[] = [];
    if (this.promotion?.topic) {
      out.push({
        name: 'promotion_approval_topic_arn',
        description:
          "SNS topic asking this environment's approvers to deploy a version approved in the promotion owner (subscribe them here; the message holds the send-task-success command).",
        value: this.promotion.topic.arn,
      });
    }
    out.push({
      name: 'endpoint_names',
      description: 'SageMaker endpoint names by spec name.',
      value: this.endpointNames,
    });
    if (this.deploy) {
      out.push(
        {
          name: 'serving_status',
          description:
            'Endpoints served from the registry: the configuration each serves, or the approved version it waits for (the serving deploy brings it up on approval; the next apply adopts it).',
          value: this.registryStatus,
        },
        {
          name: 'serving_deploy_state_machine_arn',
          description:
            'The serving deploy (Step Functions). It runs on every approval; start it by hand to redeploy: {"version": "<n>"} rolls back.',
          value: this.deploy.stateMachine.arn,
        },
      );
    }
    const urls = this.frontDoorUrls;
    if (Object.keys(urls).length > 0) {
      out.push({
        name: 'front_door_urls',
        description: 'URLs of the public front doors (POST, SigV4-signed), by endpoint spec name.',
        value: urls,
      });
    }
    return out;
  }
}
