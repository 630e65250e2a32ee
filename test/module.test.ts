import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import { MODULE_PROVIDER_CONSTRAINT, synthesizeModule } from '../src/synth/module';
import { compileData, MINIMAL, ROOT } from './harness/spec';
import { initValidatePlan } from './harness/terraform';

const DATA_LAKE = join('examples', 'data-lake', 'pipeline.yaml');
const moduleOf = () =>
  synthesizeModule(compileSpec(DATA_LAKE, readSpecFile(join(ROOT, DATA_LAKE))).resolved, DATA_LAKE);

describe('pipeform module', () => {
  const mod = moduleOf();
  const file = (name: string) => JSON.parse(mod.files.get(name) as string);

  test('has no provider or backend block, and pins the provider to a range', () => {
    const all = [...mod.files.entries()]
      .filter(([n]) => n.endsWith('.tf.json'))
      .map(([, c]) => JSON.parse(c as string));
    for (const config of all) {
      expect(config.provider).toBeUndefined();
      expect(config.terraform?.backend).toBeUndefined();
    }
    expect(file('versions.tf.json').terraform.required_providers.aws).toEqual({
      source: 'hashicorp/aws',
      version: MODULE_PROVIDER_CONSTRAINT,
    });
  });

  test('every input has a type and description; every output a description', () => {
    for (const [, v] of Object.entries(
      file('variables.tf.json').variable as Record<string, Record<string, string>>,
    )) {
      expect(v.type).toBeTruthy();
      expect(v.description.length).toBeGreaterThan(10);
    }
    for (const [, o] of Object.entries(
      file('outputs.tf.json').output as Record<string, Record<string, string>>,
    )) {
      expect(o.description.length).toBeGreaterThan(10);
    }
    expect(mod.inputs.map((i) => i.name)).toEqual(['kms_key_arn', 'tags']);
    expect(mod.outputs.map((o) => o.name)).toEqual(
      expect.arrayContaining(['bucket_arns', 'bucket_names', 'kms_key_arn', 'kpis']),
    );
  });

  test('the README documents every input and output in terraform-docs tables, with a usage snippet', () => {
    const readme = mod.files.get('README.md')!;
    expect(readme).toContain('| Name | Description | Type | Default | Required |');
    for (const i of mod.inputs) expect(readme).toContain(`| ${i.name} | ${i.description}`);
    for (const o of mod.outputs) expect(readme).toContain(`| ${o.name} | ${o.description}`);
    expect(readme).toMatch(/module "churn" \{\n {2}source = /);
  });

  test('the key is created only when the caller brings none, and used through one local', () => {
    const main = file('main.tf.json');
    expect(main.resource.aws_kms_key.kms.count).toBe('${var.kms_key_arn == null ? 1 : 0}');
    expect(main.locals.pipeline_kms_key_arn).toBe(
      '${coalesce(var.kms_key_arn, one(aws_kms_key.kms[*].arn))}',
    );
    const sse = main.resource.aws_s3_bucket_server_side_encryption_configuration.lake_raw;
    expect(sse.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(
      '${local.pipeline_kms_key_arn}',
    );
  });

  test('every taggable resource carries the spec tags and the caller tags (no provider default_tags in a module)', () => {
    const main = file('main.tf.json');
    expect(main.locals.spec_tags).toMatchObject({ team: 'ml-platform', 'pipeform:pipeline': 'churn' });
    expect(main.resource.aws_kms_key.kms.tags).toBe('${merge(local.spec_tags, var.tags)}');
    expect(main.resource.aws_s3_bucket.lake_raw.tags).toMatch(
      /^\$\{merge\(merge\(local\.spec_tags, var\.tags\), \{ "pipeform:bucket" = "raw"/,
    );
    expect(main.resource.aws_s3_bucket_policy.lake_raw.tags).toBeUndefined();
  });

  test('an existing network becomes inputs defaulting to the spec ids', () => {
    const spec = compileData({
      ...MINIMAL,
      network: {
        existing: {
          vpcId: 'vpc-0123456789abcdef0',
          subnetIds: ['subnet-0123456789abcdef0'],
          securityGroupIds: ['sg-0123456789abcdef0'],
        },
      },
    });
    const m = synthesizeModule(spec, 'pipeline.yaml');
    expect(m.inputs.find((i) => i.name === 'vpc_id')).toMatchObject({
      type: 'string',
      default: 'vpc-0123456789abcdef0',
    });
    expect(m.inputs.find((i) => i.name === 'private_subnet_ids')).toMatchObject({ type: 'list(string)' });
  });

  test('an existing network with components that pick a subnet works as a module (real terraform plan)', () => {
    const spec = compileData({
      ...MINIMAL,
      network: {
        existing: {
          vpcId: 'vpc-0123456789abcdef0',
          subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
          securityGroupIds: ['sg-0123456789abcdef0'],
        },
      },
      data: {
        glue: {
          databases: [{ name: 'lake' }],
          jobs: [{ name: 'etl', script: 's3://acme-shared-code/glue/etl.py' }],
        },
      },
    });
    const m = synthesizeModule(spec, 'pipeline.yaml');
    const variables = JSON.parse(m.files.get('variables.tf.json') as string).variable;
    expect(variables.private_subnet_ids.validation[0].condition).toBe(
      '${length(var.private_subnet_ids) == 2}',
    );
    expect(m.files.get('main.tf.json')).toContain('${element(var.private_subnet_ids, 0)}');
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-module-existing-'));
    for (const [name, content] of m.files) writeFileSync(join(dir, name), content);
    writeFileSync(
      join(dir, 'provider.tf.json'),
      JSON.stringify({ provider: { aws: { region: 'us-east-1' } } }),
    );
    const r = initValidatePlan(dir);
    if (!r.ok) throw new Error(`terraform ${r.step} failed:\n${r.output}`);
  });

  test('matches generated/modules/data-lake (run `npm run gen:examples` after a change)', () => {
    for (const [name, content] of mod.files) {
      expect(readFileSync(join(ROOT, 'generated', 'modules', 'data-lake', name), 'utf8')).toBe(content);
    }
  });

  test('examples/consume-module (plain HCL) inits, validates and plans against the generated module', () => {
    const r = initValidatePlan(join(ROOT, 'examples', 'consume-module'), {
      alongside: { '../../generated/modules/data-lake': join(ROOT, 'generated', 'modules', 'data-lake') },
    });
    if (!r.ok) throw new Error(`terraform ${r.step} failed:\n${r.output}`);
    expect(r.checkOutput).toMatch(/Plan: 56 to add/);
    expect(r.checkOutput).not.toMatch(/Warning:/);
  });

  test('a caller-supplied key replaces the created one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-byo-'));
    writeFileSync(
      join(dir, 'main.tf'),
      [
        'provider "aws" {',
        '  region = "eu-west-1"',
        '}',
        'module "churn" {',
        '  source      = "../../generated/modules/data-lake"',
        '  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
        '}',
        '',
      ].join('\n'),
    );
    const r = initValidatePlan(dir, {
      alongside: { '../../generated/modules/data-lake': join(ROOT, 'generated', 'modules', 'data-lake') },
    });
    if (!r.ok) throw new Error(`terraform ${r.step} failed:\n${r.output}`);
    // The key and its alias are not created: 56 - 2.
    expect(r.checkOutput).toMatch(/Plan: 54 to add/);
  });
});
