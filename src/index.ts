/**
 * pipeform's SDK: compile a pipeline spec into Terraform from code, or build the pipeline
 * inside a cdktf app of your own. The CLI is a thin layer over these functions.
 *
 * `require('pipeform')` loads only the pure compiler (load, validate, check, normalize).
 * The cdktf half (`PipelineStack`, `synthesize`, `MAIN_FILE`, `AWS_PROVIDER_VERSION`) is
 * loaded on first use of one of them, so a program that only compiles specs never loads
 * cdktf (docs/architecture.md, "The library"). `pipeform/constructs` exports the same
 * objects, loaded at once.
 */
import type * as Constructs from './constructs/index';

export { compileSpec, readSpecFile, type CompiledSpec } from './compiler';
export { checkRules, type CheckRule } from './compiler/check';
export { formatDiagnostic, SpecError, UsageError, type Diagnostic } from './compiler/diagnostics';
export { loadSpec, type LoadedSpec } from './compiler/load';
export { normalizeSpec } from './compiler/normalize';
export type { SpecFiles } from './compiler/spec-files';
export { validateSpec, type ValidSpec } from './compiler/validate';
export type * from './model/index';
export { pipelineSchema, SUPPORTED_API_VERSIONS } from './spec/schema';
export type { PipelineSpec } from './spec/types.generated';
export { writeFilesAtomically } from './synth/write';
export { VERSION } from './version';

/**
 * The whole pipeline as one cdktf `TerraformStack`, built from a resolved spec
 * (`compileSpec(...).resolved`); add your own constructs to it and read its `keyArn`,
 * `buckets` and `bucket(name)`. Loads cdktf on first use.
 */
export declare const PipelineStack: typeof Constructs.PipelineStack;
/** An instance of {@link PipelineStack}. */
export type PipelineStack = Constructs.PipelineStack;
/** How a {@link PipelineStack} is emitted (a root configuration, or a module). */
export type PipelineStackOptions = Constructs.PipelineStackOptions;
/** Builds the stack of a resolved spec and returns its Terraform JSON and assets. Loads cdktf on first use. */
export declare const synthesize: typeof Constructs.synthesize;
/** The synthesized configuration of one pipeline: files by path, resource counts by area. */
export type SynthResult = Constructs.SynthResult;
/** A generated file: text (Terraform JSON, docs) or bytes (assets such as Lambda zips). */
export type FileContent = Constructs.FileContent;
/** The name of the Terraform JSON file `synthesize` returns (`main.tf.json`). */
export declare const MAIN_FILE: typeof Constructs.MAIN_FILE;
/** The hashicorp/aws provider version the generated configurations pin. */
export declare const AWS_PROVIDER_VERSION: typeof Constructs.AWS_PROVIDER_VERSION;

let constructs: typeof Constructs | undefined;
/* eslint-disable @typescript-eslint/no-require-imports -- synchronous lazy loading is the point */
const load = (): typeof Constructs => (constructs ??= require('./constructs/index') as typeof Constructs);
/* eslint-enable @typescript-eslint/no-require-imports */

// Getters of the form `get() { return lazy.NAME; }`, which Node's CommonJS export detection
// recognizes, so `import { PipelineStack } from 'pipeform'` works from an ES module too
// (an ES module import reads every export at once, which loads cdktf then).
const lazy = {
  get PipelineStack() {
    return load().PipelineStack;
  },
  get synthesize() {
    return load().synthesize;
  },
  get MAIN_FILE() {
    return load().MAIN_FILE;
  },
  get AWS_PROVIDER_VERSION() {
    return load().AWS_PROVIDER_VERSION;
  },
};
Object.defineProperty(exports, 'PipelineStack', {
  enumerable: true,
  get() {
    return lazy.PipelineStack;
  },
});
Object.defineProperty(exports, 'synthesize', {
  enumerable: true,
  get() {
    return lazy.synthesize;
  },
});
Object.defineProperty(exports, 'MAIN_FILE', {
  enumerable: true,
  get() {
    return lazy.MAIN_FILE;
  },
});
Object.defineProperty(exports, 'AWS_PROVIDER_VERSION', {
  enumerable: true,
  get() {
    return lazy.AWS_PROVIDER_VERSION;
  },
});
