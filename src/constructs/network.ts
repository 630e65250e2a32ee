import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn, type TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { INTERFACE_ENDPOINTS, type InterfaceEndpointInfo } from '../areas/network/catalog';
import type { ResolvedNetwork, ResolvedSubnet, ResolvedVpc } from '../model/resolved';
import { policyJson, type PolicyStatement } from './iam/policy';
import { encryptedLogGroup } from './logs';
import type { NetworkContext, SecurityContext } from './security-context';
import type { StackOutput } from './outputs';

/** Gateway endpoints, created together when `endpoints.gateway` is on. */
export const GATEWAY_ENDPOINTS = ['dynamodb', 's3'] as const;

/** Actions the flow-logs service needs on its log group, and nothing else. */
const FLOW_LOG_ACTIONS = ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'];

/** The VPC endpoint service name of an interface endpoint name, e.g. `com.amazonaws.us-east-1.ecr.api`. */
export function interfaceServiceName(name: string, region: string): string {
  const info = (INTERFACE_ENDPOINTS as Readonly<Record<string, InterfaceEndpointInfo>>)[name];
  if (info === undefined) throw new Error(`internal: unknown interface endpoint ${JSON.stringify(name)}`);
  return `com.amazonaws.${region}.${info.service}`;
}

/** Flow-log delivery may write only to its own log group and that group's streams. */
export function flowLogStatements(logGroupArn: string): PolicyStatement[] {
  return [
    {
      Sid: 'DeliverFlowLogsToItsLogGroup',
      Effect: 'Allow',
      Action: FLOW_LOG_ACTIONS,
      Resource: [logGroupArn, `${logGroupArn}:*`],
    },
    {
      // DescribeLogGroups takes no resource-level permissions (Service Authorization
      // Reference, CloudWatch Logs): granted on a log-group ARN it grants nothing.
      Sid: 'FindItsLogGroup',
      Effect: 'Allow',
      Action: 'logs:DescribeLogGroups',
      Resource: '*',
    },
  ];
}

/** Props of {@link PipelineNetwork}. */
export interface PipelineNetworkProps {
  readonly network: ResolvedNetwork;
  /** The network is what this construct provides, so the context it takes has none yet. */
  readonly security: Omit<SecurityContext, 'network' | 'edge'>;
  /** Module inputs that replace the ids of an existing network (the spec's ids are their defaults). */
  readonly existing?: {
    readonly vpcId: TerraformVariable;
    readonly subnetIds: TerraformVariable;
    readonly securityGroupIds: TerraformVariable;
  };
}

/**
 * The pipeline's private network. For an existing VPC it only passes the given ids on.
 * For a created VPC: private subnets per AZ (no public IPs), optional public subnets with
 * an internet gateway and NAT, a locked default security group, a workload security group
 * whose egress is limited to itself, the VPC's HTTPS endpoints and (only with NAT) HTTPS to
 * the internet, gateway and interface endpoints, and flow logs to an encrypted log group.
 */
export class PipelineNetwork extends Construct {
  /** Where workloads run; handed to every component through the security context. */
  readonly context: NetworkContext;
  /** The created VPC; undefined for an existing network. */
  readonly vpc?: Vpc;

