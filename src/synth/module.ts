import type { ResolvedSpec } from '../model/resolved';
import { VERSION } from '../version';
import { partitionOf } from '../constructs/iam/policy';
import { bindManifests, bindToCaller, MANIFESTS_OUTPUT, type CallerBindingReport } from './module-bindings';
import { MAIN_FILE, synthesize, type FileContent } from './synth';

/** What a module accepts of the aws provider: this major version, from the one pipeform binds. */
export const MODULE_PROVIDER_CONSTRAINT = '>= 5.100.0, < 6.0.0';

type Json = Record<string, unknown>;

/** A module input or output as the README documents it. */
export interface ModuleInterfaceEntry {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly default?: unknown;
  readonly required?: boolean;
}

/** A synthesized module: its files and its interface (inputs and outputs). */
export interface ModuleResult {
  /** The .tf.json files and README (text), and the assets under assets/ (bytes: zips, scripts). */
  readonly files: ReadonlyMap<string, FileContent>;
  readonly inputs: readonly ModuleInterfaceEntry[];
  readonly outputs: readonly ModuleInterfaceEntry[];
  /** Resource addresses (`type.name`), sorted. */
  readonly addresses: readonly string[];
  /** The module's configuration as one JSON object (all files merged); used by releases. */
  readonly config: Json;
  /** How the spec's account, region and partition were handed to the caller (module-bindings.ts). */
  readonly callerBindings: CallerBindingReport;
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** A Terraform type for an output's value, for documentation (outputs have no declared type). */
function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'list(string)';
  if (value !== null && typeof value === 'object') {
    const inner = Object.values(value as Json);
    return inner.every((v) => typeof v === 'string') ? 'map(string)' : 'map(object)';
  }
  if (typeof value === 'number') return 'number';
  return 'string';
}

/**
 * Emits the pipeline as a reusable Terraform module in the layout Terraform users know
 * (terraform-aws-modules): `versions.tf.json` (required_providers with a version range, no
 * provider or backend block: the caller configures those), `variables.tf.json`,
 * `main.tf.json`, `outputs.tf.json` and a README with inputs and outputs tables.
 */
export function synthesizeModule(
  spec: ResolvedSpec,
  sourceName: string,
  moduleSource = `./${spec.name}`,
): ModuleResult {
  const result = synthesize(spec, sourceName, { module: true });
  const synthesized = JSON.parse(result.files.get(MAIN_FILE) as string) as Json;
  // The module follows its caller's account, region and partition (see module-bindings.ts).
  const bound = bindToCaller(synthesized, spec, partitionOf(spec.region));
  const whole = bound.main;
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
  const tf = { ...(terraform as Json) };
  delete tf.backend;
  tf.required_providers = { aws: { source: 'hashicorp/aws', version: MODULE_PROVIDER_CONSTRAINT } };

  const variables = (variable ?? {}) as Record<string, Json>;
  const manifests = bindManifests(result.files, spec, partitionOf(spec.region));
  const outputs = withManifestsOutput((output ?? {}) as Record<string, Json>, manifests?.output);
  const inputs: ModuleInterfaceEntry[] = Object.keys(variables)
    .sort()
    .map((name) => ({
      name,
      type: String(variables[name].type),
      description: String(variables[name].description),
      default: variables[name].default,
      required: !('default' in variables[name]),
    }));
  const outs: ModuleInterfaceEntry[] = Object.keys(outputs)
    .sort()
    .map((name) => ({
      name,
      type: typeOf(outputs[name].value),
      description: String(outputs[name].description),
    }));
  const resources = (main.resource ?? {}) as Record<string, Json>;
  const addresses = Object.entries(resources)
    .flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`))
    .sort();

  const files = new Map<string, FileContent>([
    ['versions.tf.json', json({ '//': comment, terraform: tf })],
    ['variables.tf.json', json({ variable: variables })],
    ['main.tf.json', json({ '//': comment, ...main })],
    ['outputs.tf.json', json({ output: outputs })],
    ['README.md', moduleReadme(spec, inputs, outs, addresses, moduleSource)],
  ]);
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
    config: { terraform: tf, variable: variables, output: outputs, ...main },
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

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The module README: what it is, usage, inputs and outputs (terraform-docs layout). */
export function moduleReadme(
  spec: ResolvedSpec,
  inputs: readonly ModuleInterfaceEntry[],
  outputs: readonly ModuleInterfaceEntry[],
  addresses: readonly string[],
  source: string,
): string {
  const byType = new Map<string, number>();
  for (const a of addresses) byType.set(a.split('.')[0], (byType.get(a.split('.')[0]) ?? 0) + 1);
  const lines = [
    `<!-- Generated by pipeform ${VERSION}. Do not edit: change the spec and run \`pipeform module\` again. -->`,
    '',
    `# ${spec.name}`,
    '',
    spec.description,
    '',
    ...(spec.goals.problem ? [`Problem: ${spec.goals.problem}`, ''] : []),
    `A Terraform module generated by pipeform from \`${spec.name}\`'s pipeline.yaml: region ${spec.region}, account ${spec.account}.`,
    'It declares no provider or backend: configure the `aws` provider (region, credentials, default tags) in the calling configuration.',
    '',
    '## Usage',
    '',
    '```hcl',
    'provider "aws" {',
    `  region              = "${spec.region}"`,
    `  allowed_account_ids = ["${spec.account}"]`,
    '}',
    '',
    `module "${spec.name.replace(/-/g, '_')}" {`,
    `  source = "${source}"`,
    '',
    '  tags = {',
    '    environment = "prod"',
    '  }',
    '}',
    '```',
    '',
    '## Requirements',
    '',
    '| Name | Version |',
    '|------|---------|',
    '| terraform | >= 1.5.0 |',
    `| aws | ${MODULE_PROVIDER_CONSTRAINT} |`,
    '',
    '## Inputs',
    '',
    '| Name | Description | Type | Default | Required |',
    '|------|-------------|------|---------|:--------:|',
    ...inputs.map(
      (i) =>
        `| ${i.name} | ${cell(i.description)} | \`${i.type}\` | ${i.required ? 'n/a' : `\`${JSON.stringify(i.default)}\``} | ${i.required ? 'yes' : 'no'} |`,
    ),
    '',
    '## Outputs',
    '',
    '| Name | Description | Type |',
    '|------|-------------|------|',
    ...outputs.map((o) => `| ${o.name} | ${cell(o.description)} | \`${o.type}\` |`),
    '',
    '## Resources',
    '',
    '| Type | Count |',
    '|------|------:|',
    ...[...byType.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, n]) => `| ${t} | ${n} |`),
    '',
  ];
  return lines.join('\n');
}
