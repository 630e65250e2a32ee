import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compileSpec } from '../src/compiler';
import { quotedTemplate, SHARED_MODULE_DIR } from '../src/synth/environment-roots';
import type { FileContent } from '../src/synth/synth';
import { synthesizeTargets } from '../src/synth/targets';
import { ROOT } from './harness/spec';
import { initValidatePlan, plannedOutputs, scratchDir } from './harness/terraform';

/**
 * Environments with serving endpoints share one module too. A model's name carries a hash
 * over what it was built from (the models bucket, `<stack>-<account>-<region>-models`, and
 * the subnet CIDRs), so the hash differs per environment; in the module it is Terraform's
 * `substr(sha256("<that text, over the inputs>"), 0, 8)`, which real Terraform must
 * evaluate, per environment, to the name that environment's flat configuration has.
 */

type Json = Record<string, unknown>;
const FILE = 'examples/serverless-many-models/pipeline.yaml';
const ENVIRONMENTS = `
environments:
  dev:
    tags: { tier: dev }
  prod:
    account: '222222222222'
    tags: { tier: prod }
    network:
      vpc: { cidr: 10.99.0.0/16, availabilityZones: [eu-west-1a, eu-west-1b] }
`;
const TEXT = readFileSync(join(ROOT, FILE), 'utf8') + ENVIRONMENTS;
const layoutOf = (text: string) => synthesizeTargets(compileSpec(FILE, Buffer.from(text)), FILE);
const { files, layout, targets } = layoutOf(TEXT);
const moduleMain = () =>
  JSON.parse(files.get(`${SHARED_MODULE_DIR}/main.tf.json`) as string) as {
    resource: Record<string, Record<string, Json>>;
  };
const flatOf = (env: string) =>
  JSON.parse(targets.find((t) => t.dir === env)?.result.files.get('main.tf.json') as string) as {
    resource: Record<string, Record<string, Json>>;
  };

describe('serving endpoints in two environments', () => {
  test('get the module layout, with model names hashed in Terraform over the inputs', () => {
    expect(layout?.kind).toBe('module');
    expect(layout?.notices).toEqual([]);
    const models = moduleMain().resource.aws_sagemaker_model;
    expect(Object.keys(models).length).toBeGreaterThan(0);
    for (const [address, model] of Object.entries(models))
      expect({ address, name: model.name }).toEqual({
        address,
        name: expect.stringMatching(
          /^\$\{var\.name\}-.*-\$\{substr\(sha256\(".*\$\{var\.name\}.*"\), 0, 8\)\}$/,
        ),
      });
    // The flat names differ per environment: prod's bucket and subnets are its own.
    const names = (env: string) => Object.values(flatOf(env).resource.aws_sagemaker_model).map((m) => m.name);
    expect(names('prod')).not.toEqual(names('dev'));
  });

  test('a CIDR change in prod changes only the prod root, not the module dev also calls', () => {
    const after = layoutOf(TEXT.replace('cidr: 10.99.0.0/16', 'cidr: 10.98.0.0/16'));
    expect(after.layout?.kind).toBe('module');
    for (const [path, content] of after.files)
      if (!path.startsWith('prod/'))
        expect({ path, same: Buffer.from(content).equals(Buffer.from(files.get(path) ?? '')) }).toEqual({
          path,
          same: true,
        });
    expect(after.files.get('prod/main.tf.json')).not.toBe(files.get('prod/main.tf.json'));
    const prodModels = (t: typeof targets) =>
      Object.values(
        (
          JSON.parse(t.find((x) => x.dir === 'prod')?.result.files.get('main.tf.json') as string) as {
            resource: Record<string, Record<string, Json>>;
          }
        ).resource.aws_sagemaker_model,
      ).map((m) => m.name);
    expect(prodModels(after.targets)).not.toEqual(prodModels(targets));
  });
});

describe('real Terraform: each root plans the names its flat configuration has', () => {
  const dir = scratchDir('pipeform-env-serving-');
  for (const [path, content] of files as Map<string, FileContent>) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }

  test.each([
    ['dev', '123456789012'],
    ['prod', '222222222222'],
  ])('%s', (env, account) => {
    const r = initValidatePlan(join(dir, env), {
      alongside: { '../modules': join(dir, 'modules') },
      callerAccount: account,
      json: true,
    });
    if (!r.ok) throw new Error(`terraform ${r.step} failed:\n${r.output}`);
    type Planned = { address: string; values: Json };
    const planned = new Map(
      (
        r.plan as { planned_values: { root_module: { child_modules: { resources: Planned[] }[] } } }
      ).planned_values.root_module.child_modules[0].resources.map((x) => [x.address, x.values]),
    );
    // Every name the flat configuration spells out, through the module, for every SageMaker
    // resource (models, endpoint configurations, endpoints): the same string.
    let compared = 0;
    for (const [type, byName] of Object.entries(flatOf(env).resource)) {
      if (!type.startsWith('aws_sagemaker_')) continue;
      for (const [name, block] of Object.entries(byName)) {
        if (typeof block.name !== 'string' || block.name.includes('${') || block.for_each !== undefined)
          continue;
        const address = `module.pipeline.${type}.${name}${block.count !== undefined ? '[0]' : ''}`;
        expect({ address, name: planned.get(address)?.name }).toEqual({ address, name: block.name });
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(3);
  });
});

describe('quotedTemplate: a text inside an HCL quoted template yields that text', () => {
  test('quotes, backslashes and template sequences survive, and sha256 agrees with ours', () => {
    const texts = ['{"a":"b\\\\c"}', 'x ${var.a} %{ if } $${kept} %%{kept}', 'end $', 'end %', '$$ %%'];
    const output = Object.fromEntries(
      texts.flatMap((t, i) => [
        [`text${i}`, { value: `\${"${quotedTemplate(t)}"}` }],
        [`hash${i}`, { value: `\${sha256("${quotedTemplate(t)}")}` }],
      ]),
    );
    const values = plannedOutputs({ output });
    texts.forEach((t, i) => {
      expect(values[`text${i}`]).toBe(t);
      expect(values[`hash${i}`]).toBe(createHash('sha256').update(t).digest('hex'));
    });
  });
});
