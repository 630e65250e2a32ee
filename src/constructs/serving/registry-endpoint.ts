import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingScheduledAction } from '@cdktf/provider-aws/lib/appautoscaling-scheduled-action';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SagemakerEndpoint } from '@cdktf/provider-aws/lib/sagemaker-endpoint';
import { SagemakerEndpointConfiguration } from '@cdktf/provider-aws/lib/sagemaker-endpoint-configuration';
import { SagemakerModel } from '@cdktf/provider-aws/lib/sagemaker-model';
import { TerraformLocal, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedEndpoint, ResolvedRegistryEndpoint, ResolvedVariant } from '../../model/serving';
import type { SecurityContext } from '../security-context';
import { VARIANT_DIMENSION } from './autoscaling';
import type { DeployTarget } from './deploy-requests';
import { lit, onlyIf, type ServingLedger } from './ledger';

/** What the registry side of an endpoint needs from the endpoint construct. */
export interface RegistryEndpointProps {
  readonly endpoint: ResolvedEndpoint;
  readonly registry: ResolvedRegistryEndpoint;
  readonly security: SecurityContext;
  readonly ledger: ServingLedger;
  /** What the deploy sends: the Terraform resources below must plan exactly these objects. */
  readonly target: DeployTarget;
  readonly executionRoleArn: string;
  /** Models Terraform creates itself (artifact variants), by variant name. */
  readonly artifactModels: ReadonlyMap<string, SagemakerModel>;
  readonly alarms: readonly CloudwatchMetricAlarm[];
  /** The configuration's static parts (key, data capture, async output), as the provider takes them. */
  readonly configProps: Omit<
    ConstructorParameters<typeof SagemakerEndpointConfiguration>[2],
    'name' | 'namePrefix' | 'productionVariants' | 'shadowProductionVariants' | 'lifecycle'
  >;
  readonly deploymentConfig: ConstructorParameters<typeof SagemakerEndpoint>[2]['deploymentConfig'];
  readonly dependsOn: readonly ITerraformDependable[];
}

const local = (scope: Construct, name: string, expression: unknown): string => {
  new TerraformLocal(scope, name, expression).overrideLogicalId(name);
  return `local.${name}`;
};

/**
 * The Terraform side of an endpoint served from the registry. Everything that needs a
 * model version exists only once the ledger says the serving deploy brought the endpoint
 * up, and is then adopted by `import` blocks, not created: on day 0 this plans nothing; after
 * the first approval the next plan imports the models, the configuration, the endpoint and
 * its autoscaling, and changes nothing.
 *
 * Versions come from the ledger only. The configuration holds the variants whose version
 * the ledger knows (a registry variant added later joins with the next deploy), and its
 * name is the ledger's when the ledger's token matches the token of those variants;
 * otherwise (a spec change since the deploy) Terraform rolls out its own configuration,
 * `<prefix><token>-tf`, as it does for any endpoint.
 */
export class RegistryEndpoint extends Construct {
  readonly endpoint: SagemakerEndpoint;
  readonly config: SagemakerEndpointConfiguration;
  /** HCL boolean: the ledger says the endpoint is deployed. */
  readonly deployed: string;
  /** HCL string: the configuration the endpoint serves, or a waiting message. */
  readonly status: string;

