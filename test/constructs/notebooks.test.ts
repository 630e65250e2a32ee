import { spawnSync } from 'node:child_process';
import { Testing } from 'cdktf';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { autoStopScript } from '../../src/constructs/data/notebooks';
import { compileData, MINIMAL } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const KEY = '${aws_kms_key.kms.arn}';
const NETWORK = { vpc: { cidr: '10.20.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } };
const SUBNETS = [
  '${aws_subnet.network_private_us_east_1a.id}',
  '${aws_subnet.network_private_us_east_1b.id}',
];
const GROUPS = ['${aws_security_group.network_workloads.id}'];

function synth(notebooks: object): Resources {
  const spec = compileData({ ...MINIMAL, network: NETWORK, notebooks });
  return JSON.parse(Testing.synth(new PipelineStack(testApp(), 'demo', spec))).resource;
}

describe('notebook instances', () => {
  const r = synth({
    instances: [{ name: 'explore', idleStopMinutes: 45 }],
    writes: [{ bucket: 'curated', prefix: 'adhoc/' }],
  });
  const nb = r.aws_sagemaker_notebook_instance.notebooks_explore;

  test('KMS, no direct internet, root access off, IMDSv2, private subnet, the auto-stop lifecycle config', () => {
    expect(nb).toEqual({
      name: 'demo-explore',
      role_arn: '${aws_iam_role.notebooks_explore.arn}',
      instance_type: 'ml.t3.medium',
      volume_size: 20,
      platform_identifier: 'notebook-al2-v3',
      kms_key_id: KEY,
      subnet_id: SUBNETS[0],
      security_groups: GROUPS,
      direct_internet_access: 'Disabled',
      root_access: 'Disabled',
      instance_metadata_service_configuration: { minimum_instance_metadata_service_version: '2' },
      lifecycle_config_name:
        '${aws_sagemaker_notebook_instance_lifecycle_configuration.notebooks_explore.name}',
    });
  });

  test('the lifecycle config runs the deterministic auto-stop script, base64-encoded', () => {
    const lc = r.aws_sagemaker_notebook_instance_lifecycle_configuration.notebooks_explore;
    expect(lc.name).toBe('demo-explore-autostop');
    const script = Buffer.from(lc.on_start as string, 'base64').toString('utf8');
    expect(script).toBe(autoStopScript(45));
    expect(script).toContain('pipeform-autostop.py 45');
    expect(script).toContain('stop-notebook-instance');
  });

  test('the auto-stop script is valid bash with valid Python inside', () => {
    const script = autoStopScript(60);
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
    const python = script.split("<<'PY'\n")[1].split('\nPY\n')[0];
    const compiled = spawnSync(
      'python3',
      ['-c', 'import sys; compile(sys.stdin.read(), "autostop", "exec")'],
      {
        input: python,
      },
    );
    expect(compiled.status).toBe(0);
  });

  test('its role may stop only itself, and write only its prefixes', () => {
    const s = JSON.parse(r.aws_iam_role_policy.notebooks_explore.policy as string).Statement as {
      Sid: string;
      Resource: unknown;
    }[];
    const bySid = Object.fromEntries(s.map((x) => [x.Sid, x.Resource]));
    expect(bySid.StopItselfWhenIdle).toBe(
      'arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/demo-explore',
    );
    expect(bySid.WritePutCurated).toEqual(['${aws_s3_bucket.lake_curated.arn}/adhoc/*']);
  });
});

describe('SageMaker domain', () => {
  const r = synth({ domain: { users: [{ name: 'alice' }, { name: 'bob' }], idleShutdownMinutes: 120 } });

  test('VPC only in the private subnets, IAM auth, EFS encrypted with the key, idle JupyterLab apps shut down', () => {
    expect(r.aws_sagemaker_domain.notebooks).toMatchObject({
      domain_name: 'demo',
      auth_mode: 'IAM',
      app_network_access_type: 'VpcOnly',
      vpc_id: '${aws_vpc.network.id}',
      subnet_ids: SUBNETS,
      kms_key_id: KEY,
      domain_settings: { security_group_ids: GROUPS },
      default_user_settings: {
        execution_role: '${aws_iam_role.notebooks.arn}',
        security_groups: GROUPS,
        jupyter_lab_app_settings: {
          app_lifecycle_management: {
            idle_settings: { lifecycle_management: 'ENABLED', idle_timeout_in_minutes: 120 },
          },
        },
      },
      retention_policy: { home_efs_file_system: 'Retain' },
    });
  });

  test('one user profile per user', () => {
    expect(Object.keys(r.aws_sagemaker_user_profile)).toEqual([
      'notebooks_users_alice',
      'notebooks_users_bob',
    ]);
    expect(r.aws_sagemaker_user_profile.notebooks_users_alice).toEqual({
      domain_id: '${aws_sagemaker_domain.notebooks.id}',
      user_profile_name: 'alice',
      user_settings: { execution_role: '${aws_iam_role.notebooks.arn}', security_groups: GROUPS },
    });
    expect(r.aws_sagemaker_notebook_instance).toBeUndefined();
  });
});
