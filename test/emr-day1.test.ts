/**
 * Day 1 for EMR, read from the synthesized Terraform of every example (not from pipeform's
 * internals): a scheduled workflow never adds steps to a cluster that terminates itself
 * when idle, every cluster a run creates is terminated on every path out of it, every
 * security group and subnet EMR launches into is usable under AmazonEMRServicePolicy_v2
 * (tagged, or granted by a statement of the cluster's own service role), and the workflow's
 * per-run cluster is the interactive cluster's definition, field by field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { PipelineStack } from '../src/constructs/pipeline-stack';
import { serviceRoleMayLaunchWith, type TfJson } from './harness/lifecycle';
import { compileData, configDirs, examples, MINIMAL, ROOT } from './harness/spec';
import { testApp } from './harness/cdktf-testing';

type Resource = Record<string, unknown>;
interface Config extends TfJson {
  provider?: { aws?: { default_tags?: { tags?: Record<string, string> }[] }[] };
  resource?: Record<string, Record<string, Resource>>;
}
interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ResultPath?: string | null;
  Next?: string;
  End?: boolean;
  Catch?: { Next: string }[];
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

const EMR_TAG = 'for-use-with-amazon-emr-managed-policies';

const configs = examples().flatMap(({ name }) =>
  configDirs(name).map((dir) => ({
    name: join(name, dir),
    config: JSON.parse(readFileSync(join(ROOT, 'generated', name, dir, 'main.tf.json'), 'utf8')) as Config,
  })),
);

const resources = (c: Config, type: string) => Object.entries(c.resource?.[type] ?? {});
/** Resource references in a value (also inside expressions such as `${join(",", [a.b.id])}`), as [type, name]. */
const refs = (value: unknown, type?: string): [string, string][] =>
  [...JSON.stringify(value ?? null).matchAll(/\$\{([^}]*)\}/g)]
    .flatMap((expr) => [...expr[1].matchAll(/\b(aws_[a-z0-9_]+)\.([a-z0-9_]+)\.[a-z_]+/g)])
    .map((m): [string, string] => [m[1], m[2]])
    .filter(([t]) => type === undefined || t === type);
/** cdktf writes a single nested block as an object, several as a list. */
const one = <T>(v: T | T[] | undefined): T | undefined => (Array.isArray(v) ? v[0] : v);
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The state machines an EventBridge schedule starts. */
function scheduledStateMachines(c: Config): string[] {
  const scheduled = new Set(
    resources(c, 'aws_cloudwatch_event_rule')
      .filter(([, r]) => typeof r.schedule_expression === 'string')
      .map(([n]) => n),
  );
  return resources(c, 'aws_cloudwatch_event_target')
    .filter(([, t]) => refs(t.rule, 'aws_cloudwatch_event_rule').some(([, n]) => scheduled.has(n)))
    .flatMap(([, t]) => refs(t.arn, 'aws_sfn_state_machine').map(([, n]) => n));
}

const definitionOf = (c: Config, machine: string): Definition =>
  JSON.parse(c.resource!.aws_sfn_state_machine[machine].definition as string);
const isAddStep = (s: State) => s.Resource?.includes(':elasticmapreduce:addStep') ?? false;
const isCreate = (s: State) => s.Resource?.includes(':elasticmapreduce:createCluster') ?? false;
const isTerminate = (s: State) => s.Resource?.includes(':elasticmapreduce:terminateCluster') ?? false;
const successors = (s: State) => [...(s.Next ? [s.Next] : []), ...(s.Catch ?? []).map((c) => c.Next)];

/** Every route from a state to an end (End or a Fail state), as state names. */
function routes(d: Definition, from: string): string[][] {
  const s = d.States[from];
  const next = successors(s);
  if (next.length === 0) return [[from]];
  return next.flatMap((n) => routes(d, n).map((r) => [from, ...r]));
}

