/* eslint-disable @typescript-eslint/no-explicit-any -- AWS request and plan JSON are untyped documents here */
import aslValidator from 'asl-validator';
import { Testing } from 'cdktf';
import { leastPrivilegeProblems } from '../src/constructs/iam/least-privilege';
import { PipelineStack } from '../src/constructs/pipeline-stack';
import { buildGraph } from '../src/graph';
import { runMachine, StatesFail, TaskError } from './harness/asl';
import { testApp } from './harness/cdktf-testing';
import { testRuleCases, type RuleCase } from './harness/rules';
import { compileData, diagnosticsOf, MINIMAL } from './harness/spec';

/**
 * Edge models from the registry: an approval starts `<fleet>-edge-registry`, which compiles
 * the package with SageMaker Neo, creates the Greengrass component version
 * `1.0.<package version>` and deploys it to the registry thing group `<fleet>-registry`.
 * The stack deploys the artifact models to the fleet's group; provisioning puts every device
 * in both, so neither deployment replaces the other (issue 17).
 */

type Json = any;

const NETWORK = { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } };
const TRAINING = {
  algorithm: 'xgboost',
  hyperparameters: { num_round: 200, objective: 'binary:logistic' },
  data: { prefix: 'churn/' },
  code: { s3: 's3://acme-ml-code/demo/' },
  evaluation: { script: 'evaluate.py' },
};
const GOALS = {
  kpis: [{ name: 'auc', metric: 'metrics.auc', threshold: 0.8, direction: 'higher-is-better' }],
};
const MODELS = 'demo-123456789012-us-east-1-models';
const KEY = '${aws_kms_key.kms.arn}';
const FLEET_GROUP_ARN = '${aws_iot_thing_group.serving_edge.arn}';
const REGISTRY_GROUP_ARN = '${aws_iot_thing_group.serving_edge_registry.arn}';
const GG = 'arn:aws:greengrass:us-east-1:123456789012';

const EDGE = {
  name: 'cameras',
  models: [
    { name: 'shelf', version: '1.0.0', artifact: { key: 'shelf/model.tar.gz' } },
    {
      name: 'stock-out',
      registry: true,
      run: 'python3 -m stockout.serve',
      compile: {
        targetDevice: 'jetson_nano',
        framework: 'XGBOOST',
        dataInputConfig: '{"data": [1, 12]}',
      },
    },
    { name: 'plain', registry: true },
  ],
};

const SPEC = { ...MINIMAL, network: NETWORK, goals: GOALS, training: TRAINING, serving: { edge: EDGE } };

function synth(edge: Json = EDGE): Json {
  const stack = new PipelineStack(testApp(), 'demo', compileData({ ...SPEC, serving: { edge } }));
  return JSON.parse(Testing.synth(stack));
}

const { resource: r } = synth();
const statements = (name: string): Json[] => JSON.parse(r.aws_iam_role_policy[name].policy).Statement;
const sid = (name: string, s: string) => statements(name).find((x) => x.Sid === s);
const machine = r.aws_sfn_state_machine.serving_edge_registry;
const definition = JSON.parse(machine.definition);

