import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { compileSpec, readSpecFile } from '../src/compiler';
import { PipelineStack } from '../src/constructs/pipeline-stack';
import type { ResolvedSpec } from '../src/model/resolved';
import { build, MAIN_FILE, renderLazily, synthesize } from '../src/synth/synth';
import { ROOT } from './harness/spec';

/**
 * An environment root is written from the root parts of the environment's whole
 * configuration (`renderLazily`: terraform block, providers, import blocks, addresses), read
 * without rendering its resources. Those parts must be what the rendering has, for every
 * example (its environments too) and for a stack built as a module (the only kind with
 * counted resources); and the whole configuration is still there, rendered once, when read.
 */

type Json = Record<string, unknown>;

const examples = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(ROOT, 'examples', d.name)).includes('pipeline.yaml'))
  .map((d) => `examples/${d.name}/pipeline.yaml`)
  .sort();

/** Every spec an example deploys: the spec, or each of its environments'. */
const specsOf = (file: string): [string, ResolvedSpec][] => {
  const compiled = compileSpec(file, readSpecFile(join(ROOT, file)));
  return compiled.environments.length === 0
    ? [[file, compiled.resolved]]
    : compiled.environments.map((e) => [`${file} ${e.environment}`, e.resolved] as [string, ResolvedSpec]);
};

const cases: [string, ResolvedSpec, boolean][] = examples.flatMap((file) => [
  ...specsOf(file).map(([name, spec]) => [name, spec, false] as [string, ResolvedSpec, boolean]),
  // As a module the key is counted (created only when the caller brings none).
  ...(file.includes('multi-env')
    ? specsOf(file).map(([n, s]) => [`${n} (module)`, s, true] as [string, ResolvedSpec, boolean])
    : []),
]);

describe('the root parts of a configuration, read without rendering it', () => {
  test('the examples cover what the parts hold', () => {
    expect(examples.length).toBeGreaterThan(8);
    expect(cases.some(([n]) => / dev$/.test(n))).toBe(true);
  });

  let counted = 0;
  let imports = 0;
  test.each(cases)('%s: the same as the rendering', (name, spec, module) => {
    const file = name.split(' ')[0];
    const full = synthesize(spec, file, { module });
    const config = JSON.parse(full.files.get(MAIN_FILE) as string) as Json;
    const lazy = renderLazily(build(spec, { module }), file);
    const { root } = lazy;
    expect(root.terraform).toEqual(config.terraform);
    expect(root.provider).toEqual(config.provider ?? {});
    expect(root.imports).toEqual(config.import ?? []);
    const resource = (config.resource ?? {}) as Record<string, Record<string, Json>>;
    const addresses = Object.entries(resource)
      .flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`))
      .sort();
    expect(root.addresses).toEqual(addresses);
    for (const a of addresses) {
      const [type, n] = [a.slice(0, a.indexOf('.')), a.slice(a.indexOf('.') + 1)];
      expect([a, root.counted(a)]).toEqual([a, resource[type][n].count !== undefined]);
      if (root.counted(a)) counted++;
    }
    expect(root.counted('aws_s3_bucket.no_such_bucket')).toBe(false);
    imports += root.imports.length;
    // Rendered when read, the same bytes and counts as synthesize's.
    expect(lazy.result.resourcesByArea).toEqual(full.resourcesByArea);
    expect([...lazy.result.files.keys()]).toEqual([...full.files.keys()]);
    for (const [path, content] of full.files) expect(lazy.result.files.get(path)).toEqual(content);
  });

  test('the cases had counted resources and import blocks to compare', () => {
    expect(counted).toBeGreaterThan(0);
    expect(imports).toBeGreaterThan(0);
  });

  test('the whole configuration is rendered only when read, and once', () => {
    const [[, spec]] = specsOf('examples/multi-env/pipeline.yaml');
    const spy = jest.spyOn(PipelineStack.prototype, 'toTerraform');
    try {
      const lazy = renderLazily(build(spec), 'pipeline.yaml');
      expect(lazy.root.addresses.length).toBeGreaterThan(50);
      expect(spy).not.toHaveBeenCalled();
      const first = lazy.result.files.get(MAIN_FILE);
      expect(lazy.result.files.get(MAIN_FILE)).toBe(first);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  test('a clash of addresses is found without rendering', () => {
    const [[, spec]] = specsOf('examples/quickstart/pipeline.yaml');
    const stack = build(spec);
    // PascalCase ids are left out of addresses: both are var.team.
    const team = new Construct(stack, 'team');
    new TerraformVariable(team, 'Reports', { type: 'string' });
    new TerraformVariable(team, 'Archive', { type: 'string' });
    expect(() => renderLazily(stack, 'pipeline.yaml')).toThrow(
      'team/Reports and team/Archive would both be var.team',
    );
  });
});