/** Problems of one definition: steps on idle-terminating clusters, created clusters left running. */
function workflowProblems(c: Config, machine: string, scheduled: boolean): string[] {
  const d = definitionOf(c, machine);
  const problems: string[] = [];
  const reachable = new Set(routes(d, d.StartAt).flat());
  for (const [name, s] of Object.entries(d.States)) {
    if (!isAddStep(s)) continue;
    const p = s.Parameters ?? {};
    if ('ClusterId' in p) {
      for (const [, cluster] of refs(p.ClusterId, 'aws_emr_cluster')) {
        const policy = one(
          c.resource!.aws_emr_cluster[cluster].auto_termination_policy as object | undefined,
        );
        if (scheduled && policy)
          problems.push(
            `${machine}.${name}: a scheduled step on aws_emr_cluster.${cluster}, which terminates when idle`,
          );
      }
      continue;
    }
    // A step on a cluster the run created: the creating state must come before it on every route.
    const path = String(p['ClusterId.$']).replace(/\.ClusterId$/, '');
    const creators = Object.entries(d.States).filter(([, x]) => isCreate(x) && x.ResultPath === path);
    if (creators.length !== 1) {
      problems.push(`${machine}.${name}: its cluster ${path} is created by ${creators.length} states`);
      continue;
    }
    for (const r of routes(d, d.StartAt).filter((r) => r.includes(name))) {
      if (r.indexOf(creators[0][0]) < 0 || r.indexOf(creators[0][0]) > r.indexOf(name))
        problems.push(`${machine}.${name}: reached without creating its cluster first (${r.join(' -> ')})`);
    }
  }
  // Every route out of a created cluster (once it is up) passes its termination before it ends.
  for (const [name, s] of Object.entries(d.States)) {
    if (!isCreate(s) || !reachable.has(name)) continue;
    for (const r of routes(d, s.Next!)) {
      if (!r.some((x) => isTerminate(d.States[x])))
        problems.push(`${machine}: the cluster of ${name} is left running on ${r.join(' -> ')}`);
    }
  }
  return problems;
}

/** The network resources one EMR cluster launches into, and whether EMR may use each. */
function launchProblems(
  c: Config,
  where: string,
  serviceRole: unknown,
  groups: unknown[],
  subnets: unknown[],
): string[] {
  const check = (kind: 'security-group' | 'subnet', type: string, value: unknown): string[] =>
    refs(value, type).flatMap(([t, n]) => {
      const tags = (c.resource![t][n].tags ?? {}) as Record<string, string>;
      const ok = tags[EMR_TAG] === 'true' || serviceRoleMayLaunchWith(c, serviceRole, kind, `${t}.${n}`);
      return ok
        ? []
        : [`${where}: ${t}.${n} is neither tagged ${EMR_TAG}=true nor granted to the service role`];
    });
  return [
    ...new Set([
      ...groups.flatMap((g) => check('security-group', 'aws_security_group', g)),
      ...subnets.flatMap((s) => check('subnet', 'aws_subnet', s)),
    ]),
  ];
}

/** Every EMR cluster of a configuration (interactive ones and those runs create) and its launch problems. */
function emrNetworkProblems(c: Config): string[] {
  const problems: string[] = [];
  for (const [name, cl] of resources(c, 'aws_emr_cluster')) {
    const e = one(cl.ec2_attributes as Resource | Resource[]) ?? {};
    const groups = [
      e.emr_managed_master_security_group,
      e.emr_managed_slave_security_group,
      e.service_access_security_group,
      e.additional_master_security_groups,
      e.additional_slave_security_groups,
    ];
    problems.push(...launchProblems(c, `aws_emr_cluster.${name}`, cl.service_role, groups, [e.subnet_ids]));
    if ((cl.tags as Record<string, string> | undefined)?.[EMR_TAG] !== 'true')
      problems.push(`aws_emr_cluster.${name}: instances would lack the ${EMR_TAG} tag`);
  }
  for (const [machine] of resources(c, 'aws_sfn_state_machine')) {
    for (const [name, s] of Object.entries(definitionOf(c, machine).States)) {
      if (!isCreate(s)) continue;
      const p = s.Parameters as {
        ServiceRole: string;
        Instances: Record<string, unknown>;
        Tags: { Key: string; Value: string }[];
      };
      const i = p.Instances;
      const groups = [
        i.EmrManagedMasterSecurityGroup,
        i.EmrManagedSlaveSecurityGroup,
        i.ServiceAccessSecurityGroup,
        i.AdditionalMasterSecurityGroups,
        i.AdditionalSlaveSecurityGroups,
      ];
      problems.push(...launchProblems(c, `${machine}.${name}`, p.ServiceRole, groups, [i.Ec2SubnetIds]));
      if (!p.Tags.some((t) => t.Key === EMR_TAG && t.Value === 'true'))
        problems.push(`${machine}.${name}: instances would lack the ${EMR_TAG} tag`);
    }
  }
  return problems;
}

