import type { CheckRule } from '../check';
import type { Diagnostic } from '../diagnostics';
import {
  DEFAULTS as EMR_DEFAULTS,
  emrInteractive,
  emrMode,
  resolveEmrFleets,
  resolveEmrScaling,
} from '../../areas/emr/catalog';
import { DEFAULTS, FLEX_WORKER_TYPES, glueWorkerType } from '../../areas/data/catalog';
import { duplicateNames, lakeBuckets, unknownBuckets, unknownRef, type SpecPath } from './references';

export { duplicateNames, lakeBuckets, unknownBuckets, unknownRef, type SpecPath };

/** Default arguments pipeform sets on every Glue job from the spec's fields. */
export const GLUE_MANAGED_ARGUMENTS: Readonly<Record<string, string>> = {
  '--job-language': 'language',
  '--class': 'scalaClass',
  '--job-bookmark-option': 'bookmarks',
  '--enable-auto-scaling': 'autoScaling',
  '--enable-continuous-cloudwatch-log': '(always on)',
  '--enable-continuous-log-filter': '(always on)',
  '--continuous-log-logGroup': '(always on)',
  '--continuous-log-logStreamPrefix': '(always on)',
  '--enable-metrics': '(always on)',
  '--enable-observability-metrics': '(always on)',
  '--enable-glue-datacatalog': '(always on)',
};

const GLUE = ['data', 'glue'] as const;

