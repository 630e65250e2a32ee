import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IotThingGroup } from '@cdktf/provider-aws/lib/iot-thing-group';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Construct } from 'constructs';
import { integrationArn } from '../../compiler/arn';
import type { ResolvedEdge, ResolvedEdgeRegistry, ResolvedEdgeRegistryModel } from '../../model/serving';
import type { PolicyStatement } from '../iam/policy';
import { stateMachineTelemetryStatements } from '../iam/statements';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import { modelApprovedPattern } from './approval';

type Scope = Pick<SecurityContext, 'partition' | 'region' | 'account' | 'keyArn'>;

/** Seconds between two DescribeCompilationJob polls: Neo jobs take minutes. */
const POLL_SECONDS = 30;
/** CompilationJob StoppingCondition.MaxRuntimeInSeconds: Neo's default is 900; one hour leaves room for large models. */
const COMPILATION_MAX_SECONDS = 3600;
/** How long a running component has to acknowledge an update (same as the stack's deployment). */
const COMPONENT_UPDATE_TIMEOUT_SECONDS = 60;
/** ListThingsInThingGroup maxResults: the API's maximum (1..250). */
const THINGS_PAGE = 250;
/** Parallel AddThingToThingGroup calls: well under the IoT registry API rate limits. */
const JOIN_CONCURRENCY = 10;

const arnOf = (sec: Scope, service: string, resource: string) =>
  `arn:${sec.partition}:${service}:${sec.region}:${sec.account}:${resource}`;

/** One Map item per registry model: everything about it that does not depend on the package. */
function modelItem(m: ResolvedEdgeRegistryModel, bucketName: string, neoRoleArn: string, jobPrefix: string) {
  return {
    name: m.name,
    componentName: m.componentName,
    jobPrefix: `${jobPrefix}${m.name}-`,
    outputLocation: `s3://${bucketName}/${m.compiledPrefix}`,
    neoRoleArn,
    ...(m.compile
      ? {
          compile: {
            InputConfig: {
              Framework: m.compile.framework,
              DataInputConfig: m.compile.dataInputConfig,
              ...(m.compile.frameworkVersion !== undefined
                ? { FrameworkVersion: m.compile.frameworkVersion }
                : {}),
            },
            OutputConfig: {
              ...(m.compile.targetDevice !== undefined ? { TargetDevice: m.compile.targetDevice } : {}),
              ...(m.compile.targetPlatform !== undefined
                ? {
                    TargetPlatform: {
                      Os: m.compile.targetPlatform.os,
                      Arch: m.compile.targetPlatform.arch,
                      ...(m.compile.targetPlatform.accelerator !== undefined
                        ? { Accelerator: m.compile.targetPlatform.accelerator }
                        : {}),
                    },
                  }
                : {}),
            },
          },
        }
      : {}),
    recipe: {
      RecipeFormatVersion: '2020-01-25',
      ComponentName: m.componentName,
      ComponentDescription: `pipeform edge model ${m.name} (model registry)`,
      ComponentPublisher: 'pipeform',
      ComponentDependencies: {
        [m.runtimeComponent]: { VersionRequirement: m.runtimeVersion, DependencyType: 'HARD' },
      },
    },
    manifest: { Platform: { os: 'linux' }, ...(m.run !== undefined ? { Lifecycle: { Run: m.run } } : {}) },
  };
}

