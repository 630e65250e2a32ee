import { partitionOf } from '../constructs/iam/policy';
import type { ResolvedSpec } from '../model/resolved';
import { withPreimages } from '../compiler/short-hash';
import { jsonToHcl } from './hcl';
import { bindManifests, bindToCaller, MANIFESTS_OUTPUT, type CallerBindingReport } from './module-bindings';
import { moduleExamples } from './module-examples';
import { prefixNames, type NamePrefixReport } from './module-prefix';
import { moduleReadme, valueType, type ModuleInterfaceEntry } from './module-readme';
import { moduleRequiredVersion } from './module-versions';
import { MAIN_FILE, synthesize, type FileContent } from './synth';

/** What a module accepts of the aws provider: this major version, from the one pipeform binds. */
export const MODULE_PROVIDER_CONSTRAINT = '>= 5.100.0, < 6.0.0';

type Json = Record<string, unknown>;

export type { ModuleInterfaceEntry };

/** The syntax of a module's Terraform files: Terraform JSON, or native HCL for reviewers and registries. */
export type ModuleFormat = 'json' | 'hcl';

/** How to emit a module. */
export interface ModuleOptions {
  /** `json` (default): `*.tf.json`; `hcl`: `*.tf`, the same configuration in native syntax. */
  readonly format?: ModuleFormat;
  /** `moved` blocks to ship with the module (a release whose addresses changed). */
  readonly moved?: readonly { readonly from: string; readonly to: string }[];
  /**
   * The spec compiled under its stand-in name (`compileStandIn`, compiler/stand-in.ts): with
   * it the module takes a `name_prefix` input that starts every name derived from the
   * pipeline name (module-prefix.ts).
   */
  readonly standIn?: ResolvedSpec;
  /**
   * Rewrites the caller-bound configuration before it is split into files: an environment
   * layout turns an environment's own literals into inputs (environment-roots.ts). It gets the
   * text of every short hash in the configuration (hex => text, compiler/short-hash.ts), so
   * a hash over such literals can become a Terraform expression over the inputs.
   */
  readonly transform?: (
    config: Record<string, unknown>,
    preimages: ReadonlyMap<string, string>,
  ) => Record<string, unknown>;
  /** The spec the README and the example callers describe (default: the one synthesized). */
  readonly docsSpec?: ResolvedSpec;
}

