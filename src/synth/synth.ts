import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  App,
  DefaultTokenResolver,
  StringConcat,
  TerraformBackend,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Tokenization,
} from 'cdktf';
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import { besideConfiguration } from '../constructs/files';
import { PipelineStack, type PipelineStackOptions } from '../constructs/pipeline-stack';
import type { ResolvedSpec } from '../model/resolved';
import { VERSION } from '../version';

/** A generated file: text (Terraform JSON, docs) or bytes (assets such as Lambda zips). */
export type FileContent = string | Uint8Array;

/** The synthesized configuration of one pipeline. */
export interface SynthResult {
  /**
   * Files to write, by path relative to the output directory: main.tf.json, the stack's
   * assets and its other files (an EKS cluster's Kubernetes manifests in k8s/).
   */
  readonly files: ReadonlyMap<string, FileContent>;
  /** Resource count per AWS area (the top-level construct each resource belongs to). */
  readonly resourcesByArea: Readonly<Record<string, number>>;
}

/** The name of the Terraform JSON file pipeform writes. */
export const MAIN_FILE = 'main.tf.json';

/**
 * Sorts object keys recursively (arrays keep their order), so output is byte-stable. Drops
 * cdktf's construct-path metadata (a `//` key holding an object) but keeps a `//` that is
 * data, such as a tag key (Terraform keeps `//` in a map value, it ignores it only in
 * blocks). Built with `Object.fromEntries`, which defines every key as data, where
 * assignment would treat some (`__proto__`) as the prototype.
 */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => !(k === '//' && v !== null && typeof v === 'object'))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** Builds the construct tree for a resolved spec and returns its Terraform JSON. */
export function synthesize(
  spec: ResolvedSpec,
  sourceName = 'pipeline.yaml',
  options: PipelineStackOptions = {},
): SynthResult {
  return render(build(spec, options), sourceName);
}

/**
 * Builds the construct tree for a resolved spec, to render with {@link render} or
 * {@link renderLazily}.
 */
export function build(spec: ResolvedSpec, options: PipelineStackOptions = {}): PipelineStack {
  const app = new App({ outdir: appOutdir(), skipValidation: true });
  return new PipelineStack(app, spec.name, spec, options);
}

let outdir: string | undefined;

/**
 * cdktf's App insists on an output directory (it makes it, and `stacks/` in it) even when
 * nothing is written there: only `app.synth()` writes, and pipeform renders stacks itself.
 * One empty directory serves every App of the process and is removed at exit: one per stack,
 * made and removed each time, was ~2 ms a stack on a busy disk (10 stacks for 5 environments).
 */
function appOutdir(): string {
  if (outdir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    outdir = dir;
  }
  return outdir;
}

/**
 * cdktf's `prepareStack`: it makes sure the stack has a backend, then resolves every element
 * once in "preparing" mode, which does one thing: a reference to a resource of another stack
 * becomes a cross-stack output and remote-state read (tfExpression.js, `Reference.resolve`).
 * With one stack in the app no reference can cross, and that resolve is a whole extra pass
 * over the tree (about a sixth of a synth, docs/benchmarks.md); the final `toTerraform`
 * resolves everything again anyway. So a stack alone in its app (every stack `synthesize`
 * builds) only gets its backend; a stack with siblings gets cdktf's full preparation.
 */
function prepare(stack: TerraformStack): void {
  const app = stack.node.scope;
  const siblings = app ? app.node.children.filter((c) => TerraformStack.isStack(c)).length : 1;
  if (siblings > 1) stack.prepareStack();
  else stack.ensureBackendExists();
}

/** Renders an already-built stack (also used by tests that build stacks themselves). */
export function render(stack: TerraformStack, sourceName: string): SynthResult {
  const resourcesByArea = finish(stack);
  return { files: emit(stack, sourceName), resourcesByArea };
}

/**
 * What an environment root takes from the environment's whole configuration, read without
 * rendering its resources (environment-roots.ts): the `terraform` block, the provider blocks,
 * the import blocks and the resource addresses.
 */
export interface RootView {
  /** `terraform`: required providers and version, the backend. */
  readonly terraform: Readonly<Record<string, unknown>>;
  /** `provider`, by provider type. */
  readonly provider: Readonly<Record<string, unknown>>;
  /** The `import` blocks. */
  readonly imports: readonly Readonly<Record<string, unknown>>[];
  /** Every resource address (`type.name`), sorted. */
  readonly addresses: readonly string[];
  /** Whether the block of a resource address has a `count`. */
  counted(address: string): boolean;
}

/**
 * Finishes a stack as {@link render} does and reads its root parts; the whole configuration
 * is rendered only when its `files` are read. In the module layout of a spec with
 * environments each environment's root needs only these parts, and rendering every
 * resource of every environment twice (flat, and as the module) was a third of such a synth
 * (docs/benchmarks.md). test/synth-root-view.test.ts checks the parts against the rendering.
 */
