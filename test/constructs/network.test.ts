import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformElement, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import type { Construct, Node } from 'constructs';
import { INTERFACE_ENDPOINT_NAMES } from '../../src/areas/network/catalog';
import { RoleFactory } from '../../src/constructs/iam/role-factory';
import { logicalIdOf, pathBelow } from '../../src/constructs/naming';
import { PipelineNetwork } from '../../src/constructs/network';
import type { NetworkContext } from '../../src/constructs/security-context';
import { compileData, MINIMAL } from '../harness/spec';
import { initValidatePlan } from '../harness/terraform';
import { testApp } from '../harness/cdktf-testing';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ALL_INTERFACE = [...INTERFACE_ENDPOINT_NAMES].sort();
/** What SageMaker training and serving derive (docs/endpoints.md). */
const SAGEMAKER_ENDPOINTS = ['sagemaker-api', 'sagemaker-runtime', 'sts', 'logs', 'ecr-api', 'ecr-dkr'];

/** A stack that names resources like PipelineStack does, holding only the provider and the network. */
class NetworkStack extends TerraformStack {
  readonly network: PipelineNetwork;

  constructor(scope: Construct, network: object) {
    super(scope, 'demo');
    const spec = compileData({ ...MINIMAL, network });
    if (spec.network === undefined) throw new Error('the test spec has no network');
    new AwsProvider(this, 'Aws', { region: spec.region });
    this.network = new PipelineNetwork(this, 'network', {
      network: spec.network,
      security: {
        pipeline: spec.name,
        region: spec.region,
        account: spec.account,
        partition: 'aws',
        keyArn: KEY_ARN,
        logRetentionDays: 365,
        roles: new RoleFactory({
          pipeline: spec.name,
          account: spec.account,
          partition: 'aws',
          path: spec.security.iam.rolePath,
        }),
      },
    });
    // Resolves the context's references the way consumers will see them.
    new TerraformOutput(this, 'context', { value: this.network.context });
  }

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    return logicalIdOf(pathBelow(this, node));
  }
}

interface Synthesized {
  resource: Resources;
  context: NetworkContext;
  json: string;
}

function synth(network: object): Synthesized {
  const stack = new NetworkStack(testApp(), network);
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json);
  return { resource: parsed.resource ?? {}, context: parsed.output.context.value, json };
}

const twoAz = (vpc: object = {}, rest: object = {}) => ({
  vpc: { cidr: '10.20.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'], ...vpc },
  ...rest,
});

const keys = (r: Resources, type: string) => Object.keys(r[type] ?? {}).sort();

