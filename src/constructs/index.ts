/**
 * `pipeform/constructs`: the cdktf half of the library, for a cdktf app of your own. The
 * same objects are on `pipeform` itself, loaded there on first use; importing this path
 * loads cdktf and the provider classes the stack uses at once (by deep path, never the
 * provider package root).
 */
export { AWS_PROVIDER_VERSION, PipelineStack, type PipelineStackOptions } from './pipeline-stack';
export type { DataLake } from './data-lake';
export type { PipelineKey } from './kms';
export { MAIN_FILE, synthesize, type FileContent, type SynthResult } from '../synth/synth';
