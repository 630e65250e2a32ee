import type { CheckContext, CheckRule } from '../check';
import type { Diagnostic } from '../diagnostics';
import {
  algorithmKind,
  BUILTIN_METRICS,
  DEFAULTS,
  INSTANCE_TYPES,
  JUMPSTART_REGIONS,
  kpiSource,
  parseEcrImage,
  REQUIRED_HYPERPARAMETERS,
  sageMakerKeys,
  type InstanceInfo,
} from '../../areas/training/catalog';
import { STANDARD_BUCKETS } from '../../areas/storage/catalog';
import { DEFAULTS as NETWORK_DEFAULTS } from '../../areas/network/catalog';
import { didYouMean } from '../suggest';
import type { Training } from '../../spec/types.generated';
import { lakeBuckets } from './references';

type Path = (string | number)[];

/** The SageMaker part of `training` when the spec has one (an algorithm); undefined otherwise. */
function sageMaker(
  ctx: CheckContext,
): (Training & { algorithm: NonNullable<Training['algorithm']> }) | undefined {
  const t = ctx.spec.training;
  return t?.algorithm ? (t as Training & { algorithm: NonNullable<Training['algorithm']> }) : undefined;
}

const info = (type: string): InstanceInfo | undefined => INSTANCE_TYPES[type];
const processorOf = (type: string) => info(type)?.accelerator ?? 'none';
const processorLabel = { none: 'CPU', nvidia: 'NVIDIA GPU', neuron: 'Neuron' } as const;
const quote = (s: string) => JSON.stringify(s);

/** Metric name endings whose better direction is known: catches a tuning job that would pick the worst model. */
const HIGHER_IS_BETTER = [
  'accuracy',
  'auc',
  'aucpr',
  'f1',
  'f1_binary',
  'f1_macro',
  'map',
  'ndcg',
  'precision',
  'r2',
  'recall',
];
const LOWER_IS_BETTER = [
  'absolute_loss',
  'cross_entropy',
  'error',
  'logloss',
  'loss',
  'mae',
  'mape',
  'mean_wquantileloss',
  'merror',
  'mlogloss',
  'mse',
  'objective_loss',
  'rmse',
  'rmsle',
];

/** Every instance type the training section names, with where it is used. */
function instanceFields(t: Training): [Path, string, 'training' | 'processing' | 'inference'][] {
  const out: [Path, string, 'training' | 'processing' | 'inference'][] = [];
  if (t.instanceType) out.push([['training', 'instanceType'], t.instanceType, 'training']);
  (t.instanceTypeChoices ?? []).forEach((c, i) =>
    out.push([['training', 'instanceTypeChoices', i], c, 'training']),
  );
  if (t.processing?.instanceType)
    out.push([['training', 'processing', 'instanceType'], t.processing.instanceType, 'processing']);
  if (t.evaluation?.instanceType)
    out.push([['training', 'evaluation', 'instanceType'], t.evaluation.instanceType, 'processing']);
  for (const key of ['inferenceInstanceTypes', 'transformInstanceTypes'] as const) {
    (t.registration?.[key] ?? []).forEach((c, i) =>
      out.push([['training', 'registration', key, i], c, 'inference']),
    );
  }
  return out;
}

/** The training channels of a built-in algorithm, which prefix its metric names. */
const channelsOf = (algorithm: string) =>
  algorithm === 'deepar' ? ['train', 'test'] : ['train', 'validation'];

type JumpStart = NonNullable<NonNullable<Training['baseModel']>['jumpstart']>;

/**
 * `baseModel.jumpstart`: a region JumpStart serves (its bucket is named by region, from the
 * SDK's table in the catalog), and a gated model's license accepted by the user, never
 * assumed. The champion's channel is the lookup step's output, which cannot carry a gated
 * model's ModelAccessConfig, so a gated first model is refused there.
 */
function jumpstartProblems(ctx: CheckContext, js: JumpStart, champion: boolean): Diagnostic[] {
  const at = (...rest: string[]): Path => ['training', 'baseModel', 'jumpstart', ...rest];
  const out: Diagnostic[] = [];
  const region = ctx.spec.region;
  if (!JUMPSTART_REGIONS.includes(region)) {
    out.push(
      ctx.report(
        ['region'],
        `SageMaker JumpStart serves no models in ${region}: training.baseModel.jumpstart ${quote(js.modelId)} has no bucket there`,
        `deploy to a JumpStart region (${JUMPSTART_REGIONS.join(', ')}), or copy the artifact to a bucket of yours in ${region} and pin it with baseModel.s3`,
      ),
    );
  }
  const gated = js.gated ?? DEFAULTS.jumpstart.gated;
  const accepted = js.acceptEula ?? DEFAULTS.jumpstart.acceptEula;
  if (gated && !accepted) {
    out.push(
      ctx.report(
        js.acceptEula === undefined ? at('gated') : at('acceptEula'),
        `${quote(js.modelId)} is a gated JumpStart model: SageMaker gives its artifact to a job only when the model channel accepts its end-user license agreement`,
        "read the model's license, then set acceptEula: true",
      ),
    );
  }
  if (accepted && !gated) {
    out.push(
      ctx.report(
        at('acceptEula'),
        `acceptEula accepts a gated model's license, but ${quote(js.modelId)} is not marked gated`,
        "set gated: true when the model's spec says gated_bucket (its artifact is in jumpstart-private-cache-prod-<region>), else remove acceptEula",
      ),
    );
  }
  if (gated && champion) {
    out.push(
      ctx.report(
        ['training', 'baseModel', 'champion'],
        `the champion's model channel is the lookup step's output, which cannot accept the license of the gated model ${quote(js.modelId)}`,
        'train the first version without champion (from the gated model), then set champion: true without jumpstart',
      ),
    );
  }
  return out;
}