export function renderLazily(
  stack: PipelineStack,
  sourceName: string,
): { result: SynthResult; root: RootView } {
  const resourcesByArea = finish(stack);
  // What the stack's toTerraform checks first, whether or not the files are ever rendered.
  stack.checkAddresses();
  let files: ReadonlyMap<string, FileContent> | undefined;
  const result: SynthResult = {
    get files() {
      files ??= emit(stack, sourceName);
      return files;
    },
    resourcesByArea,
  };
  return { result, root: rootView(stack) };
}

/** What every rendering does first; returns the resource count per area. */
function finish(stack: TerraformStack): Record<string, number> {
  prepare(stack);
  invokeAspects(stack);
  stack.runAllValidations();
  const resourcesByArea: Record<string, number> = {};
  const addresses = new Map<string, string>();
  for (const c of stack.node.findAll()) {
    if (c instanceof TerraformResource) {
      // Terraform JSON is keyed by type and name: a clash would silently drop a resource.
      const address = `${c.terraformResourceType}.${c.friendlyUniqueId}`;
      const other = addresses.get(address);
      if (other !== undefined)
        throw new Error(`internal: ${c.node.path} and ${other} both map to ${address}`);
      addresses.set(address, c.node.path);
      const area = c.node.scopes[c.node.scopes.indexOf(stack) + 1]?.node.id ?? 'stack';
      resourcesByArea[area] = (resourcesByArea[area] ?? 0) + 1;
    }
  }
  return resourcesByArea;
}

/** The files of a finished stack. */
function emit(stack: TerraformStack, sourceName: string): ReadonlyMap<string, FileContent> {
  const config = sortKeys(stack.toTerraform()) as Record<string, unknown>;
  const header = {
    '//': `Generated by pipeform ${VERSION} from ${sourceName}. Do not edit: change the spec and synthesize again.`,
  };
  const json = `${JSON.stringify({ ...header, ...config }, null, 2)}\n`;
  return new Map<string, FileContent>([[MAIN_FILE, json], ...besideConfiguration(stack)]);
}

/** Plain JSON as the written file has it (sorted keys, no undefined). */
const asWritten = <T>(value: unknown): T => JSON.parse(JSON.stringify(sortKeys(value) ?? null)) as T;

/**
 * The root parts of a finished stack, the way `TerraformStack.toTerraform` makes them:
 * each provider's and the backend's fragment resolved and merged in tree order (objects
 * merged, arrays appended, as cdktf's deepMerge), then the stack's own overrides
 * (required version, import blocks). Resources, data sources, outputs, locals and
 * variables write none of `terraform`, `provider` or `import`.
 */
function rootView(stack: PipelineStack): RootView {
  const merged: Record<string, unknown> = {};
  const resources = new Map<string, TerraformResource>();
  for (const c of stack.node.findAll()) {
    if (c instanceof TerraformProvider || c instanceof TerraformBackend)
      mergeInto(merged, Tokenization.resolve(c.toTerraform(), resolveOptions(stack)));
    else if (c instanceof TerraformResource)
      resources.set(`${c.terraformResourceType}.${c.friendlyUniqueId}`, c);
  }
  mergeInto(merged, Tokenization.resolve(stack.stackOverrides(), resolveOptions(stack)));
  const root = asWritten<Record<string, unknown>>(merged);
  return {
    terraform: (root.terraform ?? {}) as Record<string, unknown>,
    provider: (root.provider ?? {}) as Record<string, unknown>,
    imports: (root.import ?? []) as Record<string, unknown>[],
    addresses: [...resources.keys()].sort(),
    counted(address) {
      const r = resources.get(address);
      if (!r) return false;
      // One resource rendered as the full rendering would (its count may be an override).
      const fragment = asWritten<{ resource?: Record<string, Record<string, { count?: unknown }>> }>(
        Tokenization.resolve(r.toTerraform(), resolveOptions(stack)),
      );
      return fragment.resource?.[r.terraformResourceType]?.[r.friendlyUniqueId]?.count !== undefined;
    },
  };
}

/** How cdktf's stack rendering resolves (lib/_tokens.ts `resolve(scope, obj)`). */
const resolveOptions = (scope: TerraformStack) => ({
  scope,
  preparing: false,
  resolver: new DefaultTokenResolver(new StringConcat()),
});

/** cdktf's deepMerge on resolved JSON: objects merge, arrays append, anything else replaces. */
function mergeInto(target: Record<string, unknown>, source: unknown): void {
  if (typeof source !== 'object' || source === null) return;
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    if (Array.isArray(value)) target[key] = Array.isArray(current) ? [...current, ...value] : value;
    else if (typeof value === 'object' && value !== null) {
      const into =
        typeof current === 'object' && current !== null && !Array.isArray(current)
          ? (current as Record<string, unknown>)
          : (target[key] = {});
      mergeInto(into as Record<string, unknown>, value);
    } else target[key] = value;
  }
}
