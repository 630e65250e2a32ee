import type { ResolvedServingDeploy } from '../../model/serving';
import type { DeployTarget } from './deploy-requests';
import { integrationArn } from '../../compiler/arn';

/**
 * The serving deploy's state machine (Amazon States Language, JSONata): resolve the versions,
 * and per endpoint create the models and the endpoint configuration, create or update the
 * endpoint (blue/green with auto-rollback), wait for it, register autoscaling, write the
 * ledger and remove what the new configuration superseded.
 *
 * Input (every field optional): `version` (`latest-approved` or a version number for the
 * `latest-approved` variants: a redeploy or rollback) and `endpoints` (spec names; all
 * registry endpoints by default). An EventBridge approval event carries neither.
 *
 * Names: a model is `<model>-v<version>`; a configuration is `<prefix><token>-<first 8 hex
 * digits of SHA-256 over "variant=version,...">`, so a re-run of the same deploy finds what
 * the first created. Terraform reads both from the ledger, so only the deploy computes them.
 * Every JSONata expression starts with `{% ` (a space): `%{` would start a Terraform template
 * directive inside the definition string.
 */

type State = Record<string, unknown>;

/** `ErrorEquals` of every task failure (AWS SDK integrations raise `<Service>.<Exception>`). */
const ANY_TASK_ERROR = ['States.TaskFailed'];
/** SageMaker endpoint states in which an update is still running or settling. */
const BUSY = ['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'UpdateRollbackFailed'];
/** Seconds between two looks at a deploying endpoint. */
export const POLL_SECONDS = 60;

/** The AWS SDK integration of a service action, in the pipeline's partition. */
type Sdk = (service: string, action: string) => string;
const sdkIn =
  (partition: string): Sdk =>
  (service, action) =>
    integrationArn(partition, `aws-sdk:${service}:${action}`);
const busy = `[${BUSY.map((s) => `'${s}'`).join(', ')}]`;

/** The per-endpoint states (a Map iteration over one target). */
function endpointStates(sdk: Sdk): Record<string, State> {
  return {
    Resolve: {
      Type: 'Pass',
      Assign: {
        t: '{% $states.input %}',
        versions:
          '{% $merge($states.input.variants[registry].{ name: pinned != null ? pinned : $latest }) %}',
        pins: '{% [$distinct($states.input.variants[registry and pinned != null].pinned)] %}',
      },
      Next: 'CheckPins',
    },
    CheckPins: {
      Type: 'Map',
      Items: '{% $pins %}',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'DescribePin',
        States: {
          DescribePin: {
            Type: 'Task',
            Resource: sdk('sagemaker', 'describeModelPackage'),
            Arguments: { ModelPackageName: '{% $prefix & $string($states.input) %}' },
            Output: '{% $states.result.ModelApprovalStatus %}',
            Catch: [{ ErrorEquals: ANY_TASK_ERROR, Next: 'MissingPin' }],
            End: true,
          },
          MissingPin: { Type: 'Pass', Output: "{% 'Missing' %}", End: true },
        },
      },
      Assign: { pinsReady: "{% $count($states.result[$ != 'Approved']) = 0 %}" },
      Next: 'Ready',
    },
    Ready: {
      Type: 'Choice',
      Choices: [
        {
          Condition:
            '{% $pinsReady and ($count($t.variants[registry and pinned = null]) = 0 or $latest != null) %}',
          Next: 'ReadLedger',
        },
      ],
      Default: 'Waiting',
    },
    Waiting: {
      Type: 'Pass',
      Output:
        "{% { 'endpoint': $t.endpoint, 'status': 'waiting', 'message': $count($pins) > 0 ? 'waiting for version ' & $join($pins.$string(), ', ') & ' of ' & $group & ' to exist and be approved' : 'waiting for the first approved version of ' & $group } %}",
      End: true,
    },
    ReadLedger: {
      Type: 'Task',
      Resource: sdk('ssm', 'getParameter'),
      Arguments: { Name: '{% $t.ledger %}' },
      Assign: { ledger: '{% $parse($states.result.Parameter.Value) %}' },
      Catch: [{ ErrorEquals: ANY_TASK_ERROR, Assign: { ledger: null }, Next: 'Names' }],
      Next: 'Names',
    },
    Names: {
      Type: 'Pass',
      Assign: {
        models:
          "{% $merge($t.variants.{ name: registry ? model & '-v' & $string($lookup($versions, name)) : model }) %}",
        config:
          "{% $t.configPrefix & $t.configDigest & '-' & $substring($hash($join($t.variants[registry].(name & '=' & $string($lookup($versions, name))), ','), 'SHA-256'), 0, 8) %}",
      },
      Next: 'UpToDate',
    },
    UpToDate: {
      Type: 'Choice',
      Choices: [
        {
          Condition:
            '{% $ledger != null and $ledger.config = $config and $ledger.scaling = $t.scalingDigest %}',
          Next: 'Current',
        },
      ],
      Default: 'CreateModels',
    },
    Current: {
      Type: 'Pass',
      Output:
        "{% { 'endpoint': $t.endpoint, 'status': 'up to date', 'config': $config, 'versions': $versions } %}",
      End: true,
    },
    CreateModels: {
      Type: 'Map',
      Items: '{% [$t.variants[registry]] %}',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'CreateModel',
        States: {
          CreateModel: {
            Type: 'Task',
            Resource: sdk('sagemaker', 'createModel'),
            Arguments:
              "{% $merge([$states.input.createModel, { 'ModelName': $lookup($models, $states.input.name), 'PrimaryContainer': $merge([$states.input.createModel.PrimaryContainer, { 'ModelPackageName': $prefix & $string($lookup($versions, $states.input.name)) }]) }]) %}",
            // A re-run finds the model the first run created: it must exist, with that name.
            Catch: [{ ErrorEquals: ANY_TASK_ERROR, Output: '{% $states.input %}', Next: 'ModelExists' }],
            End: true,
          },
          ModelExists: {
            Type: 'Task',
            Resource: sdk('sagemaker', 'describeModel'),
            Arguments: { ModelName: '{% $lookup($models, $states.input.name) %}' },
            End: true,
          },
        },
      },
      Next: 'CreateConfig',
    },
    CreateConfig: {
      Type: 'Task',
      Resource: sdk('sagemaker', 'createEndpointConfig'),
      Arguments:
        "{% $merge([$t.createConfig, { 'EndpointConfigName': $config, 'ProductionVariants': [$t.variants[$not(shadow)].$merge([block, { 'ModelName': $lookup($models, name) }])] }, $count($t.variants[shadow]) > 0 ? { 'ShadowProductionVariants': [$t.variants[shadow].$merge([block, { 'ModelName': $lookup($models, name) }])] } : {}]) %}",
      Catch: [{ ErrorEquals: ANY_TASK_ERROR, Next: 'ConfigExists' }],
      Next: 'FindEndpoint',
    },
    ConfigExists: {
      Type: 'Task',
      Resource: sdk('sagemaker', 'describeEndpointConfig'),
      Arguments: { EndpointConfigName: '{% $config %}' },
      Next: 'FindEndpoint',
    },
    FindEndpoint: {
      Type: 'Task',
      Resource: sdk('sagemaker', 'describeEndpoint'),
      Arguments: { EndpointName: '{% $t.endpointName %}' },
      Assign: {
        previous: '{% $states.result.EndpointConfigName %}',
        status: '{% $states.result.EndpointStatus %}',
      },
      Catch: [{ ErrorEquals: ANY_TASK_ERROR, Assign: { previous: null }, Next: 'CreateEndpoint' }],
      Next: 'Settled',
    },
    Settled: {
      Type: 'Choice',
      Choices: [
        // Another deploy (or a Terraform rollout) is still running: wait for it to finish.
        { Condition: `{% $status in ${busy} %}`, Next: 'WaitForQuiet' },
        { Condition: "{% $status = 'InService' and $previous = $config %}", Next: 'Scale' },
        { Condition: "{% $status = 'InService' %}", Next: 'UpdateEndpoint' },
      ],
      Default: 'Broken',
    },
    WaitForQuiet: { Type: 'Wait', Seconds: POLL_SECONDS, Next: 'FindEndpoint' },
    Broken: {
      Type: 'Fail',
      Error: 'pipeform.EndpointNotInService',
      Cause:
        "{% 'endpoint ' & $t.endpointName & ' is ' & $status & ': fix or delete it, then run the deploy again' %}",
    },
    CreateEndpoint: {
      Type: 'Task',
      Resource: sdk('sagemaker', 'createEndpoint'),
      Arguments:
        "{% $merge([$t.endpointRequest, { 'EndpointName': $t.endpointName, 'EndpointConfigName': $config }]) %}",
      Next: 'Watch',
    },
    UpdateEndpoint: {
      Type: 'Task',
      Resource: sdk('sagemaker', 'updateEndpoint'),
      Arguments:
        "{% { 'EndpointName': $t.endpointName, 'EndpointConfigName': $config, 'DeploymentConfig': $t.endpointRequest.DeploymentConfig } %}",
      Next: 'Watch',
    },
    Watch: { Type: 'Wait', Seconds: POLL_SECONDS, Next: 'Poll' },
    Poll: {
      Type: 'Task',
      Resource: sdk('sagemaker', 'describeEndpoint'),
      Arguments: { EndpointName: '{% $t.endpointName %}' },
      Assign: {
        status: '{% $states.result.EndpointStatus %}',
        serving: '{% $states.result.EndpointConfigName %}',
      },
      Next: 'Deployed',
    },
    Deployed: {
      Type: 'Choice',
      Choices: [
        { Condition: `{% $status in ${busy} %}`, Next: 'Watch' },
        { Condition: "{% $status = 'InService' and $serving = $config %}", Next: 'Scale' },
      ],
      Default: 'RolledBack',
    },
    RolledBack: {
      Type: 'Fail',
      Error: 'pipeform.DeploymentRolledBack',
      Cause:
        "{% 'endpoint ' & $t.endpointName & ' did not take ' & $config & ' (status ' & $status & ', serving ' & $string($serving) & '): rolled back or failed' %}",
    },
    Scale: {
      Type: 'Map',
      Items: '{% $t.scaling %}',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Register',
        States: {
          Register: {
            Type: 'Task',
            Resource: sdk('applicationautoscaling', 'registerScalableTarget'),
            Arguments: '{% $states.input.target %}',
            Assign: { s: '{% $states.input %}' },
            Next: 'Policy',
          },
          Policy: {
            Type: 'Task',
            Resource: sdk('applicationautoscaling', 'putScalingPolicy'),
            Arguments: '{% $s.policy %}',
            Next: 'Schedules',
          },
          Schedules: {
            Type: 'Map',
            Items: '{% $s.schedules %}',
            ItemProcessor: {
              ProcessorConfig: { Mode: 'INLINE' },
              StartAt: 'Schedule',
              States: {
                Schedule: {
                  Type: 'Task',
                  Resource: sdk('applicationautoscaling', 'putScheduledAction'),
                  Arguments: '{% $states.input %}',
                  End: true,
                },
              },
            },
            End: true,
          },
        },
      },
      Next: 'WriteLedger',
    },
    WriteLedger: {
      Type: 'Task',
      Resource: sdk('ssm', 'putParameter'),
      Arguments: {
        Name: '{% $t.ledger %}',
        Type: 'String',
        Overwrite: true,
        Value:
          "{% $string({ 'token': $t.configDigest, 'config': $config, 'versions': $versions, 'models': $models, 'scaling': $t.scalingDigest }) %}",
      },
      Next: 'Superseded',
    },
    Superseded: {
      Type: 'Choice',
      Choices: [{ Condition: '{% $previous != null and $previous != $config %}', Next: 'OldConfig' }],
      Default: 'Done',
    },
    OldConfig: {
      Type: 'Task',
      Resource: sdk('sagemaker', 'describeEndpointConfig'),
      Arguments: { EndpointConfigName: '{% $previous %}' },
      Assign: {
        // Models of this endpoint the new configuration no longer serves.
        stale:
          "{% [$append($states.result.ProductionVariants.ModelName, $states.result.ShadowProductionVariants.ModelName)[$not($ in $models.*) and $substring($, 0, $length($t.endpointName) + 1) = $t.endpointName & '-']] %}",
      },
      Catch: [{ ErrorEquals: ANY_TASK_ERROR, Next: 'Done' }],
      Next: 'DeleteOldConfig',
    },
    DeleteOldConfig: {
      Type: 'Task',
      Resource: sdk('sagemaker', 'deleteEndpointConfig'),
      Arguments: { EndpointConfigName: '{% $previous %}' },
      Catch: [{ ErrorEquals: ANY_TASK_ERROR, Next: 'DeleteOldModels' }],
      Next: 'DeleteOldModels',
    },
    DeleteOldModels: {
      Type: 'Map',
      Items: '{% $stale %}',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'DeleteModel',
        States: {
          DeleteModel: {
            Type: 'Task',
            Resource: sdk('sagemaker', 'deleteModel'),
            Arguments: { ModelName: '{% $states.input %}' },
            Catch: [{ ErrorEquals: ANY_TASK_ERROR, Next: 'Gone' }],
            End: true,
          },
          Gone: { Type: 'Pass', End: true },
        },
      },
      Next: 'Done',
    },
    Done: {
      Type: 'Pass',
      Output:
        "{% { 'endpoint': $t.endpoint, 'status': 'serving', 'config': $config, 'versions': $versions } %}",
      End: true,
    },
  };
}