/**
 * The edge registry state machine (JSONata): on an approved package, per registry model
 * compile it with Neo (poll until COMPLETED; FAILED or STOPPED fails the execution), create
 * the component version `1.0.<package version>` whose artifact is the compiled model or the
 * package's ModelDataUrl, then deploy all registry models to the registry thing group
 * `<fleet>-registry`. That group is the state machine's alone (the stack deploys to the
 * fleet's group), and every approval creates a version of every registry model, so the new
 * deployment is complete by itself: nothing to read back and merge. Then every thing of the
 * fleet's group is added to the registry group (pages of ListThingsInThingGroup), so devices
 * enrolled before the registry group existed join it without a person.
 *
 * What the definition relies on about SDK integrations (docs/edge.md, "The SDK calls: what
 * is known"): request members are PascalCase ("Parameters in Step Functions are expressed
 * in PascalCase, even if the native service API is in camelCase", Step Functions developer
 * guide, "Learning to use AWS service SDK integrations in Step Functions",
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html; the
 * nested `Components.<name>.ComponentVersion` is taken to follow it, unverified);
 * the blob `InlineRecipe` is the recipe's JSON text, not base64 (no AWS page states it for
 * blobs; public definitions pass text to blob members, e.g. aws-cdk's integration test
 * `integ.call-aws-service.ts` with `s3:putObject` `Body`, and `aws-sdk:lambda:invoke`
 * `Payload`). The only Greengrass response member read is CreateDeployment's
 * `DeploymentId`, for the execution output alone.
 * Exported for tests.
 */