/** One Terraform fleet block in RunJobFlow terms (written independently of the code under test). */
function apiFleet(f: Resource, type: string): Resource {
  const ls = one(f.launch_specifications as Resource | Resource[]) ?? {};
  const spot = one(ls.spot_specification as Resource | Resource[]);
  return {
    Name: f.name,
    InstanceFleetType: type,
    TargetOnDemandCapacity: f.target_on_demand_capacity,
    ...(f.target_spot_capacity !== undefined ? { TargetSpotCapacity: f.target_spot_capacity } : {}),
    InstanceTypeConfigs: list(f.instance_type_configs as Resource[]).map((t) => ({
      InstanceType: t.instance_type,
      WeightedCapacity: t.weighted_capacity,
      EbsConfiguration: {
        EbsBlockDeviceConfigs: list(t.ebs_config as Resource[]).map((e) => ({
          VolumeSpecification: { SizeInGB: e.size, VolumeType: e.type },
          VolumesPerInstance: e.volumes_per_instance,
        })),
      },
    })),
    LaunchSpecifications: {
      OnDemandSpecification: {
        AllocationStrategy: (one(ls.on_demand_specification as Resource | Resource[]) ?? {})
          .allocation_strategy,
      },
      ...(spot
        ? {
            SpotSpecification: {
              AllocationStrategy: spot.allocation_strategy,
              TimeoutAction: spot.timeout_action,
              TimeoutDurationMinutes: spot.timeout_duration_minutes,
            },
          }
        : {}),
    },
  };
}

/** The interactive cluster (with its task fleet and scaling policy) as the RunJobFlow request it amounts to. */
function interactiveAsRequest(c: Config, name: string): Resource {
  const cl = c.resource!.aws_emr_cluster[name];
  const ofCluster = (type: string) =>
    resources(c, type).filter(([, r]) => refs(r.cluster_id, 'aws_emr_cluster').some(([, n]) => n === name));
  const [[, task]] = ofCluster('aws_emr_instance_fleet');
  const [[, scaling]] = ofCluster('aws_emr_managed_scaling_policy');
  const limits = one(scaling.compute_limits as Resource | Resource[])!;
  const e = one(cl.ec2_attributes as Resource | Resource[])!;
  const joined = (v: unknown) => refs(v).map(([t, n]) => `\${${t}.${n}.id}`);
  return {
    Name: cl.name,
    ReleaseLabel: cl.release_label,
    Applications: list(cl.applications as string[]).map((Name) => ({ Name })),
    ServiceRole: cl.service_role,
    JobFlowRole: e.instance_profile,
    SecurityConfiguration: cl.security_configuration,
    LogUri: cl.log_uri,
    LogEncryptionKmsKeyId: cl.log_encryption_kms_key_id,
    Instances: {
      Ec2SubnetIds: e.subnet_ids,
      EmrManagedMasterSecurityGroup: e.emr_managed_master_security_group,
      EmrManagedSlaveSecurityGroup: e.emr_managed_slave_security_group,
      ServiceAccessSecurityGroup: e.service_access_security_group,
      AdditionalMasterSecurityGroups: joined(e.additional_master_security_groups),
      AdditionalSlaveSecurityGroups: joined(e.additional_slave_security_groups),
      KeepJobFlowAliveWhenNoSteps: cl.keep_job_flow_alive_when_no_steps,
      TerminationProtected: cl.termination_protection,
      UnhealthyNodeReplacement: cl.unhealthy_node_replacement,
      InstanceFleets: [
        apiFleet(one(cl.master_instance_fleet as Resource | Resource[])!, 'MASTER'),
        apiFleet(one(cl.core_instance_fleet as Resource | Resource[])!, 'CORE'),
        apiFleet(task, 'TASK'),
      ],
    },
    ManagedScalingPolicy: {
      ComputeLimits: {
        UnitType: limits.unit_type,
        MinimumCapacityUnits: limits.minimum_capacity_units,
        MaximumCapacityUnits: limits.maximum_capacity_units,
        MaximumOnDemandCapacityUnits: limits.maximum_ondemand_capacity_units,
        MaximumCoreCapacityUnits: limits.maximum_core_capacity_units,
      },
    },
    AutoTerminationPolicy: {
      IdleTimeout: one(cl.auto_termination_policy as Resource | Resource[])!.idle_timeout,
    },
    ScaleDownBehavior: cl.scale_down_behavior,
    ...(cl.configurations_json ? { Configurations: JSON.parse(cl.configurations_json as string) } : {}),
  };
}