/** Check rules of the SageMaker training pipeline (the `training` keys besides `eks`). */
export const trainingRules: readonly CheckRule[] = [
  {
    id: 'training/required-sections',
    description:
      "A SageMaker training pipeline needs 'algorithm' and 'data', and 'evaluation' when a KPI reads the evaluation report (source 'evaluation', the default).",
    run: (ctx) => {
      const t = ctx.spec.training;
      const keys = sageMakerKeys(t);
      if (!t || keys.length === 0) return [];
      const fromReport = (ctx.spec.goals?.kpis ?? []).filter((k) => kpiSource(k) === 'evaluation');
      const hints = {
        algorithm: 'add training.algorithm (e.g. xgboost), or remove the SageMaker training keys',
        data: 'add training.data with the prefix of the train/validation/test folders, e.g. data: {bucket: curated, prefix: churn/}',
        evaluation: `add training.evaluation.script (the script that writes evaluation.json with the KPI metrics), or gate on a metric the training job emits: source: training on ${fromReport.map((k) => quote(k.name)).join(', ')}`,
      };
      const missing = (['algorithm', 'data'] as const).filter((k) => t[k] === undefined);
      const needed = (k: 'algorithm' | 'data' | 'evaluation') =>
        k === 'evaluation'
          ? `SageMaker training needs 'evaluation': goals.kpis ${fromReport.map((x) => quote(x.name)).join(', ')} ${fromReport.length > 1 ? 'read' : 'reads'} the evaluation report (source evaluation)`
          : `SageMaker training (${keys.join(', ')}) needs '${k}'`;
      return [
        ...missing,
        ...(t.evaluation === undefined && fromReport.length > 0 ? (['evaluation'] as const) : []),
      ].map((k) => ctx.report(['training'], needed(k), hints[k], { key: true }));
    },
  },
  {
    id: 'training/network',
    description:
      'Training and processing jobs run in private subnets with the workload security groups: SageMaker training needs a network.',
    run: (ctx) =>
      sageMaker(ctx) && ctx.spec.network === undefined
        ? [
            ctx.report(
              ['training', 'algorithm'],
              'SageMaker training runs its jobs in private subnets, but the spec has no network',
              'add network.vpc (cidr and availabilityZones) or network.existing',
              { key: true },
            ),
          ]
        : [],
  },
  {
    id: 'training/kpi-gate',
    description:
      'The pipeline registers a model only when it meets goals.kpis: training needs at least one KPI.',
    run: (ctx) =>
      sageMaker(ctx) && (ctx.spec.goals?.kpis ?? []).length === 0
        ? [
            ctx.report(
              ['training', 'algorithm'],
              'the KPI gate has nothing to check: goals.kpis is empty',
              'add goals.kpis with a metric (a path in evaluation.json, or with source: training a metric the training job emits), a threshold and a direction',
              { key: true },
            ),
          ]
        : [],
  },
  {
    id: 'training/image',
    description:
      'Images are ECR URIs in the pipeline region (no cross-region pulls); lightgbm and custom run your own image.',
    run: (ctx) => {
      const t = sageMaker(ctx);
      if (!t) return [];
      const out: Diagnostic[] = [];
      if ((t.algorithm === 'lightgbm' || t.algorithm === 'custom') && !t.image) {
        out.push(
          ctx.report(
            ['training', 'algorithm'],
            `${t.algorithm} has no AWS image that pipeform can resolve; it needs 'image'`,
            'add training.image: <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>',
          ),
        );
      }
      const images: [Path, string | undefined][] = [
        [['training', 'image'], t.image],
        [['training', 'processing', 'image'], t.processing?.image],
        [['training', 'evaluation', 'image'], t.evaluation?.image],
      ];
      for (const [path, uri] of images) {
        if (uri === undefined) continue;
        const parsed = parseEcrImage(uri);
        if (!parsed) {
          out.push(
            ctx.report(
              path,
              `${quote(uri)} is not an ECR image URI`,
              `use <account>.dkr.ecr.${ctx.spec.region}.amazonaws.com/<repository>:<tag> (or @sha256:<digest>)`,
            ),
          );
        } else if (parsed.region !== ctx.spec.region) {
          out.push(
            ctx.report(
              path,
              `the image is in region ${parsed.region}, but the pipeline region is ${ctx.spec.region}`,
              `replicate the repository to ${ctx.spec.region} and use that URI (cross-region pulls cost transfer and slow every job start)`,
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'training/algorithm-fields',
    description:
      "Script mode (entryPoint, sourceArchive, pythonVersion) is for pytorch, tensorflow and sklearn, which need 'entryPoint'; metric definitions are for your own code, not built-in algorithms.",
    run: (ctx) => {
      const t = sageMaker(ctx);
      if (!t) return [];
      const kind = algorithmKind(t.algorithm);
      const out: Diagnostic[] = [];
      if (kind === 'framework' && !t.entryPoint) {
        out.push(
          ctx.report(
            ['training', 'algorithm'],
            `${t.algorithm} runs your script (script mode), but training.entryPoint is missing`,
            'add entryPoint: train.py (a script in training.code.directory, or inside the sourceArchive under an S3 code prefix)',
          ),
        );
      }
      if (kind !== 'framework') {
        for (const k of ['entryPoint', 'sourceArchive', 'pythonVersion'] as const) {
          if (t[k] !== undefined) {
            out.push(
              ctx.report(
                ['training', k],
                `'${k}' is for script mode (pytorch, tensorflow, sklearn), not ${t.algorithm}`,
                kind === 'builtin'
                  ? `remove it: ${t.algorithm} is a built-in algorithm configured by hyperparameters`
                  : 'remove it: your image decides what runs',
                { key: true },
              ),
            );
          }
        }
      }
      if (kind === 'image' && t.version !== undefined) {
        out.push(
          ctx.report(
            ['training', 'version'],
            `'version' picks an AWS image, but ${t.algorithm} runs training.image`,
            'remove it, and put the version in the image tag',
            { key: true },
          ),
        );
      }
      if (kind === 'builtin' && (t.metricDefinitions ?? []).length > 0) {
        out.push(
          ctx.report(
            ['training', 'metricDefinitions'],
            `${t.algorithm} is a built-in algorithm and emits its own metrics; SageMaker refuses metric definitions for it`,
            "remove metricDefinitions and use the algorithm's metric names (e.g. validation:auc)",
            { key: true },
          ),
        );
      }
      const seen = new Map<string, number>();
      (t.metricDefinitions ?? []).forEach((m, i) => {
        const first = seen.get(m.name);
        if (first !== undefined) {
          out.push(
            ctx.report(
              ['training', 'metricDefinitions', i, 'name'],
              `metric ${quote(m.name)} is already defined by metricDefinitions[${first}]`,
              'give each metric its own name',
            ),
          );
        } else seen.set(m.name, i);
      });
      return out;
    },
  },
  {
    id: 'training/instance-type',
    description:
      "Instance types are known ml.* types (pipeform's table: GPUs, EFA, local storage) offered for the job that uses them.",
    run: (ctx) => {
      const t = sageMaker(ctx);
      if (!t) return [];
      const known = Object.keys(INSTANCE_TYPES);
      return instanceFields(t).flatMap(([path, type, use]) => {
        const i = info(type);
        if (!i) {
          const guess = didYouMean(type, known);
          return [
            ctx.report(
              path,
              `unknown instance type ${quote(type)}${guess ? `; did you mean ${quote(guess)}?` : ''}`,
              `use an ml.* type pipeform knows, e.g. ml.m5.xlarge (CPU), ml.g5.2xlarge (GPU), ml.p4d.24xlarge (multi-node GPU)`,
            ),
          ];
        }
        return i[use]
          ? []
          : [
              ctx.report(
                path,
                `${type} is not offered for ${use === 'inference' ? 'hosting or batch transform' : `${use} jobs`}`,
                `choose another size or family, e.g. ${use === 'inference' ? 'ml.m5.large' : 'ml.m5.xlarge'}`,
              ),
            ];
      });
    },
  },
  {
    id: 'training/accelerator',
    description:
      'The algorithm can use the instance accelerator (sklearn is CPU-only; Neuron needs your own image), and instance type choices match the default in accelerator and storage.',
    run: (ctx) => {
      const t = sageMaker(ctx);
      if (!t) return [];
      const out: Diagnostic[] = [];
      const type = t.instanceType ?? DEFAULTS.instanceType;
      const main = info(type);
      if (!main) return [];
      const kind = algorithmKind(t.algorithm);
      if (t.algorithm === 'sklearn' && main.accelerator !== 'none') {
        out.push(
          ctx.report(
            ['training', 'instanceType'],
            `scikit-learn runs on CPU only; ${type} pays for ${main.accelerators} unused accelerator(s)`,
            'use a CPU type such as ml.m5.xlarge or ml.c5.2xlarge',
          ),
        );
      }
      if (main.accelerator === 'neuron' && kind !== 'image' && !t.image) {
        out.push(
          ctx.report(
            ['training', 'instanceType'],
            `${type} has AWS Trainium accelerators, which need a Neuron image; the ${t.algorithm} image has no Neuron support`,
            'set training.image to a Neuron image (e.g. pytorch-training-neuronx), or use an NVIDIA GPU type',
          ),
        );
      }
      (t.instanceTypeChoices ?? []).forEach((c, i) => {
        const other = info(c);
        if (!other) return;
        if (other.accelerator !== main.accelerator) {
          out.push(
            ctx.report(
              ['training', 'instanceTypeChoices', i],
              `${c} is ${processorLabel[other.accelerator]}, but instanceType ${type} is ${processorLabel[main.accelerator]}; the image is built for one of them`,
              `choose ${processorLabel[main.accelerator]} types only`,
            ),
          );
        } else if (other.ebsVolume !== main.ebsVolume) {
          out.push(
            ctx.report(
              ['training', 'instanceTypeChoices', i],
              `${c} ${other.ebsVolume ? 'uses an EBS volume' : 'has local NVMe storage'}, but instanceType ${type} ${main.ebsVolume ? 'uses an EBS volume' : 'has local NVMe storage'}; the volume key setting depends on it`,
              'choose types with the same kind of storage',
            ),
          );
        }
      });
      if (kind === 'framework') {
        const serving: readonly string[] = t.registration?.inferenceInstanceTypes ?? [];
        const first = serving[0] ?? '';
        serving.forEach((c, i) => {
          if (i === 0 || !info(c) || !info(first)) return;
          if (processorOf(c) !== processorOf(first)) {
            out.push(
              ctx.report(
                ['training', 'registration', 'inferenceInstanceTypes', i],
                `${c} is ${processorLabel[processorOf(c)]}, but ${first} is ${processorLabel[processorOf(first)]}; the registered ${t.algorithm} image is built for one of them`,
                'list inference types of one kind only',
              ),
            );
          }
        });
      }
      return out;
    },
  },
  {
    id: 'training/spot',
    description:
      'Managed spot training waits at most maxWaitSeconds, which must cover maxRuntimeSeconds; maxWaitSeconds means nothing without spot.',
    run: (ctx) => {
      const t = sageMaker(ctx);
      if (!t || t.maxWaitSeconds === undefined) return [];
      if (t.spot === false) {
        return [
          ctx.report(
            ['training', 'maxWaitSeconds'],
            'maxWaitSeconds only applies to spot training, which is off',
            'remove maxWaitSeconds, or remove spot: false',
            { key: true },
          ),
        ];
      }
      const runtime = t.maxRuntimeSeconds ?? DEFAULTS.maxRuntimeSeconds;
      return t.maxWaitSeconds < runtime
        ? [
            ctx.report(
              ['training', 'maxWaitSeconds'],
              `maxWaitSeconds (${t.maxWaitSeconds}) is below maxRuntimeSeconds (${runtime}); SageMaker requires the wait to cover the runtime`,
              `set maxWaitSeconds to ${runtime} or more (e.g. ${Math.min(2 * runtime, 2419200)}), or lower maxRuntimeSeconds`,
            ),
          ]
        : [];
    },
  },
  {
    id: 'training/spot-checkpoints',
    description:
      'Spot training keeps checkpoints so interrupted jobs resume; turning them off needs an explicit waiveSpotRisk.',
    run: (ctx) => {
      const t = sageMaker(ctx);
      const c = t?.checkpointing;
      if (!t || !c) return [];
      const spot = t.spot ?? DEFAULTS.spot;
      const enabled = c.enabled ?? DEFAULTS.checkpointing.enabled;
      const waived = c.waiveSpotRisk ?? DEFAULTS.checkpointing.waiveSpotRisk;
      if (spot && !enabled && !waived) {
        return [
          ctx.report(
            ['training', 'checkpointing', 'enabled'],
            'spot training without checkpoints restarts from the beginning after every interruption',
            'remove enabled: false; or add waiveSpotRisk: true if restarts are acceptable; or set training.spot: false',
          ),
        ];
      }
      if (waived && (enabled || !spot)) {
        return [
          ctx.report(
            ['training', 'checkpointing', 'waiveSpotRisk'],
            `waiveSpotRisk waives nothing: ${enabled ? 'checkpoints are on' : 'spot is off'}`,
            'remove waiveSpotRisk',
            { key: true },
          ),
        ];
      }
      return [];
    },
  },
  {
    id: 'training/distributed',
    description:
      'Distributed strategies fit the algorithm and instance: pytorch for smdistributed libraries, NVIDIA GPUs, smddp on ml.p4d/p4de/p5, EFA for multi-node GPU jobs, processes per host within the GPUs, a fixed instance type.',
    run: (ctx) => {
      const t = sageMaker(ctx);
      if (!t) return [];
      const out: Diagnostic[] = [];
      const kind = algorithmKind(t.algorithm);
      const d = t.distributed;
      const count = t.instanceCount ?? DEFAULTS.instanceCount;
      const type = t.instanceType ?? DEFAULTS.instanceType;
      const i = info(type);
      const at = (...p: Path): Path => ['training', 'distributed', ...p];
      if (!d) {
        if (kind === 'framework' && count > 1) {
          out.push(
            ctx.report(
              ['training', 'instanceCount'],
              `${count} instances would each run the ${t.algorithm} script on its own`,
              'add training.distributed with a strategy (data-parallel, model-parallel, horovod, mpi), or use instanceCount: 1',
            ),
          );
        }
        return out;
      }
      if (kind === 'builtin' || t.algorithm === 'sklearn') {
        return [
          ctx.report(
            at('strategy'),
            `${t.algorithm} does not take a distribution strategy${kind === 'builtin' ? '; it distributes across instances on its own' : ''}`,
            kind === 'builtin'
              ? 'remove training.distributed and set training.instanceCount'
              : 'remove training.distributed',
          ),
        ];
      }
      const smdistributed = d.strategy === 'data-parallel' || d.strategy === 'model-parallel';
      if (smdistributed && t.algorithm === 'tensorflow') {
        out.push(
          ctx.report(
            at('strategy'),
            `the SageMaker ${d.strategy} library supports PyTorch, not TensorFlow`,
            'use strategy: horovod for TensorFlow, or algorithm: pytorch',
          ),
        );
      }
      if ((t.instanceTypeChoices ?? []).length > 0) {
        out.push(
          ctx.report(
            ['training', 'instanceTypeChoices'],
            'a distributed job is validated for one instance type; runs cannot switch it',
            'remove instanceTypeChoices',
            { key: true },
          ),
        );
      }
      if (d.strategy === 'data-parallel') {
        for (const k of ['processesPerHost', 'customMpiOptions', 'modelParallel'] as const) {
          if (d[k] !== undefined)
            out.push(
              ctx.report(at(k), `'${k}' does not apply to data-parallel (one process per GPU)`, 'remove it', {
                key: true,
              }),
            );
        }
      } else if (d.strategy !== 'model-parallel' && d.modelParallel !== undefined) {
        out.push(
          ctx.report(
            at('modelParallel'),
            `'modelParallel' applies to strategy model-parallel, not ${d.strategy}`,
            'remove it',
            {
              key: true,
            },
          ),
        );
      }
      if (!i) return out;
      if (smdistributed && i.accelerator !== 'nvidia') {
        out.push(
          ctx.report(
            ['training', 'instanceType'],
            `${d.strategy} needs NVIDIA GPUs, but ${type} has ${i.accelerator === 'none' ? 'none' : 'Neuron accelerators'}`,
            'use a GPU type such as ml.p4d.24xlarge',
          ),
        );
      } else if (d.strategy === 'data-parallel' && !i.smddp) {
        const smddp = Object.keys(INSTANCE_TYPES).filter((k) => INSTANCE_TYPES[k].smddp);
        out.push(
          ctx.report(
            ['training', 'instanceType'],
            `the SageMaker distributed data parallel library does not run on ${type}`,
            `use ${smddp.join(', ')}; or strategy: mpi / horovod for other GPUs`,
          ),
        );
      } else if (count > 1 && i.accelerator === 'nvidia' && !i.efa) {
        const efa = Object.keys(INSTANCE_TYPES).filter(
          (k) =>
            INSTANCE_TYPES[k].efa && INSTANCE_TYPES[k].accelerator === 'nvidia' && INSTANCE_TYPES[k].training,
        );
        out.push(
          ctx.report(
            ['training', 'instanceType'],
            `multi-node GPU training (${count} instances) needs EFA for NCCL/MPI traffic, and ${type} has no EFA`,
            `use an EFA-capable type: ${efa.join(', ')}`,
          ),
        );
      }
      if (d.processesPerHost !== undefined && i.accelerators > 0 && d.processesPerHost > i.accelerators) {
        out.push(
          ctx.report(
            at('processesPerHost'),
            `${d.processesPerHost} processes per host oversubscribe the ${i.accelerators} accelerator(s) of ${type}`,
            `set processesPerHost to ${i.accelerators} or less`,
          ),
        );
      }
      if (d.strategy === 'model-parallel') {
        const mp = d.modelParallel ?? {};
        const perReplica =
          (mp.partitions ?? DEFAULTS.modelParallel.partitions) *
          (mp.tensorParallelDegree ?? DEFAULTS.modelParallel.tensorParallelDegree);
        const processes = count * (d.processesPerHost ?? Math.max(1, i.accelerators));
        if (processes % perReplica !== 0) {
          out.push(
            ctx.report(
              d.modelParallel ? at('modelParallel') : at('strategy'),
              `partitions x tensorParallelDegree (${perReplica}) does not divide the ${processes} processes of the job`,
              'choose degrees whose product divides instanceCount x processesPerHost',
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'training/tuning-ranges',
    description:
      'Tuning ranges are well formed: unique names, min < max, whole numbers for integer ranges, values for categorical ones, scaling the range allows, and no name that is also a static hyperparameter.',
    run: (ctx) => {
      const t = sageMaker(ctx);
      if (!t?.tuning) return [];
      const out: Diagnostic[] = [];
      const seen = new Map<string, number>();
      t.tuning.ranges.forEach((r, i) => {
        const at = (k?: string): Path => ['training', 'tuning', 'ranges', i, ...(k ? [k] : [])];
        const first = seen.get(r.name);
        if (first !== undefined) {
          out.push(
            ctx.report(
              at('name'),
              `${quote(r.name)} is already tuned by ranges[${first}]`,
              'give each range its own name',
            ),
          );
        } else seen.set(r.name, i);
        if (t.hyperparameters?.[r.name] !== undefined) {
          out.push(
            ctx.report(
              at('name'),
              `${quote(r.name)} is both tuned and a static hyperparameter`,
              `remove training.hyperparameters.${r.name}, or this range`,
            ),
          );
        }
        if (r.type === 'categorical') {
          if (!r.values) {
            out.push(
              ctx.report(at(), "a categorical range needs 'values'", 'add values: [...]', { key: true }),
            );
          } else if (new Set(r.values).size !== r.values.length) {
            out.push(ctx.report(at('values'), 'categorical values repeat', 'list each value once'));
          }
          for (const k of ['min', 'max', 'scaling'] as const) {
            if (r[k] !== undefined)
              out.push(
                ctx.report(at(k), `'${k}' does not apply to a categorical range`, 'remove it', { key: true }),
              );
          }
          return;
        }
        if (r.values !== undefined) {
          out.push(
            ctx.report(at('values'), `'values' applies to categorical ranges, not ${r.type}`, 'remove it', {
              key: true,
            }),
          );
        }
        if (r.min === undefined || r.max === undefined) {
          out.push(
            ctx.report(at(), `a ${r.type} range needs 'min' and 'max'`, 'add min and max', { key: true }),
          );
          return;
        }
        if (r.type === 'integer') {
          for (const k of ['min', 'max'] as const) {
            if (!Number.isInteger(r[k]))
              out.push(
                ctx.report(
                  at(k),
                  `${k} ${r[k]} is not a whole number, but the range is integer`,
                  'use a whole number, or type: continuous',
                ),
              );
          }
        }
        if (r.min >= r.max) {
          out.push(
            ctx.report(at('max'), `max ${r.max} is not above min ${r.min}`, 'make max greater than min'),
          );
        } else if (r.scaling === 'logarithmic' && r.min <= 0) {
          out.push(
            ctx.report(
              at('scaling'),
              `logarithmic scaling needs min > 0, but min is ${r.min}`,
              'raise min above 0, or use linear scaling',
            ),
          );
        } else if (r.scaling === 'reverse-logarithmic' && (r.type === 'integer' || r.min < 0 || r.max >= 1)) {
          out.push(
            ctx.report(
              at('scaling'),
              r.type === 'integer'
                ? 'reverse-logarithmic scaling applies to continuous ranges only'
                : `reverse-logarithmic scaling needs 0 <= min < max < 1, but the range is [${r.min}, ${r.max}]`,
              'use linear or logarithmic scaling',
            ),
          );
        }
      });
      return out;
    },
  },
  {
    id: 'training/tuning-limits',
    description:
      'Tuning limits are consistent: maxParallelJobs <= maxJobs; hyperband runs with early stopping off and minResource <= maxResource; hyperband settings only with the hyperband strategy.',
    run: (ctx) => {
      const tuning = sageMaker(ctx)?.tuning;
      if (!tuning) return [];
      const out: Diagnostic[] = [];
      const at = (...p: Path): Path => ['training', 'tuning', ...p];
      const maxJobs = tuning.maxJobs ?? DEFAULTS.tuning.maxJobs;
      const parallel = tuning.maxParallelJobs ?? DEFAULTS.tuning.maxParallelJobs;
      if (parallel > maxJobs) {
        out.push(
          ctx.report(
            at(tuning.maxParallelJobs !== undefined ? 'maxParallelJobs' : 'maxJobs'),
            `maxParallelJobs (${parallel}) exceeds maxJobs (${maxJobs})`,
            `set maxParallelJobs to ${maxJobs} or less`,
          ),
        );
      }
      const strategy = tuning.strategy ?? DEFAULTS.tuning.strategy;
      if (strategy === 'hyperband' && tuning.earlyStopping === 'auto') {
        out.push(
          ctx.report(
            at('earlyStopping'),
            'hyperband stops weak jobs itself; SageMaker refuses early stopping on top of it',
            'remove earlyStopping (hyperband defaults it to off)',
          ),
        );
      }
      if (tuning.hyperband && strategy !== 'hyperband') {
        out.push(
          ctx.report(
            at('hyperband'),
            `'hyperband' settings apply to strategy hyperband, not ${strategy}`,
            'remove them, or set strategy: hyperband',
            {
              key: true,
            },
          ),
        );
      } else if (tuning.hyperband && tuning.hyperband.minResource > tuning.hyperband.maxResource) {
        out.push(
          ctx.report(
            at('hyperband', 'minResource'),
            `minResource (${tuning.hyperband.minResource}) exceeds maxResource (${tuning.hyperband.maxResource})`,
            'make minResource at most maxResource',
          ),
        );
      }
      return out;
    },
  },
  {
    id: 'training/tuning-objective',
    description:
      "The tuning objective is a metric the job emits (a built-in algorithm's '<channel>:<metric>' or one of metricDefinitions), optimized in its better direction.",
    run: (ctx) => {
      const t = sageMaker(ctx);
      const objective = t?.tuning?.objective;
      if (!t || !objective) return [];
      const at: Path = ['training', 'tuning', 'objective', 'metric'];
      const metric = objective.metric;
      if (algorithmKind(t.algorithm) === 'builtin') {
        const channels = channelsOf(t.algorithm);
        const channel = metric.includes(':') ? metric.slice(0, metric.indexOf(':')) : '';
        if (!channels.includes(channel)) {
          return [
            ctx.report(
              at,
              `${t.algorithm} reports metrics as '<channel>:<name>' for its ${channels.join(' and ')} channels; ${quote(metric)} is not one`,
              `use e.g. ${channels[1]}:${t.algorithm === 'deepar' ? 'RMSE' : t.algorithm === 'xgboost' ? 'auc' : 'objective_loss'}`,
            ),
          ];
        }
      } else {
        const defined = (t.metricDefinitions ?? []).map((m) => m.name);
        if (!defined.includes(metric)) {
          const guess = didYouMean(metric, defined);
          return [
            ctx.report(
              at,
              `${quote(metric)} is not in training.metricDefinitions, so the tuning job would never see it${guess ? `; did you mean ${quote(guess)}?` : ''}`,
              'add it to training.metricDefinitions with the regex that extracts it from the logs',
            ),
          ];
        }
      }
      const suffix = metric.slice(metric.lastIndexOf(':') + 1).toLowerCase();
      const wanted = HIGHER_IS_BETTER.includes(suffix)
        ? 'maximize'
        : LOWER_IS_BETTER.includes(suffix)
          ? 'minimize'
          : undefined;
      return wanted && wanted !== objective.direction
        ? [
            ctx.report(
              ['training', 'tuning', 'objective', 'direction'],
              `${metric} is ${wanted === 'maximize' ? 'better when higher' : 'better when lower'}; direction ${objective.direction} would pick the worst model`,
              `set direction: ${wanted}`,
            ),
          ]
        : [];
    },
  },
  {
    id: 'training/kpi-metrics',
    description:
      "A KPI with source 'training' names a metric the job emits: one of the built-in algorithm's documented metrics (xgboost only those its eval_metric lists), one of metricDefinitions for your own code, and with tuning the objective metric (the only one the best job reports); its direction is the metric's better side.",
    run: (ctx) => {
      const t = sageMaker(ctx);
      if (!t) return [];
      const out: Diagnostic[] = [];
      (ctx.spec.goals?.kpis ?? []).forEach((k, i) => {
        if (kpiSource(k) !== 'training') return;
        const at: Path = ['goals', 'kpis', i, 'metric'];
        const builtin = BUILTIN_METRICS[t.algorithm];
        const objective = t.tuning?.objective.metric;
        if (objective !== undefined && k.metric !== objective) {
          out.push(
            ctx.report(
              at,
              `with tuning, the gate can read only the best job's objective metric (${quote(objective)}); ${quote(k.metric)} is not it`,
              `use metric: ${objective}, or source: evaluation with a training.evaluation script that reports ${quote(k.metric)}`,
            ),
          );
          return;
        }
        const emitted = builtin ? Object.keys(builtin) : (t.metricDefinitions ?? []).map((m) => m.name);
        if (!emitted.includes(k.metric)) {
          const guess = didYouMean(k.metric, emitted);
          out.push(
            ctx.report(
              at,
              builtin
                ? `${t.algorithm} does not emit ${quote(k.metric)}${guess ? `; did you mean ${quote(guess)}?` : ''}`
                : `${quote(k.metric)} is not in training.metricDefinitions, so the training job never reports it${guess ? `; did you mean ${quote(guess)}?` : ''}`,
              builtin
                ? `use one of ${emitted.join(', ')}`
                : 'add it to training.metricDefinitions with the regex that extracts it from the logs',
            ),
          );
          return;
        }
        // XGBoost reports only the metrics eval_metric names (xgboost-tuning.html: "an
        // eval_metric to use to evaluate model performance during validation").
        const evalMetric = t.hyperparameters?.eval_metric;
        if (t.algorithm === 'xgboost' && typeof evalMetric === 'string') {
          const listed = evalMetric.split(',').map((m) => m.trim());
          const name = k.metric.slice(k.metric.indexOf(':') + 1);
          if (!listed.includes(name)) {
            out.push(
              ctx.report(
                at,
                `xgboost reports only the eval_metric metrics (${listed.join(', ')}), so ${quote(k.metric)} never appears`,
                `add ${name} to training.hyperparameters.eval_metric (comma separated), or use validation:${listed[0]}`,
              ),
            );
            return;
          }
        }
        const suffix = k.metric.slice(k.metric.lastIndexOf(':') + 1).toLowerCase();
        const better =
          builtin?.[k.metric] ??
          (HIGHER_IS_BETTER.includes(suffix)
            ? 'maximize'
            : LOWER_IS_BETTER.includes(suffix)
              ? 'minimize'
              : undefined);
        const wanted =
          better === 'maximize' ? 'higher-is-better' : better === 'minimize' ? 'lower-is-better' : undefined;
        if (wanted && wanted !== k.direction) {
          out.push(
            ctx.report(
              ['goals', 'kpis', i, 'direction'],
              `${k.metric} is better when ${wanted === 'higher-is-better' ? 'higher' : 'lower'}; direction ${k.direction} would let the worse models through`,
              `set direction: ${wanted}`,
            ),
          );
        }
      });
      return out;
    },
  },
  {
    id: 'training/base-model',
    description:
      "training.baseModel names one source (champion may add 's3' or 'jumpstart' as its first model): 's3', 'jumpstart' (in a region JumpStart serves; a gated model with its EULA accepted) or 'champion' for your own code (pipeform's built-in algorithms have no incremental training), or 'huggingface' for a pytorch, tensorflow or own-image script with network access to the Hub (networkIsolation false, NAT egress).",
    run: (ctx) => {
      const t = sageMaker(ctx);
      const b = t?.baseModel;
      if (!t || !b) return [];
      const at = (...rest: string[]): Path => ['training', 'baseModel', ...rest];
      const out: Diagnostic[] = [];
      const champion = b.champion === true;
      const models = [b.s3, b.jumpstart, b.huggingface].filter((x) => x !== undefined).length;
      // champion takes s3 or jumpstart as the model of the runs before any version is approved.
      if (models + (champion ? 1 : 0) === 0 || models > 1 || (champion && b.huggingface !== undefined)) {
        return [
          ctx.report(
            at(),
            models === 0
              ? "training.baseModel names no model: set 's3', 'jumpstart', 'huggingface' or 'champion: true'"
              : models > 1
                ? "training.baseModel names two models: set only one of 's3', 'jumpstart' and 'huggingface'"
                : "training.baseModel: champion takes 's3' or 'jumpstart' as its first model, not 'huggingface'",
            "s3: the model.tar.gz your script fine-tunes (the model channel); jumpstart: a JumpStart model's training artifact (the model channel); huggingface: a Hub model id (model_name_or_path); champion: the newest approved version of the registry",
          ),
        ];
      }
      if (b.jumpstart !== undefined) out.push(...jumpstartProblems(ctx, b.jumpstart, champion));
      if (b.revision !== undefined && b.huggingface === undefined) {
        out.push(
          ctx.report(
            at('revision'),
            "'revision' is a Hugging Face Hub revision, but baseModel names no huggingface model",
            'remove revision (an S3 artifact is pinned by its key; use a versioned key)',
          ),
        );
      }
      const kind = algorithmKind(t.algorithm);
      if (kind === 'builtin') {
        // https://docs.aws.amazon.com/sagemaker/latest/dg/incremental-training.html: "Only three
        // built-in algorithms currently support incremental training: Object Detection - MXNet,
        // Image Classification - MXNet, and Semantic Segmentation Algorithm."
        out.push(
          ctx.report(
            at(
              champion
                ? 'champion'
                : b.s3 !== undefined
                  ? 's3'
                  : b.jumpstart !== undefined
                    ? 'jumpstart'
                    : 'huggingface',
            ),
            `${t.algorithm} cannot start from a trained model: AWS offers incremental training only for its image classification, object detection and semantic segmentation algorithms`,
            'remove training.baseModel, or train with your own code (pytorch, tensorflow, sklearn or your image), which reads the model channel at /opt/ml/input/data/model',
          ),
        );
        return out;
      }
      if (b.huggingface !== undefined) {
        if (t.algorithm === 'sklearn') {
          out.push(
            ctx.report(
              at('huggingface'),
              'a Hugging Face model needs PyTorch or TensorFlow; the scikit-learn image has neither',
              'use algorithm pytorch (or tensorflow), or your own image',
            ),
          );
        }
        if (t.networkIsolation !== false) {
          out.push(
            ctx.report(
              t.networkIsolation === undefined ? at('huggingface') : ['training', 'networkIsolation'],
              `the training container downloads ${quote(b.huggingface)} from the Hugging Face Hub, but network isolation${t.networkIsolation === undefined ? ' (on by default)' : ''} blocks every call it makes`,
              'set training.networkIsolation: false (the job still runs in the private subnets), or download the model once and pin it with baseModel.s3',
            ),
          );
        }
        const vpc = ctx.spec.network?.vpc;
        const existing = ctx.spec.network?.existing;
        const noEgress =
          (vpc !== undefined && (vpc.natGateways ?? NETWORK_DEFAULTS.vpc.natGateways) === 'none') ||
          (existing !== undefined && existing.egress === 'endpoints');
        if (noEgress) {
          out.push(
            ctx.report(
              vpc ? ['network', 'vpc'] : ['network', 'existing', 'egress'],
              `the training container downloads ${quote(b.huggingface)} from the Hugging Face Hub, but the private subnets have no internet egress`,
              vpc
                ? 'set network.vpc.natGateways: single with publicSubnets: true, or pin the model with baseModel.s3'
                : 'use subnets with NAT egress (egress: nat), or pin the model with baseModel.s3',
              vpc ? { key: true } : undefined,
            ),
          );
        }
        for (const name of ['model_name_or_path', 'model_revision']) {
          if (t.hyperparameters?.[name] !== undefined) {
            out.push(
              ctx.report(
                ['training', 'hyperparameters', name],
                `${name} is set by training.baseModel; a static value would overwrite it`,
                `remove hyperparameters.${name}`,
              ),
            );
          }
        }
      }
      return out;
    },
  },
  {
    id: 'training/hyperparameters',
    description:
      'Built-in algorithms get the hyperparameters they cannot run without (xgboost num_round; linear-learner predictor_type; deepar context_length, epochs, prediction_length, time_freq), static or tuned.',
    run: (ctx) => {
      const t = sageMaker(ctx);
      if (!t) return [];
      const required = REQUIRED_HYPERPARAMETERS[t.algorithm] ?? [];
      const tuned = (t.tuning?.ranges ?? []).map((r) => r.name);
      const missing = required.filter((h) => t.hyperparameters?.[h] === undefined && !tuned.includes(h));
      return missing.length > 0
        ? [
            ctx.report(
              t.hyperparameters ? ['training', 'hyperparameters'] : ['training', 'algorithm'],
              `${t.algorithm} needs hyperparameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
              `add ${missing.map((h) => `${h}: ...`).join(', ')} under training.hyperparameters (or tune ${missing.length > 1 ? 'them' : 'it'})`,
              { key: true },
            ),
          ]
        : [];
    },
  },
  {
    id: 'training/buckets',
    description:
      'Training reads data and code from data-lake buckets the pipeline has, holding data (not the logs or checkpoints bucket).',
    run: (ctx) => {
      const t = sageMaker(ctx);
      if (!t) return [];
      const names = lakeBuckets(ctx);
      const refs: [Path, string | undefined][] = [
        [['training', 'data', 'bucket'], t.data?.bucket],
        [['training', 'code', 'bucket'], t.code?.bucket],
        [['training', 'processing', 'input', 'bucket'], t.processing?.input.bucket],
      ];
      return refs.flatMap(([path, name]) => {
        if (name === undefined) return [];
        if (!names.includes(name)) {
          const guess = didYouMean(name, names);
          return [
            ctx.report(
              path,
              `no bucket ${quote(name)} in the data lake${guess ? `; did you mean ${quote(guess)}?` : ''}`,
              `use one of ${names.join(', ')}, or add it under storage.buckets`,
            ),
          ];
        }
        const role = STANDARD_BUCKETS[name]?.role ?? 'data';
        return role === 'data'
          ? []
          : [
              ctx.report(
                path,
                `the ${name} bucket holds ${role === 'logs' ? 'access logs' : 'training checkpoints'}, not data or code`,
                'use curated, features, raw or models, or a bucket of your own',
              ),
            ];
      });
    },
  },
];