/** A synthesized module: its files and its interface (inputs and outputs). */
export interface ModuleResult {
  /** Terraform files, README and examples (text), and the assets under assets/ (bytes: zips, scripts). */
  readonly files: ReadonlyMap<string, FileContent>;
  readonly inputs: readonly ModuleInterfaceEntry[];
  readonly outputs: readonly ModuleInterfaceEntry[];
  /** Resource addresses (`type.name`), sorted. */
  readonly addresses: readonly string[];
  /** The module's configuration as one JSON object (all files merged); used by releases. */
  readonly config: Json;
  /** The module's `required_version` (versions file and README state this one value). */
  readonly requiredVersion: string;
  /** The syntax its Terraform files are written in. */
  readonly format: ModuleFormat;
  /** How the spec's account, region and partition were handed to the caller (module-bindings.ts). */
  readonly callerBindings: CallerBindingReport;
  /** How the pipeline name became the `name_prefix` input; undefined without `options.standIn`. */
  readonly namePrefix?: NamePrefixReport;
  /** Resource count per AWS area, as synth reports it. */
  readonly resourcesByArea: Readonly<Record<string, number>>;
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** The hashes normalize computed and those the build did; a hash the two give different texts for is left out. */
function mergePreimages(
  normalized: Readonly<Record<string, string>>,
  built: ReadonlyMap<string, string>,
): Map<string, string> {
  const out = new Map(Object.entries(normalized));
  for (const [hex, text] of built) {
    const seen = out.get(hex);
    if (seen === undefined) out.set(hex, text);
    else if (seen !== text) out.delete(hex);
  }
  return out;
}

/**
 * Emits the pipeline as a reusable Terraform module in the layout Terraform users and
 * registries expect (terraform-aws-modules): `versions` (required_providers with a version
 * range and the module's own required_version, no provider or backend block: the caller
 * configures those), `variables`, `main`, `outputs`, a README whose terraform-docs section
 * sits between `BEGIN_TF_DOCS` markers, `examples/minimal` and `examples/complete` callers,
 * and the assets under `assets/`. Terraform JSON by default; `format: 'hcl'` writes the same
 * configuration as `.tf` files.
 */
export function synthesizeModule(
  spec: ResolvedSpec,
  sourceName: string,
  moduleSource = `./${spec.name}`,
  options: ModuleOptions = {},
): ModuleResult {
  const format = options.format ?? 'json';
  const { result: real, preimages: built } = withPreimages(() =>
    synthesize(spec, sourceName, { module: true }),
  );
  let synthesized = JSON.parse(real.files.get(MAIN_FILE) as string) as Json;
  let result: { files: ReadonlyMap<string, FileContent> } = real;
  let namePrefix: NamePrefixReport | undefined;
  if (options.standIn) {
    const other = synthesize(options.standIn, sourceName, { module: true });
    const prefixed = prefixNames(
      spec,
      synthesized,
      JSON.parse(other.files.get(MAIN_FILE) as string) as Json,
      new Map([...real.files].filter(([p]) => p !== MAIN_FILE)),
      new Map([...other.files].filter(([p]) => p !== MAIN_FILE)),
    );
    ({ main: synthesized, report: namePrefix } = prefixed);
    result = { files: prefixed.files };
  }
  // The module follows its caller's account, region and partition (see module-bindings.ts).
  const bound = bindToCaller(synthesized, spec, partitionOf(spec.region));
  const whole = options.transform
    ? options.transform(bound.main, mergePreimages(spec.serving?.hashPreimages ?? {}, built))
    : bound.main;
  const docsSpec = options.docsSpec ?? spec;
  // Import blocks are allowed in the root module only: a module's registry endpoints are
  // adopted by the caller (the README of the module says how), so they are left out here.
  const {
    '//': comment,
    terraform,
    provider: _provider,
    variable,
    output,
    import: _imports,
    ...main
  } = whole;
  const variables = (variable ?? {}) as Record<string, Json>;
  const manifests = bindManifests(result.files, spec, partitionOf(spec.region));
  const outputs = withManifestsOutput((output ?? {}) as Record<string, Json>, manifests?.output);
  const moved = options.moved && options.moved.length > 0 ? options.moved.map((m) => ({ ...m })) : undefined;
  const withoutVersion = { variable: variables, output: outputs, ...main, ...(moved ? { moved } : {}) };
  // The module's own need, not the root's: no backend (use_lockfile), no import blocks.
  const requiredVersion = moduleRequiredVersion(withoutVersion);
  const tf: Json = {
    ...(terraform as Json),
    required_providers: { aws: { source: 'hashicorp/aws', version: MODULE_PROVIDER_CONSTRAINT } },
    required_version: requiredVersion,
  };
  delete tf.backend;

  const inputs: ModuleInterfaceEntry[] = Object.keys(variables)
    .sort()
    .map((name) => ({
      name,
      type: String(variables[name].type),
      description: String(variables[name].description),
      default: variables[name].default,
      required: !('default' in variables[name]),
    }));
  const config = { terraform: tf, ...withoutVersion };
  const outs: ModuleInterfaceEntry[] = Object.keys(outputs)
    .sort()
    .map((name) => ({
      name,
      type: valueType(outputs[name].value, config),
      description: String(outputs[name].description),
    }));
  const addressesOf = (byType: unknown) =>
    Object.entries((byType ?? {}) as Record<string, Json>)
      .flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`))
      .sort();
  const addresses = addressesOf(main.resource);

  const documents: [string, Json][] = [
    ['versions', { '//': comment, terraform: tf }],
    ['variables', { variable: variables }],
    ['main', { '//': comment, ...main }],
    ['outputs', { output: outputs }],
    ...(moved ? ([['moved', { moved }]] as [string, Json][]) : []),
  ];
  const extension = format === 'hcl' ? '.tf' : '.tf.json';
  const files = new Map<string, FileContent>(
    documents.map(([name, doc]) => [`${name}${extension}`, format === 'hcl' ? jsonToHcl(doc) : json(doc)]),
  );
  files.set(
    'README.md',
    moduleReadme(docsSpec, {
      inputs,
      outputs: outs,
      resources: addresses,
      dataSources: addressesOf(main.data),
      requiredVersion,
      providerConstraint: MODULE_PROVIDER_CONSTRAINT,
      source: moduleSource,
      extension,
    }),
  );
  for (const [path, text] of moduleExamples(docsSpec, {
    inputs,
    outputs: outs,
    requiredVersion,
    providerConstraint: MODULE_PROVIDER_CONSTRAINT,
  }))
    files.set(path, text);
  // Assets (Lambda zips, uploaded scripts) travel with the module: the configuration reads
  // them as `${path.module}/assets/...`, which resolves inside the module wherever it is used.
  for (const [path, content] of result.files) {
    if (path !== MAIN_FILE && !(manifests && path.startsWith('k8s/'))) files.set(path, content);
  }
  // In a module the manifests are templates for the caller (see bindManifests).
  for (const [path, content] of manifests?.files ?? []) files.set(path, content);
  return {
    files,
    inputs,
    outputs: outs,
    addresses,
    config,
    requiredVersion,
    format,
    resourcesByArea: real.resourcesByArea,
    callerBindings: manifests
      ? {
          ...bound.report,
          bound: [...bound.report.bound, ...manifests.bound],
          guarded:
            manifests.bound.length > 0
              ? [...bound.report.guarded, `output.${MANIFESTS_OUTPUT}`]
              : bound.report.guarded,
        }
      : bound.report,
    ...(namePrefix ? { namePrefix } : {}),
  };
}

/** The outputs with the Kubernetes manifests output among them, in key order. */
function withManifestsOutput(
  outputs: Record<string, Json>,
  manifests: Json | undefined,
): Record<string, Json> {
  if (!manifests) return outputs;
  const all: Record<string, Json> = { ...outputs, [MANIFESTS_OUTPUT]: manifests };
  return Object.fromEntries(
    Object.keys(all)
      .sort()
      .map((k) => [k, all[k]]),
  );
}