describe('PipelineNetwork', () => {
  describe('GIVEN a 2-AZ VPC without public subnets or NAT, with the SageMaker interface endpoints', () => {
    const { resource: r, context } = synth(twoAz({}, { endpoints: { interface: SAGEMAKER_ENDPOINTS } }));

    test('THEN a VPC with DNS support and hostnames', () => {
      expect(keys(r, 'aws_vpc')).toEqual(['network']);
      expect(r.aws_vpc.network).toMatchObject({
        cidr_block: '10.20.0.0/16',
        enable_dns_support: true,
        enable_dns_hostnames: true,
        tags: { Name: 'demo-vpc' },
      });
    });

    test('THEN one private subnet per AZ, at the slot of its zone letter, never mapping public IPs', () => {
      expect(keys(r, 'aws_subnet')).toEqual(['network_private_us_east_1a', 'network_private_us_east_1b']);
      expect(r.aws_subnet.network_private_us_east_1a).toMatchObject({
        cidr_block: '10.20.0.0/20',
        availability_zone: 'us-east-1a',
        map_public_ip_on_launch: false,
        vpc_id: '${aws_vpc.network.id}',
        tags: { Name: 'demo-private-us-east-1a' },
      });
      expect(r.aws_subnet.network_private_us_east_1b).toMatchObject({
        cidr_block: '10.20.16.0/20',
        availability_zone: 'us-east-1b',
        map_public_ip_on_launch: false,
      });
    });

    test('THEN a route table per private subnet, no routes, no IGW, NAT or EIP', () => {
      expect(keys(r, 'aws_route_table')).toEqual([
        'network_private_us_east_1a',
        'network_private_us_east_1b',
      ]);
      expect(r.aws_route_table_association.network_private_us_east_1b).toEqual({
        subnet_id: '${aws_subnet.network_private_us_east_1b.id}',
        route_table_id: '${aws_route_table.network_private_us_east_1b.id}',
      });
      for (const t of ['aws_route', 'aws_internet_gateway', 'aws_nat_gateway', 'aws_eip']) {
        expect(r[t]).toBeUndefined();
      }
    });

    test('THEN the default security group is taken over with no rules at all', () => {
      const d = r.aws_default_security_group.network;
      expect(d.vpc_id).toBe('${aws_vpc.network.id}');
      expect(d.ingress).toEqual([]);
      expect(d.egress).toEqual([]);
    });

    test('THEN workload rules are exactly: self, HTTPS to the VPC and the gateway prefix lists; no internet', () => {
      expect(r.aws_security_group.network_workloads).toMatchObject({
        name: 'demo-workloads',
        vpc_id: '${aws_vpc.network.id}',
        tags: { Name: 'demo-workloads' },
      });
      expect(r.aws_security_group.network_workloads.egress).toBeUndefined();
      expect(r.aws_security_group.network_workloads.ingress).toBeUndefined();
      const sg = '${aws_security_group.network_workloads.id}';
      expect(r.aws_vpc_security_group_ingress_rule.network_workloads_from_self).toMatchObject({
        security_group_id: sg,
        ip_protocol: '-1',
        referenced_security_group_id: sg,
      });
      const egress = r.aws_vpc_security_group_egress_rule;
      expect(keys(r, 'aws_vpc_security_group_egress_rule')).toEqual([
        'network_workloads_https_to_dynamodb',
        'network_workloads_https_to_s3',
        'network_workloads_https_to_vpc',
        'network_workloads_to_self',
      ]);
      expect(egress.network_workloads_to_self).toMatchObject({
        ip_protocol: '-1',
        referenced_security_group_id: sg,
      });
      const https = { security_group_id: sg, ip_protocol: 'tcp', from_port: 443, to_port: 443 };
      expect(egress.network_workloads_https_to_vpc).toMatchObject({ ...https, cidr_ipv4: '10.20.0.0/16' });
      expect(egress.network_workloads_https_to_s3).toMatchObject({
        ...https,
        prefix_list_id: '${aws_vpc_endpoint.network_s3.prefix_list_id}',
      });
      expect(egress.network_workloads_https_to_dynamodb).toMatchObject({
        ...https,
        prefix_list_id: '${aws_vpc_endpoint.network_dynamodb.prefix_list_id}',
      });
      for (const rule of [
        ...Object.values(egress),
        ...Object.values(r.aws_vpc_security_group_ingress_rule),
      ]) {
        expect(rule.cidr_ipv4).not.toBe('0.0.0.0/0');
        expect(typeof rule.description).toBe('string');
      }
    });

    test('THEN the endpoint group admits HTTPS from the VPC only and has no egress', () => {
      expect(keys(r, 'aws_security_group')).toEqual(['network_endpoints', 'network_workloads']);
      expect(keys(r, 'aws_vpc_security_group_ingress_rule')).toEqual([
        'network_endpoints_https_from_vpc',
        'network_workloads_from_self',
      ]);
      expect(r.aws_vpc_security_group_ingress_rule.network_endpoints_https_from_vpc).toMatchObject({
        security_group_id: '${aws_security_group.network_endpoints.id}',
        ip_protocol: 'tcp',
        from_port: 443,
        to_port: 443,
        cidr_ipv4: '10.20.0.0/16',
      });
    });

    test('THEN S3 and DynamoDB gateway endpoints on every private route table', () => {
      const tables = [
        '${aws_route_table.network_private_us_east_1a.id}',
        '${aws_route_table.network_private_us_east_1b.id}',
      ];
      for (const [g, svc] of [
        ['network_s3', 's3'],
        ['network_dynamodb', 'dynamodb'],
      ]) {
        expect(r.aws_vpc_endpoint[g]).toMatchObject({
          vpc_endpoint_type: 'Gateway',
          service_name: `com.amazonaws.us-east-1.${svc}`,
          route_table_ids: tables,
        });
      }
      expect(r.aws_vpc_endpoint.network_s3.policy).toBeUndefined();
      const ddb = JSON.parse(r.aws_vpc_endpoint.network_dynamodb.policy as string);
      expect(ddb.Statement).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Condition: { StringEquals: { 'aws:ResourceAccount': '123456789012' } },
        }),
      ]);
    });

    test('THEN the interface endpoints, with private DNS, in every private subnet, behind the endpoint group', () => {
      expect(keys(r, 'aws_vpc_endpoint')).toEqual([
        'network_dynamodb',
        'network_ecr_api',
        'network_ecr_dkr',
        'network_logs',
        'network_s3',
        'network_sagemaker_api',
        'network_sagemaker_runtime',
        'network_sts',
      ]);
      expect(r.aws_vpc_endpoint.network_sagemaker_api).toEqual({
        vpc_id: '${aws_vpc.network.id}',
        service_name: 'com.amazonaws.us-east-1.sagemaker.api',
        vpc_endpoint_type: 'Interface',
        private_dns_enabled: true,
        subnet_ids: [
          '${aws_subnet.network_private_us_east_1a.id}',
          '${aws_subnet.network_private_us_east_1b.id}',
        ],
        security_group_ids: ['${aws_security_group.network_endpoints.id}'],
        tags: { Name: 'demo-sagemaker-api' },
      });
      expect(r.aws_vpc_endpoint.network_ecr_dkr.service_name).toBe('com.amazonaws.us-east-1.ecr.dkr');
      expect(r.aws_vpc_endpoint.network_sagemaker_runtime.service_name).toBe(
        'com.amazonaws.us-east-1.sagemaker.runtime',
      );
    });

    test('THEN flow logs to an encrypted log group through a role only vpc-flow-logs can assume', () => {
      expect(r.aws_cloudwatch_log_group.network_flow_logs).toEqual({
        name: '/pipeform/demo/vpc-flow-logs',
        kms_key_id: KEY_ARN,
        retention_in_days: 365,
      });
      expect(r.aws_flow_log.network_flow_logs).toMatchObject({
        vpc_id: '${aws_vpc.network.id}',
        traffic_type: 'ALL',
        log_destination_type: 'cloud-watch-logs',
        log_destination: '${aws_cloudwatch_log_group.network_flow_logs.arn}',
        iam_role_arn: '${aws_iam_role.network_flow_logs.arn}',
        max_aggregation_interval: 60,
      });
      const role = r.aws_iam_role.network_flow_logs;
      expect(role.name).toBe('demo-vpc-flow-logs');
      expect(JSON.parse(role.assume_role_policy as string).Statement).toEqual([
        {
          Sid: 'AssumedByService',
          Effect: 'Allow',
          Principal: { Service: ['vpc-flow-logs.amazonaws.com'] },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        },
      ]);
      const arn = '${aws_cloudwatch_log_group.network_flow_logs.arn}';
      expect(JSON.parse(r.aws_iam_role_policy.network_flow_logs.policy as string).Statement).toEqual([
        {
          Sid: 'DeliverFlowLogsToItsLogGroup',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          Resource: [arn, `${arn}:*`],
        },
        // Takes no resource-level permissions: on the group's ARN it would grant nothing.
        { Sid: 'FindItsLogGroup', Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
      ]);
    });

    test('THEN the context holds the VPC, the private subnets in AZ order and the workload group', () => {
      expect(context).toEqual({
        vpcId: '${aws_vpc.network.id}',
        privateSubnetIds: [
          '${aws_subnet.network_private_us_east_1a.id}',
          '${aws_subnet.network_private_us_east_1b.id}',
        ],
        securityGroupIds: ['${aws_security_group.network_workloads.id}'],
      });
    });
  });

  describe('GIVEN public subnets and per-az NAT', () => {
    const { resource: r } = synth(twoAz({ publicSubnets: true, natGateways: 'per-az' }));

    test('THEN public subnets in the upper half of the range, by zone letter, also without public IP mapping', () => {
      expect(r.aws_subnet.network_public_us_east_1a).toMatchObject({
        cidr_block: '10.20.128.0/20',
        availability_zone: 'us-east-1a',
        map_public_ip_on_launch: false,
      });
      expect(r.aws_subnet.network_public_us_east_1b).toMatchObject({
        cidr_block: '10.20.144.0/20',
        map_public_ip_on_launch: false,
      });
    });

    test('THEN an IGW, a public route table to it, and both public subnets on that table', () => {
      expect(keys(r, 'aws_internet_gateway')).toEqual(['network']);
      expect(r.aws_route.network_public).toEqual({
        route_table_id: '${aws_route_table.network_public.id}',
        destination_cidr_block: '0.0.0.0/0',
        gateway_id: '${aws_internet_gateway.network.id}',
      });
      for (const az of ['a', 'b']) {
        expect(r.aws_route_table_association[`network_public_us_east_1${az}`].route_table_id).toBe(
          '${aws_route_table.network_public.id}',
        );
      }
    });

    test('THEN one NAT with its EIP per AZ, and each private table routes to its own AZ NAT', () => {
      expect(keys(r, 'aws_nat_gateway')).toEqual(['network_nat_us_east_1a', 'network_nat_us_east_1b']);
      expect(keys(r, 'aws_eip')).toEqual(['network_nat_us_east_1a', 'network_nat_us_east_1b']);
      expect(r.aws_nat_gateway.network_nat_us_east_1b).toMatchObject({
        subnet_id: '${aws_subnet.network_public_us_east_1b.id}',
        allocation_id: '${aws_eip.network_nat_us_east_1b.allocation_id}',
        depends_on: ['aws_internet_gateway.network'],
      });
      expect(r.aws_eip.network_nat_us_east_1a).toMatchObject({ domain: 'vpc' });
      for (const az of ['a', 'b']) {
        expect(r.aws_route[`network_private_us_east_1${az}`]).toEqual({
          route_table_id: `\${aws_route_table.network_private_us_east_1${az}.id}`,
          destination_cidr_block: '0.0.0.0/0',
          nat_gateway_id: `\${aws_nat_gateway.network_nat_us_east_1${az}.id}`,
        });
      }
    });

    test('THEN workloads may reach HTTPS on the internet (through NAT)', () => {
      expect(r.aws_vpc_security_group_egress_rule.network_workloads_https_to_internet).toMatchObject({
        ip_protocol: 'tcp',
        from_port: 443,
        to_port: 443,
        cidr_ipv4: '0.0.0.0/0',
      });
    });

    test('THEN gateway endpoints stay on the private tables only', () => {
      expect(r.aws_vpc_endpoint.network_s3.route_table_ids).toEqual([
        '${aws_route_table.network_private_us_east_1a.id}',
        '${aws_route_table.network_private_us_east_1b.id}',
      ]);
    });
  });

  test('GIVEN a single NAT THEN one NAT in the first public subnet and every private table routes to it', () => {
    const { resource: r } = synth(twoAz({ publicSubnets: true, natGateways: 'single' }));
    expect(keys(r, 'aws_nat_gateway')).toEqual(['network_nat_us_east_1a']);
    expect(keys(r, 'aws_eip')).toEqual(['network_nat_us_east_1a']);
    expect(r.aws_nat_gateway.network_nat_us_east_1a.subnet_id).toBe(
      '${aws_subnet.network_public_us_east_1a.id}',
    );
    for (const az of ['a', 'b']) {
      expect(r.aws_route[`network_private_us_east_1${az}`].nat_gateway_id).toBe(
        '${aws_nat_gateway.network_nat_us_east_1a.id}',
      );
    }
  });

  test('GIVEN the same zones in another order THEN the same configuration: the single NAT stays in the zone that sorts first', () => {
    const inOrder = synth(twoAz({ publicSubnets: true, natGateways: 'single' })).json;
    const reversed = synth({
      vpc: {
        cidr: '10.20.0.0/16',
        availabilityZones: ['us-east-1b', 'us-east-1a'],
        publicSubnets: true,
        natGateways: 'single',
      },
    }).json;
    expect(reversed).toBe(inOrder);
  });

  test('GIVEN public subnets without NAT THEN an IGW but no NAT, no private routes and no internet egress', () => {
    const { resource: r } = synth(twoAz({ publicSubnets: true }));
    expect(keys(r, 'aws_internet_gateway')).toEqual(['network']);
    expect(r.aws_nat_gateway).toBeUndefined();
    expect(keys(r, 'aws_route')).toEqual(['network_public']);
    expect(r.aws_vpc_security_group_egress_rule.network_workloads_https_to_internet).toBeUndefined();
  });

  test('GIVEN every interface endpoint THEN each maps to its AWS service name', () => {
    const { resource: r } = synth(twoAz({}, { endpoints: { interface: ALL_INTERFACE } }));
    const names = Object.fromEntries(
      Object.entries(r.aws_vpc_endpoint).map(([k, v]) => [k, v.service_name as string]),
    );
    const svc = (s: string) => `com.amazonaws.us-east-1.${s}`;
    expect(names).toEqual({
      network_autoscaling: svc('autoscaling'),
      network_dynamodb: svc('dynamodb'),
      network_ec2: svc('ec2'),
      network_ecr_api: svc('ecr.api'),
      network_ecr_dkr: svc('ecr.dkr'),
      network_eks: svc('eks'),
      network_eks_auth: svc('eks-auth'),
      network_elasticloadbalancing: svc('elasticloadbalancing'),
      network_elasticmapreduce: svc('elasticmapreduce'),
      network_events: svc('events'),
      network_glue: svc('glue'),
      network_kms: svc('kms'),
      network_logs: svc('logs'),
      network_monitoring: svc('monitoring'),
      network_s3: svc('s3'),
      network_sagemaker_api: svc('sagemaker.api'),
      network_sagemaker_runtime: svc('sagemaker.runtime'),
      network_secretsmanager: svc('secretsmanager'),
      network_ssm: svc('ssm'),
      network_states: svc('states'),
      network_sts: svc('sts'),
    });
  });

  test('GIVEN no workloads in the VPC THEN it derives no interface endpoint and no endpoint group', () => {
    const { resource: r } = synth(twoAz());
    expect(keys(r, 'aws_vpc_endpoint')).toEqual(['network_dynamodb', 'network_s3']);
    expect(keys(r, 'aws_security_group')).toEqual(['network_workloads']);
  });

  test('GIVEN no endpoints and no flow logs THEN no endpoints, no endpoint group, no HTTPS-to-VPC, no flow logs', () => {
    const { resource: r } = synth(
      twoAz({}, { endpoints: { gateway: false, interface: [] }, flowLogs: { enabled: false } }),
    );
    expect(r.aws_vpc_endpoint).toBeUndefined();
    expect(keys(r, 'aws_security_group')).toEqual(['network_workloads']);
    expect(keys(r, 'aws_vpc_security_group_egress_rule')).toEqual(['network_workloads_to_self']);
    for (const t of ['aws_flow_log', 'aws_cloudwatch_log_group', 'aws_iam_role', 'aws_iam_role_policy']) {
      expect(r[t]).toBeUndefined();
    }
  });

  test('GIVEN flow logs of rejected traffic only THEN traffic_type REJECT', () => {
    const { resource: r } = synth(twoAz({}, { flowLogs: { trafficType: 'REJECT' } }));
    expect(r.aws_flow_log.network_flow_logs.traffic_type).toBe('REJECT');
  });

  test('GIVEN an existing network THEN no resources and the given ids', () => {
    const existing = {
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      securityGroupIds: ['sg-0123456789abcdef0'],
    };
    const { resource, context } = synth({ existing });
    expect(resource).toEqual({});
    expect(context).toEqual({
      vpcId: existing.vpcId,
      privateSubnetIds: existing.subnetIds,
      securityGroupIds: existing.securityGroupIds,
    });
  });

  test('GIVEN per-az NAT and every interface endpoint THEN terraform validates and plans without warnings', () => {
    const { json } = synth(
      twoAz({ publicSubnets: true, natGateways: 'per-az' }, { endpoints: { interface: ALL_INTERFACE } }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-network-'));
    writeFileSync(join(dir, 'main.tf.json'), json);
    const run = initValidatePlan(dir);
    if (!run.ok) throw new Error(`terraform ${run.step} failed:\n${run.output}`);
    expect(run.checkOutput).not.toContain('Warning:');
  });
});
