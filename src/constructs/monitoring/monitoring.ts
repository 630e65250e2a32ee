import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsSagemakerPrebuiltEcrImage } from '@cdktf/provider-aws/lib/data-aws-sagemaker-prebuilt-ecr-image';
import { Fn, TerraformLocal, type ITerraformDependable } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import type { ResolvedMonitoring } from '../../model/monitoring';
import type { SecurityContext } from '../security-context';
import { dashboardBody } from './dashboard';
import { EndpointAlarms } from './endpoint-alarms';
import { FailureWatch } from './failures';
import { ModelMonitor } from './model-monitor';
import { AlertTopic } from './notifications';
import { GrafanaArea, PrometheusArea } from './observability';
import { Retraining } from './retraining';
import type { StackOutput } from '../outputs';

/** The Model Monitor analyzer image (`aws_sagemaker_prebuilt_ecr_image` resolves it per region offline). */
export const MODEL_MONITOR_REPOSITORY = 'sagemaker-model-monitor-analyzer';

/**
 * The SageMaker Clarify processing image of bias and explainability monitoring, `sagemaker-clarify-processing:1.0`
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-processing-job-configure-container.html;
 * the provider's data source knows the repository's registry per region).
 */
export const CLARIFY_REPOSITORY = 'sagemaker-clarify-processing';
const CLARIFY_TAG = '1.0';

/**
 * The analyzer image as AWS documents it: untagged,
 * `<account>.dkr.ecr.<region>.amazonaws.com/sagemaker-model-monitor-analyzer`
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-pre-built-container.html;
 * the SageMaker Python SDK also retrieves it without a tag). The data source always appends
 * `:<image_tag>` to `registry_path`, with `1` when no tag is given, so the tag is cut off.
 */
function untaggedImage(scope: Construct, image: DataAwsSagemakerPrebuiltEcrImage): string {
  // A local, so the image is a plain reference wherever it is embedded: inside a JSON
  // document (the CloudFormation template of model quality) an inline function call would
  // put unescaped quotes into the document until Terraform evaluates it.
  const local = new TerraformLocal(scope, 'ImageUri', Fn.element(Fn.split(':', image.registryPath), 0));
  local.overrideLogicalId('model_monitor_image');
  return local.asString;
}

/** What other areas built that monitoring watches: handles known only at apply time. */
export interface MonitoredComponents {
  /** Each endpoint's construct by spec name: its endpoint resource and rollback alarms live below it. */
  readonly endpoints?: ReadonlyMap<
    string,
    IConstruct & {
      readonly endpoint: ITerraformDependable;
      /** Set when the serving deploy brings the endpoint up (see ModelMonitorProps.deployed). */
      readonly registry?: { readonly deployed: string };
    }
  >;
  /**
   * Failure alarms other areas own (the serving deploy's and the edge registry's state
   * machines): monitoring points their actions at the alerts topic and lists them on the
   * dashboard's alarm widget, like its own failure alarms. Only alarms that exist are passed.
   */
  readonly failureAlarms?: readonly CloudwatchMetricAlarm[];
  readonly emrClusterId?: string;
  readonly emrApplicationId?: string;
  readonly eksClusterArn?: string;
}

/** Props of {@link Monitoring}. */
export interface MonitoringProps {
  readonly monitoring: ResolvedMonitoring;
  readonly security: SecurityContext;
  readonly components: MonitoredComponents;
}

/**
 * The rollback alarms serving generated for an endpoint, found by their resolved names (the
 * serving area owns them; monitoring only adds the topic as their action).
 */
export function findAlarms(scope: IConstruct, names: readonly string[]): CloudwatchMetricAlarm[] {
  const found = scope.node
    .findAll()
    .filter((c): c is CloudwatchMetricAlarm => c instanceof CloudwatchMetricAlarm)
    .filter((a) => names.includes(a.alarmNameInput ?? ''));
  if (found.length !== names.length)
    throw new Error(`internal: expected the alarms ${names.join(', ')} below ${scope.node.path}`);
  return found;
}

/**
 * The monitoring area (issue #7): the alerts topic; per-endpoint alarms (reusing the rollback
 * alarms for errors and latency); failure watches of the batch components; Model Monitor per
 * listed endpoint; Prometheus and Grafana; retraining on evidence; and the dashboard over all
 * of it. Every alarm notifies the topic.
 */
export class Monitoring extends Construct {
  readonly topic: AlertTopic;
  readonly dashboard?: CloudwatchDashboard;
  readonly prometheus?: PrometheusArea;
  readonly grafana?: GrafanaArea;
  readonly retraining?: Retraining;
  readonly monitors: ReadonlyMap<string, ModelMonitor>;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { monitoring: m, security: sec, components } = props;
    this.topic = new AlertTopic(this, 'alerts', { notifications: m.notifications, security: sec });
    const topicArn = this.topic.topic.arn;
    const alarmArns: string[] = [];

    const endpointScope = new Construct(this, 'endpoints');
    for (const e of m.endpointAlarms) {
      if (e.rollbackAlarmNames) {
        const owner = components.endpoints?.get(e.endpoint);
        if (owner === undefined) throw new Error(`internal: endpoint ${e.endpoint} was not built`);
        for (const alarm of findAlarms(owner, e.rollbackAlarmNames)) {
          alarm.alarmActions = [topicArn];
          alarm.okActions = [topicArn];
          alarmArns.push(alarm.arn);
        }
      }
      const own = new EndpointAlarms(endpointScope, e.endpoint, { alarms: e, topicArn });
      alarmArns.push(...own.alarms.map((a) => a.arn));
    }

