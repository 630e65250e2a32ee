import { IotRoleAlias } from '@cdktf/provider-aws/lib/iot-role-alias';
import { SagemakerDeviceFleet } from '@cdktf/provider-aws/lib/sagemaker-device-fleet';
import { Construct } from 'constructs';
import type { ResolvedEdge } from '../../model/serving';
import type { SecurityContext } from '../security-context';
import { edgeFleetStatements, s3Arn } from './policies';

/** Props of {@link EdgeFleet}. */
export interface EdgeFleetProps {
  readonly edge: ResolvedEdge;
  /** Reference to the models bucket name, so the fleet is created once the bucket exists. */
  readonly modelsBucket: string;
  readonly security: SecurityContext;
}

/**
 * A SageMaker Edge Manager device fleet: device data lands in the models bucket under
 * `<pipeline>/edge/`, encrypted with the pipeline key. Devices exchange their IoT
 * certificate for temporary credentials of the fleet role through an IoT role alias that
 * Terraform manages; SageMaker's own alias (`enable_iot_role_alias`) stays off, so no alias
 * exists outside the state.
 */
export class EdgeFleet extends Construct {
  readonly fleet: SagemakerDeviceFleet;
  readonly roleAlias: IotRoleAlias;

  constructor(scope: Construct, id: string, props: EdgeFleetProps) {
    super(scope, id);
    const { edge, security: sec } = props;
    const role = sec.roles.create(this, 'Role', `edge-${edge.name}`, {
      services: ['credentials.iot.amazonaws.com', 'sagemaker.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: credentials of the edge devices of fleet ${edge.fleetName}`,
      statements: edgeFleetStatements(edge, s3Arn(sec.partition, edge.bucketName), sec),
      // The IoT credentials provider assumes the role for a device certificate without aws:SourceAccount.
      sourceAccountCondition: false,
    });
    this.roleAlias = new IotRoleAlias(this, 'RoleAlias', {
      alias: edge.roleAlias,
      roleArn: role.arn,
      credentialDuration: edge.credentialDurationSeconds,
    });
    this.fleet = new SagemakerDeviceFleet(this, 'Resource', {
      deviceFleetName: edge.fleetName,
      description: edge.description,
      roleArn: role.arn,
      enableIotRoleAlias: false,
      outputConfig: {
        s3OutputLocation: `s3://${props.modelsBucket}/${edge.prefix}`,
        kmsKeyId: sec.keyArn,
      },
    });
  }
}