describe('GIVEN an edge fleet with a registry model compiled by Neo, a plain registry model and an artifact model', () => {
  test('THEN the approval rule of <pipeline>-models starts the edge registry state machine', () => {
    const rule = r.aws_cloudwatch_event_rule.serving_edge_registry_approved;
    expect(rule.name).toBe('demo-cameras-edge-approved');
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.sagemaker'],
      'detail-type': ['SageMaker Model Package State Change'],
      detail: { ModelPackageGroupName: ['demo-models'], ModelApprovalStatus: ['Approved'] },
    });
    const target = r.aws_cloudwatch_event_target.serving_edge_registry_approved;
    expect(target.arn).toBe('${aws_sfn_state_machine.serving_edge_registry.arn}');
  });

  test('THEN the state machine is encrypted with the pipeline key and logs to an encrypted group', () => {
    expect(machine.name).toBe('demo-cameras-edge-registry');
    expect(machine.encryption_configuration.kms_key_id).toBe(KEY);
    const groups = Object.values(r.aws_cloudwatch_log_group as Record<string, Json>);
    const group = groups.find((g) => g.name === '/aws/vendedlogs/states/demo-cameras-edge-registry');
    expect(group.kms_key_id).toBe(KEY);
  });

  test('THEN the artifact model stays in the stack and the registry models do not', () => {
    const template = JSON.parse(r.aws_cloudformation_stack.serving_edge.template_body);
    expect(Object.keys(template.Resources).sort()).toEqual(['Deployment', 'Modelshelf']);
  });

  test('THEN the stack deploys to the fleet group and the state machine to its own registry group', () => {
    expect(r.aws_iot_thing_group.serving_edge.name).toBe('demo-cameras');
    expect(r.aws_iot_thing_group.serving_edge_registry.name).toBe('demo-cameras-registry');
    const template = JSON.parse(r.aws_cloudformation_stack.serving_edge.template_body);
    expect(template.Resources.Deployment.Properties.TargetArn).toBe(FLEET_GROUP_ARN);
    expect(definition.States.Deploy.Arguments.TargetArn).toBe(REGISTRY_GROUP_ARN);
    expect(definition.States.Deploy.Arguments.TargetArn).not.toBe(
      template.Resources.Deployment.Properties.TargetArn,
    );
    expect(definition.States.Deploy.Arguments.DeploymentName).toBe('demo-cameras-registry');
  });

  test('THEN provisioning puts a new device in the fleet group and in the registry group', () => {
    const t = r.aws_iot_provisioning_template.serving_edge_provisioning;
    const thing = JSON.parse(t.template_body).Resources.thing;
    expect(thing.Properties.ThingGroups).toEqual(['demo-cameras', 'demo-cameras-registry']);
    expect(thing.OverrideSettings).toEqual({ ThingGroups: 'MERGE' });
    // Both groups exist before the template names them.
    expect(t.depends_on).toEqual(
      expect.arrayContaining([
        'aws_iot_thing_group.serving_edge',
        'aws_iot_thing_group.serving_edge_registry',
      ]),
    );
    expect(sid('serving_edge_provisioning', 'JoinTheFleetGroup').Resource).toEqual([
      'arn:aws:iot:us-east-1:123456789012:thing/demo-cameras-*',
      'arn:aws:iot:us-east-1:123456789012:thinggroup/demo-cameras',
      'arn:aws:iot:us-east-1:123456789012:thinggroup/demo-cameras-registry',
    ]);
  });

  test('THEN the definition is valid States Language', () => {
    const { isValid, errorsText } = aslValidator(definition, { checkArn: false, checkPaths: true });
    expect(isValid ? '' : errorsText('\n')).toBe('');
  });

  test('THEN the definition compiles, polls, creates the component version and deploys', () => {
    const proc = definition.States.Models.ItemProcessor.States;
    expect(proc.Compile.Resource).toBe('arn:aws:states:::aws-sdk:sagemaker:createCompilationJob');
    expect(proc.Compile.Next).toBe('WaitForCompilation');
    expect(proc.WaitForCompilation).toMatchObject({ Type: 'Wait', Next: 'DescribeCompilation' });
    expect(proc.DescribeCompilation.Resource).toBe(
      'arn:aws:states:::aws-sdk:sagemaker:describeCompilationJob',
    );
    expect(proc['Compiled?'].Default).toBe('WaitForCompilation');
    expect(proc.CreateFromCompiled.Resource).toBe(
      'arn:aws:states:::aws-sdk:greengrassv2:createComponentVersion',
    );
    expect(definition.States.Models.Next).toBe('Deploy');
    expect(definition.States.Deploy.Resource).toBe('arn:aws:states:::aws-sdk:greengrassv2:createDeployment');
    expect(definition.States.Deploy.Next).toBe('FleetDevices');
    // Nothing reads a group's deployment back: the registry group is the state machine's own.
    expect(machine.definition).not.toMatch(/listDeployments|getDeployment/);
    expect(definition.States.FleetDevices.Resource).toBe(
      'arn:aws:states:::aws-sdk:iot:listThingsInThingGroup',
    );
    expect(definition.States.JoinRegistryGroup).toMatchObject({ Type: 'Map', MaxConcurrency: 10 });
    expect(definition.States.JoinRegistryGroup.ItemProcessor.States.Join.Arguments.ThingGroupName).toBe(
      'demo-cameras-registry',
    );
    const [plain, stock] = definition.States.Models.Items;
    expect(plain.compile).toBeUndefined();
    expect(stock.compile).toEqual({
      InputConfig: { Framework: 'XGBOOST', DataInputConfig: '{"data": [1, 12]}' },
      OutputConfig: { TargetDevice: 'jetson_nano' },
    });
    expect(stock.outputLocation).toBe(`s3://${MODELS}/demo/edge/compiled/stock-out/`);
  });

  test('THEN the roles name exact ARNs, and the Neo role is passed to SageMaker only', () => {
    const neoArn = '${aws_iam_role.serving_edge_registry_neo.arn}';
    expect(sid('serving_edge_registry', 'PassTheNeoRole')).toEqual({
      Sid: 'PassTheNeoRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: neoArn,
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    });
    expect(sid('serving_edge_registry', 'CompileForTheDevices').Resource).toBe(
      'arn:aws:sagemaker:us-east-1:123456789012:compilation-job/demo-cameras-*',
    );
    expect(sid('serving_edge_registry', 'RegistryComponents').Resource).toEqual([
      `${GG}:components:demo.cameras.plain`,
      `${GG}:components:demo.cameras.stock-out`,
      `${GG}:components:demo.cameras.plain:versions:*`,
      `${GG}:components:demo.cameras.stock-out:versions:*`,
    ]);
    expect(sid('serving_edge_registry', 'DescribeApprovedPackage').Resource).toBe(
      'arn:aws:sagemaker:us-east-1:123456789012:model-package/demo-models/*',
    );
    expect(sid('serving_edge_registry_neo', 'WriteCompiledModels').Resource).toEqual([
      `arn:aws:s3:::${MODELS}/demo/edge/compiled/plain/*`,
      `arn:aws:s3:::${MODELS}/demo/edge/compiled/stock-out/*`,
    ]);
    expect(sid('serving_edge_registry_neo', 'ReadRegisteredModels').Resource).toBe(
      `arn:aws:s3:::${MODELS}/demo/training/artifacts/*`,
    );
    // The deployment's IoT job may target the registry group only, never the stack's fleet group.
    expect(sid('serving_edge_registry', 'DeploymentJobs').Resource).toEqual([
      'arn:aws:iot:us-east-1:123456789012:job/*',
      'arn:aws:iot:us-east-1:123456789012:thinggroup/demo-cameras-registry',
    ]);
    expect(sid('serving_edge_registry', 'RegistryGroup').Resource).toBe(
      'arn:aws:iot:us-east-1:123456789012:thinggroup/demo-cameras-registry',
    );
    // It lists the fleet's group and adds the fleet's things to the registry group, nothing else.
    expect(sid('serving_edge_registry', 'ListFleetDevices')).toMatchObject({
      Action: 'iot:ListThingsInThingGroup',
      Resource: 'arn:aws:iot:us-east-1:123456789012:thinggroup/demo-cameras',
    });
    expect(sid('serving_edge_registry', 'FleetDevicesJoinTheRegistryGroup')).toMatchObject({
      Action: 'iot:AddThingToThingGroup',
      Resource: [
        'arn:aws:iot:us-east-1:123456789012:thing/demo-cameras-*',
        'arn:aws:iot:us-east-1:123456789012:thinggroup/demo-cameras-registry',
      ],
    });
    const actions = statements('serving_edge_registry').flatMap((x) => [x.Action].flat());
    expect(actions).not.toContain('greengrass:GetDeployment');
    expect(actions).not.toContain('greengrass:ListDeployments');
    for (const role of ['serving_edge_registry', 'serving_edge_registry_neo'])
      expect(leastPrivilegeProblems(statements(role))).toEqual([]);
    // Devices read the compiled archive, and the registered one of the model deployed without compile.
    expect(sid('serving_edge', 'ReadRegistryModels').Resource).toEqual([
      `arn:aws:s3:::${MODELS}/demo/edge/compiled/stock-out/*`,
      `arn:aws:s3:::${MODELS}/demo/training/artifacts/*`,
    ]);
  });

  test('THEN the graph shows the approval -> Neo -> Greengrass path in the registry stage', () => {
    const registry = buildGraph(compileData(SPEC)).stages.find((st) => st.id === 'registry');
    expect(registry?.nodes).toContainEqual({
      id: 'registry_edge_registry',
      label: 'edge deploy on approval',
      detail: 'Neo compile, Greengrass',
    });
  });

  describe('WHEN approvals and a stack change are played through the definition and a fake Greengrass', () => {
    const approval = (n: number) => ({
      detail: { ModelPackageArn: `arn:aws:sagemaker:us-east-1:123456789012:model-package/demo-models/${n}` },
    });
    const modelData = (n: number) => `s3://${MODELS}/demo/training/artifacts/run-${n}/output/model.tar.gz`;
    const compiled = (n: number) =>
      `s3://${MODELS}/demo/edge/compiled/stock-out/${n}/model-jetson_nano.tar.gz`;

    /**
     * AWS IoT and Greengrass as their developer guides describe them: things in groups, one
     * current deployment per group, a device running the combination of its groups'
     * deployments. ListThingsInThingGroup answers in pages of two, to play the paging.
     */
    function greengrass() {
      const current = new Map<string, Record<string, { ComponentVersion: string }>>();
      const members = new Map<string, Set<string>>();
      const arnOf = (group: string) => {
        const entry = Object.entries(r.aws_iot_thing_group as Record<string, Json>).find(
          ([, g]) => g.name === group,
        );
        if (entry === undefined) throw new Error(`no thing group ${group}`);
        return `\${aws_iot_thing_group.${entry[0]}.arn}`;
      };
      const join = (group: string, thing: string) => {
        if (!members.has(group)) members.set(group, new Set());
        members.get(group)?.add(thing);
      };
      /** What the thing runs: the union of its groups' deployments. */
      const runs = (thing: string) => {
        const all: Record<string, string> = {};
        for (const [group, things] of members) {
          if (!things.has(thing)) continue;
          for (const [name, c] of Object.entries(current.get(arnOf(group)) ?? {})) {
            // Two groups pinning one component to two versions is a conflict, not a union.
            if (all[name] !== undefined && all[name] !== c.ComponentVersion)
              throw new Error(`version conflict on ${name}`);
            all[name] = c.ComponentVersion;
          }
        }
        return all;
      };
      /** Fleet provisioning: the thing joins the groups the template names. */
      const provision = (res: Json, thing: string) => {
        const body = JSON.parse(res.aws_iot_provisioning_template.serving_edge_provisioning.template_body);
        for (const group of body.Resources.thing.Properties.ThingGroups as string[]) join(group, thing);
      };
      return {
        current,
        members,
        join,
        runs,
        provision,
        jobs: new Set<string>(),
        versions: new Set<string>(),
      };
    }
    type World = ReturnType<typeof greengrass>;

    /** An apply: CloudFormation creates the stack's deployment to its TargetArn. */
    function applyStack(res: Json, gg: World) {
      const d = JSON.parse(res.aws_cloudformation_stack.serving_edge.template_body).Resources.Deployment;
      gg.current.set(d.Properties.TargetArn, d.Properties.Components);
    }

    function aws(gg: World, compilation: string[] = [], denied: string[] = []) {
      const calls: { action: string; args: Json }[] = [];
      let version = 0;
      const handler = (service: string, action: string, args: Json): Json => {
        calls.push({ action: `${service}:${action}`, args });
        switch (`${service}:${action}`) {
          case 'sagemaker:describeModelPackage':
            version = Number(String(args.ModelPackageName).split('/').pop());
            return {
              ModelPackageVersion: version,
              InferenceSpecification: { Containers: [{ ModelDataUrl: modelData(version) }] },
            };
          case 'sagemaker:createCompilationJob':
            // Job names are unique in the account, as in SageMaker.
            if (gg.jobs.has(args.CompilationJobName))
              throw new TaskError('SageMaker.ResourceInUseException', `${args.CompilationJobName} exists`);
            gg.jobs.add(args.CompilationJobName);
            return { CompilationJobArn: 'arn' };
          case 'sagemaker:describeCompilationJob': {
            const status = compilation.shift() ?? 'COMPLETED';
            return {
              CompilationJobStatus: status,
              ModelArtifacts: { S3ModelArtifacts: compiled(version) },
              ...(status === 'FAILED' ? { FailureReason: 'unsupported operator' } : {}),
            };
          }
          case 'greengrassv2:createComponentVersion': {
            const recipe = JSON.parse(args.InlineRecipe);
            const id = `${recipe.ComponentName}:${recipe.ComponentVersion}`;
            if (denied.includes(recipe.ComponentName))
              throw new TaskError('GreengrassV2.AccessDeniedException', `not allowed on ${id}`);
            // Component versions are immutable: a second create is refused.
            if (gg.versions.has(id))
              throw new TaskError('GreengrassV2.ConflictException', `Component version ${id} already exists`);
            gg.versions.add(id);
            return { Arn: 'c' };
          }
          case 'greengrassv2:createDeployment':
            gg.current.set(args.TargetArn, args.Components);
            return { DeploymentId: `d-${version}` };
          case 'iot:listThingsInThingGroup': {
            const all = [...(gg.members.get(args.ThingGroupName) ?? [])].sort();
            const from = Number(args.NextToken ?? 0);
            const page = Math.min(args.MaxResults, 2);
            return {
              Things: all.slice(from, from + page),
              ...(from + page < all.length ? { NextToken: String(from + page) } : {}),
            };
          }
          case 'iot:addThingToThingGroup':
            gg.join(args.ThingGroupName, args.ThingName);
            return {};
          default:
            // listDeployments / getDeployment included: nothing needs to read a deployment back.
            throw new Error(`unexpected ${service}:${action}`);
        }
      };
      return { calls, handler };
    }

    const ARTIFACT_V2 = synth({
      ...EDGE,
      models: EDGE.models.map((m) => (m.name === 'shelf' ? { ...m, version: '1.1.0' } : m)),
    }).resource;

    test('THEN day 1 compiles (polling until COMPLETED), creates 1.0.7 of both models and deploys them to the registry group', async () => {
      const gg = greengrass();
      applyStack(r, gg);
      gg.provision(r, 'demo-cameras-A1');
      const { calls, handler } = aws(gg, ['INPROGRESS', 'INPROGRESS']);
      const { output } = await runMachine(definition, approval(7), handler);
      const of = (a: string) => calls.filter((c) => c.action === a);
      expect(of('sagemaker:describeCompilationJob')).toHaveLength(3);
      const [job] = of('sagemaker:createCompilationJob');
      expect(job.args).toEqual({
        CompilationJobName: 'demo-cameras-stock-out-7',
        RoleArn: '${aws_iam_role.serving_edge_registry_neo.arn}',
        InputConfig: { Framework: 'XGBOOST', DataInputConfig: '{"data": [1, 12]}', S3Uri: modelData(7) },
        OutputConfig: {
          TargetDevice: 'jetson_nano',
          S3OutputLocation: `s3://${MODELS}/demo/edge/compiled/stock-out/7/`,
          KmsKeyId: KEY,
        },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      });
      // The blob InlineRecipe is the recipe's JSON text.
      const recipes = of('greengrassv2:createComponentVersion').map((c) => JSON.parse(c.args.InlineRecipe));
      const byName = Object.fromEntries(recipes.map((x) => [x.ComponentName, x]));
      expect(byName['demo.cameras.stock-out']).toMatchObject({
        ComponentVersion: '1.0.7',
        ComponentDependencies: { 'variant.DLR': { VersionRequirement: '~1.6.0', DependencyType: 'HARD' } },
        Manifests: [{ Lifecycle: { Run: 'python3 -m stockout.serve' }, Artifacts: [{ URI: compiled(7) }] }],
      });
      expect(byName['demo.cameras.plain'].Manifests[0].Artifacts[0].URI).toBe(modelData(7));
      const deployments = of('greengrassv2:createDeployment');
      expect(deployments).toHaveLength(1);
      expect(deployments[0].args).toMatchObject({
        TargetArn: REGISTRY_GROUP_ARN,
        DeploymentName: 'demo-cameras-registry',
        DeploymentPolicies: { FailureHandlingPolicy: 'ROLLBACK' },
      });
      // Exactly the registry models: the artifact model is the stack's, in the other group.
      expect(deployments[0].args.Components).toEqual({
        'demo.cameras.stock-out': { ComponentVersion: '1.0.7' },
        'demo.cameras.plain': { ComponentVersion: '1.0.7' },
      });
      expect(output).toMatchObject({ deploymentId: 'd-7' });
      expect(gg.runs('demo-cameras-A1')).toEqual({
        'demo.cameras.shelf': '1.0.0',
        'demo.cameras.stock-out': '1.0.7',
        'demo.cameras.plain': '1.0.7',
      });
    });

    test('THEN an apply that changes the stack deployment keeps the registry models, and day 2 replaces only them', async () => {
      const gg = greengrass();
      applyStack(r, gg);
      gg.provision(r, 'demo-cameras-A1');
      await runMachine(definition, approval(7), aws(gg).handler);
      // A new artifact model version: CloudFormation creates a new deployment to its group (issue 17).
      applyStack(ARTIFACT_V2, gg);
      expect(gg.runs('demo-cameras-A1')).toEqual({
        'demo.cameras.shelf': '1.1.0',
        'demo.cameras.stock-out': '1.0.7',
        'demo.cameras.plain': '1.0.7',
      });
      // Day 2: the next approval.
      const day2 = aws(gg);
      const { output } = await runMachine(definition, approval(8), day2.handler);
      expect(day2.calls.map((c) => c.action).filter((a) => a.startsWith('greengrassv2:'))).toEqual([
        'greengrassv2:createComponentVersion',
        'greengrassv2:createComponentVersion',
        'greengrassv2:createDeployment',
      ]);
      expect(output).toMatchObject({
        deploymentId: 'd-8',
        components: {
          'demo.cameras.stock-out': { ComponentVersion: '1.0.8' },
          'demo.cameras.plain': { ComponentVersion: '1.0.8' },
        },
      });
      expect(gg.runs('demo-cameras-A1')).toEqual({
        'demo.cameras.shelf': '1.1.0',
        'demo.cameras.stock-out': '1.0.8',
        'demo.cameras.plain': '1.0.8',
      });
    });

    test('THEN devices enrolled before the registry group existed join it at the next approval, page by page', async () => {
      const gg = greengrass();
      applyStack(r, gg);
      // Provisioned by the old template: in the fleet's group only.
      for (const t of ['demo-cameras-A1', 'demo-cameras-A2', 'demo-cameras-A3']) gg.join('demo-cameras', t);
      expect(gg.runs('demo-cameras-A3')).toEqual({ 'demo.cameras.shelf': '1.0.0' });
      const { calls, handler } = aws(gg);
      const { output } = await runMachine(definition, approval(7), handler);
      const actions = calls.map((c) => c.action);
      // The deployment first: a device that joins a group gets its latest deployment.
      expect(actions.indexOf('greengrassv2:createDeployment')).toBeLessThan(
        actions.indexOf('iot:addThingToThingGroup'),
      );
      expect(calls.filter((c) => c.action === 'iot:listThingsInThingGroup').map((c) => c.args)).toEqual([
        { ThingGroupName: 'demo-cameras', MaxResults: 250 },
        { ThingGroupName: 'demo-cameras', MaxResults: 250, NextToken: '2' },
      ]);
      expect(calls.filter((c) => c.action === 'iot:addThingToThingGroup').map((c) => c.args)).toEqual(
        ['demo-cameras-A1', 'demo-cameras-A2', 'demo-cameras-A3'].map((ThingName) => ({
          ThingGroupName: 'demo-cameras-registry',
          ThingName,
        })),
      );
      expect([...(gg.members.get('demo-cameras-registry') ?? [])].sort()).toEqual([
        'demo-cameras-A1',
        'demo-cameras-A2',
        'demo-cameras-A3',
      ]);
      expect(gg.runs('demo-cameras-A3')).toEqual({
        'demo.cameras.shelf': '1.0.0',
        'demo.cameras.stock-out': '1.0.7',
        'demo.cameras.plain': '1.0.7',
      });
      expect(output).toMatchObject({ deploymentId: 'd-7' });
    });

    test('THEN a re-run for the same package finds its job and versions and deploys them again', async () => {
      const gg = greengrass();
      applyStack(r, gg);
      gg.provision(r, 'demo-cameras-A1');
      await runMachine(definition, approval(7), aws(gg).handler);
      const again = aws(gg);
      const { output } = await runMachine(definition, approval(7), again.handler);
      expect(again.calls.filter((c) => c.action === 'sagemaker:describeCompilationJob')).toHaveLength(1);
      expect(output).toMatchObject({
        deploymentId: 'd-7',
        components: {
          'demo.cameras.stock-out': { ComponentVersion: '1.0.7' },
          'demo.cameras.plain': { ComponentVersion: '1.0.7' },
        },
      });
      expect(gg.runs('demo-cameras-A1')).toMatchObject({ 'demo.cameras.stock-out': '1.0.7' });
    });

    test('THEN any other component error fails the execution before any deployment', async () => {
      const { calls, handler } = aws(greengrass(), [], ['demo.cameras.plain']);
      const run = runMachine(definition, approval(7), handler);
      await expect(run).rejects.toMatchObject({ error: 'GreengrassV2.AccessDeniedException' });
      expect(calls.some((c) => c.action === 'greengrassv2:createDeployment')).toBe(false);
    });

    test('THEN a FAILED compilation fails the execution before any deployment', async () => {
      const { calls, handler } = aws(greengrass(), ['FAILED']);
      const run = runMachine(definition, approval(7), handler);
      await expect(run).rejects.toBeInstanceOf(StatesFail);
      await expect(run).rejects.toMatchObject({ error: 'CompilationFailed' });
      expect(calls.some((c) => c.action === 'greengrassv2:createDeployment')).toBe(false);
    });

    test('THEN failed executions raise an alarm', () => {
      const alarm = r.aws_cloudwatch_metric_alarm.serving_edge_registry_failed;
      expect(alarm).toMatchObject({ metric_name: 'ExecutionsFailed', namespace: 'AWS/States' });
      expect(alarm.dimensions.StateMachineArn).toBe('${aws_sfn_state_machine.serving_edge_registry.arn}');
    });
  });
});

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
const TRAIN =
  'goals:\n  kpis:\n    - {name: auc, metric: metrics.auc, threshold: 0.8, direction: higher-is-better}\n' +
  'network:\n  vpc: {cidr: 10.0.0.0/16, availabilityZones: [us-east-1a]}\n' +
  'training:\n  algorithm: xgboost\n  hyperparameters: {num_round: 10}\n  data: {prefix: churn/}\n  evaluation: {script: evaluate.py}\n  code: {s3: "s3://acme-ml-code/demo/"}\n';
