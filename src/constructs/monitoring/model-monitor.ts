import { CloudformationStack } from '@cdktf/provider-aws/lib/cloudformation-stack';
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SagemakerDataQualityJobDefinition } from '@cdktf/provider-aws/lib/sagemaker-data-quality-job-definition';
import { SagemakerMonitoringSchedule } from '@cdktf/provider-aws/lib/sagemaker-monitoring-schedule';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type {
  ResolvedModelBias,
  ResolvedModelExplainability,
  ResolvedModelMonitor,
  ResolvedModelQuality,
  ResolvedMonitorLocation,
} from '../../model/monitoring';
import type { NetworkContext, SecurityContext } from '../security-context';
import { lit, onlyIf } from '../serving/ledger';
import { monitorRoleStatements } from './policies';

/** Where Model Monitor publishes drift metrics for real-time endpoints. */
export const DATA_METRICS_NAMESPACE = 'aws/sagemaker/Endpoints/data-metrics';
/** Container paths of the monitoring jobs. */
const INPUT_PATH = '/opt/ml/processing/input/endpoint';
const OUTPUT_PATH = '/opt/ml/processing/output';
/** The analyzer publishes per-feature and quality metrics to CloudWatch only when asked. */
const ANALYZER_ENVIRONMENT = { publish_cloudwatch_metrics: 'Enabled' };

const uri = (l: ResolvedMonitorLocation, file = '') => `s3://${l.bucketName}/${l.prefix}${file}`;

/** Props of {@link ModelMonitor}. */
export interface ModelMonitorProps {
  readonly monitor: ResolvedModelMonitor;
  readonly security: SecurityContext;
  /** The Model Monitor analyzer image for the region. */
  readonly imageUri: string;
  /** The SageMaker Clarify image for the region (bias and explainability monitoring). */
  readonly clarifyImageUri?: string;
  readonly topicArn: string;
  /** The endpoint resource: schedules are created once it exists. */
  readonly endpoint?: ITerraformDependable;
  /**
   * For an endpoint the serving deploy brings up: an HCL boolean that holds once the ledger
   * says it is deployed. Monitoring schedules need the endpoint to exist, so the job
   * definitions, schedules and the model-quality stack wait for it too (the apply after the
   * first approval creates them).
   */
  readonly deployed?: string;
}