/** The default SSE-KMS key of the bucket an s3:// URI points into. */
function logBucketKey(c: Config, uri: string): unknown {
  const [[, bucket]] = refs(uri, 'aws_s3_bucket');
  const [[, sse]] = resources(c, 'aws_s3_bucket_server_side_encryption_configuration').filter(([, r]) =>
    refs(r.bucket, 'aws_s3_bucket').some(([, n]) => n === bucket),
  );
  const rule = one(sse.rule as Resource | Resource[])!;
  return (one(rule.apply_server_side_encryption_by_default as Resource | Resource[]) ?? {}).kms_master_key_id;
}

/** Asserts that every per-run cluster of the configuration is its interactive cluster, field by field. */
function expectSameDefinition(c: Config): number {
  const [[interactive, cl]] = resources(c, 'aws_emr_cluster');
  const defaults = c.provider?.aws?.[0]?.default_tags?.[0]?.tags ?? {};
  let compared = 0;
  for (const [machine] of resources(c, 'aws_sfn_state_machine')) {
    for (const s of Object.values(definitionOf(c, machine).States).filter(isCreate)) {
      const { 'Name.$': name, Tags, ...rest } = s.Parameters as Record<string, unknown>;
      const { Name, ...expected } = interactiveAsRequest(c, interactive);
      // Step Functions' createCluster refuses two RunJobFlow fields (NOT_IN_CREATE_CLUSTER in
      // src/constructs/data/emr-cluster.ts): only the interactive cluster sets them, and a
      // per-run cluster's logs get the same key from the logs bucket's default encryption.
      const { LogEncryptionKmsKeyId, Instances, ...others } = expected as Resource & { Instances: Resource };
      const { UnhealthyNodeReplacement, ...instances } = Instances;
      expect(rest).toEqual({ ...others, Instances: instances });
      expect(UnhealthyNodeReplacement).toBe(true);
      expect(logBucketKey(c, String(expected.LogUri))).toBe(LogEncryptionKmsKeyId);
      expect(name).toBe(`States.Format('${Name}-{}', $$.Execution.Name)`);
      // Tags: what the interactive cluster gets from the provider and itself, plus the workflow's own.
      const asMap = Object.fromEntries(
        (Tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]),
      );
      const { 'pipeform:workflow': workflow, ...clusterTags } = asMap;
      expect(clusterTags).toEqual({ ...defaults, ...(cl.tags as Record<string, string>) });
      expect(workflow).toBe(`${defaults['pipeform:pipeline']}-etl`);
      compared += 1;
    }
  }
  return compared;
}

describe.each(configs)('EMR day 1: generated/$name', ({ config }) => {
  test('no scheduled step targets a cluster that terminates when idle; every cluster a run creates is terminated', () => {
    const scheduled = new Set(scheduledStateMachines(config));
    const problems = resources(config, 'aws_sfn_state_machine').flatMap(([m]) =>
      workflowProblems(config, m, scheduled.has(m)),
    );
    expect(problems).toEqual([]);
  });

  test('every security group and subnet EMR launches into carries the managed-policy tag or is granted to its service role', () => {
    expect(emrNetworkProblems(config)).toEqual([]);
  });
});

