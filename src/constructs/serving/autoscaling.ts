import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingScheduledAction } from '@cdktf/provider-aws/lib/appautoscaling-scheduled-action';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
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
  for (const s of autoscaling.schedules.filter((x) => x.variants.includes(variant.name))) {
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
