/* eslint-disable @typescript-eslint/no-explicit-any -- AWS request and plan JSON are untyped documents here */
import aslValidator from 'asl-validator';
import { Testing } from 'cdktf';
import { leastPrivilegeProblems } from '../src/constructs/iam/least-privilege';
import { PipelineStack } from '../src/constructs/pipeline-stack';
import { buildGraph } from '../src/graph';
import { runMachine, StatesFail } from './harness/asl';
import { testApp } from './harness/cdktf-testing';
import { testRuleCases, type RuleCase } from './harness/rules';
import { compileData, diagnosticsOf, MINIMAL } from './harness/spec';

/**
 * Edge models from the registry: an approval starts `<fleet>-edge-registry`, which compiles
 * the package with SageMaker Neo, creates the Greengrass component version
 * `1.0.<package version>` and deploys it to the fleet's thing group, keeping the group's
 * other components.
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
const GROUP_ARN = '${aws_iot_thing_group.serving_edge.arn}';
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

function synth(): Json {
  const stack = new PipelineStack(testApp(), 'demo', compileData(SPEC));
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
    expect(definition.States.Deploy.Resource).toBe('arn:aws:states:::aws-sdk:greengrassv2:createDeployment');
    expect(definition.States.Deploy.Arguments.TargetArn).toBe(GROUP_ARN);
    expect(definition.States.CurrentDeployment.Arguments).toEqual({
      TargetArn: GROUP_ARN,
      HistoryFilter: 'LATEST_ONLY',
    });
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

  describe('WHEN an approval is played through the definition', () => {
    const APPROVAL = {
      detail: { ModelPackageArn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/demo-models/7' },
    };
    const MODEL_DATA = `s3://${MODELS}/demo/training/artifacts/run-7/output/model.tar.gz`;
    const COMPILED = `s3://${MODELS}/demo/edge/compiled/stock-out/7/model-jetson_nano.tar.gz`;

    function aws(compilation: string[]) {
      const calls: { action: string; args: Json }[] = [];
      const handler = (service: string, action: string, args: Json): Json => {
        calls.push({ action: `${service}:${action}`, args });
        switch (`${service}:${action}`) {
          case 'sagemaker:describeModelPackage':
            return {
              ModelPackageVersion: 7,
              InferenceSpecification: { Containers: [{ ModelDataUrl: MODEL_DATA }] },
            };
          case 'sagemaker:createCompilationJob':
            return { CompilationJobArn: 'arn' };
          case 'sagemaker:describeCompilationJob': {
            const status = compilation.shift() ?? 'COMPLETED';
            return {
              CompilationJobStatus: status,
              ModelArtifacts: { S3ModelArtifacts: COMPILED },
              ...(status === 'FAILED' ? { FailureReason: 'unsupported operator' } : {}),
            };
          }
          case 'greengrassv2:createComponentVersion':
            return { arn: 'c' };
          case 'greengrassv2:listDeployments':
            return { Deployments: [{ DeploymentId: 'd-1' }] };
          case 'greengrassv2:getDeployment':
            return {
              Components: {
                'demo.cameras.shelf': { ComponentVersion: '1.0.0' },
                'demo.cameras.stock-out': { ComponentVersion: '1.0.6' },
              },
            };
          case 'greengrassv2:createDeployment':
            return { DeploymentId: 'd-2' };
          default:
            throw new Error(`unexpected ${service}:${action}`);
        }
      };
      return { calls, handler };
    }

    test('THEN it compiles (polling until COMPLETED), creates 1.0.7 of both models and deploys them with the artifact model kept', async () => {
      const { calls, handler } = aws(['INPROGRESS', 'INPROGRESS']);
      const { output } = await runMachine(definition, APPROVAL, handler);
      const of = (a: string) => calls.filter((c) => c.action === a);
      expect(of('sagemaker:describeCompilationJob')).toHaveLength(3);
      const [job] = of('sagemaker:createCompilationJob');
      expect(job.args).toEqual({
        CompilationJobName: 'demo-cameras-stock-out-7',
        RoleArn: '${aws_iam_role.serving_edge_registry_neo.arn}',
        InputConfig: { Framework: 'XGBOOST', DataInputConfig: '{"data": [1, 12]}', S3Uri: MODEL_DATA },
        OutputConfig: {
          TargetDevice: 'jetson_nano',
          S3OutputLocation: `s3://${MODELS}/demo/edge/compiled/stock-out/7/`,
          KmsKeyId: KEY,
        },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      });
      const recipes = of('greengrassv2:createComponentVersion').map((c) => JSON.parse(c.args.InlineRecipe));
      const byName = Object.fromEntries(recipes.map((x) => [x.ComponentName, x]));
      expect(byName['demo.cameras.stock-out']).toMatchObject({
        ComponentVersion: '1.0.7',
        ComponentDependencies: { 'variant.DLR': { VersionRequirement: '~1.6.0', DependencyType: 'HARD' } },
        Manifests: [{ Lifecycle: { Run: 'python3 -m stockout.serve' }, Artifacts: [{ URI: COMPILED }] }],
      });
      expect(byName['demo.cameras.plain'].Manifests[0].Artifacts[0].URI).toBe(MODEL_DATA);
      const [deployment] = of('greengrassv2:createDeployment');
      expect(deployment.args.TargetArn).toBe(GROUP_ARN);
      expect(deployment.args.Components).toEqual({
        'demo.cameras.shelf': { ComponentVersion: '1.0.0' },
        'demo.cameras.stock-out': { ComponentVersion: '1.0.7' },
        'demo.cameras.plain': { ComponentVersion: '1.0.7' },
      });
      expect(output).toMatchObject({ deploymentId: 'd-2' });
    });

    test('THEN a FAILED compilation fails the execution before any deployment', async () => {
      const { calls, handler } = aws(['FAILED']);
      const run = runMachine(definition, APPROVAL, handler);
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
