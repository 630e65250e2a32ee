import { SagemakerMlflowTrackingServer } from '@cdktf/provider-aws/lib/sagemaker-mlflow-tracking-server';
import { Construct } from 'constructs';
import type { ResolvedMlflow } from '../../model/tracking';
import type { StackOutput } from '../outputs';
import type { SecurityContext } from '../security-context';
import { mlflowServerStatements } from './statements';

/** Props of {@link MlflowTracking}. */
export interface MlflowTrackingProps {
  readonly mlflow: ResolvedMlflow;
  readonly security: SecurityContext;
}

/**
 * The SageMaker managed MLflow tracking server `<pipeline>-mlflow` (tracking.mlflow): its
 * artifact store is a prefix of the models bucket, encrypted with the pipeline key by the
 * bucket's default encryption; its role reads and writes only that prefix (and, with
 * automatic registration, the pipeline's model package group). Clients get their grants
 * from `mlflowClientStatements` in their own roles.
 *
 * The resource has no `timeouts` block: the provider waits for the server to be Created
 * (about 20 minutes on a first apply) or Updated on its own
 * (internal/service/sagemaker/mlflow_tracking_server.go, waitMlflowTrackingServerCreated).
 * Size, maintenance window, artifact store and registration update in place
 * (UpdateMlflowTrackingServer); the name, role and MLflow version replace the server.
 */
export class MlflowTracking extends Construct {
  readonly server: SagemakerMlflowTrackingServer;

  constructor(scope: Construct, id: string, props: MlflowTrackingProps) {
    super(scope, id);
    const { mlflow: m, security: sec } = props;
    const role = sec.roles.create(this, 'Role', m.roleComponent, {
      services: ['sagemaker.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: SageMaker MLflow tracking server ${m.serverName}`,
      statements: mlflowServerStatements(m, sec),
    });
    this.server = new SagemakerMlflowTrackingServer(this, 'Resource', {
      trackingServerName: m.serverName,
      artifactStoreUri: m.artifacts.uri,
      roleArn: role.arn,
      trackingServerSize: m.size,
      ...(m.version !== undefined ? { mlflowVersion: m.version } : {}),
      weeklyMaintenanceWindowStart: m.maintenanceWindow,
      automaticModelRegistration: m.autoRegistrationGroup !== undefined,
      // The server assumes the role as it starts: its policy must be in place first.
      dependsOn: role.policyDependables,
    });
  }

  /** The tracking area's outputs: the server's ARN and URL. */
  outputs(): StackOutput[] {
    return [
      {
        name: 'mlflow_tracking_server_arn',
        description:
          'ARN of the MLflow tracking server: MLFLOW_TRACKING_URI for the sagemaker-mlflow plugin.',
        value: this.server.arn,
      },
      {
        name: 'mlflow_tracking_server_url',
        description: 'URL of the MLflow tracking server (open it through a presigned URL).',
        value: this.server.trackingServerUrl,
      },
    ];
  }
}