export const glueRules: readonly CheckRule[] = [
  {
    id: 'glue/unique-names',
    description:
      'Glue databases, crawlers, jobs, workflows and the stages of a workflow have unique names: AWS names and addresses come from them.',
    run: (ctx) => {
      const g = ctx.spec.data?.glue;
      if (!g) return [];
      return [
        ...duplicateNames(ctx, g.databases, [...GLUE, 'databases'], 'database'),
        ...duplicateNames(ctx, g.crawlers, [...GLUE, 'crawlers'], 'crawler'),
        ...duplicateNames(ctx, g.jobs, [...GLUE, 'jobs'], 'job'),
        ...duplicateNames(ctx, g.workflows, [...GLUE, 'workflows'], 'workflow'),
        ...(g.workflows ?? []).flatMap((w, i) =>
          duplicateNames(ctx, w.stages, [...GLUE, 'workflows', i, 'stages'], 'stage'),
        ),
      ];
    },
  },
  {
    id: 'glue/bucket-refs',
    description:
      'Crawler targets and job reads/writes name buckets of the data lake (standard ones or storage.buckets).',
    run: (ctx) => unknownBuckets(ctx, ctx.spec.data?.glue, GLUE),
  },
  {
    id: 'glue/references',
    description:
      'Crawlers name a defined database; workflow stages name defined crawlers and jobs, are not empty, and run each member once.',
    run: (ctx) => {
      const g = ctx.spec.data?.glue;
      if (!g) return [];
      const out: Diagnostic[] = [];
      const databases = (g.databases ?? []).map((d) => d.name);
      (g.crawlers ?? []).forEach((c, i) => {
        if (!databases.includes(c.database)) {
          out.push(
            unknownRef(
              ctx,
              [...GLUE, 'crawlers', i, 'database'],
              'database',
              c.database,
              databases,
              'data.glue.databases',
            ),
          );
        }
      });
      const crawlers = (g.crawlers ?? []).map((c) => c.name);
      const jobs = (g.jobs ?? []).map((j) => j.name);
      (g.workflows ?? []).forEach((w, wi) => {
        const placed = new Map<string, string>();
        w.stages.forEach((s, si) => {
          const at = [...GLUE, 'workflows', wi, 'stages', si];
          if ((s.crawlers ?? []).length + (s.jobs ?? []).length === 0) {
            out.push(
              ctx.report([...at, 'name'], `stage ${s.name} runs nothing`, 'add crawlers or jobs to it'),
            );
          }
          for (const [kind, names, known] of [
            ['crawler', s.crawlers ?? [], crawlers],
            ['job', s.jobs ?? [], jobs],
          ] as const) {
            names.forEach((n, ni) => {
              const path = [...at, kind === 'crawler' ? 'crawlers' : 'jobs', ni];
              if (!known.includes(n)) {
                out.push(unknownRef(ctx, path, kind, n, known, `data.glue.${kind}s`));
                return;
              }
              const first = placed.get(`${kind}:${n}`);
              if (first !== undefined) {
                out.push(
                  ctx.report(
                    path,
                    `${kind} ${n} already runs in stage ${first} of workflow ${w.name}`,
                    'run each crawler and job once per workflow',
                  ),
                );
              } else placed.set(`${kind}:${n}`, s.name);
            });
          }
        });
      });
      return out;
    },
  },
  {
    id: 'glue/flex-worker-type',
    description: 'Flex execution runs only on G.1X and G.2X workers.',
    run: (ctx) =>
      (ctx.spec.data?.glue?.jobs ?? []).flatMap((j, i) =>
        j.flex === true && !FLEX_WORKER_TYPES.includes(glueWorkerType(j))
          ? [
              ctx.report(
                [...GLUE, 'jobs', i, 'flex'],
                `Flex execution does not run on ${j.workerType} workers`,
                `use workerType G.1X or G.2X, or remove flex: true`,
              ),
            ]
          : [],
      ),
  },
  {
    id: 'glue/incremental-crawl',
    description:
      "A crawler with recrawl 'new-folders-only' must only log schema changes (Glue refuses other schema-change policies).",
    run: (ctx) =>
      (ctx.spec.data?.glue?.crawlers ?? []).flatMap((c, i) => {
        if (c.recrawl !== 'new-folders-only') return [];
        const update = c.schemaChange?.update ?? DEFAULTS.glue.crawler.update;
        const del = c.schemaChange?.delete ?? DEFAULTS.glue.crawler.delete;
        if (update === 'log' && del === 'log') return [];
        return [
          ctx.report(
            [...GLUE, 'crawlers', i, 'recrawl'],
            `recrawl: new-folders-only needs schemaChange update and delete 'log', not ${update} and ${del}`,
            'set schemaChange: {update: log, delete: log}, or recrawl: everything',
          ),
        ];
      }),
  },
  {
    id: 'glue/managed-arguments',
    description:
      'Job arguments do not override the ones pipeform manages (language, bookmarks, auto scaling, logging, metrics, catalog).',
    run: (ctx) =>
      (ctx.spec.data?.glue?.jobs ?? []).flatMap((j, i) =>
        Object.keys(j.arguments ?? {})
          .filter((k) => k in GLUE_MANAGED_ARGUMENTS)
          .map((k) => {
            const field = GLUE_MANAGED_ARGUMENTS[k];
            return ctx.report(
              [...GLUE, 'jobs', i, 'arguments', k],
              `argument ${k} is managed by pipeform`,
              field.startsWith('(')
                ? 'remove it: it is always set'
                : `remove it and set the job's '${field}' instead`,
              { key: true },
            );
          }),
      ),
  },
  {
    id: 'glue/scala-class',
    description: 'A Scala job names its main class; a Python job has none.',
    run: (ctx) =>
      (ctx.spec.data?.glue?.jobs ?? []).flatMap((j, i) => {
        const scala = j.language === 'scala';
        if (scala && !j.scalaClass) {
          return [
            ctx.report(
              [...GLUE, 'jobs', i, 'language'],
              'a scala job needs scalaClass (its main class)',
              'add scalaClass, e.g. com.example.Main',
            ),
          ];
        }
        if (!scala && j.scalaClass) {
          return [
            ctx.report(
              [...GLUE, 'jobs', i, 'scalaClass'],
              'scalaClass is for scala jobs',
              'remove scalaClass, or set language: scala',
              { key: true },
            ),
          ];
        }
        return [];
      }),
  },
];

