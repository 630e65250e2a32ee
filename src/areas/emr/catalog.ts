/**
 * The EMR area's catalog: its defaults (read from the schema, never restated) and the
 * predicates and resolvers the check stage, normalize and advice share. Pure: no cdktf, no
 * normalize imports.
 */
import type { ResolvedEmrFleet, ResolvedEmrScaling } from '../../model/data';
import { schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';
import type { Emr, EmrFleet } from '../../spec/types.generated';

const cluster = (name: string) => schemaPointer('emrCluster', name);
const serverless = (name: string) => schemaPointer('emrServerless', name);

/** The EMR defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  mode: schemaChoiceDefault(schemaPointer('emr', 'mode'), ['cluster', 'serverless'] as const),
  releaseLabel: schemaDefault(schemaPointer('emr', 'releaseLabel'), 'string'),
  applications: schemaDefault(schemaPointer('emr', 'applications'), 'strings'),
  glueCatalog: schemaDefault(schemaPointer('emr', 'glueCatalog'), 'boolean'),
  cluster: {
    interactive: schemaDefault(cluster('interactive'), 'boolean'),
    /** Current general-purpose types, for spot depth. */
    primaryInstanceTypes: schemaDefault(schemaPointer('emrPrimaryFleet', 'instanceTypes'), 'strings'),
    fleetInstanceTypes: schemaDefault(schemaPointer('emrFleet', 'instanceTypes'), 'strings'),
    spotAllocation: schemaDefault(cluster('spotAllocation'), 'string'),
    spotTimeoutMinutes: schemaDefault(cluster('spotTimeoutMinutes'), 'number'),
    ebsGiB: schemaDefault(cluster('ebsGiB'), 'number'),
    idleTimeoutMinutes: schemaDefault(cluster('idleTimeoutMinutes'), 'number'),
    inTransitEncryption: schemaDefault(cluster('inTransitEncryption'), 'boolean'),
    blockPublicAccess: schemaDefault(cluster('blockPublicAccess'), 'boolean'),
    /** Managed scaling scales out to at least this many units (more when the fleets are larger). */
    maxUnits: schemaDefault(schemaPointer('emrScaling', 'maxUnits'), 'number'),
  },
  serverless: {
    idleTimeoutMinutes: schemaDefault(serverless('idleTimeoutMinutes'), 'number'),
    maxVcpu: schemaDefault(serverless('maxVcpu'), 'number'),
    maxMemoryGiB: schemaDefault(serverless('maxMemoryGiB'), 'number'),
    maxDiskGiB: schemaDefault(serverless('maxDiskGiB'), 'number'),
  },
} as const;

/** A fleet's units split by its spot share (spot rounds down: on-demand is the safe side). */
function resolveFleet(f: EmrFleet | undefined, units: number, spotPercent: number): ResolvedEmrFleet {
  const total = f?.units ?? units;
  const spot = Math.floor((total * (f?.spotPercent ?? spotPercent)) / 100);
  return {
    instanceTypes: [...(f?.instanceTypes ?? DEFAULTS.cluster.fleetInstanceTypes)],
    onDemandUnits: total - spot,
    spotUnits: spot,
  };
}

/** The core and task fleets with their defaults: core all on-demand (HDFS), task all spot. */
export function resolveEmrFleets(emr: Emr): { core: ResolvedEmrFleet; task: ResolvedEmrFleet } {
  return { core: resolveFleet(emr.cluster?.core, 2, 0), task: resolveFleet(emr.cluster?.task, 0, 100) };
}

/**
 * Managed scaling limits: scale in to the core fleet, out to 10 units (or the fleets'
 * size), with growth beyond the fleets' on-demand units on spot task nodes.
 */
export function resolveEmrScaling(emr: Emr): ResolvedEmrScaling {
  const { core, task } = resolveEmrFleets(emr);
  const coreUnits = core.onDemandUnits + core.spotUnits;
  const s = emr.cluster?.scaling ?? {};
  return {
    minUnits: s.minUnits ?? Math.max(1, coreUnits),
    maxUnits:
      s.maxUnits ?? Math.max(DEFAULTS.cluster.maxUnits, coreUnits + task.onDemandUnits + task.spotUnits),
    maxOnDemandUnits: s.maxOnDemandUnits ?? core.onDemandUnits + task.onDemandUnits,
    maxCoreUnits: s.maxCoreUnits ?? Math.max(1, coreUnits),
  };
}

/** EMR's mode: a cluster unless the spec asks for serverless. */
export function emrMode(emr: Emr): 'cluster' | 'serverless' {
  return emr.mode ?? DEFAULTS.mode;
}

/** Whether Spark, Hive, Presto and Trino use the Glue Data Catalog as their metastore (on by default). */
export function emrUsesGlueCatalog(emr: Emr): boolean {
  return emr.glueCatalog ?? DEFAULTS.glueCatalog;
}

/** Whether a long-lived interactive cluster is kept besides the workflow's per-run clusters (off by default). */
export function emrInteractive(emr: Emr): boolean {
  return emr.cluster?.interactive ?? DEFAULTS.cluster.interactive;
}

/** Idle minutes after which a cluster terminates itself. */
export function emrIdleTimeoutMinutes(emr: Emr): number {
  return emr.cluster?.idleTimeoutMinutes ?? DEFAULTS.cluster.idleTimeoutMinutes;
}