    if (m.failures) {
      const failures = new FailureWatch(this, 'failures', {
        failures: m.failures,
        topicArn,
        ...(components.emrClusterId ? { emrClusterId: components.emrClusterId } : {}),
        ...(components.emrApplicationId ? { emrApplicationId: components.emrApplicationId } : {}),
      });
      alarmArns.push(...failures.alarms.map((a) => a.arn));
    }
    // Built by their areas before monitoring, so they are here when the dashboard is; they
    // notify whether or not `alarms.failures` is on, as a failed deploy always matters.
    for (const alarm of components.failureAlarms ?? []) {
      alarm.alarmActions = [topicArn];
      alarm.okActions = [topicArn];
      alarmArns.push(alarm.arn);
    }

    const monitors = new Map<string, ModelMonitor>();
    if (m.monitors.length > 0) {
      const scopeOf = new Construct(this, 'monitors');
      const image = untaggedImage(
        scopeOf,
        new DataAwsSagemakerPrebuiltEcrImage(scopeOf, 'Image', { repositoryName: MODEL_MONITOR_REPOSITORY }),
      );
      const clarifyImage = m.monitors.some((x) => x.bias || x.explainability)
        ? new DataAwsSagemakerPrebuiltEcrImage(scopeOf, 'clarify-image', {
            repositoryName: CLARIFY_REPOSITORY,
            imageTag: CLARIFY_TAG,
          }).registryPath
        : undefined;
      for (const monitor of m.monitors) {
        const owner = components.endpoints?.get(monitor.endpoint);
        const endpoint = owner?.endpoint;
        const built = new ModelMonitor(scopeOf, monitor.endpoint, {
          monitor,
          security: sec,
          imageUri: image,
          ...(clarifyImage ? { clarifyImageUri: clarifyImage } : {}),
          topicArn,
          ...(endpoint ? { endpoint } : {}),
          ...(owner?.registry ? { deployed: owner.registry.deployed } : {}),
        });
        monitors.set(monitor.endpoint, built);
        if (built.driftAlarm) alarmArns.push(built.driftAlarm.arn);
      }
    }
    this.monitors = monitors;

    if (m.prometheus) {
      this.prometheus = new PrometheusArea(this, 'prometheus', {
        prometheus: m.prometheus,
        security: sec,
        ...(components.eksClusterArn ? { eksClusterArn: components.eksClusterArn } : {}),
      });
    }
    if (m.grafana) {
      this.grafana = new GrafanaArea(this, 'grafana', {
        grafana: m.grafana,
        security: sec,
        topicArn,
        ...(this.prometheus ? { prometheusWorkspaceArn: this.prometheus.workspace.arn } : {}),
      });
    }

    if (m.retraining) {
      const driftAlarms = new Map(
        [...monitors.values()].flatMap((x) =>
          x.driftAlarm ? [[x.driftAlarm.alarmNameInput ?? '', x.driftAlarm] as const] : [],
        ),
      );
      this.retraining = new Retraining(this, 'retraining', {
        retraining: m.retraining,
        security: sec,
        topicArn,
        driftAlarms,
      });
      alarmArns.push(...this.retraining.kpiAlarms.map((a) => a.arn), this.retraining.evidence.arn);
    }

    if (m.dashboard) {
      this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
        dashboardName: m.dashboard.name,
        dashboardBody: JSON.stringify(
          dashboardBody(m, {
            region: sec.region,
            alarmArns,
            ...(components.emrClusterId ? { emrClusterId: components.emrClusterId } : {}),
            ...(components.emrApplicationId ? { emrApplicationId: components.emrApplicationId } : {}),
          }),
        ),
      });
    }
  }

  /** The monitoring area's outputs: where alerts go and where to look. */
  outputs(): StackOutput[] {
    return [
      {
        name: 'alerts_topic_arn',
        description: 'SNS topic every alarm and failure notifies: subscribe on-call here.',
        value: this.topic.topic.arn,
      },
      ...(this.dashboard
        ? [
            {
              name: 'dashboard_name',
              description: 'CloudWatch dashboard of the pipeline.',
              value: this.dashboard.dashboardName,
            },
          ]
        : []),
      ...(this.prometheus
        ? [
            {
              name: 'prometheus_endpoint',
              description:
                'Prometheus-compatible endpoint of the Amazon Managed Service for Prometheus workspace.',
              value: this.prometheus.workspace.prometheusEndpoint,
            },
          ]
        : []),
      ...(this.grafana
        ? [
            {
              name: 'grafana_endpoint',
              description:
                'URL of the Amazon Managed Grafana workspace (sign in through IAM Identity Center).',
              value: this.grafana.workspace.endpoint,
            },
          ]
        : []),
      ...(this.retraining
        ? [
            {
              name: 'retraining_rule_arn',
              description:
                'EventBridge rule that starts the training pipeline when the retraining alarm fires.',
              value: this.retraining.rule.arn,
            },
          ]
        : []),
    ];
  }
}
