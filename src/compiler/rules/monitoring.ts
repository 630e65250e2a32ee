import type { CheckContext, CheckRule } from '../check';
import type { Diagnostic } from '../diagnostics';
import {
  ENDPOINT_ALARM_SUFFIXES,
  kpiAlarmName,
  kpiSources,
  DEFAULTS as MONITOR_DEFAULTS,
  MONITOR_SCHEDULES,
  modelQualityEndpoints,
  modelQualityMetricOf,
  PROBLEM_TYPE_GROUPS,
  trainingParameterNames,
} from '../../areas/monitoring/catalog';
import { providedInterfaceEndpoints } from '../../areas/network/catalog';
import {
  dataCaptureOn,
  DEFAULTS as SERVING_DEFAULTS,
  endpointNameOf,
  endpointType,
} from '../../areas/serving/catalog';
import { INSTANCE_TYPES } from '../../areas/training/catalog';
import { didYouMean } from '../suggest';
import type { MonitoringEndpoint, ServingEndpoint } from '../../spec/types.generated';
import { unknownLakeBucket } from './references';

type Path = (string | number)[];

const quote = (s: string) => JSON.stringify(s);

/** Every monitored endpoint with its path. */
function monitored(ctx: CheckContext): [MonitoringEndpoint, Path][] {
  return (ctx.spec.monitoring?.endpoints ?? []).map((e, i) => [e, ['monitoring', 'endpoints', i]]);
}

/** The serving endpoint a monitored endpoint names (undefined when it names none). */
const servingEndpoint = (ctx: CheckContext, name: string): ServingEndpoint | undefined =>
  (ctx.spec.serving?.endpoints ?? []).find((e) => e.name === name);

/** The listed retraining KPIs with their paths. */
function retrainingKpis(ctx: CheckContext) {
  return (ctx.spec.monitoring?.retraining?.kpis ?? []).map((entry, i) => ({
    entry,
    path: ['monitoring', 'retraining', 'kpis', i] as Path,
  }));
}

/** "a, b and c" */
const listed = (names: readonly string[]) =>
  names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