/** `emr-7.5.0` as [7, 5, 0]. */
export function emrRelease(label: string): [number, number, number] {
  const [a, b, c] = label.replace(/^emr-/, '').split('.').map(Number);
  return [a, b, c];
}

/** True when `label` is `min` or later. */
export function emrAtLeast(label: string, min: string): boolean {
  const [x, y] = [emrRelease(label), emrRelease(min)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return true;
}

const EMR = ['data', 'emr'] as const;

/** Applications that need at least a release (Trino was PrestoSQL before 6.4.0). */
const EMR_APP_MINIMUM: Readonly<Record<string, string>> = { Trino: 'emr-6.4.0' };

export const emrRules: readonly CheckRule[] = [
  {
    id: 'emr/mode-settings',
    description: "Cluster settings go with mode 'cluster' and serverless settings with mode 'serverless'.",
    run: (ctx) => {
      const e = ctx.spec.data?.emr;
      if (!e) return [];
      const mode = emrMode(e);
      const other = mode === 'cluster' ? 'serverless' : 'cluster';
      return e[other] !== undefined
        ? [
            ctx.report(
              [...EMR, other],
              `'${other}' settings do not apply in mode ${mode}`,
              `remove '${other}', or set mode: ${other}`,
              { key: true },
            ),
          ]
        : [];
    },
  },
  {
    id: 'emr/release',
    description:
      'The EMR release supports what pipeform configures: clusters need emr-6.1.0+ (managed scaling and auto-termination on instance fleets), serverless needs emr-6.6.0+.',
    run: (ctx) => {
      const e = ctx.spec.data?.emr;
      if (!e) return [];
      const label = e.releaseLabel ?? EMR_DEFAULTS.releaseLabel;
      const min = emrMode(e) === 'serverless' ? 'emr-6.6.0' : 'emr-6.1.0';
      return emrAtLeast(label, min)
        ? []
        : [
            ctx.report(
              [...EMR, 'releaseLabel'],
              `${label} is older than ${min}, the first release with what ${emrMode(e)} mode uses`,
              `use ${min} or later, e.g. ${EMR_DEFAULTS.releaseLabel}`,
            ),
          ];
    },
  },
  {
    id: 'emr/applications',
    description:
      'Applications exist in the release family (Trino from emr-6.4.0); EMR Serverless runs exactly one of Spark and Hive.',
    run: (ctx) => {
      const e = ctx.spec.data?.emr;
      if (!e) return [];
      const label = e.releaseLabel ?? EMR_DEFAULTS.releaseLabel;
      const apps = e.applications ?? EMR_DEFAULTS.applications;
      const at = (i: number) => (e.applications ? [...EMR, 'applications', i] : [...EMR]);
      if (emrMode(e) === 'serverless') {
        const bad = apps.findIndex((a) => a !== 'Spark' && a !== 'Hive');
        if (bad >= 0) {
          return [
            ctx.report(
              at(bad),
              `EMR Serverless does not run ${apps[bad]}`,
              'use Spark or Hive, or mode: cluster',
            ),
          ];
        }
        return apps.length > 1
          ? [
              ctx.report(
                [...EMR, 'applications'],
                'an EMR Serverless application runs one engine, Spark or Hive',
                'keep one of them (define a second pipeline component for the other)',
              ),
            ]
          : [];
      }
      return apps.flatMap((a, i) => {
        const min = EMR_APP_MINIMUM[a];
        return min && !emrAtLeast(label, min)
          ? [
              ctx.report(
                at(i),
                `${a} is not in ${label}; it ships from ${min}`,
                `use releaseLabel ${min} or later`,
              ),
            ]
          : [];
      });
    },
  },
  {
    id: 'emr/scaling-limits',
    description:
      'Managed scaling limits are consistent: minUnits <= maxUnits, on-demand and core limits within maxUnits, and a core fleet of at least one unit.',
    run: (ctx) => {
      const e = ctx.spec.data?.emr;
      if (!e || emrMode(e) !== 'cluster') return [];
      const s = resolveEmrScaling(e);
      const { core } = resolveEmrFleets(e);
      const set = e.cluster?.scaling ?? {};
      const at = (k: string) =>
        k in set
          ? [...EMR, 'cluster', 'scaling', k]
          : e.cluster?.scaling
            ? [...EMR, 'cluster', 'scaling']
            : [...EMR];
      const out: Diagnostic[] = [];
      if (core.onDemandUnits + core.spotUnits < 1) {
        out.push(
          ctx.report(
            [...EMR, 'cluster', 'core', 'units'],
            'the core fleet needs at least one unit',
            'set units: 1 or more',
          ),
        );
      }
      if (s.minUnits > s.maxUnits) {
        out.push(
          ctx.report(
            at('minUnits'),
            `managed scaling minUnits ${s.minUnits} is above maxUnits ${s.maxUnits}`,
            `set minUnits to ${s.maxUnits} or less, or raise maxUnits`,
          ),
        );
      }
      for (const k of ['maxOnDemandUnits', 'maxCoreUnits'] as const) {
        if (s[k] > s.maxUnits) {
          out.push(
            ctx.report(
              at(k),
              `managed scaling ${k} ${s[k]} is above maxUnits ${s.maxUnits}`,
              `set ${k} to ${s.maxUnits} or less`,
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'emr/in-transit-certificates',
    description:
      'In-transit encryption (on by default) needs TLS certificates: a PEM zip (beside the spec or in S3), or an explicit opt-out.',
    run: (ctx) => {
      const e = ctx.spec.data?.emr;
      if (!e || emrMode(e) !== 'cluster') return [];
      const c = e.cluster;
      if (
        (c?.inTransitEncryption ?? EMR_DEFAULTS.cluster.inTransitEncryption) === false ||
        c?.tlsCertificates
      )
        return [];
      return [
        ctx.report(
          c ? [...EMR, 'cluster'] : [...EMR],
          'in-transit encryption needs TLS certificates for the cluster nodes',
          'add cluster.tlsCertificates: emr/tls-certificates.zip (a zip beside the spec with privateKey.pem, certificateChain.pem, trustedCertificates.pem), or set cluster.inTransitEncryption: false',
          { key: true },
        ),
      ];
    },
  },
  {
    id: 'emr/needs-network',
    description:
      'An EMR cluster runs in private subnets: the spec needs a network (serverless runs without one).',
    run: (ctx) => {
      const e = ctx.spec.data?.emr;
      return e && emrMode(e) === 'cluster' && ctx.spec.network === undefined
        ? [
            ctx.report(
              [...EMR],
              'an EMR cluster runs in private subnets, but the spec has no network',
              'add network.vpc (cidr and availabilityZones) or network.existing, or use mode: serverless',
              { key: true },
            ),
          ]
        : [];
    },
  },
  {
    id: 'emr/cluster-used',
    description:
      'An EMR cluster definition is used: by emr workflow steps (a cluster per run) or as the long-lived interactive cluster.',
    run: (ctx) => {
      const e = ctx.spec.data?.emr;
      if (!e || emrMode(e) !== 'cluster' || emrInteractive(e)) return [];
      // A step that asks for the interactive cluster is reported by workflow/emr-cluster-target.
      const used = (ctx.spec.orchestration?.workflow?.steps ?? []).some((s) => s.type === 'emr');
      return used
        ? []
        : [
            ctx.report(
              [...EMR],
              'data.emr defines an EMR cluster that nothing uses: the workflow has no emr step and cluster.interactive is off',
              'add an emr step to orchestration.workflow (it gets a cluster per run), or set data.emr.cluster.interactive: true for a long-lived cluster',
              { key: true },
            ),
          ];
    },
  },
  {
    id: 'emr/bucket-refs',
    description: 'EMR reads and writes name buckets of the data lake.',
    run: (ctx) => unknownBuckets(ctx, ctx.spec.data?.emr, EMR),
  },
];

/** The rules of the data area (Glue, EMR), registered in check.ts. */
export const dataRules: readonly CheckRule[] = [...glueRules, ...emrRules];
