import { posix } from 'node:path';
import type { CompiledSpec } from '../compiler';
import type { ResolvedSpec } from '../model/resolved';
import { synthesize, type FileContent, type SynthResult } from './synth';

/** One configuration to write: the whole pipeline, or one of its environments. */
export interface SynthTarget {
  /** Directory relative to the output root: '' for a spec without environments, else the environment. */
  readonly dir: string;
  readonly spec: ResolvedSpec;
  readonly result: SynthResult;
}

/**
 * Synthesizes everything a spec produces: one configuration, or one per environment in
 * `<environment>/` (each with its own state). All targets are built before any file is
 * written, so a failure in one leaves nothing half-written.
 */
export function synthesizeTargets(
  compiled: Pick<CompiledSpec, 'resolved' | 'environments'>,
  sourceName: string,
): { targets: SynthTarget[]; files: Map<string, FileContent> } {
  const specs =
    compiled.environments.length > 0
      ? compiled.environments.map((e) => ({ dir: e.environment, spec: e.resolved }))
      : [{ dir: '', spec: compiled.resolved }];
  const targets = specs.map((t) => ({ ...t, result: synthesize(t.spec, sourceName) }));
  const files = new Map<string, FileContent>();
  for (const t of targets)
    for (const [name, content] of t.result.files) files.set(posix.join(t.dir, name), content);
  return { targets, files };
}