/** What a monitoring template refers to outside the stack. */
export interface MonitorTemplateRefs {
  readonly roleArn: string;
  readonly keyArn: string;
  readonly imageUri: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

/**
 * The three monitors the provider has no resource for, each a CloudFormation job definition
 * and schedule: the key is the resource type and property prefix (`AWS::SageMaker::<kind>JobDefinition`,
 * `<kind>AppSpecification`, ...) and the schedule's MonitoringType. `what` is the stack's
 * description; only explainability leaves the network open, as its job calls the live endpoint
 * (InvokeEndpoint) for SHAP values.
 */
const TEMPLATE_KINDS = {
  ModelQuality: { what: 'model quality', isolated: true },
  ModelBias: { what: 'bias drift', isolated: true },
  ModelExplainability: { what: 'feature attribution', isolated: false },
} as const;
type TemplateKind = keyof typeof TEMPLATE_KINDS;

/** What every template-held monitor has: the schedule, the reports and the captured attributes. */
type MonitorJob = Pick<
  ResolvedModelExplainability,
  'scheduleName' | 'scheduleExpression' | 'reports' | 'inferenceAttribute' | 'probabilityAttribute'
>;

/** What a job that joins captured data with ground truth adds (model quality, bias). */
type Labels = Pick<
  ResolvedModelQuality,
  'groundTruth' | 'probabilityThreshold' | 'startTimeOffset' | 'endTimeOffset'
>;

/** A kind's own parts of its template. */
interface KindParts {
  readonly app: object;
  readonly baseline?: object;
  readonly featuresAttribute?: string;
  /** The ground truth and the evaluated window; undefined for explainability, which has neither. */
  readonly labels?: Labels;
}

/** The instances of a monitoring job, their volumes encrypted with the key. */
function jobResources(m: ResolvedModelMonitor, refs: MonitorTemplateRefs): object {
  return {
    ClusterConfig: {
      InstanceCount: m.instanceCount,
      InstanceType: m.instanceType,
      VolumeSizeInGB: m.volumeSizeGb,
      VolumeKmsKeyId: refs.keyArn,
    },
  };
}

/** A monitoring job's network: the private subnets, inter-container encryption, isolated or not. */
function networkConfig(refs: MonitorTemplateRefs, isolated: boolean): object {
  return {
    EnableInterContainerTrafficEncryption: true,
    EnableNetworkIsolation: isolated,
    VpcConfig: { SecurityGroupIds: refs.securityGroupIds, Subnets: refs.subnetIds },
  };
}

/**
 * The CloudFormation template of a job definition and its schedule, for every kind of
 * {@link TEMPLATE_KINDS}: the one code path for the definition, the schedule and the outputs,
 * with `parts` the kind's own application, baseline, features and labels.
 */
function monitorJobTemplate(
  kind: TemplateKind,
  m: ResolvedModelMonitor,
  j: MonitorJob,
  refs: MonitorTemplateRefs,
  parts: KindParts,
): object {
  const { what, isolated } = TEMPLATE_KINDS[kind];
  const l = parts.labels;
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `pipeform: ${what} of SageMaker endpoint ${m.endpointName}`,
    Resources: {
      // No JobDefinitionName: the definition is immutable, and only a generated name lets
      // CloudFormation create the changed one before it deletes the old one.
      Definition: {
        Type: `AWS::SageMaker::${kind}JobDefinition`,
        Properties: {
          RoleArn: refs.roleArn,
          [`${kind}AppSpecification`]: parts.app,
          ...(parts.baseline ? { [`${kind}BaselineConfig`]: parts.baseline } : {}),
          [`${kind}JobInput`]: {
            EndpointInput: {
              EndpointName: m.endpointName,
              LocalPath: INPUT_PATH,
              S3DataDistributionType: 'FullyReplicated',
              S3InputMode: 'File',
              ...(parts.featuresAttribute !== undefined
                ? { FeaturesAttribute: parts.featuresAttribute }
                : {}),
              ...(j.inferenceAttribute !== undefined ? { InferenceAttribute: j.inferenceAttribute } : {}),
              ...(j.probabilityAttribute !== undefined
                ? { ProbabilityAttribute: j.probabilityAttribute }
                : {}),
              ...(l?.probabilityThreshold !== undefined
                ? { ProbabilityThresholdAttribute: l.probabilityThreshold }
                : {}),
              ...(l ? { StartTimeOffset: l.startTimeOffset, EndTimeOffset: l.endTimeOffset } : {}),
            },
            ...(l ? { GroundTruthS3Input: { S3Uri: uri(l.groundTruth) } } : {}),
          },
          [`${kind}JobOutputConfig`]: {
            KmsKeyId: refs.keyArn,
            MonitoringOutputs: [
              { S3Output: { LocalPath: OUTPUT_PATH, S3Uri: uri(j.reports), S3UploadMode: 'EndOfJob' } },
            ],
          },
          JobResources: jobResources(m, refs),
          NetworkConfig: networkConfig(refs, isolated),
          StoppingCondition: { MaxRuntimeInSeconds: m.maxRuntimeSeconds },
        },
      },
      Schedule: {
        Type: 'AWS::SageMaker::MonitoringSchedule',
        Properties: {
          MonitoringScheduleName: j.scheduleName,
          EndpointName: m.endpointName,
          MonitoringScheduleConfig: {
            MonitoringType: kind,
            // Ref is the definition's ARN, `...:<kind>-job-definition/<name>`.
            MonitoringJobDefinitionName: { 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'Definition' }] }] },
            ScheduleConfig: { ScheduleExpression: j.scheduleExpression },
          },
        },
      },
    },
    Outputs: {
      ScheduleName: { Value: j.scheduleName },
      JobDefinitionArn: { Value: { Ref: 'Definition' } },
    },
  };
}

/** The CloudFormation template of a model-quality job definition and its schedule. */
export function modelQualityTemplate(
  m: ResolvedModelMonitor,
  q: ResolvedModelQuality,
  refs: MonitorTemplateRefs,
): object {
  return monitorJobTemplate('ModelQuality', m, q, refs, {
    app: { ImageUri: refs.imageUri, ProblemType: q.problemType, Environment: ANALYZER_ENVIRONMENT },
    ...(q.baseline
      ? { baseline: { ConstraintsResource: { S3Uri: uri(q.baseline, 'constraints.json') } } }
      : {}),
    labels: q,
  });
}

/**
 * The CloudFormation template of a Clarify bias-drift job definition and its schedule, in
 * the shape of {@link modelQualityTemplate} (the provider has no resource for either). The
 * analysis configuration (label, facets, headers) and the constraints come from the Clarify
 * baselining job's output in the baseline prefix: analysis_config.json and analysis.json.
 */