  constructor(scope: Construct, id: string, props: RegistryEndpointProps) {
    super(scope, id);
    const { endpoint: ep, registry: reg, target: t, security: sec } = props;
    const key = `serving_${ep.name.replace(/-/g, '_')}`;
    const entry = `${props.ledger.ref}[${lit(ep.name)}]`;
    this.deployed = local(
      this,
      `${key}_deployed`,
      `\${contains(keys(${props.ledger.ref}), ${lit(ep.name)})}`,
    );
    const versions = local(this, `${key}_versions`, `\${try(${entry}.versions, {})}`);
    const all = [...ep.variants, ...(ep.shadow ? [ep.shadow] : [])];
    const registryNames = all.filter((v) => v.model.source.kind === 'registry').map((v) => v.name);
    const artifactNames = all.filter((v) => v.model.source.kind === 'artifact').map((v) => v.name);
    // Sorted, as the token is over sorted variant names.
    const included = local(
      this,
      `${key}_variants`,
      `\${sort(concat(${JSON.stringify(artifactNames)}, [for v in ${JSON.stringify(registryNames)} : v if contains(keys(${versions}), v)]))}`,
    );
    const tokens = local(this, `${key}_tokens`, { ...reg.variantTokens });
    const token = local(
      this,
      `${key}_token`,
      `\${substr(sha256(join(",", concat([${lit(reg.endpointToken)}], [for v in ${included} : ${tokens}[v]]))), 0, 8)}`,
    );
    const configName = local(
      this,
      `${key}_config`,
      `\${try(${entry}.token, "") == ${token} ? ${entry}.config : format("%s%s-tf", ${lit(ep.configNamePrefix)}, ${token})}`,
    );
    this.status = `\${${this.deployed} ? format("serving %s", ${configName}) : ${lit(waitingMessage(ep))}}`;

    // One model per registry variant and deployed version, keyed `v<version>`.
    const modelName = (v: ResolvedVariant) =>
      `format("%s-v%d", ${lit(v.model.name)}, ${versions}[${lit(v.name)}])`;
    const models: SagemakerModel[] = [];
    // Each variant's resources under one construct named by the variant: its models here,
    // its autoscaling below.
    const variantScopes = new Map<string, Construct>();
    const variantScopeOf = (name: string): Construct => {
      const found = variantScopes.get(name) ?? new Construct(this, name);
      variantScopes.set(name, found);
      return found;
    };
    for (const v of all.filter((x) => x.model.source.kind === 'registry')) {
      const s = v.model.source;
      if (s.kind !== 'registry') continue;
      const variantScope = variantScopeOf(v.name);
      const env = v.model.environment;
      const model = new SagemakerModel(variantScope, 'Resource', {
        name: `\${format("%s-v%d", ${lit(v.model.name)}, each.value)}`,
        executionRoleArn: props.executionRoleArn,
        primaryContainer: {
          modelPackageName: `\${format("%s%d", ${lit(s.packageArnPrefix)}, each.value)}`,
          ...(Object.keys(env).length > 0 ? { environment: { ...env } } : {}),
        },
        enableNetworkIsolation: ep.networkIsolation,
        ...(ep.inVpc && sec.network
          ? {
              vpcConfig: {
                subnets: [...sec.network.privateSubnetIds],
                securityGroupIds: [...sec.network.securityGroupIds],
              },
            }
          : {}),
        lifecycle: { createBeforeDestroy: true },
      });
      const has = `contains(keys(${versions}), ${lit(v.name)})`;
      model.addOverride(
        'for_each',
        `\${${has} ? { (format("v%d", ${versions}[${lit(v.name)}])) = ${versions}[${lit(v.name)}] } : {}}`,
      );
      props.ledger.adopt(
        model,
        `\${${has} && try(${entry}.models[${lit(v.name)}], "") == (${has} ? ${modelName(v)} : "") ? { (format("v%d", ${versions}[${lit(v.name)}])) = ${modelName(v)} } : {}}`,
      );
      models.push(model);
    }

    // The configuration: variants the ledger knows, each with its model's name.
    const specs = (shadow: boolean) =>
      all
        .filter((v) => (v === ep.shadow) === shadow)
        .map((v) => ({
          variant_name: v.name,
          model: props.artifactModels.get(v.name)?.name ?? v.model.name,
          registry: v.model.source.kind === 'registry',
          initial_variant_weight: v.weight,
          ...(ep.serverless
            ? {}
            : { instance_type: v.instanceType, initial_instance_count: v.instanceCount }),
        }));
    const blocks = (shadow: boolean) =>
      local(
        this,
        `${key}_${shadow ? 'shadow' : 'production'}_variants`,
        `\${[for v in ${local(this, `${key}_${shadow ? 'shadow' : 'production'}_specs`, specs(shadow))} : merge(v, { model_name = v.registry ? format("%s-v%d", v.model, lookup(${versions}, v.variant_name, 0)) : v.model }) if !v.registry || contains(keys(${versions}), v.variant_name)]}`,
      );
    this.config = new SagemakerEndpointConfiguration(this, 'Config', {
      ...props.configProps,
      name: '${each.key}',
      productionVariants: [],
      dependsOn: [...models, ...props.artifactModels.values()],
      lifecycle: { createBeforeDestroy: true },
    });
    this.config.addOverride('production_variants', undefined);
    this.config.addOverride('dynamic.production_variants', {
      for_each: `\${${blocks(false)}}`,
      content: variantContent('production_variants', ep),
    });
    if (ep.shadow) {
      this.config.addOverride('dynamic.shadow_production_variants', {
        for_each: `\${${blocks(true)}}`,
        content: variantContent('shadow_production_variants', ep),
      });
    }
    this.config.addOverride('for_each', `\${${this.deployed} ? { (${configName}) = true } : {}}`);
    props.ledger.adopt(
      this.config,
      `\${${this.deployed} && try(${entry}.config, "") == ${configName} ? { (${configName}) = ${configName} } : {}}`,
    );

    this.endpoint = new SagemakerEndpoint(this, 'Resource', {
      name: '${each.key}',
      endpointConfigName: `\${${configName}}`,
      deploymentConfig: props.deploymentConfig,
      dependsOn: [this.config, ...props.dependsOn, ...props.alarms],
    });
    this.endpoint.addOverride('for_each', onlyIf(this.deployed, lit(ep.endpointName), 'true'));
    // The deploy creates every registry endpoint: once the ledger has it, it is adopted.
    props.ledger.adopt(this.endpoint, onlyIf(this.deployed, lit(ep.endpointName)));

    const scaled = `${this.deployed} && try(${entry}.scaling, "") == ${lit(t.scalingDigest)}`;
    if (ep.autoscaling) {
      for (const v of ep.variants) {
        const request = t.scaling.find((s) => (s.target.ResourceId as string).endsWith(`/variant/${v.name}`));
        if (request === undefined || v.scaling === undefined) continue;
        const variantScope = variantScopeOf(v.name);
        const resourceId = `endpoint/${ep.endpointName}/variant/${v.name}`;
        const on = { serviceNamespace: 'sagemaker', resourceId, scalableDimension: VARIANT_DIMENSION };
        const targetId = `sagemaker/${resourceId}/${VARIANT_DIMENSION}`;
        const scalable = new AppautoscalingTarget(variantScope, 'Target', {
          ...on,
          minCapacity: v.scaling.minInstances,
          maxCapacity: v.scaling.maxInstances,
          dependsOn: [this.endpoint],
        });
        scalable.addOverride('for_each', onlyIf(this.deployed, lit(targetId)));
        props.ledger.adopt(scalable, onlyIf(scaled, lit(targetId)));
        const p = request.policy as {
          PolicyName: string;
          TargetTrackingScalingPolicyConfiguration: Tracking;
        };
        const policy = new AppautoscalingPolicy(variantScope, 'Policy', {
          name: p.PolicyName,
          policyType: 'TargetTrackingScaling',
          ...on,
          targetTrackingScalingPolicyConfiguration: trackingProps(p.TargetTrackingScalingPolicyConfiguration),
          dependsOn: [scalable],
        });
        const policyId = `${targetId}/${p.PolicyName}`;
        policy.addOverride('for_each', onlyIf(this.deployed, lit(policyId)));
        props.ledger.adopt(policy, onlyIf(scaled, lit(policyId)));
        for (const s of request.schedules as unknown as ScheduleRequest[]) {
          const name = s.ScheduledActionName;
          const scheduleId = ep.autoscaling.schedules.find((x) => name.endsWith(`-${x.name}`))?.name ?? name;
          const action = new AppautoscalingScheduledAction(variantScope, scheduleId, {
            name,
            ...on,
            schedule: s.Schedule,
            timezone: s.Timezone,
            scalableTargetAction: {
              ...(s.ScalableTargetAction.MinCapacity !== undefined
                ? { minCapacity: String(s.ScalableTargetAction.MinCapacity) }
                : {}),
              ...(s.ScalableTargetAction.MaxCapacity !== undefined
                ? { maxCapacity: String(s.ScalableTargetAction.MaxCapacity) }
                : {}),
            },
            dependsOn: [scalable],
          });
          // The provider (5.100) cannot import scheduled actions. PutScheduledAction is an
          // upsert, so the apply after the deploy "creates" the action the deploy put, unchanged.
          action.addOverride('for_each', onlyIf(this.deployed, lit(name)));
        }
      }
    }
  }
}

