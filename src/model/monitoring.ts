/**
 * The resolved monitoring area (issue #7): the alerts topic, the alarms of every component,
 * the dashboard, SageMaker Model Monitor, Prometheus and Grafana, and KPI-driven retraining.
 * Every default is applied and every AWS name computed by `compiler/normalize/monitoring.ts`;
 * `constructs/monitoring/` only translates it into resources.
 */

import type { EndpointType } from './serving';

/** A prefix in a data-lake bucket. */
export interface ResolvedMonitorLocation {
  /** Global bucket name. */
  readonly bucketName: string;
  /** Key prefix, empty or ending in `/`. */
  readonly prefix: string;
}

/** The notification topic and its subscriptions. */
export interface ResolvedNotifications {
  /** `<pipeline>-alerts`. */
  readonly topicName: string;
  /** Sorted. */
  readonly emails: readonly string[];
  /** Sorted. */
  readonly https: readonly string[];
}

/** What a variant's instances hold, to express utilization in percent of the whole instance. */
export interface ResolvedVariantCapacity {
  readonly name: string;
  /** vCPUs per instance (SageMaker reports CPU utilization as 100 per vCPU). */
  readonly vcpus: number;
  /** NVIDIA GPUs per instance; 0 for CPU and Inferentia types. */
  readonly gpus: number;
}

/** A threshold alarm pipeform names and tunes. */
export interface ResolvedThresholdAlarm {
  readonly alarmName: string;
  readonly threshold: number;
}

/** Alarms of one endpoint. */
export interface ResolvedEndpointAlarms {
  /** Spec name of the endpoint. */
  readonly endpoint: string;
  /** The SageMaker endpoint name. */
  readonly endpointName: string;
  readonly type: EndpointType;
  /** Production variants, sorted by name (the shadow serves no caller and is left out). */
  readonly variants: readonly ResolvedVariantCapacity[];
  /**
   * The endpoint's rollback alarms (5xx, 4xx, p99 latency), reused for notifications; undefined
   * when its auto-rollback is off, and then {@link errors} holds pipeform's own.
   */
  readonly rollbackAlarmNames?: readonly string[];
  /** Own 5xx, 4xx and p99 latency (milliseconds) alarms when there are no rollback alarms. */
  readonly errors?: {
    readonly serverErrors: ResolvedThresholdAlarm;
    readonly clientErrors: ResolvedThresholdAlarm;
    readonly latencyP99Ms: ResolvedThresholdAlarm;
  };
  /** InvocationModelErrors per minute. */
  readonly modelErrors: ResolvedThresholdAlarm;
  /** Saturation alarms (percent of the whole instance); undefined for serverless endpoints or when off. */
  readonly utilization?: {
    readonly periodSeconds: number;
    readonly evaluationPeriods: number;
    readonly cpu: ResolvedThresholdAlarm;
    readonly memory: ResolvedThresholdAlarm;
    readonly disk: ResolvedThresholdAlarm;
    /** Present when a variant runs on NVIDIA GPUs. */
    readonly gpu?: ResolvedThresholdAlarm;
    readonly gpuMemory?: ResolvedThresholdAlarm;
  };
}

/** Failure notifications of the data, orchestration and training components. */
export interface ResolvedFailureWatch {
  /** EventBridge rules on failed Glue job and crawler runs; undefined without Glue jobs or crawlers. */
  readonly glue?: {
    readonly jobRuleName: string;
    /** Glue job names, sorted; empty when there are none (then no job rule). */
    readonly jobNames: readonly string[];
    readonly crawlerRuleName: string;
    /** Crawler names, sorted. */
    readonly crawlerNames: readonly string[];
  };
  /** EMR: failed steps and clusters (cluster mode) or job runs (serverless). */
  readonly emr?: {
    readonly mode: 'cluster' | 'serverless';
    readonly ruleName: string;
    /** AppsFailed alarm (cluster mode only). */
    readonly appsFailedAlarmName?: string;
  };
  /** Lambda Errors alarms and dead-letter queue alarms, sorted by function spec name. */
  readonly functions: readonly {
    readonly name: string;
    readonly functionName: string;
    readonly errorsAlarmName: string;
    readonly deadLetter?: { readonly queueName: string; readonly alarmName: string };
  }[];
  /** Failed, timed-out or aborted executions of the Step Functions workflow. */
  readonly workflow?: {
    readonly stateMachineName: string;
    readonly stateMachineArn: string;
    readonly alarmName: string;
  };
  /** Failed executions of the training pipeline (EventBridge). */
  readonly training?: {
    readonly pipelineName: string;
    readonly pipelineArn: string;
    readonly ruleName: string;
  };
}