describe('the checks above can fail', () => {
  const complete = configs.find((c) => c.name === 'complete')!.config;
  const clone = (): Config => JSON.parse(JSON.stringify(complete));

  test('complete runs its nightly EMR step on a per-run cluster and keeps an interactive one from the same definition', () => {
    expect(resources(complete, 'aws_emr_cluster')).toHaveLength(1);
    expect(expectSameDefinition(complete)).toBe(1);
    expect(scheduledStateMachines(complete)).toEqual(['workflow']);
  });

  test('a scheduled step on the interactive cluster is caught', () => {
    const c = clone();
    const d = definitionOf(c, 'workflow');
    const step = Object.values(d.States).find(isAddStep)!;
    delete step.Parameters!['ClusterId.$'];
    step.Parameters!.ClusterId = '${aws_emr_cluster.emr.id}';
    c.resource!.aws_sfn_state_machine.workflow.definition = JSON.stringify(d);
    expect(workflowProblems(c, 'workflow', true)).toEqual([
      'workflow.cardholder-features: a scheduled step on aws_emr_cluster.emr, which terminates when idle',
    ]);
    expect(workflowProblems(c, 'workflow', false)).toEqual([]);
  });

  test('a failure path that skips the termination is caught', () => {
    const c = clone();
    const d = definitionOf(c, 'workflow');
    const step = Object.values(d.States).find(isAddStep)!;
    step.Catch = [{ Next: 'NotifyFailure' }];
    c.resource!.aws_sfn_state_machine.workflow.definition = JSON.stringify(d);
    expect(workflowProblems(c, 'workflow', true)).toEqual([
      'workflow: the cluster of CreateCluster is left running on cardholder-features -> NotifyFailure -> Failed',
    ]);
  });

  test('an untagged group without a grant is caught, on the interactive and on the per-run cluster', () => {
    const c = clone();
    const launch = (c.resource!.aws_iam_role_policy.emr_service.policy as string).replace(
      /"arn:aws:ec2:[^"]*security-group\/\$\{aws_security_group\.network_workloads\.id\}",?/,
      '',
    );
    c.resource!.aws_iam_role_policy.emr_service.policy = launch.replace(',]', ']');
    expect(emrNetworkProblems(c)).toEqual([
      'aws_emr_cluster.emr: aws_security_group.network_workloads is neither tagged for-use-with-amazon-emr-managed-policies=true nor granted to the service role',
      'workflow.CreateCluster: aws_security_group.network_workloads is neither tagged for-use-with-amazon-emr-managed-policies=true nor granted to the service role',
    ]);
    c.resource!.aws_security_group.network_workloads.tags = {
      ...(c.resource!.aws_security_group.network_workloads.tags as object),
      [EMR_TAG]: 'true',
    };
    expect(emrNetworkProblems(c)).toEqual([]);
  });

  test('a per-run cluster that differs from the interactive one in any field is caught', () => {
    const c = clone();
    const d = definitionOf(c, 'workflow');
    const create = Object.values(d.States).find(isCreate)!;
    (create.Parameters!.AutoTerminationPolicy as { IdleTimeout: number }).IdleTimeout += 60;
    c.resource!.aws_sfn_state_machine.workflow.definition = JSON.stringify(d);
    expect(() => expectSameDefinition(c)).toThrow();
  });
});

test('per-run and interactive clusters agree field by field for fleets that mix spot, certificates and the Glue catalog', () => {
  const spec = compileData({
    ...MINIMAL,
    network: { vpc: { cidr: '10.20.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } },
    data: {
      glue: { databases: [{ name: 'lake' }] },
      emr: {
        applications: ['Spark', 'Hive', 'Trino'],
        cluster: {
          interactive: true,
          primary: { instanceTypes: ['m6i.xlarge'] },
          core: { units: 3, spotPercent: 50 },
          task: { instanceTypes: ['r5.2xlarge', 'r6i.2xlarge'], units: 6, spotPercent: 100 },
          spotAllocation: 'capacity-optimized',
          spotTimeoutMinutes: 20,
          ebsGiB: 128,
          scaling: { maxUnits: 30, maxOnDemandUnits: 4 },
          idleTimeoutMinutes: 45,
          tlsCertificates: 's3://acme-shared-code/emr/certs.zip',
        },
      },
    },
    orchestration: {
      workflow: {
        schedule: 'rate(1 day)',
        steps: [{ name: 'features', type: 'emr', script: 's3://acme-shared-code/f.py' }],
      },
    },
  });
  const config = JSON.parse(Testing.synth(new PipelineStack(testApp(), 'demo', spec))) as Config;
  expect(expectSameDefinition(config)).toBe(1);
  expect(emrNetworkProblems(config)).toEqual([]);
  expect(workflowProblems(config, 'workflow', true)).toEqual([]);
});