export function edgeRegistryDefinition(
  edge: ResolvedEdge,
  r: ResolvedEdgeRegistry,
  registryGroupArn: string,
  neoRoleArn: string,
  keyArn: string,
  partition: string,
): Record<string, unknown> {
  const sdk = (call: string) => integrationArn(partition, `aws-sdk:${call}`);
  const items = r.models.map((m) => modelItem(m, edge.bucketName, neoRoleArn, r.compilationJobPrefix));
  const version = "'1.0.' & $string($version)";
  const entry = `{% {$states.input.componentName: {'ComponentVersion': ${version}}} %}`;
  /** An SDK error caught into `$sdkError` (`Error`, `Cause`) is the given service error code. */
  const failedWith = (code: string) =>
    `{% $contains($string($sdkError.Error) & ' ' & $string($sdkError.Cause), '${code}') %}`;
  const rethrow = {
    Type: 'Fail',
    Error: '{% $string($sdkError.Error) %}',
    Cause: '{% $string($sdkError.Cause) %}',
  };
  const createComponent = (uri: string, next = 'Created') => ({
    Type: 'Task',
    Resource: sdk('greengrassv2:createComponentVersion'),
    Arguments: {
      // A blob member: the recipe's JSON text as is (Step Functions does not want base64 here).
      InlineRecipe: `{% $string($merge([$states.input.recipe, {'ComponentVersion': ${version}, 'Manifests': [$merge([$states.input.manifest, {'Artifacts': [{'URI': ${uri}, 'Unarchive': 'NONE'}]}])]}])) %}`,
    },
    // Becomes the deployment's Components entry: SDK integration parameters are PascalCase.
    Output: entry,
    // A re-run for the same package finds the version created (versions are immutable, and
    // the same package gives the same recipe): it goes on to the deployment. The error name's
    // service part is not matched, only the Greengrass error code in it or in the cause.
    Catch: [
      {
        ErrorEquals: ['States.TaskFailed'],
        Assign: { sdkError: '{% $states.errorOutput %}' },
        Output: entry,
        Next: 'VersionExists?',
      },
    ],
    Next: next,
  });
  return {
    Comment: `pipeform: deploys approved versions of ${r.packageGroup} to the edge fleet ${edge.fleetName}`,
    QueryLanguage: 'JSONata',
    StartAt: 'DescribePackage',
    States: {
      DescribePackage: {
        Type: 'Task',
        Resource: sdk('sagemaker:describeModelPackage'),
        Arguments: { ModelPackageName: '{% $states.input.detail.ModelPackageArn %}' },
        Assign: {
          version: '{% $states.result.ModelPackageVersion %}',
          modelData: '{% $states.result.InferenceSpecification.Containers[0].ModelDataUrl %}',
        },
        Next: 'Models',
      },
      Models: {
        Type: 'Map',
        Items: JSON.parse(JSON.stringify(items)) as unknown,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Compile?',
          States: {
            'Compile?': {
              Type: 'Choice',
              Choices: [{ Condition: '{% $exists($states.input.compile) %}', Next: 'Compile' }],
              Default: 'CreateFromPackage',
            },
            Compile: {
              Type: 'Task',
              Resource: sdk('sagemaker:createCompilationJob'),
              Arguments: {
                CompilationJobName: `{% $states.input.jobPrefix & $string($version) %}`,
                RoleArn: '{% $states.input.neoRoleArn %}',
                InputConfig: "{% $merge([$states.input.compile.InputConfig, {'S3Uri': $modelData}]) %}",
                OutputConfig: `{% $merge([$states.input.compile.OutputConfig, {'S3OutputLocation': $states.input.outputLocation & $string($version) & '/', 'KmsKeyId': '${keyArn}'}]) %}`,
                StoppingCondition: { MaxRuntimeInSeconds: COMPILATION_MAX_SECONDS },
              },
              Assign: { job: `{% $states.input.jobPrefix & $string($version) %}` },
              Output: '{% $states.input %}',
              // A re-run for the same package finds its job (names are unique): poll that one.
              Catch: [
                {
                  ErrorEquals: ['States.TaskFailed'],
                  Assign: {
                    job: `{% $states.input.jobPrefix & $string($version) %}`,
                    sdkError: '{% $states.errorOutput %}',
                  },
                  Output: '{% $states.input %}',
                  Next: 'JobExists?',
                },
              ],
              Next: 'WaitForCompilation',
            },
            'JobExists?': {
              Type: 'Choice',
              Choices: [{ Condition: failedWith('ResourceInUse'), Next: 'DescribeCompilation' }],
              Default: 'CompileFailed',
            },
            CompileFailed: rethrow,
            WaitForCompilation: { Type: 'Wait', Seconds: POLL_SECONDS, Next: 'DescribeCompilation' },
            DescribeCompilation: {
              Type: 'Task',
              Resource: sdk('sagemaker:describeCompilationJob'),
              Arguments: { CompilationJobName: '{% $job %}' },
              Assign: {
                status: '{% $states.result.CompilationJobStatus %}',
                compiled: '{% $states.result.ModelArtifacts.S3ModelArtifacts %}',
                failure: '{% $states.result.FailureReason %}',
              },
              Output: '{% $states.input %}',
              Next: 'Compiled?',
            },
            'Compiled?': {
              Type: 'Choice',
              Choices: [
                { Condition: "{% $status = 'COMPLETED' %}", Next: 'CreateFromCompiled' },
                { Condition: "{% $status in ['FAILED', 'STOPPED'] %}", Next: 'CompilationFailed' },
              ],
              Default: 'WaitForCompilation',
            },
            CompilationFailed: {
              Type: 'Fail',
              Error: 'CompilationFailed',
              Cause: "{% 'Neo compilation job ' & $job & ' ended ' & $status & ': ' & $string($failure) %}",
            },
            CreateFromCompiled: createComponent('$compiled'),
            CreateFromPackage: createComponent('$modelData'),
            'VersionExists?': {
              Type: 'Choice',
              Choices: [{ Condition: failedWith('ConflictException'), Next: 'Created' }],
              Default: 'CreateFailed',
            },
            CreateFailed: rethrow,
            Created: { Type: 'Succeed' },
          },
        },
        Assign: { created: '{% $merge($states.result) %}', next: "{% '' %}" },
        Next: 'Deploy',
      },
      Deploy: {
        Type: 'Task',
        Resource: sdk('greengrassv2:createDeployment'),
        Arguments: {
          TargetArn: registryGroupArn,
          DeploymentName: r.thingGroupName,
          // Every registry model, at this package's version: the group's deployment replaces the
          // previous one, and the stack's artifact models are deployed to the fleet's group.
          Components: '{% $created %}',
          DeploymentPolicies: {
            FailureHandlingPolicy: 'ROLLBACK',
            ComponentUpdatePolicy: {
              Action: 'NOTIFY_COMPONENTS',
              TimeoutInSeconds: COMPONENT_UPDATE_TIMEOUT_SECONDS,
            },
          },
        },
        Assign: { deployment: "{% {'deploymentId': $states.result.DeploymentId, 'components': $created} %}" },
        Next: 'FleetDevices',
      },
      // Every device of the fleet's group joins the registry group (AddThingToThingGroup is
      // idempotent): devices provisioned before the registry group existed, or added to the
      // fleet's group by hand, get the registry models too. A device that joins a group gets
      // that group's latest deployment, so joining after Deploy sends them the new one.
      FleetDevices: {
        Type: 'Task',
        Resource: sdk('iot:listThingsInThingGroup'),
        Arguments: `{% $merge([{'ThingGroupName': '${edge.fleetName}', 'MaxResults': ${THINGS_PAGE}}, $next = '' ? {} : {'NextToken': $next}]) %}`,
        Assign: {
          // Response members are PascalCase too (`things`, `nextToken` in the IoT API).
          things: '{% $append([], $states.result.Things) %}',
          next: "{% $exists($states.result.NextToken) ? $states.result.NextToken : '' %}",
        },
        Next: 'JoinRegistryGroup',
      },
      JoinRegistryGroup: {
        Type: 'Map',
        Items: '{% $things %}',
        MaxConcurrency: JOIN_CONCURRENCY,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Join',
          States: {
            Join: {
              Type: 'Task',
              Resource: sdk('iot:addThingToThingGroup'),
              Arguments: { ThingGroupName: r.thingGroupName, ThingName: '{% $states.input %}' },
              Retry: [
                { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 },
              ],
              End: true,
            },
          },
        },
        Next: 'MoreDevices?',
      },
      'MoreDevices?': {
        Type: 'Choice',
        Choices: [{ Condition: "{% $next != '' %}", Next: 'FleetDevices' }],
        Default: 'Deployed',
      },
      Deployed: { Type: 'Succeed', Output: '{% $deployment %}' },
    },
  };
}