/**
 * What the dashboard shows besides the endpoints ({@link ResolvedMonitoring.endpointAlarms})
 * and the monitors: every other component the pipeline has.
 */
export interface ResolvedDashboard {
  /** The dashboard name, `<pipeline>`. */
  readonly name: string;
  /** Sorted. */
  readonly glueJobNames: readonly string[];
  readonly emr?: { readonly mode: 'cluster' | 'serverless'; readonly name: string };
  /** Sorted by spec name. */
  readonly functions: readonly { readonly functionName: string; readonly deadLetterQueueName?: string }[];
  readonly workflow?: { readonly stateMachineName: string; readonly stateMachineArn: string };
  readonly trainingPipelineName?: string;
  readonly eksClusterName?: string;
}

/** Model Monitor's problem types, as the API spells them. */
export type MonitorProblemType = 'BinaryClassification' | 'MulticlassClassification' | 'Regression';

/** The data-quality schedule of an endpoint. */
export interface ResolvedDataQuality {
  /**
   * Monitoring schedule name (at most 63 characters). The job definition is immutable and
   * gets a generated name, so a change creates a new one before the old is removed.
   */
  readonly scheduleName: string;
  /** `cron(0 * ? * * *)` (hourly) or `cron(0 0 ? * * *)` (daily). */
  readonly scheduleExpression: string;
  /** Seconds between runs: the period of the alarms on its metrics. */
  readonly periodSeconds: number;
  /** Holds constraints.json and statistics.json. */
  readonly baseline: ResolvedMonitorLocation;
  /** Reports of each run. */
  readonly reports: ResolvedMonitorLocation;
  /** The drift alarm; undefined without drift features. */
  readonly drift?: {
    readonly alarmName: string;
    /** In the spec's order. */
    readonly features: readonly string[];
    readonly maxDrift: number;
  };
}

/** The model-quality schedule of an endpoint. */
export interface ResolvedModelQuality {
  readonly scheduleName: string;
  /**
   * The hashicorp/aws provider has no model-quality job definition resource: a CloudFormation
   * stack of this name holds the definition (AWS::SageMaker::ModelQualityJobDefinition, with a
   * generated name as it is immutable) and its schedule.
   */
  readonly stackName: string;
  readonly scheduleExpression: string;
  readonly periodSeconds: number;
  readonly problemType: MonitorProblemType;
  /** The spec's problem type (`binary-classification`, ...). */
  readonly specProblemType: 'binary-classification' | 'multiclass-classification' | 'regression';
  readonly groundTruth: ResolvedMonitorLocation;
  /** Holds constraints.json; undefined when metrics are computed without constraints. */
  readonly baseline?: ResolvedMonitorLocation;
  readonly reports: ResolvedMonitorLocation;
  readonly inferenceAttribute?: string;
  readonly probabilityAttribute?: string;
  readonly probabilityThreshold?: number;
  /** ISO 8601 offsets of the evaluated window, e.g. `-PT25H` and `-PT1H`. */
  readonly startTimeOffset: string;
  readonly endTimeOffset: string;
}

/** The Clarify bias-drift schedule of an endpoint. */
export interface ResolvedModelBias {
  readonly scheduleName: string;
  /**
   * Like model quality, a CloudFormation stack of this name holds the definition
   * (AWS::SageMaker::ModelBiasJobDefinition, generated name) and its schedule: the provider
   * has no resource for them.
   */
  readonly stackName: string;
  readonly scheduleExpression: string;
  readonly periodSeconds: number;
  readonly groundTruth: ResolvedMonitorLocation;
  /** Holds analysis_config.json and analysis.json (the constraints). */
  readonly baseline: ResolvedMonitorLocation;
  readonly reports: ResolvedMonitorLocation;
  readonly featuresAttribute?: string;
  readonly inferenceAttribute?: string;
  readonly probabilityAttribute?: string;
  readonly probabilityThreshold?: number;
  /** ISO 8601 offsets of the evaluated window. */
  readonly startTimeOffset: string;
  readonly endTimeOffset: string;
}

/**
 * The Clarify feature-attribution (explainability) schedule of an endpoint. Clarify computes
 * SHAP values by calling the monitored endpoint itself (the analysis configuration's
 * `predictor.endpoint_name`), so the job is not network-isolated and the monitor role may
 * invoke that one endpoint.
 */