interface Tracking {
  TargetValue: number;
  ScaleInCooldown: number;
  ScaleOutCooldown: number;
  PredefinedMetricSpecification?: { PredefinedMetricType: string };
  CustomizedMetricSpecification?: {
    Namespace: string;
    MetricName: string;
    Statistic: string;
    Dimensions: { Name: string; Value: string }[];
  };
}

interface ScheduleRequest {
  ScheduledActionName: string;
  Schedule: string;
  Timezone: string;
  ScalableTargetAction: { MinCapacity?: number; MaxCapacity?: number };
}

/** The provider's target tracking block from the deploy's request: one source for both. */
function trackingProps(t: Tracking) {
  return {
    targetValue: t.TargetValue,
    scaleInCooldown: t.ScaleInCooldown,
    scaleOutCooldown: t.ScaleOutCooldown,
    ...(t.PredefinedMetricSpecification
      ? {
          predefinedMetricSpecification: {
            predefinedMetricType: t.PredefinedMetricSpecification.PredefinedMetricType,
          },
        }
      : {}),
    ...(t.CustomizedMetricSpecification
      ? {
          customizedMetricSpecification: {
            namespace: t.CustomizedMetricSpecification.Namespace,
            metricName: t.CustomizedMetricSpecification.MetricName,
            statistic: t.CustomizedMetricSpecification.Statistic,
            dimensions: t.CustomizedMetricSpecification.Dimensions.map((d) => ({
              name: d.Name,
              value: d.Value,
            })),
          },
        }
      : {}),
  };
}