/** The Neo role: read the registered archives, write the compiled ones, with the pipeline key. */
export function edgeNeoStatements(r: ResolvedEdgeRegistry, bucketArn: string, sec: Scope): PolicyStatement[] {
  return [
    {
      Sid: 'ReadRegisteredModels',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `${bucketArn}/${r.artifactsPrefix}*`,
    },
    {
      Sid: 'WriteCompiledModels',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: r.models.map((m) => `${bucketArn}/${m.compiledPrefix}*`),
    },
    { Sid: 'ListModels', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
    {
      Sid: 'PipelineKeyViaS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: sec.keyArn,
      Condition: { StringEquals: { 'kms:ViaService': `s3.${sec.region}.amazonaws.com` } },
    },
    {
      Sid: 'CompilationLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [
        arnOf(sec, 'logs', 'log-group:/aws/sagemaker/CompilationJobs'),
        arnOf(sec, 'logs', 'log-group:/aws/sagemaker/CompilationJobs:log-stream:*'),
      ],
    },
  ];
}

/**
 * The state machine's role: exact ARNs for the package group, the compilation jobs, the
 * fleet's registry components, the registry thing group; iam:PassRole of the Neo role to
 * SageMaker only. CreateDeployment takes no resource-level permissions; the IoT job it
 * creates may only target the registry group, never the fleet's group of the stack. It may
 * list the fleet's group and add the fleet's things to the registry group, nothing else.
 */
