import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingScheduledAction } from '@cdktf/provider-aws/lib/appautoscaling-scheduled-action';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { Construct } from 'constructs';
import type { ResolvedAutoscaling, ResolvedEndpoint, ResolvedVariant } from '../../model/serving';

/** The scalable dimension of a SageMaker variant. */
export const VARIANT_DIMENSION = 'sagemaker:variant:DesiredInstanceCount';

/**
 * Autoscaling of one production variant: a scalable target between its bounds, target
 * tracking (invocations per instance; for async endpoints the queue backlog per instance,
 * as async endpoints publish no invocation metrics), and the endpoint's schedules that
 * apply to it. `endpointName` is a reference to the endpoint, so scaling is registered
 * once the endpoint exists.
 */
export function variantAutoscaling(
  scope: Construct,
  endpoint: ResolvedEndpoint,
  autoscaling: ResolvedAutoscaling,
  variant: ResolvedVariant,
  endpointName: string,
): AppautoscalingTarget {
  if (variant.scaling === undefined)
    throw new Error(`internal: variant ${variant.name} has no scaling bounds`);
  const target = new AppautoscalingTarget(scope, 'Target', {
    serviceNamespace: 'sagemaker',
    resourceId: `endpoint/${endpointName}/variant/${variant.name}`,
    scalableDimension: VARIANT_DIMENSION,
    minCapacity: variant.scaling.minInstances,
    maxCapacity: variant.scaling.maxInstances,
  });
  const on = {
    serviceNamespace: target.serviceNamespace,
    resourceId: target.resourceId,
    scalableDimension: target.scalableDimension,
  };
  const cooldowns = {
    targetValue: autoscaling.target,
    scaleInCooldown: autoscaling.scaleInCooldownSeconds,
    scaleOutCooldown: autoscaling.scaleOutCooldownSeconds,
  };
  new AppautoscalingPolicy(scope, 'Policy', {
    name: `${endpoint.endpointName}-${variant.name}-target-tracking`,
    policyType: 'TargetTrackingScaling',
    ...on,
    targetTrackingScalingPolicyConfiguration:
      autoscaling.metric === 'invocations-per-instance'
        ? {
            ...cooldowns,
            predefinedMetricSpecification: { predefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
          }
        : {
            ...cooldowns,
            customizedMetricSpecification: {
              namespace: 'AWS/SageMaker',
              metricName: 'ApproximateBacklogSizePerInstance',
              statistic: 'Average',
              dimensions: [{ name: 'EndpointName', value: endpoint.endpointName }],
            },
          },
  });
  const schedules = autoscaling.schedules.filter((x) => x.variants.includes(variant.name));
  if (
    endpoint.type === 'async' &&
    (variant.scaling.minInstances === 0 || schedules.some((x) => x.minInstances === 0))
  ) {
    scaleOutFromZero(scope, endpoint, variant, on, autoscaling.scaleOutCooldownSeconds);
  }
  for (const s of schedules) {
    new AppautoscalingScheduledAction(scope, s.name, {
      name: `${endpoint.endpointName}-${variant.name}-${s.name}`,
      ...on,
      schedule: s.schedule,
      timezone: s.timezone,
      scalableTargetAction: {
        ...(s.minInstances !== undefined ? { minCapacity: String(s.minInstances) } : {}),
        ...(s.maxInstances !== undefined ? { maxCapacity: String(s.maxInstances) } : {}),
      },
    });
  }
  return target;
}

/**
 * Scaling out from zero instances, as AWS documents it for async endpoints
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html, "Define a
 * scaling policy that scales up from zero for new requests"): without it the endpoint
 * "only begins to scale up from zero after the number of backlog requests exceeds the
 * target tracking value", since backlog per instance is undefined with no instance. A step
 * scaling policy adds one instance when the alarm on `HasBacklogWithoutCapacity` (1 while
 * requests wait and no instance runs) fires; target tracking takes over from there.
 */
function scaleOutFromZero(
  scope: Construct,
  endpoint: ResolvedEndpoint,
  variant: ResolvedVariant,
  on: { serviceNamespace: string; resourceId: string; scalableDimension: string },
  cooldownSeconds: number,
): void {
  const policy = new AppautoscalingPolicy(scope, 'scale-out-from-zero', {
    name: `${endpoint.endpointName}-${variant.name}-scale-out-from-zero`,
    policyType: 'StepScaling',
    ...on,
    stepScalingPolicyConfiguration: {
      adjustmentType: 'ChangeInCapacity',
      metricAggregationType: 'Average',
      cooldown: cooldownSeconds,
      stepAdjustment: [{ metricIntervalLowerBound: '0', scalingAdjustment: 1 }],
    },
  });
  new CloudwatchMetricAlarm(scope, 'backlog-without-capacity', {
    alarmName: `${endpoint.endpointName}-${variant.name}-backlog-without-capacity`,
    alarmDescription: `Requests wait for ${endpoint.endpointName} with no instance running: scale out from zero.`,
    namespace: 'AWS/SageMaker',
    metricName: 'HasBacklogWithoutCapacity',
    dimensions: { EndpointName: endpoint.endpointName },
    statistic: 'Average',
    period: 60,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    // No datapoint while the endpoint has capacity or nothing is queued: not a breach.
    treatMissingData: 'missing',
    alarmActions: [policy.arn],
  });
}
