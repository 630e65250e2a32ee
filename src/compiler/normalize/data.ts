import type {
  ResolvedData,
  ResolvedDataLocation,
  ResolvedEmr,
  ResolvedGlue,
  ResolvedGlueCrawler,
  ResolvedGlueJob,
  ResolvedGlueWorkflow,
} from '../../model/data';
import type { DataLocation, Emr, Glue, PipelineSpec } from '../../spec/types.generated';
import {
  catalogName,
  DEFAULTS as DATA_DEFAULTS,
  FLEX_WORKER_TYPES,
  glueWorkerType,
} from '../../areas/data/catalog';
import {
  DEFAULTS,
  emrIdleTimeoutMinutes,
  emrInteractive,
  emrMode,
  emrUsesGlueCatalog,
  resolveEmrFleets,
  resolveEmrScaling,
} from '../../areas/emr/catalog';
import { resolveCodeFile } from './assets';
import { resolveValues } from './secrets';

/** Sorts named things by name (specs list them in any order; output must not depend on it). */
export function byName<T extends { readonly name: string }>(items: readonly T[] | undefined): T[] {
  return [...(items ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Data-lake locations with their defaults, sorted and deduplicated. */
export function resolveLocations(locations: readonly DataLocation[] | undefined): ResolvedDataLocation[] {
  const seen = new Map<string, ResolvedDataLocation>();
  for (const l of locations ?? []) {
    const r = { bucket: l.bucket, prefix: l.prefix ?? DATA_DEFAULTS.locationPrefix };
    seen.set(`${r.bucket}/${r.prefix}`, r);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
}

const RECRAWL = { everything: 'CRAWL_EVERYTHING', 'new-folders-only': 'CRAWL_NEW_FOLDERS_ONLY' } as const;
const UPDATE = { 'update-in-database': 'UPDATE_IN_DATABASE', log: 'LOG' } as const;
const DELETE = {
  'deprecate-in-database': 'DEPRECATE_IN_DATABASE',
  'delete-from-database': 'DELETE_FROM_DATABASE',
  log: 'LOG',
} as const;

function resolveGlue(p: string, glue: Glue, specFile: string): ResolvedGlue {
  const d = DATA_DEFAULTS.glue;
  const crawlers: ResolvedGlueCrawler[] = byName(glue.crawlers).map((c) => ({
    name: c.name,
    crawlerName: `${p}-${c.name}`,
    description: c.description ?? `pipeform ${p}: crawls ${c.name} into ${c.database}`,
    database: c.database,
    targets: resolveLocations(c.targets),
    ...(c.schedule ? { schedule: c.schedule } : {}),
    recrawlBehavior: RECRAWL[c.recrawl ?? d.crawler.recrawl],
    updateBehavior: UPDATE[c.schemaChange?.update ?? d.crawler.update],
    deleteBehavior: DELETE[c.schemaChange?.delete ?? d.crawler.delete],
    ...(c.tablePrefix ? { tablePrefix: c.tablePrefix } : {}),
    roleComponent: `glue-crawler-${c.name}`,
  }));
  const jobs: ResolvedGlueJob[] = byName(glue.jobs).map((j) => {
    const workerType = glueWorkerType(j);
    const language = j.language ?? d.job.language;
    const args = resolveValues(j.arguments, 'argument');
    return {
      name: j.name,
      jobName: `${p}-${j.name}`,
      description: j.description ?? `pipeform ${p}: Glue job ${j.name}`,
      script: resolveCodeFile(j.script, specFile, `glue-${j.name}`),
      language,
      ...(j.scalaClass ? { scalaClass: j.scalaClass } : {}),
      glueVersion: j.glueVersion ?? d.job.glueVersion,
      workerType,
      workers: j.workers ?? d.job.workers,
      autoScaling: j.autoScaling ?? d.job.autoScaling,
      flex: j.flex ?? FLEX_WORKER_TYPES.includes(workerType),
      bookmarks: j.bookmarks ?? d.job.bookmarks,
      timeoutMinutes: j.timeoutMinutes ?? d.job.timeoutMinutes,
      maxRetries: j.maxRetries ?? d.job.maxRetries,
      maxConcurrentRuns: j.maxConcurrentRuns ?? d.job.maxConcurrentRuns,
      reads: resolveLocations(j.reads),
      writes: resolveLocations(j.writes),
      arguments: args.values,
      secrets: args.secrets,
      roleComponent: `glue-job-${j.name}`,
    };
  });
  const workflows: ResolvedGlueWorkflow[] = byName(glue.workflows).map((w) => ({
    name: w.name,
    workflowName: `${p}-${w.name}`,
    description: w.description ?? `pipeform ${p}: Glue workflow ${w.name}`,
    ...(w.schedule ? { schedule: w.schedule } : {}),
    maxConcurrentRuns: w.maxConcurrentRuns ?? d.workflow.maxConcurrentRuns,
    stages: w.stages.map((s) => ({
      name: s.name,
      triggerName: `${p}-${w.name}-${s.name}`,
      crawlers: [...(s.crawlers ?? [])].sort(),
      jobs: [...(s.jobs ?? [])].sort(),
    })),
  }));
  return {
    catalogEncryption: glue.catalogEncryption ?? d.catalogEncryption,
    securityConfigurationName: `${p}-glue`,
    connectionName: `${p}-network`,
    databases: byName(glue.databases).map((d) => ({
      name: d.name,
      catalogName: catalogName(p, d.name),
      description: d.description ?? `pipeform ${p}: ${d.name}`,
    })),
    crawlers,
    jobs,
    workflows,
  };
}

function resolveEmr(p: string, emr: Emr, specFile: string): ResolvedEmr {
  const mode = emrMode(emr);
  const applications = [...(emr.applications ?? DEFAULTS.applications)].sort();
  const base = {
    mode,
    name: `${p}-emr`,
    releaseLabel: emr.releaseLabel ?? DEFAULTS.releaseLabel,
    applications,
    reads: resolveLocations(emr.reads),
    writes: resolveLocations(emr.writes),
    glueCatalog: emrUsesGlueCatalog(emr),
    logPrefix: 'emr/',
  };
  if (mode === 'serverless') {
    const s = emr.serverless ?? {};
    return {
      ...base,
      serverless: {
        type: applications.includes('Hive') ? 'hive' : 'spark',
        architecture: s.architecture === 'arm64' ? 'ARM64' : 'X86_64',
        idleTimeoutMinutes: s.idleTimeoutMinutes ?? DEFAULTS.serverless.idleTimeoutMinutes,
        maximumCapacity: {
          cpu: `${s.maxVcpu ?? DEFAULTS.serverless.maxVcpu} vCPU`,
          memory: `${s.maxMemoryGiB ?? DEFAULTS.serverless.maxMemoryGiB} GB`,
          disk: `${s.maxDiskGiB ?? DEFAULTS.serverless.maxDiskGiB} GB`,
        },
      },
    };
  }
  const c = emr.cluster ?? {};
  const inTransit = c.inTransitEncryption ?? DEFAULTS.cluster.inTransitEncryption;
  return {
    ...base,
    cluster: {
      interactive: emrInteractive(emr),
      primaryInstanceTypes: [...(c.primary?.instanceTypes ?? DEFAULTS.cluster.primaryInstanceTypes)],
      ...resolveEmrFleets(emr),
      spotAllocation: c.spotAllocation ?? DEFAULTS.cluster.spotAllocation,
      spotTimeoutMinutes: c.spotTimeoutMinutes ?? DEFAULTS.cluster.spotTimeoutMinutes,
      ebsGiB: c.ebsGiB ?? DEFAULTS.cluster.ebsGiB,
      scaling: resolveEmrScaling(emr),
      idleTimeoutSeconds: emrIdleTimeoutMinutes(emr) * 60,
      ...(inTransit && c.tlsCertificates
        ? { tlsCertificates: resolveCodeFile(c.tlsCertificates, specFile, 'emr-tls-certificates') }
        : {}),
      blockPublicAccess: c.blockPublicAccess ?? DEFAULTS.cluster.blockPublicAccess,
      securityConfigurationName: `${p}-emr`,
    },
  };
}

/**
 * Resolves `data` (Glue and EMR) with every default. `specFile` is the spec's path as given
 * to the compiler: local scripts and certificates are relative to it.
 */
export function normalizeData(spec: PipelineSpec, specFile: string): ResolvedData {
  const data = spec.data ?? {};
  return {
    ...(data.glue ? { glue: resolveGlue(spec.name, data.glue, specFile) } : {}),
    ...(data.emr ? { emr: resolveEmr(spec.name, data.emr, specFile) } : {}),
  };
}
