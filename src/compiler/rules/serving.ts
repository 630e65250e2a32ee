import type { CheckContext, CheckRule } from '../check';
import type { Diagnostic } from '../diagnostics';
import {
  autoscalingOn,
  dataCaptureOn,
  DEFAULTS,
  deploymentBakingSeconds,
  deploymentSize,
  endpointType,
  INFERENCE_INSTANCE_FAMILIES,
  INFERENCE_INSTANCE_TYPES,
  instanceFamily,
  LATEST_APPROVED,
  MAX_EXECUTION_RANGE,
  parseImageUri,
  PROVISIONING_TEMPLATE_NAME_MAX,
  REGISTRY_VERSION_RANGE,
  RESERVED_ENDPOINT_NAMES,
  specVariants,
  variantBounds,
  variantModel,
} from '../../areas/serving/catalog';
import { didYouMean } from '../suggest';
import type { ServingEndpoint, ServingModel } from '../../spec/types.generated';
import { unknownLakeBucket } from './references';

type Path = (string | number)[];

/** Every endpoint of the spec with its path. */
function endpoints(ctx: CheckContext): [ServingEndpoint, Path][] {
  return (ctx.spec.serving?.endpoints ?? []).map((e, i) => [e, ['serving', 'endpoints', i]]);
}

/** Listed production variants and the shadow, each with its path. */
function listedVariants(e: ServingEndpoint, at: Path) {
  return [
    ...(e.variants ?? []).map((v, j) => ({
      variant: v,
      path: [...at, 'variants', j] as Path,
      shadow: false,
    })),
    ...(e.shadow ? [{ variant: e.shadow, path: [...at, 'shadow'] as Path, shadow: true }] : []),
  ];
}

/** Construct ids become addresses joined with `_` (naming.ts); this predicts them. */
const address = (...ids: string[]) => ids.map((id) => id.replace(/[^A-Za-z0-9]+/g, '_')).join('_');

const quote = (s: string) => JSON.stringify(s);

/** Problems with one model object (its shape, beyond what the schema says). */
function modelProblems(ctx: CheckContext, m: ServingModel, at: Path): Diagnostic[] {
  const version = m.registry?.version;
  if (
    version !== undefined &&
    version !== LATEST_APPROVED &&
    !(typeof version === 'number' && version >= 1)
  ) {
    const guess = typeof version === 'string' ? didYouMean(version, [LATEST_APPROVED]) : undefined;
    return [
      ctx.report(
        [...at, 'registry', 'version'],
        `${JSON.stringify(version)} is not a model package version${guess ? `; did you mean ${quote(guess)}?` : ''}`,
        `use a version number from ${REGISTRY_VERSION_RANGE[0]} to ${REGISTRY_VERSION_RANGE[1]}, or ${quote(LATEST_APPROVED)} for the newest approved one`,
      ),
    ];
  }
  if ((m.registry === undefined) === (m.artifact === undefined)) {
    return [
      ctx.report(
        at,
        m.registry
          ? 'a model has either registry or artifact, not both'
          : 'a model needs registry or artifact',
        "use 'registry: {version: 3}' (a model package of the pipeline), or 'artifact: {file: ...}' with an image",
        { key: true },
      ),
    ];
  }
  if (m.registry && (m.image !== undefined || m.builtinImage !== undefined)) {
    return [
      ctx.report(
        [...at, m.image !== undefined ? 'image' : 'builtinImage'],
        'a registry model brings its own image (the model package names it)',
        'remove the image, or use artifact instead of registry',
        { key: true },
      ),
    ];
  }
  const a = m.artifact;
  if (a && (a.file === undefined) === (a.key === undefined)) {
    return [
      ctx.report(
        [...at, 'artifact'],
        a.file === undefined
          ? "an artifact needs 'file' (a model archive) or 'key' (an object or prefix in a data-lake bucket)"
          : "an artifact has either 'file' or 'key', not both",
        "use 'file: models/<name>/model.tar.gz' (the apply uploads it) or, for a multi-model endpoint, 'key: <prefix>/'",
        { key: true },
      ),
    ];
  }
  if (a?.file !== undefined && a.bucket !== undefined) {
    return [
      ctx.report(
        [...at, 'artifact', 'bucket'],
        "'bucket' names the data-lake bucket of 'key'; a 'file' is uploaded to the asset store (storage.assets) or read from its s3:// URI",
        "remove 'bucket', or replace 'file' with 'key'",
        { key: true },
      ),
    ];
  }
  if (m.artifact && (m.image === undefined) === (m.builtinImage === undefined)) {
    return [
      ctx.report(
        at,
        m.image !== undefined
          ? 'an artifact model has either image or builtinImage, not both'
          : 'an artifact model needs an image',
        "add 'image' (an ECR image URI) or 'builtinImage: {framework: xgboost, version: 1.7-1}'",
        { key: true },
      ),
    ];
  }
  return [];
}