export interface ResolvedModelExplainability {
  readonly scheduleName: string;
  /** A CloudFormation stack of this name holds the definition (generated name) and its schedule. */
  readonly stackName: string;
  readonly scheduleExpression: string;
  readonly periodSeconds: number;
  /** Holds analysis_config.json and analysis.json (the constraints), from the baselining job. */
  readonly baseline: ResolvedMonitorLocation;
  readonly reports: ResolvedMonitorLocation;
  readonly featuresAttribute?: string;
  readonly inferenceAttribute?: string;
  readonly probabilityAttribute?: string;
}

/** Model Monitor for one endpoint. */
export interface ResolvedModelMonitor {
  /** Spec name of the endpoint: construct ids and addresses use it. */
  readonly endpoint: string;
  readonly endpointName: string;
  /** Role factory component, `monitoring-<endpoint>`. */
  readonly roleComponent: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly volumeSizeGb: number;
  readonly maxRuntimeSeconds: number;
  /** Where the endpoint captures requests and responses (the job reads only there). */
  readonly capture: ResolvedMonitorLocation;
  readonly dataQuality?: ResolvedDataQuality;
  readonly modelQuality?: ResolvedModelQuality;
  readonly bias?: ResolvedModelBias;
  readonly explainability?: ResolvedModelExplainability;
}

/** Amazon Managed Service for Prometheus. */
export interface ResolvedPrometheus {
  /** Workspace alias, `<pipeline>`. */
  readonly alias: string;
  /** `/aws/vendedlogs/prometheus/<pipeline>`. */
  readonly logGroupName: string;
  /** The managed scraper of the EKS training cluster; undefined without `training.eks`. */
  readonly scraper?: { readonly alias: string; readonly clusterName: string };
}

/** Amazon Managed Grafana. */
export interface ResolvedGrafana {
  /** Workspace name, `<pipeline>`. */
  readonly name: string;
  readonly version: string;
  /** Role factory component, `grafana`. */
  readonly roleComponent: string;
  /** Sorted. */
  readonly dataSources: readonly ('CLOUDWATCH' | 'PROMETHEUS')[];
  /** In the private subnets (the spec has a network). */
  readonly inVpc: boolean;
}

/** How an alarm compares: a KPI's wrong side. */
export type KpiComparison = 'LessThanThreshold' | 'GreaterThanThreshold';

/** The alarm on one KPI's production metric. */
export interface ResolvedKpiAlarm {
  /** goals.kpis name. */
  readonly kpi: string;
  readonly alarmName: string;
  /** The KPI's threshold, unchanged. */
  readonly threshold: number;
  /** higher-is-better: LessThanThreshold; lower-is-better: GreaterThanThreshold. */
  readonly comparison: KpiComparison;
  readonly namespace: string;
  readonly metricName: string;
  /** Sorted by name. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: string;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** The monitored endpoint (spec name) for model-quality metrics; undefined for custom metrics. */
  readonly endpoint?: string;
}

/** Retraining on evidence. */
export interface ResolvedRetraining {
  /** `<pipeline>-training`. */
  readonly pipelineName: string;
  /** `arn:<partition>:sagemaker:<region>:<account>:pipeline/<pipeline>-training`. */
  readonly pipelineArn: string;
  /** Role factory component of the EventBridge role, `retraining`. */
  readonly roleComponent: string;
  /** The EventBridge rule, `<pipeline>-retraining`. */
  readonly ruleName: string;
  /** The composite alarm the rule watches, `<pipeline>-retraining`. */
  readonly compositeAlarmName: string;
  /** Its ARN (the rule's event pattern names it). */
  readonly compositeAlarmArn: string;
  /** KPI alarms, sorted by alarm name. */
  readonly kpiAlarms: readonly ResolvedKpiAlarm[];
  /** Drift alarms that count as evidence, sorted (defined by the monitors). */
  readonly driftAlarmNames: readonly string[];
  /** The guard: an alarm in ALARM while the pipeline started within `hours`. */
  readonly cooldown: { readonly alarmName: string; readonly hours: number };
  /** Pipeline parameters of retraining executions, sorted by name. */
  readonly parameters: readonly { readonly name: string; readonly value: string }[];
}

/** The monitoring area. */
export interface ResolvedMonitoring {
  readonly notifications: ResolvedNotifications;
  /** Every serving endpoint, sorted by spec name. */
  readonly endpointAlarms: readonly ResolvedEndpointAlarms[];
  /** Undefined when `alarms.failures` is off. */
  readonly failures?: ResolvedFailureWatch;
  /** Undefined when the dashboard is off. */
  readonly dashboard?: ResolvedDashboard;
  /** Sorted by endpoint spec name. */
  readonly monitors: readonly ResolvedModelMonitor[];
  readonly prometheus?: ResolvedPrometheus;
  readonly grafana?: ResolvedGrafana;
  readonly retraining?: ResolvedRetraining;
}