export function edgeRegistryStatements(
  edge: ResolvedEdge,
  r: ResolvedEdgeRegistry,
  bucketArn: string,
  neoRoleArn: string,
  sec: Scope,
): PolicyStatement[] {
  const components = r.models.map((m) => arnOf(sec, 'greengrass', `components:${m.componentName}`));
  const registryGroup = arnOf(sec, 'iot', `thinggroup/${r.thingGroupName}`);
  return [
    {
      Sid: 'DescribeApprovedPackage',
      Effect: 'Allow',
      Action: 'sagemaker:DescribeModelPackage',
      Resource: `${r.packageArnPrefix}*`,
    },
    {
      Sid: 'CompileForTheDevices',
      Effect: 'Allow',
      Action: ['sagemaker:CreateCompilationJob', 'sagemaker:DescribeCompilationJob'],
      Resource: arnOf(sec, 'sagemaker', `compilation-job/${r.compilationJobPrefix}*`),
    },
    {
      Sid: 'PassTheNeoRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: neoRoleArn,
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    },
    {
      Sid: 'RegistryComponents',
      Effect: 'Allow',
      Action: ['greengrass:CreateComponentVersion', 'greengrass:DescribeComponent'],
      Resource: [...components, ...components.map((c) => `${c}:versions:*`)],
    },
    {
      // Greengrass reads the artifact with the caller's credentials when it creates a version.
      Sid: 'ReadComponentArtifacts',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: [
        `${bucketArn}/${r.artifactsPrefix}*`,
        ...r.models.map((m) => `${bucketArn}/${m.compiledPrefix}*`),
      ],
    },
    {
      Sid: 'DecryptComponentArtifacts',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: sec.keyArn,
      Condition: { StringEquals: { 'kms:ViaService': `s3.${sec.region}.amazonaws.com` } },
    },
    {
      Sid: 'DeployToTheRegistryGroup',
      Effect: 'Allow',
      Action: 'greengrass:CreateDeployment',
      Resource: '*',
    },
    {
      Sid: 'DeploymentJobs',
      Effect: 'Allow',
      Action: ['iot:CancelJob', 'iot:CreateJob', 'iot:DescribeJob', 'iot:UpdateJob'],
      Resource: [arnOf(sec, 'iot', 'job/*'), registryGroup],
    },
    {
      Sid: 'RegistryGroup',
      Effect: 'Allow',
      Action: 'iot:DescribeThingGroup',
      Resource: registryGroup,
    },
    {
      Sid: 'ListFleetDevices',
      Effect: 'Allow',
      Action: 'iot:ListThingsInThingGroup',
      Resource: arnOf(sec, 'iot', `thinggroup/${edge.fleetName}`),
    },
    {
      // Only the fleet's things (provisioning names them <fleet>-<serial>), only into the registry group.
      Sid: 'FleetDevicesJoinTheRegistryGroup',
      Effect: 'Allow',
      Action: 'iot:AddThingToThingGroup',
      Resource: [arnOf(sec, 'iot', `thing/${edge.fleetName}-*`), registryGroup],
    },
    ...stateMachineTelemetryStatements(),
  ];
}

/** Props of {@link EdgeRegistryDeploy}. */
export interface EdgeRegistryDeployProps {
  readonly edge: ResolvedEdge;
  readonly registry: ResolvedEdgeRegistry;
  readonly bucketArn: string;
  readonly security: SecurityContext;
}

/**
 * The living path of registry edge models: the registry thing group `<fleet>-registry`
 * (provisioning puts every device in it); the EventBridge rule on approvals of the package
 * group starts the state machine `<fleet>-edge-registry` (Neo compilation, component
 * version, deployment to the registry group); the Neo role; an alarm on failed executions.
 */
