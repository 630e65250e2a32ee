import type { CompiledSpec } from '../compiler';
import type { ResolvedSpec } from '../model/resolved';
import { environmentConfigurations, environmentLayout, type EnvironmentLayout } from './environment-roots';
import { synthesize, type FileContent, type SynthResult } from './synth';

/** One configuration a spec deploys: the whole pipeline, or one of its environments. */
export interface SynthTarget {
  /** Directory relative to the output root: '' for a spec without environments, else the environment. */
  readonly dir: string;
  readonly spec: ResolvedSpec;
  /**
   * The whole configuration of this target as one root. In the module layout of a spec with
   * environments, what is written is a thin root calling modules/pipeline/, and this is what
   * that call deploys, with the addresses the flat layout had.
   */
  readonly result: SynthResult;
}

/**
 * Synthesizes everything a spec produces: one configuration or, for a spec with
 * environments, the layout environment-roots.ts decides (one shared module and a root per
 * environment in `<environment>/`, each with its own state; or one flat configuration per
 * environment when they differ in shape). All targets are built before any file is written,
 * so a failure in one leaves nothing half-written.
 */
export function synthesizeTargets(
  compiled: Pick<CompiledSpec, 'resolved' | 'environments'>,
  sourceName: string,
): { targets: SynthTarget[]; files: Map<string, FileContent>; layout?: EnvironmentLayout } {
  if (compiled.environments.length === 0) {
    const result = synthesize(compiled.resolved, sourceName);
    return { targets: [{ dir: '', spec: compiled.resolved, result }], files: new Map(result.files) };
  }
  const envs = environmentConfigurations(compiled.environments, sourceName);
  const layout = environmentLayout(envs, compiled.resolved.name, sourceName);
  const targets = envs.map((e) => ({ dir: e.environment, spec: e.spec, result: e.flat }));
  return { targets, files: layout.files, layout };
}
