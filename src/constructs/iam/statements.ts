import type { PolicyStatement } from './policy';

/** Statement ids of {@link networkInterfaceStatements}, unique within the policy they join. */
export interface NetworkInterfaceSids {
  /** Creating an interface with a subnet and security groups of the pipeline VPC. */
  readonly create: string;
  /** Managing the interfaces themselves. */
  readonly manage: string;
  readonly describe: string;
  /** Letting the service attach the interfaces (only with {@link NetworkInterfaceService.authorizedService}). */
  readonly authorize?: string;
}

/**
 * What differs between the services that place network interfaces in the pipeline VPC with
 * a role of the pipeline: the actions they call on the interfaces and to look the network
 * up, and whether a service attaches the interfaces on the role's behalf.
 */
export interface NetworkInterfaceService {
  /** Actions on `network-interface/*` besides creating one. */
  readonly manage: readonly string[];
  /** Describe calls (EC2 Describe actions take no resource ARN: they are granted on `*`). */
  readonly describe: readonly string[];
  /**
   * The service principal that attaches the interfaces (`ec2:CreateNetworkInterfacePermission`
   * with `ec2:AuthorizedService`, in the pipeline VPC only).
   */
  readonly authorizedService?: string;
}

/** The Describe calls SageMaker and CodeBuild make to place their interfaces. */
const DESCRIBE_NETWORK = [
  'ec2:DescribeDhcpOptions',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcs',
] as const;

/**
 * The services pipeform runs in the pipeline VPC, with what each needs by its documentation:
 * - SageMaker jobs and endpoints: "Give SageMaker access to resources in your Amazon VPC"
 *   (the interface permission calls are SageMaker's own, made with the role).
 * - Lambda: the AWSLambdaVPCAccessExecutionRole managed policy (secondary private addresses
 *   are assigned and unassigned on the function's interfaces).
 * - Glue connections: the EC2 part of AWSGlueServiceRole; Glue tags the interfaces it creates.
 * - CodeBuild: "Allow CodeBuild access to AWS services required to create a VPC network
 *   interface"; CodeBuild attaches the interface, hence the authorized-service permission.
 */
export const NETWORK_INTERFACE_SERVICES = {
  sagemaker: {
    manage: [
      'ec2:CreateNetworkInterfacePermission',
      'ec2:DeleteNetworkInterface',
      'ec2:DeleteNetworkInterfacePermission',
    ],
    describe: DESCRIBE_NETWORK,
  },
  lambda: {
    manage: ['ec2:AssignPrivateIpAddresses', 'ec2:DeleteNetworkInterface', 'ec2:UnassignPrivateIpAddresses'],
    describe: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
  },
  glue: {
    manage: ['ec2:CreateTags', 'ec2:DeleteNetworkInterface'],
    describe: [
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcAttribute',
      'ec2:DescribeVpcEndpoints',
      'ec2:DescribeVpcs',
    ],
  },
  codebuild: {
    manage: ['ec2:DeleteNetworkInterface'],
    describe: DESCRIBE_NETWORK,
    authorizedService: 'codebuild.amazonaws.com',
  },
} as const satisfies Record<string, NetworkInterfaceService>;

/** A grant of {@link networkInterfaceStatements}. */
export interface NetworkInterfaceGrant {
  readonly service: NetworkInterfaceService;
  readonly sids: NetworkInterfaceSids;
  /**
   * The subnets and security groups the service is given, by id: the role may create
   * interfaces only from these (tighter than any of the VPC). Without it, any of the VPC.
   */
  readonly placement?: {
    readonly subnetIds: readonly string[];
    readonly securityGroupIds: readonly string[];
  };
}

/**
 * The one builder of network-interface grants: what a role needs so its service can place
 * interfaces in the pipeline VPC. Creating one is allowed only from subnets and security
 * groups of that VPC (`ec2:Vpc`; any other subnet of the account is refused), by id where
 * the service is given exact ones; then the service's own actions on the interfaces, the
 * attach permission for the service that attaches them (in the VPC only), and its Describe
 * calls. Used by training and processing jobs, Model Monitor jobs, endpoints, Lambda, Glue
 * and CodeBuild.
 */
export function networkInterfaceStatements(
  sec: { readonly partition: string; readonly region: string; readonly account: string },
  vpcId: string,
  grant: NetworkInterfaceGrant,
): PolicyStatement[] {
  const ec2 = (resource: string) => `arn:${sec.partition}:ec2:${sec.region}:${sec.account}:${resource}`;
  const inVpc = { ArnEquals: { 'ec2:Vpc': ec2(`vpc/${vpcId}`) } };
  const { service, sids, placement } = grant;
  const placedIn = placement
    ? [
        ...placement.securityGroupIds.map((id) => ec2(`security-group/${id}`)),
        ...placement.subnetIds.map((id) => ec2(`subnet/${id}`)),
      ]
    : [ec2('security-group/*'), ec2('subnet/*')];
  const statements: PolicyStatement[] = [
    {
      Sid: sids.create,
      Effect: 'Allow',
      Action: 'ec2:CreateNetworkInterface',
      Resource: placedIn,
      Condition: inVpc,
    },
    {
      Sid: sids.manage,
      Effect: 'Allow',
      Action: ['ec2:CreateNetworkInterface', ...service.manage].sort(),
      Resource: ec2('network-interface/*'),
    },
  ];
  if (service.authorizedService !== undefined) {
    if (sids.authorize === undefined)
      throw new Error(
        `internal: the ${service.authorizedService} interface grant needs an authorize statement id`,
      );
    statements.push({
      Sid: sids.authorize,
      Effect: 'Allow',
      Action: 'ec2:CreateNetworkInterfacePermission',
      Resource: ec2('network-interface/*'),
      Condition: { StringEquals: { 'ec2:AuthorizedService': service.authorizedService }, ...inVpc },
    });
  }
  statements.push({
    Sid: sids.describe,
    Effect: 'Allow',
    Action: [...service.describe].sort(),
    Resource: '*',
  });
  return statements;
}

/** Shared with the serving deploy role's pure model (src/areas/serving/deploy-role.ts). */
export { stateMachineTelemetryStatements } from '../../areas/security/policy';