export function modelBiasTemplate(
  m: ResolvedModelMonitor,
  b: ResolvedModelBias,
  refs: MonitorTemplateRefs,
): object {
  return monitorJobTemplate('ModelBias', m, b, refs, clarifyParts(b, refs, b));
}

/**
 * The CloudFormation template of a Clarify feature-attribution (explainability) job
 * definition and its schedule. The analysis configuration and the constraints come from the
 * Clarify baselining job's output in the baseline prefix (analysis_config.json, analysis.json);
 * its `predictor.endpoint_name` names the live endpoint, which the job calls to compute SHAP
 * values, so unlike the other monitors it is not network-isolated (it reaches the endpoint
 * through the SageMaker runtime interface endpoint in the private subnets) and it reads no
 * ground truth.
 */
export function modelExplainabilityTemplate(
  m: ResolvedModelMonitor,
  x: ResolvedModelExplainability,
  refs: MonitorTemplateRefs,
): object {
  return monitorJobTemplate('ModelExplainability', m, x, refs, clarifyParts(x, refs));
}

/** The parts both Clarify monitors take from the baselining job's output and the spec. */
function clarifyParts(
  c: ResolvedModelBias | ResolvedModelExplainability,
  refs: MonitorTemplateRefs,
  labels?: Labels,
): KindParts {
  return {
    app: { ImageUri: refs.imageUri, ConfigUri: uri(c.baseline, 'analysis_config.json') },
    baseline: { ConstraintsResource: { S3Uri: uri(c.baseline, 'analysis.json') } },
    ...(c.featuresAttribute !== undefined ? { featuresAttribute: c.featuresAttribute } : {}),
    ...(labels ? { labels } : {}),
  };
}

/**
 * SageMaker Model Monitor for one endpoint: its role (reads only this endpoint's captured
 * data, baselines and ground truth), a data-quality job definition and hourly or daily
 * schedule with a drift alarm over the chosen features, and a model-quality definition and
 * schedule, a Clarify bias-drift and a Clarify explainability definition and schedule
 * (CloudFormation stacks: the provider has no resource for them). Jobs run in the private
 * subnets, network-isolated (except explainability, which invokes the endpoint), with
 * inter-container encryption, and volumes and reports encrypted with the key.
 */
export class ModelMonitor extends Construct {
  /** The drift alarm, when drift features are set. */
  readonly driftAlarm?: CloudwatchMetricAlarm;
  readonly dataQualitySchedule?: SagemakerMonitoringSchedule;
  readonly modelQualityStack?: CloudformationStack;
  readonly biasStack?: CloudformationStack;
  readonly explainabilityStack?: CloudformationStack;