export const monitoringRules: readonly CheckRule[] = [
  {
    id: 'monitoring/unique-names',
    description:
      'A monitored endpoint and a retraining KPI are listed once, and no two generated alarm names collide.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      const seen = new Map<string, number>();
      for (const [e, at] of monitored(ctx)) {
        const first = seen.get(e.name);
        if (first !== undefined) {
          out.push(
            ctx.report(
              [...at, 'name'],
              `endpoint ${quote(e.name)} is already monitored by monitoring.endpoints[${first}]`,
              'list each endpoint once, with both dataQuality and modelQuality in the same entry',
            ),
          );
        } else seen.set(e.name, at[2] as number);
      }
      const kpis = new Map<string, number>();
      for (const { entry, path } of retrainingKpis(ctx)) {
        const key = `${entry.kpi}/${entry.custom ? 'custom' : (entry.endpoint ?? '')}`;
        const first = kpis.get(key);
        if (first !== undefined) {
          out.push(
            ctx.report(
              [...path, 'kpi'],
              `KPI ${quote(entry.kpi)} is already listed by monitoring.retraining.kpis[${first}]`,
              'list a KPI once per endpoint',
            ),
          );
        } else kpis.set(key, path[3] as number);
      }
      // Alarm names are global in the account and region: two resources must not share one.
      const pipeline = ctx.spec.name;
      const owners = new Map<string, string>();
      const claim = (name: string, owner: string, path: Path, key = false) => {
        const other = owners.get(name);
        if (other !== undefined && other !== owner) {
          out.push(
            ctx.report(
              path,
              `the alarm name ${quote(name)} would be generated for both ${other} and ${owner}`,
              'rename one of them',
              { key },
            ),
          );
        } else owners.set(name, owner);
      };
      (ctx.spec.serving?.endpoints ?? []).forEach((e, i) => {
        for (const suffix of ENDPOINT_ALARM_SUFFIXES)
          claim(`${endpointNameOf(pipeline, e)}-${suffix}`, `endpoint ${quote(e.name)}`, [
            'serving',
            'endpoints',
            i,
            'name',
          ]);
      });
      for (const s of kpiSources(ctx.spec))
        claim(kpiAlarmName(pipeline, s), `KPI ${quote(s.kpi)}`, ['monitoring', 'retraining'], true);
      return out;
    },
  },
  {
    id: 'monitoring/endpoint-reference',
    description: 'A monitored endpoint is an endpoint of serving.endpoints.',
    run: (ctx) => {
      const names = (ctx.spec.serving?.endpoints ?? []).map((e) => e.name);
      return monitored(ctx).flatMap(([e, at]) => {
        if (names.includes(e.name)) return [];
        const guess = didYouMean(e.name, names);
        return [
          ctx.report(
            [...at, 'name'],
            names.length === 0
              ? `endpoint ${quote(e.name)} is monitored, but the spec has no serving endpoints`
              : `${quote(e.name)} is not an endpoint of serving.endpoints${guess ? `; did you mean ${quote(guess)}?` : ''}`,
            names.length === 0
              ? 'add the endpoint under serving.endpoints, or remove it from monitoring.endpoints'
              : `use one of: ${[...names].sort().join(', ')}`,
          ),
        ];
      });
    },
  },
  {
    id: 'monitoring/endpoint-type',
    description:
      'Model Monitor watches realtime and async endpoints; it supports neither serverless nor multi-model endpoints.',
    run: (ctx) =>
      monitored(ctx).flatMap(([e, at]) => {
        const s = servingEndpoint(ctx, e.name);
        if (!s) return [];
        const type = endpointType(s);
        if (type === 'realtime' || type === 'async') return [];
        return [
          ctx.report(
            [...at, 'name'],
            `endpoint ${quote(e.name)} is ${type}; Model Monitor supports only realtime and async endpoints`,
            `remove it from monitoring.endpoints (its alarms and dashboard section stay), or serve it as a realtime endpoint`,
          ),
        ];
      }),
  },
  {
    id: 'monitoring/data-capture',
    description:
      'Model Monitor reads what the endpoint captures: data capture must be on, with requests for data quality and responses for model quality.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      for (const [e, at] of monitored(ctx)) {
        const s = servingEndpoint(ctx, e.name);
        if (!s) continue;
        const i = (ctx.spec.serving?.endpoints ?? []).findIndex((x) => x.name === e.name);
        const capturePath: Path = ['serving', 'endpoints', i, 'dataCapture'];
        if (!dataCaptureOn(s)) {
          const type = endpointType(s);
          if (type !== 'realtime' && type !== 'async') continue;
          out.push(
            ctx.report(
              s.dataCapture?.enabled === false ? [...capturePath, 'enabled'] : ['serving', 'endpoints', i],
              `endpoint ${quote(e.name)} is monitored (monitoring.endpoints[${at[2]}]) but does not capture data`,
              'remove dataCapture.enabled: false (data capture is on by default), or stop monitoring the endpoint',
            ),
          );
          continue;
        }
        const capture = s.dataCapture?.capture ?? SERVING_DEFAULTS.dataCapture.capture;
        const dataQuality = e.dataQuality?.enabled ?? MONITOR_DEFAULTS.dataQuality.enabled;
        const needs = [
          ...(dataQuality && capture === 'output' ? ['requests (data quality)'] : []),
          ...(e.modelQuality && capture === 'input' ? ['responses (model quality)'] : []),
          ...(e.bias && capture !== 'input-and-output'
            ? [`${capture === 'input' ? 'responses' : 'requests'} (bias)`]
            : []),
          // Clarify attributes the captured requests (it re-invokes the endpoint with them).
          ...(e.explainability && capture === 'output' ? ['requests (explainability)'] : []),
        ];
        if (needs.length > 0) {
          out.push(
            ctx.report(
              [...capturePath, 'capture'],
              `endpoint ${quote(e.name)} captures only ${capture === 'input' ? 'requests' : 'responses'}, but its monitor needs ${listed(needs)}`,
              'set capture: input-and-output (the default)',
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'monitoring/bucket-reference',
    description: 'Baselines and ground truth live in buckets of the data lake.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      const check = (name: string | undefined, path: Path) => {
        const problem = unknownLakeBucket(ctx, name, path);
        if (problem) out.push(problem);
      };
      for (const [e, at] of monitored(ctx)) {
        check(e.dataQuality?.baseline?.bucket, [...at, 'dataQuality', 'baseline', 'bucket']);
        check(e.modelQuality?.groundTruth.bucket, [...at, 'modelQuality', 'groundTruth', 'bucket']);
        check(e.modelQuality?.baseline?.bucket, [...at, 'modelQuality', 'baseline', 'bucket']);
        check(e.bias?.groundTruth.bucket, [...at, 'bias', 'groundTruth', 'bucket']);
        check(e.bias?.baseline?.bucket, [...at, 'bias', 'baseline', 'bucket']);
        check(e.explainability?.baseline?.bucket, [...at, 'explainability', 'baseline', 'bucket']);
      }
      return out;
    },
  },
  {
    id: 'monitoring/instance-type',
    description: 'Monitoring jobs run on a SageMaker processing instance type.',
    run: (ctx) => {
      const types = Object.keys(INSTANCE_TYPES).filter((t) => INSTANCE_TYPES[t].processing);
      return monitored(ctx).flatMap(([e, at]) => {
        const t = e.instanceType;
        if (t === undefined || types.includes(t)) return [];
        const guess = didYouMean(t, types);
        return [
          ctx.report(
            [...at, 'instanceType'],
            `${quote(t)} is not a SageMaker processing instance type${guess ? `; did you mean ${quote(guess)}?` : ''}`,
            `use a processing type such as ${MONITOR_DEFAULTS.instanceType} or ml.m5.large`,
          ),
        ];
      });
    },
  },
  {
    id: 'monitoring/schedule-runtime',
    description: 'A job of an hourly schedule must finish within the hour (SageMaker caps it at 60 minutes).',
    run: (ctx) =>
      monitored(ctx).flatMap(([e, at]) => {
        const minutes = e.maxRuntimeMinutes ?? MONITOR_DEFAULTS.maxRuntimeMinutes;
        const hourly =
          ((e.dataQuality?.enabled ?? MONITOR_DEFAULTS.dataQuality.enabled) &&
            (e.dataQuality?.schedule ?? MONITOR_DEFAULTS.dataQuality.schedule) === 'hourly') ||
          (e.modelQuality !== undefined && e.modelQuality.schedule === 'hourly') ||
          (e.bias !== undefined && e.bias.schedule === 'hourly') ||
          (e.explainability !== undefined && e.explainability.schedule === 'hourly');
        if (!hourly || minutes <= 60) return [];
        return [
          ctx.report(
            [...at, 'maxRuntimeMinutes'],
            `jobs of an hourly schedule run at most 60 minutes, but maxRuntimeMinutes is ${minutes}`,
            'lower maxRuntimeMinutes to 60, or use schedule: daily',
          ),
        ];
      }),
  },
  {
    id: 'monitoring/model-quality-attributes',
    description:
      'probabilityAttribute and probabilityThreshold belong to binary classification; a threshold needs the probability it applies to.',
    run: (ctx) =>
      monitored(ctx).flatMap(([e, at]) => {
        const mq = e.modelQuality;
        if (!mq) return [];
        const path: Path = [...at, 'modelQuality'];
        if (mq.problemType !== 'binary-classification') {
          const key = mq.probabilityAttribute !== undefined ? 'probabilityAttribute' : 'probabilityThreshold';
          if (mq.probabilityAttribute === undefined && mq.probabilityThreshold === undefined) return [];
          return [
            ctx.report(
              [...path, key],
              `${key} applies to binary classification, but the problem type is ${mq.problemType}`,
              'remove it and name the predicted label or value with inferenceAttribute',
              { key: true },
            ),
          ];
        }
        if (
          mq.probabilityThreshold !== undefined &&
          mq.probabilityAttribute === undefined &&
          mq.inferenceAttribute !== undefined
        ) {
          return [
            ctx.report(
              [...path, 'probabilityThreshold'],
              'probabilityThreshold applies to probabilityAttribute, which is not set',
              "add probabilityAttribute (e.g. '0', the first column of the output)",
              { key: true },
            ),
          ];
        }
        return [];
      }),
  },
  {
    id: 'monitoring/bias-attributes',
    description:
      'A bias probabilityThreshold turns probabilityAttribute into a label: it needs probabilityAttribute.',
    run: (ctx) =>
      monitored(ctx).flatMap(([e, at]) =>
        e.bias && e.bias.probabilityThreshold !== undefined && e.bias.probabilityAttribute === undefined
          ? [
              ctx.report(
                [...at, 'bias', 'probabilityThreshold'],
                'probabilityThreshold applies to probabilityAttribute, which is not set',
                "add probabilityAttribute (e.g. '0', the first column of the output), or remove probabilityThreshold",
                { key: true },
              ),
            ]
          : [],
      ),
  },
  {
    id: 'monitoring/retraining-needs-training',
    description: 'Retraining starts the SageMaker training pipeline, so the spec needs training.',
    run: (ctx) => {
      const r = ctx.spec.monitoring?.retraining;
      if (!r || ctx.spec.training?.algorithm) return [];
      return [
        ctx.report(
          ['monitoring', 'retraining'],
          'retraining starts the training pipeline, but the spec has no training pipeline',
          'add training (algorithm, data and evaluation), or remove monitoring.retraining',
          { key: true },
        ),
      ];
    },
  },
  {
    id: 'monitoring/retraining-kpis',
    description:
      'A retraining KPI names a goals.kpis entry and a metric that measures it: a model-quality metric of a monitored endpoint of the matching problem type, or a custom metric.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      const kpis = ctx.spec.goals?.kpis ?? [];
      const m = ctx.spec.monitoring;
      if (!m) return out;
      const quality = modelQualityEndpoints(m);
      for (const { entry, path } of retrainingKpis(ctx)) {
        const k = kpis.find((x) => x.name === entry.kpi);
        if (!k) {
          const names = kpis.map((x) => x.name);
          const guess = didYouMean(entry.kpi, names);
          out.push(
            ctx.report(
              [...path, 'kpi'],
              `${quote(entry.kpi)} is not a KPI of goals.kpis${guess ? `; did you mean ${quote(guess)}?` : ''}`,
              names.length > 0
                ? `use one of: ${[...names].sort().join(', ')}`
                : 'add the KPI under goals.kpis',
            ),
          );
          continue;
        }
        if (entry.custom) {
          const extra =
            entry.endpoint !== undefined ? 'endpoint' : entry.metric !== undefined ? 'metric' : undefined;
          if (extra) {
            out.push(
              ctx.report(
                [...path, extra],
                `${extra} selects a model-quality metric, but the KPI uses a custom metric`,
                `remove ${extra}, or remove custom to use Model Monitor's metric`,
                { key: true },
              ),
            );
          }
          continue;
        }
        if (quality.length === 0) {
          out.push(
            ctx.report(
              path,
              `KPI ${quote(k.name)} needs a model-quality monitor or a custom metric, but no monitored endpoint has modelQuality`,
              'add modelQuality (problemType, groundTruth) to a monitoring.endpoints entry, or give the KPI a custom metric',
              { key: true },
            ),
          );
          continue;
        }
        if (entry.endpoint === undefined && quality.length > 1) {
          out.push(
            ctx.report(
              path,
              `KPI ${quote(k.name)}: more than one endpoint has modelQuality (${listed(quality.map((e) => e.name).sort())})`,
              'set endpoint to the one whose model quality measures the KPI',
              { key: true },
            ),
          );
          continue;
        }
        const endpoint = quality.find((e) => e.name === (entry.endpoint ?? quality[0].name));
        if (!endpoint) {
          const guess = didYouMean(
            entry.endpoint ?? '',
            quality.map((e) => e.name),
          );
          out.push(
            ctx.report(
              [...path, 'endpoint'],
              `${quote(entry.endpoint ?? '')} is not a monitored endpoint with modelQuality${guess ? `; did you mean ${quote(guess)}?` : ''}`,
              `use one of: ${quality
                .map((e) => e.name)
                .sort()
                .join(', ')}`,
            ),
          );
          continue;
        }
        if (entry.metric !== undefined) continue;
        const parsed = modelQualityMetricOf(k.metric);
        const problemType = endpoint.modelQuality?.problemType ?? 'regression';
        if (!parsed) {
          out.push(
            ctx.report(
              path,
              `KPI ${quote(k.name)}: its metric path ${quote(k.metric)} names no model-quality metric`,
              `set metric to the name Model Monitor publishes (e.g. ${problemType === 'regression' ? 'rmse' : 'auc'}), or use a path like ${PROBLEM_TYPE_GROUPS[problemType]}.<metric>.value`,
              { key: true },
            ),
          );
        } else if (parsed.problemType !== problemType) {
          out.push(
            ctx.report(
              path,
              `KPI ${quote(k.name)} is a ${parsed.problemType} metric, but endpoint ${quote(endpoint.name)} monitors ${problemType}`,
              'set metric explicitly, or point the KPI at an endpoint of the same problem type',
              { key: true },
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'monitoring/retraining-evidence',
    description:
      'Retraining needs evidence to start on: at least one KPI alarm (model quality or custom metric) or drift alarm.',
    run: (ctx) => {
      const m = ctx.spec.monitoring;
      const r = m?.retraining;
      if (!m || !r || !ctx.spec.training?.algorithm) return [];
      // Listed KPIs that do not resolve are reported by monitoring/retraining-kpis.
      if ((r.kpis ?? []).length > 0) return [];
      const drift =
        (r.onDrift ?? MONITOR_DEFAULTS.retraining.onDrift) &&
        (m.endpoints ?? []).some(
          (e) =>
            (e.dataQuality?.enabled ?? MONITOR_DEFAULTS.dataQuality.enabled) &&
            (e.dataQuality?.driftFeatures ?? []).length > 0,
        );
      if (drift || kpiSources(ctx.spec).length > 0) return [];
      return [
        ctx.report(
          ['monitoring', 'retraining'],
          'retraining has no evidence to start on: no KPI maps to a model-quality metric and no drift alarm exists',
          'add modelQuality to a monitored endpoint (KPIs like binary_classification_metrics.auc.value then map to it), list kpis with a custom metric, or set dataQuality.driftFeatures',
          { key: true },
        ),
      ];
    },
  },
  {
    id: 'monitoring/retraining-parameters',
    description: 'Retraining executions set only parameters the training pipeline declares.',
    run: (ctx) => {
      const params = ctx.spec.monitoring?.retraining?.parameters ?? {};
      if (!ctx.spec.training?.algorithm) return [];
      const known = trainingParameterNames(ctx.spec);
      return Object.keys(params).flatMap((name) => {
        if (known.includes(name)) return [];
        const guess = didYouMean(name, known);
        return [
          ctx.report(
            ['monitoring', 'retraining', 'parameters', name],
            `${quote(name)} is not a parameter of the training pipeline${guess ? `; did you mean ${quote(guess)}?` : ''}`,
            `use one of: ${known.join(', ')}`,
            { key: true },
          ),
        ];
      });
    },
  },
  {
    id: 'monitoring/alarm-window',
    description:
      'A KPI alarm evaluates at most one day of data (period x evaluationPeriods), a CloudWatch limit.',
    run: (ctx) => {
      const r = ctx.spec.monitoring?.retraining;
      if (!r) return [];
      const periods = r.evaluationPeriods ?? MONITOR_DEFAULTS.retraining.evaluationPeriods;
      const quality = new Map(
        (ctx.spec.monitoring?.endpoints ?? []).map((e) => [
          e.name,
          MONITOR_SCHEDULES[e.modelQuality?.schedule ?? MONITOR_DEFAULTS.modelQuality.schedule].seconds,
        ]),
      );
      const widest = Math.max(
        0,
        ...kpiSources(ctx.spec).map((s) =>
          s.kind === 'custom' ? s.periodSeconds : (quality.get(s.endpoint) ?? 86400),
        ),
      );
      if (widest * periods <= 86400) return [];
      return [
        ctx.report(
          r.evaluationPeriods === undefined
            ? ['monitoring', 'retraining']
            : ['monitoring', 'retraining', 'evaluationPeriods'],
          `KPI alarms would evaluate ${(widest * periods) / 3600} hours of data (${periods} periods of ${widest / 3600} hours); CloudWatch allows 24`,
          `lower evaluationPeriods to ${Math.max(1, Math.floor(86400 / widest))}, or use an hourly model-quality schedule`,
          { key: r.evaluationPeriods === undefined },
        ),
      ];
    },
  },
  {
    id: 'monitoring/grafana-network',
    description:
      'Grafana in the private subnets needs two of them (in different zones), and NAT to reach Prometheus (which has no interface endpoint here); its CloudWatch endpoint is checked with the other workloads (network/workload-endpoints).',
    run: (ctx) => {
      const m = ctx.spec.monitoring;
      const n = ctx.spec.network;
      if (!m?.grafana || !n) return [];
      if (n.vpc && n.vpc.availabilityZones.length < 2) {
        return [
          ctx.report(
            ['network', 'vpc', 'availabilityZones'],
            'Grafana in the VPC needs private subnets in at least two availability zones; the VPC has one',
            'list a second availability zone',
          ),
        ];
      }
      if (n.existing && n.existing.subnetIds.length < 2) {
        return [
          ctx.report(
            ['network', 'existing', 'subnetIds'],
            'Grafana in the VPC needs at least two private subnets in different availability zones',
            'list a second subnet',
          ),
        ];
      }
      if (m.prometheus && providedInterfaceEndpoints(ctx.spec) !== undefined) {
        return [
          ctx.report(
            ['monitoring', 'grafana'],
            'Grafana in the VPC queries Prometheus, which has no VPC endpoint here, but the subnets have no NAT',
            n.vpc
              ? 'set network.vpc.natGateways: single (with publicSubnets: true)'
              : 'route the subnets through NAT and set network.existing.egress: nat',
          ),
        ];
      }
      return [];
    },
  },
];
