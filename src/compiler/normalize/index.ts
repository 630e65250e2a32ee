import type { ResolvedSpec, ResolvedState } from '../../model/resolved';
import type { PipelineSpec } from '../../spec/types.generated';
import type { ValidSpec } from '../validate';
import { DEFAULTS as STATE_DEFAULTS } from '../../areas/state/catalog';
import { normalizeAssetStore } from './assets';
import { normalizeData } from './data';
import { normalizeOrchestration } from './orchestration';
import { normalizeFeatures } from './features';
import { normalizeNotebooks } from './notebooks';
import { normalizeEks } from './eks';
import { normalizeNetwork } from './network';
import { normalizeSecurity } from './security';
import { normalizeServing, type RegistryOwner } from './serving';
import type { ResolvedPromotion } from '../../model/promotion';
import { normalizeMonitoring } from './monitoring';
import { normalizeCicd } from './cicd';
import { normalizeStorage } from './storage';
import { normalizeTraining, resolveKpis } from './training';
import { normalizeTracking } from './tracking';

function resolveState(spec: PipelineSpec): ResolvedState {
  const state = spec.state;
  if (state?.backend === 's3' && state.s3) {
    return {
      backend: 's3',
      bucket: state.s3.bucket,
      key: state.s3.key ?? `pipeform/${spec.name}/terraform.tfstate`,
      region: state.s3.region ?? spec.region,
      ...(state.s3.kmsKeyArn ? { kmsKeyArn: state.s3.kmsKeyArn } : {}),
      lockfile: state.s3.lockfile ?? STATE_DEFAULTS.s3.lockfile,
    };
  }
  return { backend: 'local', path: state?.path ?? STATE_DEFAULTS.path };
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What an environment's spec does not say itself: its part in the spec's promotion. */
export interface EnvironmentContext {
  readonly promotion?: ResolvedPromotion;
  /** The owner's registry, for a serving environment that is not the owner. */
  readonly registryOwner?: RegistryOwner;
}

/**
 * Normalize stage: applies every default once and computes derived names, producing the
 * fully resolved spec the constructs build from. Pure and deterministic (sorted maps).
 */
export function normalizeSpec(valid: ValidSpec, environment: EnvironmentContext = {}): ResolvedSpec {
  const spec = valid.spec;
  const network = normalizeNetwork(spec);
  return {
    apiVersion: spec.apiVersion,
    name: spec.name,
    region: spec.region,
    account: spec.account,
    description: spec.description ?? `ML pipeline ${spec.name}, managed by pipeform`,
    tags: sortedRecord({
      ...(spec.tags ?? {}),
      'pipeform:pipeline': spec.name,
      'pipeform:managed-by': 'pipeform',
    }),
    goals: {
      ...(spec.goals?.problem ? { problem: spec.goals.problem } : {}),
      kpis: resolveKpis(spec),
    },
    compliance: [...(spec.compliance ?? [])].sort(),
    security: normalizeSecurity(spec),
    ...(network ? { network } : {}),
    storage: normalizeStorage(spec),
    assets: normalizeAssetStore(spec),
    ...(spec.training?.eks ? { eks: normalizeEks(spec) } : {}),
    ...(spec.training?.algorithm ? { training: normalizeTraining(spec, valid.file) } : {}),
    ...(spec.data ? { data: normalizeData(spec, valid.file) } : {}),
    ...(spec.orchestration ? { orchestration: normalizeOrchestration(spec, valid.file) } : {}),
    ...(spec.features ? { features: normalizeFeatures(spec) } : {}),
    ...(spec.notebooks ? { notebooks: normalizeNotebooks(spec) } : {}),
    ...(spec.tracking ? { tracking: normalizeTracking(spec) ?? {} } : {}),
    ...(spec.serving ? { serving: normalizeServing(spec, valid.file, environment.registryOwner) } : {}),
    ...(spec.monitoring ? { monitoring: normalizeMonitoring(spec, valid.file) } : {}),
    ...(spec.cicd && spec.training?.algorithm ? { cicd: normalizeCicd(spec, valid.file) } : {}),
    state: resolveState(spec),
    ...(environment.promotion ? { promotion: environment.promotion } : {}),
  };
}