  constructor(scope: Construct, id: string, props: ModelMonitorProps) {
    super(scope, id);
    const { monitor: m, security: sec } = props;
    const network: NetworkContext | undefined = sec.network;
    if (network === undefined) throw new Error(`internal: the monitor of ${m.endpoint} needs the network`);
    const role = sec.roles.create(this, 'Role', m.roleComponent, {
      services: ['sagemaker.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: Model Monitor jobs of SageMaker endpoint ${m.endpointName}`,
      statements: monitorRoleStatements(m, sec, network.vpcId),
    });
    const after = [...role.policyDependables, ...(props.endpoint ? [props.endpoint] : [])];

    const d = m.dataQuality;
    if (d) {
      const dq = new Construct(this, 'data-quality');
      const definition = new SagemakerDataQualityJobDefinition(dq, 'Resource', {
        roleArn: role.arn,
        dataQualityAppSpecification: { imageUri: props.imageUri, environment: ANALYZER_ENVIRONMENT },
        dataQualityBaselineConfig: {
          constraintsResource: { s3Uri: uri(d.baseline, 'constraints.json') },
          statisticsResource: { s3Uri: uri(d.baseline, 'statistics.json') },
        },
        dataQualityJobInput: {
          endpointInput: {
            endpointName: m.endpointName,
            localPath: INPUT_PATH,
            s3DataDistributionType: 'FullyReplicated',
            s3InputMode: 'File',
          },
        },
        dataQualityJobOutputConfig: {
          kmsKeyId: sec.keyArn,
          monitoringOutputs: {
            s3Output: { s3Uri: uri(d.reports), localPath: OUTPUT_PATH, s3UploadMode: 'EndOfJob' },
          },
        },
        jobResources: {
          clusterConfig: {
            instanceCount: m.instanceCount,
            instanceType: m.instanceType,
            volumeSizeInGb: m.volumeSizeGb,
            volumeKmsKeyId: sec.keyArn,
          },
        },
        networkConfig: {
          enableInterContainerTrafficEncryption: true,
          enableNetworkIsolation: true,
          vpcConfig: {
            subnets: [...network.privateSubnetIds],
            securityGroupIds: [...network.securityGroupIds],
          },
        },
        stoppingCondition: { maxRuntimeInSeconds: m.maxRuntimeSeconds },
        // Immutable: a change creates the new definition, moves the schedule, then removes the old.
        lifecycle: { createBeforeDestroy: true },
        dependsOn: after,
      });
      const gated = props.deployed;
      if (gated) definition.addOverride('for_each', onlyIf(gated, lit(d.scheduleName)));
      this.dataQualitySchedule = new SagemakerMonitoringSchedule(dq, 'Schedule', {
        name: d.scheduleName,
        monitoringScheduleConfig: {
          monitoringJobDefinitionName: gated
            ? `\${${definition.terraformResourceType}.${definition.friendlyUniqueId}[${lit(d.scheduleName)}].name}`
            : definition.name,
          monitoringType: 'DataQuality',
          scheduleConfig: { scheduleExpression: d.scheduleExpression },
        },
        dependsOn: after,
      });
      if (gated) this.dataQualitySchedule.addOverride('for_each', onlyIf(gated, lit(d.scheduleName)));
      if (d.drift) {
        const drift = d.drift;
        const series: CloudwatchMetricAlarmMetricQuery[] = drift.features.map((feature, i) => ({
          id: `f${i}`,
          returnData: false,
          metric: {
            namespace: DATA_METRICS_NAMESPACE,
            metricName: `feature_baseline_drift_${feature}`,
            stat: 'Maximum',
            period: d.periodSeconds,
            dimensions: { Endpoint: m.endpointName, MonitoringSchedule: d.scheduleName },
          },
        }));
        this.driftAlarm = new CloudwatchMetricAlarm(dq, 'drift', {
          alarmName: drift.alarmName,
          alarmDescription: `pipeform: baseline drift of ${drift.features.join(', ')} on endpoint ${m.endpointName} above ${drift.maxDrift}`,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: drift.maxDrift,
          evaluationPeriods: 1,
          // No monitoring run (no traffic) is no evidence of drift.
          treatMissingData: 'notBreaching',
          metricQuery: [
            ...series,
            {
              id: 'drift',
              expression: `MAX([${series.map((s) => s.id).join(', ')}])`,
              label: 'Largest feature drift',
              returnData: true,
            },
          ],
          alarmActions: [props.topicArn],
          okActions: [props.topicArn],
        });
      }
    }

    const refs = (imageUri: string): MonitorTemplateRefs => ({
      roleArn: role.arn,
      keyArn: sec.keyArn,
      imageUri,
      subnetIds: network.privateSubnetIds,
      securityGroupIds: network.securityGroupIds,
    });
    const clarifyImage = (what: string): string => {
      if (props.clarifyImageUri === undefined)
        throw new Error(`internal: the ${what} monitor of ${m.endpoint} needs the Clarify image`);
      return props.clarifyImageUri;
    };
    // The stack holding a template's definition and schedule; like the data-quality schedule it
    // waits for the deploy, since a schedule needs the endpoint to exist.
    const templateStack = (id: string, stackName: string, template: object): CloudformationStack => {
      const stack = new CloudformationStack(new Construct(this, id), 'Resource', {
        name: stackName,
        templateBody: JSON.stringify(template),
        onFailure: 'DELETE',
        dependsOn: after,
      });
      if (props.deployed) stack.addOverride('for_each', onlyIf(props.deployed, lit(stackName)));
      return stack;
    };

    const q = m.modelQuality;
    if (q)
      this.modelQualityStack = templateStack(
        'model-quality',
        q.stackName,
        modelQualityTemplate(m, q, refs(props.imageUri)),
      );
    const b = m.bias;
    if (b)
      this.biasStack = templateStack(
        'model-bias',
        b.stackName,
        modelBiasTemplate(m, b, refs(clarifyImage('bias'))),
      );
    const x = m.explainability;
    if (x)
      this.explainabilityStack = templateStack(
        'model-explainability',
        x.stackName,
        modelExplainabilityTemplate(m, x, refs(clarifyImage('explainability'))),
      );
  }
}