export const servingRules: readonly CheckRule[] = [
  {
    id: 'serving/unique-names',
    description:
      'Endpoint names are unique and not reserved, variant and schedule names are unique per endpoint, and no two names produce the same Terraform address.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      const endpointsSeen = new Map<string, number>();
      // Addresses of the resources the serving area creates, by resource kind.
      const addresses = new Map<string, Map<string, string>>();
      const claim = (kind: string, addr: string, owner: string, path: Path) => {
        const byKind = addresses.get(kind) ?? new Map<string, string>();
        addresses.set(kind, byKind);
        const other = byKind.get(addr);
        if (other !== undefined && other !== owner) {
          out.push(
            ctx.report(
              path,
              `${owner} and ${other} would share the Terraform address serving_${addr}`,
              'rename one of them (addresses join names with "_", so "a-b" + "c" equals "a" + "b-c")',
            ),
          );
        } else byKind.set(addr, owner);
      };
      for (const [e, at] of endpoints(ctx)) {
        const first = endpointsSeen.get(e.name);
        if (first !== undefined) {
          out.push(
            ctx.report(
              [...at, 'name'],
              `endpoint name ${quote(e.name)} is already used by serving.endpoints[${first}]`,
              'give each endpoint its own name',
            ),
          );
          continue;
        }
        endpointsSeen.set(e.name, at[2] as number);
        if (RESERVED_ENDPOINT_NAMES.includes(e.name)) {
          out.push(
            ctx.report(
              [...at, 'name'],
              `endpoint name ${quote(e.name)} is reserved for the edge fleet`,
              'choose another name',
            ),
          );
          continue;
        }
        claim('endpoint', address(e.name), `endpoint ${quote(e.name)}`, [...at, 'name']);
        if (e.public) {
          claim('endpoint', address(e.name, 'front-door'), `the front door of ${quote(e.name)}`, [
            ...at,
            'public',
          ]);
        }
        const variantsSeen = new Map<string, string>();
        for (const { variant, path, shadow } of listedVariants(e, at)) {
          const where = variantsSeen.get(variant.name);
          if (where !== undefined) {
            out.push(
              ctx.report(
                [...path, 'name'],
                `variant name ${quote(variant.name)} is already used by ${where} of endpoint ${quote(e.name)}`,
                'give each variant (and the shadow) its own name',
              ),
            );
            continue;
          }
          variantsSeen.set(variant.name, shadow ? 'the shadow variant' : 'a production variant');
          claim(
            'variant',
            address(e.name, variant.name),
            `endpoint ${quote(e.name)} variant ${quote(variant.name)}`,
            [...path, 'name'],
          );
        }
        const schedulesSeen = new Set<string>();
        (e.autoscaling?.schedules ?? []).forEach((s, k) => {
          const path = [...at, 'autoscaling', 'schedules', k, 'name'];
          if (schedulesSeen.has(s.name)) {
            out.push(
              ctx.report(
                path,
                `schedule name ${quote(s.name)} is used twice in endpoint ${quote(e.name)}`,
                'rename one',
              ),
            );
            return;
          }
          schedulesSeen.add(s.name);
          for (const v of s.variants ?? specVariants(e).map((x) => x.name)) {
            claim(
              'schedule',
              address(e.name, v, s.name),
              `endpoint ${quote(e.name)} schedule ${quote(s.name)}`,
              path,
            );
          }
        });
      }
      return out;
    },
  },
  {
    id: 'serving/network',
    description:
      'Endpoints other than serverless run in private subnets with the workload security groups, so the spec needs a network.',
    run: (ctx) =>
      ctx.spec.network !== undefined
        ? []
        : endpoints(ctx)
            .filter(([e]) => endpointType(e) !== 'serverless')
            .map(([e, at]) =>
              ctx.report(
                [...at, 'name'],
                `endpoint ${quote(e.name)} (${endpointType(e)}) runs in private subnets, but the spec has no network`,
                "add network.vpc (cidr and availabilityZones) or network.existing, or use 'type: serverless'",
              ),
            ),
  },
  {
    id: 'serving/model-source',
    description:
      'Every variant has a model (its own or the endpoint’s): a registry version, or an artifact (exactly one of file and key; bucket only with key) with exactly one image.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      for (const [e, at] of endpoints(ctx)) {
        if (e.model) out.push(...modelProblems(ctx, e.model, [...at, 'model']));
        for (const { variant, path } of listedVariants(e, at)) {
          if (variant.model) out.push(...modelProblems(ctx, variant.model, [...path, 'model']));
        }
        if (e.model) continue;
        const without = listedVariants(e, at).filter(({ variant }) => variantModel(e, variant) === undefined);
        if (e.variants === undefined && e.shadow === undefined) {
          out.push(
            ctx.report(
              [...at, 'name'],
              `endpoint ${quote(e.name)} has no model`,
              "add 'model: {registry: {version: ...}}' or 'model: {artifact: ..., image: ...}'",
            ),
          );
        }
        for (const { variant, path } of without) {
          out.push(
            ctx.report(
              [...path, 'name'],
              `variant ${quote(variant.name)} of endpoint ${quote(e.name)} has no model`,
              'add a model to the variant, or one to the endpoint for every variant',
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'serving/bucket-reference',
    description: 'Model artifacts and async results live in buckets of the data lake.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      const check = (name: string | undefined, path: Path) => {
        const problem = unknownLakeBucket(ctx, name, path);
        if (problem) out.push(problem);
      };
      for (const [e, at] of endpoints(ctx)) {
        check(e.model?.artifact?.bucket, [...at, 'model', 'artifact', 'bucket']);
        for (const { variant, path } of listedVariants(e, at)) {
          check(variant.model?.artifact?.bucket, [...path, 'model', 'artifact', 'bucket']);
        }
        check(e.async?.bucket, [...at, 'async', 'bucket']);
      }
      return out;
    },
  },
  {
    id: 'serving/image-region',
    description:
      'Images are pulled from ECR in the pipeline region: no inter-region transfer on every scale-out.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      const check = (m: ServingModel | undefined, path: Path) => {
        const parts = m?.image ? parseImageUri(m.image) : undefined;
        if (parts && parts.region !== ctx.spec.region) {
          out.push(
            ctx.report(
              [...path, 'image'],
              `the image is in ECR of region ${parts.region}, but the pipeline region is ${ctx.spec.region}`,
              `replicate the repository to ${ctx.spec.region} (ECR replication) and use that URI`,
            ),
          );
        }
      };
      for (const [e, at] of endpoints(ctx)) {
        check(e.model, [...at, 'model']);
        for (const { variant, path } of listedVariants(e, at)) check(variant.model, [...path, 'model']);
      }
      return out;
    },
  },
  {
    id: 'serving/instance-type',
    description:
      'Variant instance types are SageMaker inference types pipeform knows (CPU, GPU or Inferentia families).',
    run: (ctx) =>
      endpoints(ctx).flatMap(([e, at]) =>
        listedVariants(e, at).flatMap(({ variant, path }) => {
          const type = variant.instanceType ?? DEFAULTS.variant.instanceType;
          if (instanceFamily(type) !== undefined) return [];
          // A known family with a wrong size: suggest and list that family's sizes.
          const familyName = type.split('.')[1] ?? '';
          const family = INFERENCE_INSTANCE_FAMILIES[familyName];
          const sameFamily = family ? family.sizes.map((size) => `ml.${familyName}.${size}`) : [];
          const guess = didYouMean(type, sameFamily) ?? didYouMean(type, INFERENCE_INSTANCE_TYPES);
          return [
            ctx.report(
              [...path, 'instanceType'],
              `${quote(type)} is not a SageMaker inference instance type${guess ? `; did you mean ${quote(guess)}?` : ''}`,
              family
                ? `sizes of ml.${familyName}: ${family.sizes.join(', ')}`
                : 'use a type like ml.c6i.large (CPU), ml.g5.xlarge (GPU) or ml.inf2.xlarge (Inferentia)',
            ),
          ];
        }),
      ),
  },
  {
    id: 'serving/type-settings',
    description:
      'Settings match the endpoint type: variants are for instance-based endpoints, serverless and async blocks for their types, and serverless endpoints cannot run network-isolated.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      for (const [e, at] of endpoints(ctx)) {
        const type = endpointType(e);
        const wrong = (key: string, message: string, hint: string) =>
          out.push(ctx.report([...at, key], message, hint, { key: true }));
        if (type === 'serverless' && e.variants !== undefined) {
          wrong(
            'variants',
            'serverless endpoints have one implicit variant; variants are for instance-based endpoints',
            "remove variants and size the endpoint with 'serverless: {memoryMb, maxConcurrency}'",
          );
        }
        if (type !== 'serverless' && e.serverless !== undefined) {
          wrong(
            'serverless',
            `'serverless' settings apply to serverless endpoints, not ${type}`,
            "set 'type: serverless', or remove the block",
          );
        }
        if (type !== 'async' && e.async !== undefined) {
          wrong(
            'async',
            `'async' settings apply to async endpoints, not ${type}`,
            "set 'type: async', or remove the block",
          );
        }
        if (type === 'serverless' && e.networkIsolation === true) {
          wrong(
            'networkIsolation',
            'serverless endpoints do not support network isolation (nor a VPC)',
            'remove networkIsolation, or use a realtime endpoint',
          );
        }
        const s = e.serverless;
        if (
          s?.provisionedConcurrency !== undefined &&
          s.provisionedConcurrency > (s.maxConcurrency ?? DEFAULTS.serverless.maxConcurrency)
        ) {
          out.push(
            ctx.report(
              [...at, 'serverless', 'provisionedConcurrency'],
              `provisioned concurrency ${s.provisionedConcurrency} exceeds maxConcurrency ${s.maxConcurrency ?? DEFAULTS.serverless.maxConcurrency}`,
              'keep provisionedConcurrency at or below maxConcurrency',
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'serving/multi-model',
    description:
      'A multi-model endpoint has one variant serving the models under an S3 prefix of an artifact (artifact.key ending in "/"; registry packages and artifact files hold one model each).',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      for (const [e, at] of endpoints(ctx)) {
        if (endpointType(e) !== 'multi-model') continue;
        if ((e.variants?.length ?? 1) > 1) {
          out.push(
            ctx.report(
              [...at, 'variants'],
              `a multi-model endpoint has one variant, not ${e.variants?.length}`,
              'keep one variant; it loads any model under the prefix on demand',
              { key: true },
            ),
          );
        }
        const variant = specVariants(e)[0];
        const m = variantModel(e, variant);
        const path = variant.model ? [...at, 'variants', 0, 'model'] : [...at, 'model'];
        if (m?.registry) {
          out.push(
            ctx.report(
              [...path, 'registry'],
              'a multi-model endpoint serves an S3 prefix of models, not a registry package',
              "use 'artifact: {key: <prefix>/}' with an image that supports multi-model hosting",
              { key: true },
            ),
          );
        } else if (m?.artifact?.file !== undefined && m.artifact.key === undefined) {
          out.push(
            ctx.report(
              [...path, 'artifact', 'file'],
              'a multi-model endpoint serves the model archives under an S3 prefix, not one file',
              "use 'artifact: {key: <prefix>/}' (a data-lake prefix the models are put under), or make the endpoint realtime or serverless to serve this one archive",
              { key: true },
            ),
          );
        } else if (m?.artifact?.key !== undefined && !m.artifact.key.endsWith('/')) {
          out.push(
            ctx.report(
              [...path, 'artifact', 'key'],
              `a multi-model endpoint needs a prefix ending in "/", not ${quote(m.artifact.key)}`,
              `use ${quote(`${m.artifact.key.replace(/[^/]*$/, '')}`)} or another prefix holding the model archives`,
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'serving/shadow',
    description:
      'Shadow variants (shadow testing) work on realtime endpoints with one production variant; SageMaker refuses them on serverless, async and multi-model endpoints.',
    run: (ctx) =>
      endpoints(ctx).flatMap(([e, at]) => {
        if (e.shadow === undefined) return [];
        const type = endpointType(e);
        if (type !== 'realtime') {
          return [
            ctx.report(
              [...at, 'shadow'],
              `shadow variants work on realtime endpoints, not ${type}`,
              "remove shadow, or use 'type: realtime'",
              { key: true },
            ),
          ];
        }
        const count = specVariants(e).length;
        return count === 1
          ? []
          : [
              ctx.report(
                [...at, 'shadow'],
                `a shadow variant mirrors one production variant, but endpoint ${quote(e.name)} has ${count}`,
                'keep one production variant while shadow testing, or A/B test with weights instead',
                { key: true },
              ),
            ];
      }),
  },
  {
    id: 'serving/autoscaling-serverless',
    description:
      'Serverless endpoints scale by themselves within maxConcurrency; Application Auto Scaling applies to instance-based endpoints only.',
    run: (ctx) =>
      endpoints(ctx)
        .filter(
          ([e]) =>
            endpointType(e) === 'serverless' &&
            e.autoscaling !== undefined &&
            e.autoscaling.enabled !== false,
        )
        .map(([, at]) =>
          ctx.report(
            [...at, 'autoscaling'],
            'serverless endpoints scale by themselves; autoscaling applies to instance-based endpoints',
            'remove autoscaling and size the endpoint with serverless.maxConcurrency (and provisionedConcurrency)',
            { key: true },
          ),
        ),
  },
  {
    id: 'serving/scale-to-zero',
    description:
      'minInstances 0 is for async endpoints with autoscaling: they queue requests while no instance runs, and the scale-out-from-zero policy brings one back (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html). A realtime endpoint needs an instance to answer.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      for (const [e, at] of endpoints(ctx)) {
        const zeros: (string | number)[][] = [
          ...(e.variants ?? []).flatMap((v, j) =>
            v.minInstances === 0 ? [[...at, 'variants', j, 'minInstances']] : [],
          ),
          ...(e.autoscaling?.schedules ?? []).flatMap((s, k) =>
            s.minInstances === 0 ? [[...at, 'autoscaling', 'schedules', k, 'minInstances']] : [],
          ),
        ];
        const type = endpointType(e);
        for (const path of zeros) {
          if (type !== 'async') {
            out.push(
              ctx.report(
                path,
                `endpoint ${quote(e.name)} is ${type}: it answers requests as they come, so it cannot scale to zero instances (only async endpoints queue requests while none runs)`,
                type === 'realtime'
                  ? 'keep minInstances at 1 or more, or use type: serverless (billed per request) or type: async'
                  : 'remove minInstances',
              ),
            );
          } else if (!autoscalingOn(e)) {
            out.push(
              ctx.report(
                path,
                `endpoint ${quote(e.name)} scales to zero, but its autoscaling is off: nothing would bring an instance back for queued requests`,
                'remove autoscaling.enabled: false, or keep minInstances at 1 or more',
              ),
            );
          }
        }
      }
      return out;
    },
  },
  {
    id: 'serving/autoscaling-bounds',
    description:
      'Autoscaling bounds are ordered: minInstances <= maxInstances, for variants and for schedules.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      for (const [e, at] of endpoints(ctx)) {
        if (!autoscalingOn(e)) continue;
        (e.variants ?? []).forEach((v, j) => {
          const { minInstances, maxInstances } = variantBounds(v);
          if (minInstances > maxInstances) {
            const path = [
              ...at,
              'variants',
              j,
              v.maxInstances !== undefined ? 'maxInstances' : 'minInstances',
            ];
            out.push(
              ctx.report(
                path,
                `variant ${quote(v.name)} scales between ${minInstances} and ${maxInstances} instances: the minimum exceeds the maximum`,
                'set minInstances at or below maxInstances',
              ),
            );
          }
        });
        (e.autoscaling?.schedules ?? []).forEach((s, k) => {
          if (
            s.minInstances !== undefined &&
            s.maxInstances !== undefined &&
            s.minInstances > s.maxInstances
          ) {
            out.push(
              ctx.report(
                [...at, 'autoscaling', 'schedules', k, 'minInstances'],
                `schedule ${quote(s.name)} sets minInstances ${s.minInstances} above maxInstances ${s.maxInstances}`,
                'set minInstances at or below maxInstances',
              ),
            );
          }
          if (s.minInstances === undefined && s.maxInstances === undefined) {
            out.push(
              ctx.report(
                [...at, 'autoscaling', 'schedules', k],
                `schedule ${quote(s.name)} changes nothing`,
                'set minInstances, maxInstances or both',
                { key: true },
              ),
            );
          }
          const names = specVariants(e).map((v) => v.name);
          (s.variants ?? []).forEach((name, n) => {
            if (names.includes(name)) return;
            const guess = didYouMean(name, names);
            out.push(
              ctx.report(
                [...at, 'autoscaling', 'schedules', k, 'variants', n],
                `endpoint ${quote(e.name)} has no production variant ${quote(name)}${guess ? `; did you mean ${quote(guess)}?` : ''}`,
                `name one of: ${names.join(', ')}`,
              ),
            );
          });
        });
      }
      return out;
    },
  },
  {
    id: 'serving/data-capture-serverless',
    description:
      'Serverless endpoints do not support data capture (nor Model Monitor): it cannot be switched on for them.',
    run: (ctx) =>
      endpoints(ctx)
        .filter(([e]) => endpointType(e) === 'serverless' && dataCaptureOn(e))
        .map(([, at]) =>
          ctx.report(
            [...at, 'dataCapture', 'enabled'],
            'serverless endpoints do not support data capture',
            'remove dataCapture, or use a realtime endpoint when the model must be monitored',
          ),
        ),
  },
  {
    id: 'serving/deployment-size',
    description:
      'Canary and linear sizes are within SageMaker’s limits: a canary of at most 50% and linear steps of 10-50% of each variant; instance counts only on instance-based endpoints.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      for (const [e, at] of endpoints(ctx)) {
        const d = e.deployment;
        if (d === undefined) continue;
        const strategy = d.strategy ?? DEFAULTS.deployment.strategy;
        const path = [...at, 'deployment'];
        if (strategy === 'all-at-once') {
          if (d.size !== undefined || d.sizeUnit !== undefined) {
            out.push(
              ctx.report(
                [...path, d.size !== undefined ? 'size' : 'sizeUnit'],
                'size applies to canary and linear deployments',
                "set 'strategy: canary' or 'strategy: linear', or remove the size",
                { key: true },
              ),
            );
          }
          continue;
        }
        const size = deploymentSize(e);
        if (size === undefined) continue;
        const where = [...path, d.size !== undefined ? 'size' : 'strategy'];
        const [low, high] = strategy === 'canary' ? [1, 50] : [10, 50];
        if (size.unit === 'percent') {
          if (size.value < low || size.value > high) {
            out.push(
              ctx.report(
                where,
                `a ${strategy} ${strategy === 'canary' ? 'size' : 'step'} of ${size.value}% is outside ${low}-${high}%`,
                `SageMaker allows ${strategy === 'canary' ? 'at most 50%' : '10-50%'} of a variant's capacity`,
              ),
            );
          }
          continue;
        }
        if (endpointType(e) === 'serverless') {
          out.push(
            ctx.report(
              [...path, 'sizeUnit'],
              'serverless endpoints have no instances to count',
              "use 'sizeUnit: percent'",
            ),
          );
          continue;
        }
        for (const v of specVariants(e)) {
          const count = v.instanceCount ?? DEFAULTS.variant.instanceCount;
          const ok =
            strategy === 'canary'
              ? size.value * 2 <= count
              : size.value * 2 <= count && size.value * 10 >= count;
          if (!ok) {
            out.push(
              ctx.report(
                where,
                `a ${strategy} ${strategy === 'canary' ? 'size' : 'step'} of ${size.value} instances does not fit variant ${quote(v.name)} with ${count}`,
                `SageMaker allows ${strategy === 'canary' ? 'at most 50%' : '10-50%'} of a variant's instances; use a percentage, or more instances`,
              ),
            );
            break;
          }
        }
      }
      return out;
    },
  },
  {
    id: 'serving/deployment-timeout',
    description:
      'The deployment time limit covers every baking period and the termination wait, within SageMaker’s 600-14400 seconds.',
    run: (ctx) =>
      endpoints(ctx).flatMap(([e, at]) => {
        const d = e.deployment;
        if (d === undefined) return [];
        const needed = deploymentBakingSeconds(e);
        if (d.maxExecutionSeconds !== undefined) {
          return d.maxExecutionSeconds < needed
            ? [
                ctx.report(
                  [...at, 'deployment', 'maxExecutionSeconds'],
                  `the deployment needs ${needed} s of baking and termination wait, more than maxExecutionSeconds ${d.maxExecutionSeconds}`,
                  `raise maxExecutionSeconds above ${needed} (plus time to provision the new fleet), or shorten waitSeconds`,
                ),
              ]
            : [];
        }
        return needed > MAX_EXECUTION_RANGE[1]
          ? [
              ctx.report(
                [...at, 'deployment', d.waitSeconds !== undefined ? 'waitSeconds' : 'strategy'],
                `the deployment's baking periods add up to ${needed} s; SageMaker allows ${MAX_EXECUTION_RANGE[1]} s in all`,
                'shorten waitSeconds or use larger steps',
              ),
            ]
          : [];
      }),
  },
  {
    id: 'serving/guardrails',
    description:
      'Canary and linear traffic shifting need deployment guardrails, which SageMaker does not offer on Inf1 instances.',
    run: (ctx) =>
      endpoints(ctx).flatMap(([e, at]) => {
        const strategy = e.deployment?.strategy ?? DEFAULTS.deployment.strategy;
        if (strategy === 'all-at-once') return [];
        const inf1 = listedVariants(e, at).find(
          ({ variant }) =>
            instanceFamily(variant.instanceType ?? DEFAULTS.variant.instanceType)?.guardrails === false,
        );
        return inf1 && endpointType(e) !== 'serverless'
          ? [
              ctx.report(
                [...at, 'deployment', 'strategy'],
                `${strategy} deployments are not available with ${inf1.variant.instanceType} (variant ${quote(inf1.variant.name)})`,
                "use 'strategy: all-at-once', or Inferentia2 (ml.inf2.*) instances",
              ),
            ]
          : [];
      }),
  },
  {
    id: 'serving/public-needs-waf',
    description:
      'A public front door is only acceptable behind the web application firewall: public endpoints need security.waf.',
    run: (ctx) => {
      const waf = ctx.spec.security?.waf;
      if (waf !== undefined && waf.enabled !== false) return [];
      return endpoints(ctx)
        .filter(([e]) => e.public !== undefined)
        .map(([e, at]) =>
          ctx.report(
            [...at, 'public'],
            `endpoint ${quote(e.name)} is public, but the spec has no web application firewall`,
            'add security.waf (e.g. waf: {}) so the front door is protected, or remove public',
            { key: true },
          ),
        );
    },
  },
  {
    id: 'serving/public-type',
    description:
      'The front door passes request bodies to InvokeEndpoint; async endpoints take S3 input locations instead and are not exposed.',
    run: (ctx) =>
      endpoints(ctx)
        .filter(([e]) => e.public !== undefined && endpointType(e) === 'async')
        .map(([, at]) =>
          ctx.report(
            [...at, 'public'],
            'async endpoints read their input from S3 and cannot sit behind the front door',
            'remove public; producers put inputs under the async input prefix and call InvokeEndpointAsync',
            { key: true },
          ),
        ),
  },
  {
    id: 'serving/edge',
    description:
      "The edge fleet's provisioning template is named '<pipeline>-<name>', which AWS IoT limits to 36 characters; each edge model is its own Greengrass component, so model names are unique in the fleet.",
    run: (ctx) => {
      const edge = ctx.spec.serving?.edge;
      if (edge === undefined) return [];
      const out: Diagnostic[] = [];
      const fleet = `${ctx.spec.name}-${edge.name ?? DEFAULTS.edge.name}`;
      if (fleet.length > PROVISIONING_TEMPLATE_NAME_MAX) {
        out.push(
          ctx.report(
            edge.name !== undefined ? ['serving', 'edge', 'name'] : ['serving', 'edge'],
            `the fleet provisioning template would be named ${quote(fleet)} (${fleet.length} characters); AWS IoT allows at most ${PROVISIONING_TEMPLATE_NAME_MAX}`,
            `shorten serving.edge.name to at most ${PROVISIONING_TEMPLATE_NAME_MAX - ctx.spec.name.length - 1} characters`,
          ),
        );
      }
      const seen = new Map<string, number>();
      (edge.models ?? []).forEach((m, i) => {
        const first = seen.get(m.name);
        if (first !== undefined) {
          out.push(
            ctx.report(
              ['serving', 'edge', 'models', i, 'name'],
              `edge model name ${quote(m.name)} is already used by serving.edge.models[${first}]`,
              'give each edge model its own name (each is its own Greengrass component)',
            ),
          );
        } else seen.set(m.name, i);
      });
      return out;
    },
  },
  {
    id: 'serving/edge-registry',
    description:
      "An edge model has exactly one source: an artifact (with its component version) or the registry (the approved versions of '<pipeline>-models', which needs training.algorithm); compile (SageMaker Neo) only for registry models, with exactly one of targetDevice and targetPlatform and a JSON dataInputConfig; Neo job names '<fleet>-<model>-<package version>' fit 63 characters.",
    run: (ctx) => {
      const edge = ctx.spec.serving?.edge;
      if (edge === undefined) return [];
      const out: Diagnostic[] = [];
      const fleet = `${ctx.spec.name}-${edge.name ?? DEFAULTS.edge.name}`;
      (edge.models ?? []).forEach((m, i) => {
        const at = ['serving', 'edge', 'models', i];
        const registry = m.registry === true;
        if (registry === (m.artifact !== undefined)) {
          out.push(
            ctx.report(
              at,
              registry
                ? `edge model ${quote(m.name)} has both artifact and registry`
                : `edge model ${quote(m.name)} has neither artifact nor registry: true`,
              "use 'artifact: {key: ...}' with a version, or 'registry: true' (the approved versions of the pipeline's registry)",
            ),
          );
          return;
        }
        if (!registry && m.version === undefined) {
          out.push(
            ctx.report(
              at,
              `edge model ${quote(m.name)} has an artifact but no version`,
              "add 'version: 1.0.0' and bump it with each new artifact (component versions are immutable)",
            ),
          );
        }
        if (registry && m.version !== undefined) {
          out.push(
            ctx.report(
              [...at, 'version'],
              `edge model ${quote(m.name)} comes from the registry: its component versions are '1.0.<model package version>'`,
              'remove version',
              { key: true },
            ),
          );
        }
        if (registry && !ctx.spec.training?.algorithm) {
          out.push(
            ctx.report(
              [...at, 'registry'],
              `edge model ${quote(m.name)} deploys approved versions of ${quote(`${ctx.spec.name}-models`)}, but the spec has no SageMaker training pipeline to register models into it`,
              "add training (algorithm, data, evaluation, registration), or use 'artifact: {key: ...}'",
              { key: true },
            ),
          );
        }
        const k = m.compile;
        if (k === undefined) return;
        if (!registry) {
          out.push(
            ctx.report(
              [...at, 'compile'],
              `edge model ${quote(m.name)} is compiled after approval, which needs registry: true`,
              "add 'registry: true', or compile the artifact yourself (aws sagemaker create-compilation-job) and drop compile",
              { key: true },
            ),
          );
        }
        if ((k.targetDevice === undefined) === (k.targetPlatform === undefined)) {
          out.push(
            ctx.report(
              [...at, 'compile'],
              k.targetDevice === undefined
                ? 'compile needs a targetDevice or a targetPlatform'
                : 'compile has both targetDevice and targetPlatform; SageMaker Neo takes one',
              "use 'targetDevice: jetson_nano' (a listed device) or 'targetPlatform: {os: LINUX, arch: ARM64}'",
              { key: true },
            ),
          );
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(k.dataInputConfig);
        } catch {
          parsed = undefined;
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
          out.push(
            ctx.report(
              [...at, 'compile', 'dataInputConfig'],
              `dataInputConfig ${quote(k.dataInputConfig)} is not a JSON object of input names and shapes`,
              `write it as a JSON object string, e.g. '{"data": [1, 3, 224, 224]}'`,
            ),
          );
        }
        // Neo job names: at most 63 characters; the package version takes up to 10 digits.
        const job = `${fleet}-${m.name}-`.length + 10;
        if (job > COMPILATION_JOB_NAME_MAX) {
          out.push(
            ctx.report(
              [...at, 'name'],
              `the Neo compilation jobs would be named ${quote(`${fleet}-${m.name}-<package version>`)}, up to ${job} characters; SageMaker allows ${COMPILATION_JOB_NAME_MAX}`,
              `shorten the model name to at most ${m.name.length - (job - COMPILATION_JOB_NAME_MAX)} characters`,
            ),
          );
        }
      });
      return out;
    },
  },
];

/** CreateCompilationJob CompilationJobName: 1 to 63 characters. */
const COMPILATION_JOB_NAME_MAX = 63;