  constructor(scope: Construct, id: string, props: PipelineNetworkProps) {
    super(scope, id);
    const n = props.network;
    if (n.mode === 'existing') {
      const inputs = props.existing;
      // One scalar reference per id, so components can pick a subnet (e.g. the first);
      // the module's inputs validate that callers pass as many ids as the spec names.
      const each = (list: TerraformVariable, count: number) =>
        Array.from({ length: count }, (_, i) => Fn.element(list.listValue, i));
      this.context = inputs
        ? {
            vpcId: inputs.vpcId.stringValue,
            privateSubnetIds: each(inputs.subnetIds, n.subnetIds.length),
            securityGroupIds: each(inputs.securityGroupIds, n.securityGroupIds.length),
          }
        : { vpcId: n.vpcId, privateSubnetIds: [...n.subnetIds], securityGroupIds: [...n.securityGroupIds] };
      return;
    }
    const sec = props.security;
    const p = sec.pipeline;
    const name = (suffix: string) => ({ Name: `${p}-${suffix}` });

    const vpc = new Vpc(this, 'Vpc', {
      cidrBlock: n.vpc.cidr,
      // Private DNS of interface endpoints needs both.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: name('vpc'),
    });
    this.vpc = vpc;
    // Taking over the default group strips its rules: nothing that lands in it by accident can talk.
    new DefaultSecurityGroup(this, 'DefaultSecurityGroup', {
      vpcId: vpc.id,
      ingress: [],
      egress: [],
      tags: name('default-locked'),
    });

    const natByAz = this.publicTier(vpc, n.vpc, p);
    const privateRouteTables: RouteTable[] = [];
    const privateSubnetIds: string[] = [];
    const single = natByAz.size === 1 ? [...natByAz.values()][0] : undefined;
    for (const s of n.vpc.privateSubnets) {
      const subnet = new Construct(this, s.name);
      const resource = subnetResource(subnet, vpc, s, p);
      const table = new RouteTable(subnet, 'RouteTable', { vpcId: vpc.id, tags: name(s.name) });
      new RouteTableAssociation(subnet, 'Association', { subnetId: resource.id, routeTableId: table.id });
      const nat = natByAz.get(s.availabilityZone) ?? single;
      if (nat) {
        new Route(subnet, 'DefaultRoute', {
          routeTableId: table.id,
          destinationCidrBlock: '0.0.0.0/0',
          natGatewayId: nat.id,
        });
      }
      privateRouteTables.push(table);
      privateSubnetIds.push(resource.id);
    }

    const hasInterfaceEndpoints = n.endpoints.interface.length > 0;
    const { scope: wl, group: workloads } = securityGroup(
      this,
      'workloads',
      vpc,
      p,
      'Pipeline workloads (training, processing, jobs)',
    );
    const ruleBase = { securityGroupId: workloads.id };
    new VpcSecurityGroupIngressRule(wl, 'from-self', {
      ...ruleBase,
      description: 'All traffic between workloads (distributed training, Glue, EMR nodes)',
      ipProtocol: '-1',
      referencedSecurityGroupId: workloads.id,
    });
    new VpcSecurityGroupEgressRule(wl, 'to-self', {
      ...ruleBase,
      description: 'All traffic between workloads (distributed training, Glue, EMR nodes)',
      ipProtocol: '-1',
      referencedSecurityGroupId: workloads.id,
    });
    const https = { ...ruleBase, ipProtocol: 'tcp', fromPort: 443, toPort: 443 };
    if (hasInterfaceEndpoints) {
      new VpcSecurityGroupEgressRule(wl, 'https-to-vpc', {
        ...https,
        description: 'HTTPS to the interface endpoints in the VPC',
        cidrIpv4: n.vpc.cidr,
      });
    }

    const endpointScope = new Construct(this, 'VpcEndpoints');
    if (n.endpoints.gateway) {
      for (const g of GATEWAY_ENDPOINTS) {
        const endpoint = new VpcEndpoint(endpointScope, g, {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${sec.region}.${g}`,
          vpcEndpointType: 'Gateway',
          routeTableIds: privateRouteTables.map((t) => t.id),
          // S3 keeps the default (full) policy: ECR image layers, SageMaker and AWS-owned
          // buckets are reached through it, and no account condition can list them all.
          ...(g === 'dynamodb' ? { policy: policyJson(dynamodbEndpointStatements(sec.account)) } : {}),
          tags: name(g),
        });
        new VpcSecurityGroupEgressRule(wl, `https-to-${g}`, {
          ...https,
          description: `HTTPS to ${g === 's3' ? 'S3' : 'DynamoDB'} through its gateway endpoint`,
          prefixListId: endpoint.prefixListId,
        });
      }
    }
    if (hasInterfaceEndpoints) {
      const { scope: es, group: endpoints } = securityGroup(
        this,
        'endpoints',
        vpc,
        p,
        'Interface VPC endpoints, HTTPS from the VPC',
      );
      new VpcSecurityGroupIngressRule(es, 'https-from-vpc', {
        securityGroupId: endpoints.id,
        description: 'HTTPS from the VPC',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: n.vpc.cidr,
      });
      // Interface endpoints keep the default policy: callers legitimately reach AWS-owned
      // resources (SageMaker and Deep Learning Container images in ECR, roles they assume,
      // keys that may live in another account), which an account condition would cut off.
      for (const e of n.endpoints.interface) {
        new VpcEndpoint(endpointScope, e, {
          vpcId: vpc.id,
          serviceName: interfaceServiceName(e, sec.region),
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: privateSubnetIds,
          securityGroupIds: [endpoints.id],
          tags: name(e),
        });
      }
    }
    if (natByAz.size > 0) {
      new VpcSecurityGroupEgressRule(wl, 'https-to-internet', {
        ...https,
        description: 'HTTPS to the internet through NAT',
        cidrIpv4: '0.0.0.0/0',
      });
    }

    if (n.flowLogs.enabled) {
      const flow = new Construct(this, 'flow-logs');
      const groupName = `/pipeform/${p}/vpc-flow-logs`;
      const group = encryptedLogGroup(flow, 'LogGroup', groupName, sec);
      const role = sec.roles.create(flow, 'Role', 'vpc-flow-logs', {
        services: ['vpc-flow-logs.amazonaws.com'],
        description: `pipeform ${p}: delivers VPC flow logs to ${groupName}`,
        statements: flowLogStatements(group.arn),
      });
      new FlowLog(flow, 'Resource', {
        vpcId: vpc.id,
        trafficType: n.flowLogs.trafficType,
        logDestinationType: 'cloud-watch-logs',
        logDestination: group.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: name('flow-logs'),
      });
    }

    this.context = { vpcId: vpc.id, privateSubnetIds, securityGroupIds: [workloads.id] };
  }

  /** Public subnets, the internet gateway and NAT; returns the NAT gateways by AZ. */
  private publicTier(vpc: Vpc, v: ResolvedVpc, p: string): Map<string, NatGateway> {
    const natByAz = new Map<string, NatGateway>();
    if (v.publicSubnets.length === 0) return natByAz;
    const igw = new InternetGateway(this, 'InternetGateway', { vpcId: vpc.id, tags: { Name: `${p}-igw` } });
    const tableScope = new Construct(this, 'public');
    const table = new RouteTable(tableScope, 'Resource', { vpcId: vpc.id, tags: { Name: `${p}-public` } });
    new Route(tableScope, 'InternetRoute', {
      routeTableId: table.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });
    const natSubnets =
      v.natGateways === 'per-az' ? v.publicSubnets : v.natGateways === 'single' ? [v.publicSubnets[0]] : [];
    for (const s of v.publicSubnets) {
      const subnet = new Construct(this, s.name);
      const resource = subnetResource(subnet, vpc, s, p);
      new RouteTableAssociation(subnet, 'Association', { subnetId: resource.id, routeTableId: table.id });
      if (!natSubnets.includes(s)) continue;
      // Named by AZ, so going from 'single' to 'per-az' keeps the first NAT where it is.
      const nat = new Construct(this, `nat-${s.availabilityZone}`);
      const tags = { Name: `${p}-nat-${s.availabilityZone}` };
      // The IGW must be attached before an EIP can be used for NAT (provider docs).
      const eip = new Eip(nat, 'Eip', { domain: 'vpc', tags, dependsOn: [igw] });
      natByAz.set(
        s.availabilityZone,
        new NatGateway(nat, 'Resource', {
          allocationId: eip.allocationId,
          subnetId: resource.id,
          connectivityType: 'public',
          tags,
          dependsOn: [igw],
        }),
      );
    }
    return natByAz;
  }

  /** The network area's outputs: where workloads run. */
  outputs(): StackOutput[] {
    return [
      { name: 'vpc_id', description: 'VPC the pipeline runs in.', value: this.context.vpcId },
      {
        name: 'private_subnet_ids',
        description: 'Private subnets where workloads run.',
        value: [...this.context.privateSubnetIds],
      },
      {
        name: 'workload_security_group_ids',
        description: 'Security groups of pipeline workloads.',
        value: [...this.context.securityGroupIds],
      },
    ];
  }
}

/** A subnet that never hands out public IPs (NAT gateways use their EIPs, nothing else is public). */
function subnetResource(scope: Construct, vpc: Vpc, s: ResolvedSubnet, p: string): Subnet {
  return new Subnet(scope, 'Resource', {
    vpcId: vpc.id,
    cidrBlock: s.cidr,
    availabilityZone: s.availabilityZone,
    mapPublicIpOnLaunch: false,
    tags: { Name: `${p}-${s.name}` },
  });
}

/**
 * A security group without inline rules, under a construct of its own so its rules (separate
 * resources, added to `scope`) get addresses like `network_workloads_to_self`. The provider
 * removes AWS's allow-all egress rule on create, so only the rules declared here exist.
 */
function securityGroup(
  parent: Construct,
  id: string,
  vpc: Vpc,
  p: string,
  description: string,
): { scope: Construct; group: SecurityGroup } {
  const scope = new Construct(parent, id);
  const group = new SecurityGroup(scope, 'Resource', {
    name: `${p}-${id}`,
    description,
    vpcId: vpc.id,
    tags: { Name: `${p}-${id}` },
  });
  return { scope, group };
}

/** DynamoDB through the gateway endpoint reaches only this account's tables (pipeform uses no others). */
export function dynamodbEndpointStatements(account: string): PolicyStatement[] {
  return [
    {
      Sid: 'OnlyThisAccountsTables',
      Effect: 'Allow',
      Principal: '*',
      Action: 'dynamodb:*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceAccount': account } },
    },
  ];
}
