import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Construct } from 'constructs';
import type { ResolvedServing } from '../../model/serving';
import type { SecurityContext } from '../security-context';
import { EdgeFleet } from './edge-fleet';
import { InferenceEndpoint } from './endpoint';

/** Props of {@link Serving}. */
export interface ServingProps {
  readonly serving: ResolvedServing;
  /** The data lake's buckets by spec name. */
  readonly buckets: ReadonlyMap<string, S3Bucket>;
  readonly security: SecurityContext;
}

/**
 * The serving area: one {@link InferenceEndpoint} per endpoint (construct id = spec name)
 * and the {@link EdgeFleet} (id `edge`, a name endpoints may not take).
 */
export class Serving extends Construct {
  /** Endpoints by spec name. */
  readonly endpoints: ReadonlyMap<string, InferenceEndpoint>;
  readonly edge?: EdgeFleet;

  constructor(scope: Construct, id: string, props: ServingProps) {
    super(scope, id);
    const endpoints = new Map<string, InferenceEndpoint>();
    for (const endpoint of props.serving.endpoints) {
      endpoints.set(
        endpoint.name,
        new InferenceEndpoint(this, endpoint.name, {
          endpoint,
          buckets: props.buckets,
          modelsBucketName: props.serving.modelsBucketName,
          security: props.security,
        }),
      );
    }
    this.endpoints = endpoints;
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

  /** SageMaker endpoint names by spec name. */
  get endpointNames(): Record<string, string> {
    return Object.fromEntries([...this.endpoints].map(([name, e]) => [name, e.endpoint.name]));
  }

  /** Front door URLs of the public endpoints, by spec name. */
  get frontDoorUrls(): Record<string, string> {
    return Object.fromEntries(
      [...this.endpoints].flatMap(([name, e]) => (e.frontDoorUrl ? [[name, e.frontDoorUrl]] : [])),
    );
  }
}