/** The model is on line 8; the training (when given) comes after it. */
const edge = (model: string, tail = '') => `${HEAD}serving:\n  edge:\n    models:\n      - ${model}\n${tail}`;
const COMPILE =
  'compile: {targetDevice: jetson_nano, framework: XGBOOST, dataInputConfig: \'{"data": [1, 12]}\'}';

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. The model is on line 8. */
const cases: RuleCase[] = [
  [
    'serving/edge-registry',
    edge('{name: m, registry: true}'),
    8,
    19,
    'the spec has no SageMaker training pipeline',
    edge('{name: m, registry: true}', TRAIN),
  ],
  [
    'serving/edge-registry',
    edge('{name: m, version: 1.0.0, artifact: {key: a.tar.gz}, registry: true}', TRAIN),
    8,
    9,
    'has both artifact and registry',
    edge('{name: m, registry: true}', TRAIN),
  ],
  [
    'serving/edge-registry',
    edge(`{name: m, version: 1.0.0, artifact: {key: a.tar.gz}, ${COMPILE}}`, TRAIN),
    8,
    62,
    'needs registry: true',
    edge(`{name: m, registry: true, ${COMPILE}}`, TRAIN),
  ],
  [
    'serving/edge-registry',
    edge(`{name: m, registry: true, ${COMPILE.replace("'{", "'[{").replace("}'", "}]'")}}`, TRAIN),
    8,
    109,
    'is not a JSON object',
    edge(`{name: m, registry: true, ${COMPILE}}`, TRAIN),
  ],
];

describe('GIVEN the edge registry rule', () => {
  testRuleCases(cases);

  test('THEN a target device Neo does not list is refused where it is written', () => {
    const ds = diagnosticsOf(
      edge(`{name: m, registry: true, ${COMPILE.replace('jetson_nano', 'jetson_orin')}}`, TRAIN),
    );
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ line: 8 });
    expect(ds[0].message).toContain('jetson_orin');
    expect(ds[0].hint).toContain('jetson_nano');
  });
});