/** A dynamic variant block's content (Terraform attribute names). */
function variantContent(block: string, ep: ResolvedEndpoint): Record<string, unknown> {
  const v = (attr: string) => `\${${block}.value.${attr}}`;
  return {
    variant_name: v('variant_name'),
    model_name: v('model_name'),
    initial_variant_weight: v('initial_variant_weight'),
    ...(ep.serverless
      ? {
          serverless_config: {
            memory_size_in_mb: ep.serverless.memoryMb,
            max_concurrency: ep.serverless.maxConcurrency,
            ...(ep.serverless.provisionedConcurrency !== undefined
              ? { provisioned_concurrency: ep.serverless.provisionedConcurrency }
              : {}),
          },
        }
      : { instance_type: v('instance_type'), initial_instance_count: v('initial_instance_count') }),
  };
}

/** What an endpoint waits for before the first deploy. */
export function waitingMessage(ep: ResolvedEndpoint): string {
  const group = ep.registry?.packageGroup ?? '';
  const pins = [...ep.variants, ...(ep.shadow ? [ep.shadow] : [])].flatMap((v) =>
    v.model.source.kind === 'registry' && typeof v.model.source.version === 'number'
      ? [v.model.source.version]
      : [],
  );
  const unique = [...new Set(pins)].sort((a, b) => a - b);
  return unique.length > 0
    ? `waiting for version ${unique.join(', ')} of ${group} to exist and be approved`
    : `waiting for the first approved version of ${group}`;
}
