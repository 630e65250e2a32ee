/**
 * pipeform's SDK: compile a pipeline spec into Terraform from code. The CLI is a thin
 * layer over these functions.
 */
export { compileSpec, readSpecFile, type CompiledSpec } from './compiler';
export { checkRules, type CheckRule } from './compiler/check';
export { formatDiagnostic, SpecError, UsageError, type Diagnostic } from './compiler/diagnostics';
export { loadSpec, type LoadedSpec } from './compiler/load';
export { normalizeSpec } from './compiler/normalize';
export { validateSpec, type ValidSpec } from './compiler/validate';
export type { ResolvedSpec } from './model/resolved';
export { pipelineSchema, SUPPORTED_API_VERSIONS } from './spec/schema';
export type { PipelineSpec } from './spec/types.generated';
export { synthesize, MAIN_FILE, type SynthResult } from './synth/synth';
export { writeFilesAtomically } from './synth/write';
export { VERSION } from './version';
