import { Testing } from 'cdktf';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { compileData, MINIMAL } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const KEY = '${aws_kms_key.kms.arn}';
const NETWORK = { vpc: { cidr: '10.20.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } };
const EMR = {
  applications: ['Spark', 'Hive', 'Trino'],
  reads: [{ bucket: 'curated' }],
  writes: [{ bucket: 'features', prefix: 'emr/' }],
  cluster: {
    interactive: true,
    tlsCertificates: 's3://acme-pki/emr/certs.zip',
    core: { units: 2, spotPercent: 50 },
    task: { units: 4 },
    scaling: { maxUnits: 20 },
    idleTimeoutMinutes: 30,
  },
};

function synth(spec: object): Resources {
  const stack = new PipelineStack(testApp(), 'demo', compileData(spec));
  return JSON.parse(Testing.synth(stack)).resource;
}
const statements = (r: Resources, name: string) =>
  JSON.parse(r.aws_iam_role_policy[name].policy as string).Statement as {
    Sid: string;
    Action: string | string[];
    Resource: string | string[];
    Condition?: object;
  }[];

describe('EMR cluster', () => {
  const r = synth({
    ...MINIMAL,
    network: NETWORK,
    data: { glue: { databases: [{ name: 'lake' }] }, emr: EMR },
  });
  const cluster = r.aws_emr_cluster.emr;

  test('release, applications, Glue catalog as metastore for each engine', () => {
    expect(cluster).toMatchObject({
      name: 'demo-emr',
      release_label: 'emr-7.5.0',
      applications: ['Hive', 'Spark', 'Trino'],
    });
    expect(
      JSON.parse(cluster.configurations_json as string).map(
        (c: { Classification: string }) => c.Classification,
      ),
    ).toEqual(['hive-site', 'spark-hive-site', 'trino-connector-hive']);
  });

  test('core fleet mixes on-demand and spot with price-capacity-optimized spot and a fallback to on-demand', () => {
    expect(cluster.core_instance_fleet).toMatchObject({
      target_on_demand_capacity: 1,
      target_spot_capacity: 1,
      launch_specifications: {
        on_demand_specification: [{ allocation_strategy: 'lowest-price' }],
        spot_specification: [
          {
            allocation_strategy: 'price-capacity-optimized',
            timeout_action: 'SWITCH_TO_ON_DEMAND',
            timeout_duration_minutes: 10,
          },
        ],
      },
    });
    expect(cluster.master_instance_fleet).toMatchObject({ target_on_demand_capacity: 1 });
    expect(r.aws_emr_instance_fleet.emr_task).toMatchObject({
      cluster_id: '${aws_emr_cluster.emr.id}',
      target_on_demand_capacity: 0,
      target_spot_capacity: 4,
      lifecycle: { ignore_changes: ['target_on_demand_capacity', 'target_spot_capacity'] },
    });
  });

  test('managed scaling limits in fleet units; Terraform leaves the scaled capacity alone', () => {
    expect(r.aws_emr_managed_scaling_policy.emr).toEqual({
      cluster_id: '${aws_emr_cluster.emr.id}',
      compute_limits: [
        {
          unit_type: 'InstanceFleetUnits',
          minimum_capacity_units: 2,
          maximum_capacity_units: 20,
          maximum_ondemand_capacity_units: 1,
          maximum_core_capacity_units: 2,
        },
      ],
    });
    expect((cluster.lifecycle as { ignore_changes: string[] }).ignore_changes).toContain(
      'core_instance_fleet[0].target_spot_capacity',
    );
  });

  test('auto-termination when idle, encrypted logs in the logs bucket, private subnets, EMR-managed groups', () => {
    expect(cluster).toMatchObject({
      auto_termination_policy: { idle_timeout: 1800 },
      log_uri: 's3://${aws_s3_bucket.lake_logs.bucket}/emr/',
      log_encryption_kms_key_id: KEY,
      security_configuration: '${aws_emr_security_configuration.emr.name}',
      ec2_attributes: {
        subnet_ids: [
          '${aws_subnet.network_private_us_east_1a.id}',
          '${aws_subnet.network_private_us_east_1b.id}',
        ],
        instance_profile: '${aws_iam_instance_profile.emr.arn}',
        emr_managed_master_security_group: '${aws_security_group.emr_primary.id}',
        emr_managed_slave_security_group: '${aws_security_group.emr_core.id}',
        service_access_security_group: '${aws_security_group.emr_service_access.id}',
      },
    });
    for (const g of ['emr_primary', 'emr_core', 'emr_service_access']) {
      expect(r.aws_security_group[g]).toMatchObject({
        vpc_id: '${aws_vpc.network.id}',
        revoke_rules_on_delete: true,
        tags: { 'for-use-with-amazon-emr-managed-policies': 'true' },
      });
      expect(r.aws_security_group[g].ingress).toBeUndefined();
    }
  });

  test('security configuration: S3 SSE-KMS, local disk and EBS with the key, TLS from the PEM zip, IMDSv2', () => {
    expect(JSON.parse(r.aws_emr_security_configuration.emr.configuration as string)).toEqual({
      EncryptionConfiguration: {
        EnableAtRestEncryption: true,
        EnableInTransitEncryption: true,
        AtRestEncryptionConfiguration: {
          S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: KEY },
          LocalDiskEncryptionConfiguration: {
            EncryptionKeyProviderType: 'AwsKms',
            AwsKmsKey: KEY,
            EnableEbsEncryption: true,
          },
        },
        InTransitEncryptionConfiguration: {
          TLSCertificateConfiguration: {
            CertificateProviderType: 'PEM',
            S3Object: 's3://acme-pki/emr/certs.zip',
          },
        },
      },
      InstanceMetadataServiceConfiguration: {
        MinimumInstanceMetadataServiceVersion: 2,
        HttpPutResponseHopLimit: 1,
      },
    });
    expect(r.aws_emr_block_public_access_configuration.emr).toEqual({
      block_public_security_group_rules: true,
    });
  });

  test('service role: the v2 managed policy, PassRole of its instance role only, launches into exactly the pipeline subnets and workload group', () => {
    expect(r.aws_iam_role_policy_attachment.emr_service_managed_amazonemrservicepolicy_v2.policy_arn).toBe(
      'arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2',
    );
    const s = statements(r, 'emr_service');
    expect(s.find((x) => x.Sid === 'PassTheInstanceRole')).toMatchObject({
      Resource: '${aws_iam_role.emr_instance.arn}',
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    });
    // AmazonEMRServicePolicy_v2 admits only tagged subnets and groups; these are untagged on purpose.
    expect(s.find((x) => x.Sid === 'LaunchIntoThePipelineNetwork')).toEqual({
      Sid: 'LaunchIntoThePipelineNetwork',
      Effect: 'Allow',
      Action: ['ec2:CreateFleet', 'ec2:CreateNetworkInterface', 'ec2:RunInstances'],
      Resource: [
        'arn:aws:ec2:us-east-1:123456789012:subnet/${aws_subnet.network_private_us_east_1a.id}',
        'arn:aws:ec2:us-east-1:123456789012:subnet/${aws_subnet.network_private_us_east_1b.id}',
        'arn:aws:ec2:us-east-1:123456789012:security-group/${aws_security_group.network_workloads.id}',
      ],
    });
    // CreateLaunchTemplate* authorize only launch templates: a grant on subnets would be dead.
    expect(
      s.flatMap((x) => [x.Action].flat()).filter((a) => a.startsWith('ec2:CreateLaunchTemplate')),
    ).toEqual([]);
    expect(r.aws_security_group.network_workloads.tags).not.toHaveProperty(
      'for-use-with-amazon-emr-managed-policies',
    );
  });

  test('instance role: its data, the certificates, logs under emr/, the pipeline catalog; EC2 trust', () => {
    const s = statements(r, 'emr_instance');
    expect(s.find((x) => x.Sid === 'ClusterReadObjects')!.Resource).toEqual([
      'arn:aws:s3:::acme-pki/emr/certs.zip',
    ]);
    expect(s.find((x) => x.Sid === 'ClusterWritePutLogs')!.Resource).toEqual([
      '${aws_s3_bucket.lake_logs.arn}/emr/*',
    ]);
    expect(s.find((x) => x.Sid === 'ClusterWritePutFeatures')!.Resource).toEqual([
      '${aws_s3_bucket.lake_features.arn}/emr/*',
    ]);
    expect(s.find((x) => x.Sid === 'ClusterCatalog')!.Resource).toContain(
      'arn:aws:glue:us-east-1:123456789012:table/demo_lake/*',
    );
    const trust = JSON.parse(r.aws_iam_role.emr_instance.assume_role_policy as string).Statement[0];
    expect(trust.Principal).toEqual({ Service: ['ec2.amazonaws.com'] });
    expect(r.aws_iam_instance_profile.emr.role).toBe('${aws_iam_role.emr_instance.name}');
  });

  test('in an existing network the groups cannot be tagged: the service role is granted exactly them and the subnets', () => {
    const existing = synth({
      ...MINIMAL,
      network: {
        existing: {
          vpcId: 'vpc-0123456789abcdef0',
          subnetIds: ['subnet-0123456789abcdef0'],
          securityGroupIds: ['sg-0123456789abcdef0', 'sg-0fedcba9876543210'],
        },
      },
      data: { emr: { cluster: { inTransitEncryption: false, interactive: true } } },
    });
    expect(
      statements(existing, 'emr_service').find((x) => x.Sid === 'LaunchIntoThePipelineNetwork')!.Resource,
    ).toEqual([
      'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0123456789abcdef0',
      'arn:aws:ec2:us-east-1:123456789012:security-group/sg-0123456789abcdef0',
      'arn:aws:ec2:us-east-1:123456789012:security-group/sg-0fedcba9876543210',
    ]);
    expect(existing.aws_emr_cluster.emr.ec2_attributes).toMatchObject({
      additional_master_security_groups: '${join(",", ["sg-0123456789abcdef0", "sg-0fedcba9876543210"])}',
    });
  });

  test('in transit off is explicit: no TLS settings', () => {
    const off = synth({
      ...MINIMAL,
      network: NETWORK,
      data: { emr: { cluster: { inTransitEncryption: false, interactive: true } } },
    });
    const config = JSON.parse(off.aws_emr_security_configuration.emr.configuration as string);
    expect(config.EncryptionConfiguration.EnableInTransitEncryption).toBe(false);
    expect(config.EncryptionConfiguration.InTransitEncryptionConfiguration).toBeUndefined();
    expect(off.aws_emr_cluster.emr.core_instance_fleet).toMatchObject({
      target_on_demand_capacity: 2,
      target_spot_capacity: 0,
    });
  });
});

describe('EMR Serverless', () => {
  const r = synth({
    ...MINIMAL,
    network: NETWORK,
    data: { emr: { mode: 'serverless', serverless: { idleTimeoutMinutes: 10, maxVcpu: 100 } } },
  });

  test('an application with auto start and stop, a capacity cap, in the private subnets; no cluster', () => {
    expect(r.aws_emrserverless_application.emr).toEqual({
      name: 'demo-emr',
      release_label: 'emr-7.5.0',
      type: 'spark',
      architecture: 'X86_64',
      auto_start_configuration: { enabled: true },
      auto_stop_configuration: { enabled: true, idle_timeout_minutes: 10 },
      maximum_capacity: { cpu: '100 vCPU', memory: '3000 GB', disk: '20000 GB' },
      network_configuration: {
        subnet_ids: [
          '${aws_subnet.network_private_us_east_1a.id}',
          '${aws_subnet.network_private_us_east_1b.id}',
        ],
        security_group_ids: ['${aws_security_group.network_workloads.id}'],
      },
    });
    expect(r.aws_emr_cluster).toBeUndefined();
    expect(r.aws_emr_security_configuration).toBeUndefined();
  });

  test('a job role for its runs, trusted by EMR Serverless only', () => {
    const trust = JSON.parse(r.aws_iam_role.emr_jobs.assume_role_policy as string).Statement[0];
    expect(trust.Principal).toEqual({ Service: ['emr-serverless.amazonaws.com'] });
    expect(statements(r, 'emr_jobs').map((s) => s.Sid)).toContain('UseThePipelineKey');
  });
});