export class EdgeRegistryDeploy extends Construct {
  /**
   * The registry models' own deployment target. A thing group has one current deployment;
   * a device in several groups runs the combination of their deployments (Greengrass v2
   * developer guide, "Deploy AWS IoT Greengrass components to devices",
   * https://docs.aws.amazon.com/greengrass/v2/developerguide/manage-deployments.html), so the
   * stack's deployment to the fleet's group and this one never replace each other.
   */
  readonly thingGroup: IotThingGroup;
  readonly stateMachine: SfnStateMachine;
  readonly definition: Record<string, unknown>;
  readonly rule: CloudwatchEventRule;
  /**
   * `<state machine>-failed` on ExecutionsFailed; when the spec has monitoring, monitoring
   * points its actions at the alerts topic and lists it on the dashboard (no actions otherwise).
   */
  readonly failedAlarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: EdgeRegistryDeployProps) {
    super(scope, id);
    const { edge, registry: r, security: sec } = props;
    this.thingGroup = new IotThingGroup(this, 'ThingGroup', {
      name: r.thingGroupName,
      properties: {
        description: `pipeform ${sec.pipeline}: devices of fleet ${edge.fleetName} get the approved models of ${r.packageGroup} through this group`,
      },
    });
    const neoRole = sec.roles.create(new Construct(this, 'neo'), 'Role', `edge-${edge.name}-neo`, {
      services: ['sagemaker.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: SageMaker Neo compiles approved models of ${r.packageGroup} for fleet ${edge.fleetName}`,
      statements: edgeNeoStatements(r, props.bucketArn, sec),
    });
    const logGroup = encryptedLogGroup(this, 'LogGroup', r.logGroupName, sec);
    const role = sec.roles.create(this, 'Role', `edge-${edge.name}-registry`, {
      services: ['states.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: deploys approved versions of ${r.packageGroup} to fleet ${edge.fleetName}`,
      statements: edgeRegistryStatements(edge, r, props.bucketArn, neoRole.arn, sec),
    });
    this.definition = edgeRegistryDefinition(
      edge,
      r,
      this.thingGroup.arn,
      neoRole.arn,
      sec.keyArn,
      sec.partition,
    );
    this.stateMachine = new SfnStateMachine(this, 'Resource', {
      name: r.stateMachineName,
      type: 'STANDARD',
      roleArn: role.arn,
      definition: JSON.stringify(this.definition),
      loggingConfiguration: { logDestination: `${logGroup.arn}:*`, includeExecutionData: true, level: 'ALL' },
      tracingConfiguration: { enabled: true },
      encryptionConfiguration: {
        type: 'CUSTOMER_MANAGED_KMS_KEY',
        kmsKeyId: sec.keyArn,
        kmsDataKeyReusePeriodSeconds: 300,
      },
      dependsOn: role.policyDependables,
    });
    const approvals = new Construct(this, 'approved');
    const eventsRole = sec.roles.create(approvals, 'Role', `edge-${edge.name}-registry-events`, {
      services: ['events.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: starts ${r.stateMachineName} when a version of ${r.packageGroup} is approved`,
      statements: [
        {
          Sid: 'StartTheEdgeDeploy',
          Effect: 'Allow',
          Action: 'states:StartExecution',
          Resource: this.stateMachine.arn,
        },
      ],
    });
    this.rule = new CloudwatchEventRule(approvals, 'Rule', {
      name: r.ruleName,
      description: `Deploys approved versions of ${r.packageGroup} to the edge fleet ${edge.fleetName}`,
      eventPattern: JSON.stringify(modelApprovedPattern(r.packageGroup)),
      state: 'ENABLED',
    });
    new CloudwatchEventTarget(approvals, 'Target', {
      rule: this.rule.name,
      targetId: 'edge-registry',
      arn: this.stateMachine.arn,
      roleArn: eventsRole.arn,
    });
    // A failed compilation or deployment must not go unnoticed: the old version keeps running.
    this.failedAlarm = new CloudwatchMetricAlarm(this, 'failed', {
      alarmName: `${r.stateMachineName}-failed`,
      alarmDescription: `pipeform: an execution of ${r.stateMachineName} failed (Neo compilation or Greengrass deployment)`,
      namespace: 'AWS/States',
      metricName: 'ExecutionsFailed',
      dimensions: { StateMachineArn: this.stateMachine.arn },
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });
  }
}