/** The whole state machine over the registry endpoints' deploy targets. */
export function servingDeployDefinition(
  d: ResolvedServingDeploy,
  targets: readonly DeployTarget[],
  partition: string,
): Record<string, unknown> {
  const sdk = sdkIn(partition);
  const [min, max] = d.versionRange;
  return {
    Comment: `pipeform: deploys approved versions of ${d.packageGroup} to ${targets.map((t) => t.endpointName).join(', ')}`,
    QueryLanguage: 'JSONata',
    TimeoutSeconds: d.timeoutSeconds,
    StartAt: 'Init',
    States: {
      Init: {
        Type: 'Pass',
        Assign: {
          targets,
          // SageMaker lists another account's group by its ARN only.
          group: d.promotion?.packageGroupArn ?? d.packageGroup,
          prefix: d.packageArnPrefix,
          requested:
            "{% $exists($states.input.version) ? $string($states.input.version) : 'latest-approved' %}",
          wanted: `{% $exists($states.input.endpoints) ? $states.input.endpoints : ${JSON.stringify(d.endpoints).replace(/"/g, "'")} %}`,
        },
        Next: 'CheckVersion',
      },
      CheckVersion: {
        Type: 'Choice',
        Choices: [
          { Condition: "{% $requested = 'latest-approved' %}", Next: 'FindLatest' },
          {
            // The bounds of registry.version in the schema.
            Condition: `{% $contains($requested, /^[0-9]+$/) and $number($requested) >= ${min} and $number($requested) <= ${max} %}`,
            Next: 'CheckRequested',
          },
        ],
        Default: 'BadVersion',
      },
      BadVersion: {
        Type: 'Fail',
        Error: 'pipeform.BadVersion',
        Cause: `{% 'version ' & $requested & ' is neither latest-approved nor a version number from ${min} to ${max}' %}`,
      },
      CheckRequested: {
        Type: 'Task',
        Resource: sdk('sagemaker', 'describeModelPackage'),
        Arguments: { ModelPackageName: '{% $prefix & $requested %}' },
        Assign: { requestedStatus: '{% $states.result.ModelApprovalStatus %}' },
        Catch: [
          { ErrorEquals: ANY_TASK_ERROR, Assign: { requestedStatus: 'Missing' }, Next: 'RequestedApproved' },
        ],
        Next: 'RequestedApproved',
      },
      RequestedApproved: {
        Type: 'Choice',
        Choices: [
          {
            Condition: "{% $requestedStatus = 'Approved' %}",
            Assign: { latest: '{% $number($requested) %}' },
            Next: 'Endpoints',
          },
        ],
        Default: 'NotApproved',
      },
      NotApproved: {
        Type: 'Fail',
        Error: 'pipeform.NotApproved',
        Cause:
          "{% $prefix & $requested & ' is ' & $requestedStatus & ', not Approved: refusing to deploy it' %}",
      },
      FindLatest: {
        Type: 'Task',
        Resource: sdk('sagemaker', 'listModelPackages'),
        Arguments: {
          ModelPackageGroupName: '{% $group %}',
          ModelApprovalStatus: 'Approved',
          SortBy: 'CreationTime',
          SortOrder: 'Descending',
          MaxResults: 1,
        },
        Assign: {
          latest:
            '{% $count($states.result.ModelPackageSummaryList) > 0 ? $states.result.ModelPackageSummaryList[0].ModelPackageVersion : null %}',
        },
        // A group nobody created yet has no approved version either.
        Catch: [{ ErrorEquals: ANY_TASK_ERROR, Assign: { latest: null }, Next: 'Endpoints' }],
        Next: 'Endpoints',
      },
      Endpoints: {
        Type: 'Map',
        Items: '{% [$targets[endpoint in $wanted]] %}',
        // One endpoint at a time: each rollout has its own alarms and limits.
        MaxConcurrency: 1,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Resolve',
          States: endpointStates(sdk),
        },
        Output: "{% { 'endpoints': $states.result } %}",
        End: true,
      },
    },
  };
}
