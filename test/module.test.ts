import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import { compileStandIn } from '../src/compiler/stand-in';
import { MODULE_PROVIDER_CONSTRAINT, synthesizeModule, type ModuleResult } from '../src/synth/module';
import { moduleExamples } from '../src/synth/module-examples';
import { valueType } from '../src/synth/module-readme';
import { requiredTerraform } from '../src/synth/module-versions';
import { runCli } from './harness/cli';
import { compileData, MINIMAL, ROOT } from './harness/spec';
import { cliConfig, initValidatePlan } from './harness/terraform';

const DATA_LAKE = join('examples', 'data-lake', 'pipeline.yaml');
const DATA_LAKE_MODULE = join('generated', 'modules', 'data-lake');
// As the CLI writes it: with the stand-in compile that gives the module its name_prefix input.
const moduleOf = () =>
  synthesizeModule(
    compileSpec(DATA_LAKE, readSpecFile(join(ROOT, DATA_LAKE))).resolved,
    DATA_LAKE,
    `./${DATA_LAKE_MODULE}`,
    { standIn: compileStandIn(join(ROOT, DATA_LAKE), readSpecFile(join(ROOT, DATA_LAKE))) },
  );

/** Writes a module's files into a fresh directory. */
function writeModule(m: ModuleResult, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, content] of m.files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

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
    expect(mod.inputs.map((i) => i.name)).toEqual(['kms_key_arn', 'name_prefix', 'tags']);
    expect(mod.outputs.map((o) => o.name)).toEqual(
      expect.arrayContaining(['bucket_arns', 'bucket_names', 'kms_key_arn', 'kpis']),
    );
  });

  test('the README has a terraform-docs section between its markers, with a usage snippet', () => {
    const readme = mod.files.get('README.md') as string;
    const section = /<!-- BEGIN_TF_DOCS -->\n([\s\S]*)\n<!-- END_TF_DOCS -->/.exec(readme)?.[1] ?? '';
    expect(section.split('\n').filter((l) => l.startsWith('## '))).toEqual([
      '## Requirements',
      '## Providers',
      '## Modules',
      '## Resources',
      '## Inputs',
      '## Outputs',
    ]);
    expect(section).toContain(
      '| Name | Description | Type | Default | Required |\n|------|-------------|------|---------|:--------:|',
    );
    expect(section).toContain(
      '| <a name="input_kms_key_arn"></a> [kms\\_key\\_arn](#input\\_kms\\_key\\_arn) | ARN of an existing KMS key',
    );
    expect(section).toContain('| `string` | `null` | no |');
    for (const o of mod.outputs)
      expect(section).toContain(`(#output\\_${o.name.replace(/_/g, '\\_')}) | ${o.description} |`);
    expect(section).toContain(
      '| [aws_kms_key.kms](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key) | resource |',
    );
    expect(section.match(/\| resource \|$/gm)).toHaveLength(mod.addresses.length);
    expect(readme).toMatch(/module "churn" \{\n {2}source = "\.\/generated\/modules\/data-lake"/);
  });

  test("required_version is the module's own, stated once: versions file and README agree", () => {
    const versions = file('versions.tf.json').terraform.required_version;
    expect(versions).toBe(mod.requiredVersion);
    // The preconditions that guard region-bound values (and the key's region) need 1.2; the
    // root's 1.10 (S3 lock files) is the backend's, not the module's.
    expect(versions).toBe('>= 1.2.0');
    expect(mod.files.get('README.md')).toContain(`| ${versions} |`);
    expect(mod.files.get('README.md')).not.toContain('1.10.0');
    for (const example of ['minimal', 'complete'])
      expect(mod.files.get(`examples/${example}/main.tf`)).toContain(`required_version = "${versions}"`);
  });

  test('outputs are documented with the types Terraform infers', () => {
    const types = Object.fromEntries(mod.outputs.map((o) => [o.name, o.type]));
    expect(types.kms_key_arn).toBe('string');
    expect(types.bucket_names).toMatch(
      /^object\(\{ ([\w-]+ = string, )*raw = string(, [\w-]+ = string)* \}\)$/,
    );
    expect(types.kpis).toMatch(
      /^object\(\{ \w+ = object\(\{ direction = string, metric = string, threshold = number \}\)/,
    );
    expect(mod.files.get('README.md')).toContain(`| kms\\_key\\_arn | \`string\` |`);
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
    // The pipeline tag names the instance: its name_prefix (the pipeline name by default).
    expect(main.locals.spec_tags).toMatchObject({
      team: 'ml-platform',
      'pipeform:pipeline': '${var.name_prefix}',
    });
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
    const dir = writeModule(m, 'pipeform-module-existing-');
    writeFileSync(
      join(dir, 'provider.tf.json'),
      JSON.stringify({ provider: { aws: { region: 'us-east-1' } } }),
    );
    const r = initValidatePlan(dir);
    if (!r.ok) throw new Error(`terraform ${r.step} failed:\n${r.output}`);
  });

  test('matches generated/modules/data-lake (run `npm run gen:examples` after a change)', () => {
    for (const [name, content] of mod.files) {
      expect(readFileSync(join(ROOT, DATA_LAKE_MODULE, name), 'utf8')).toBe(content);
    }
  });

  test.each(['minimal', 'complete'])(
    'examples/%s calls ../../ with a provider block and plans the whole module',
    (example) => {
      const text = mod.files.get(`examples/${example}/main.tf`) as string;
      expect(text).toContain('provider "aws" {\n  region = "eu-west-1"\n}');
      expect(text).toContain('source = "../../"');
      if (example === 'complete')
        for (const i of mod.inputs) expect(text).toMatch(new RegExp(`\\n  ${i.name} +=`));
      const r = initValidatePlan(join(ROOT, DATA_LAKE_MODULE, 'examples', example), {
        alongside: { '../..': join(ROOT, DATA_LAKE_MODULE) },
      });
      if (!r.ok) throw new Error(`terraform ${r.step} failed:\n${r.output}`);
      expect(r.checkOutput).toMatch(new RegExp(`Plan: ${mod.addresses.length} to add`));
    },
  );

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

describe('module required_version', () => {
  const variable = (extra: object) => ({ variable: { x: { type: 'string', ...extra } } });
  test.each([
    ['nothing newer than 1.0', {}, '1.0.0'],
    ['a nullable variable', variable({ nullable: true }), '1.1.0'],
    ['a moved block', { moved: [{ from: 'a.b', to: 'a.c' }] }, '1.1.0'],
    [
      'a resource precondition',
      {
        resource: {
          t: { n: { lifecycle: { precondition: [{ condition: '${true}', error_message: 'x' }] } } },
        },
      },
      '1.2.0',
    ],
    ['an optional object attribute', variable({ type: 'object({ a = optional(string) })' }), '1.3.0'],
    ['a check block', { check: { c: { assert: [{ condition: '${true}', error_message: 'x' }] } } }, '1.5.0'],
    ['a removed block', { removed: [{ from: 'a.b' }] }, '1.7.0'],
    [
      'a validation of the variable itself',
      variable({ validation: [{ condition: '${var.x != ""}' }] }),
      '1.0.0',
    ],
    [
      'a validation that reads another variable',
      variable({ validation: [{ condition: '${var.x != var.y}' }] }),
      '1.9.0',
    ],
    ["import blocks are the caller's: stripped, they need nothing", { resource: {} }, '1.0.0'],
  ])('%s: >= %s', (_what, config, version) => {
    expect(requiredTerraform(config as Record<string, unknown>).version).toBe(version);
  });
});

describe('output types', () => {
  const config = {
    variable: { names: { type: 'list(string)' } },
    locals: { key: '${coalesce(var.k, one(aws_kms_key.kms[*].arn))}' },
    resource: {},
  };
  test.each([
    ['${aws_s3_bucket.b.arn}', 'string'],
    ['${aws_s3_bucket.b.tags}', 'map(string)'],
    ['${aws_s3_bucket.b.bucket}/prefix', 'string'],
    ['${var.names}', 'list(string)'],
    ['${local.key}', 'any'],
    ['${one(aws_kms_key.kms[*].arn)}', 'string'],
    ['${cond ? "a" : "b"}', 'any'],
    [{ raw: '${aws_s3_bucket.b.arn}', 'deep-fraud': 'x' }, 'object({ raw = string, deep-fraud = string })'],
    [{ 'pipeform:x': 'a', 'pipeform:y': 'b' }, 'map(string)'],
    [['${aws_subnet.a.id}', '${aws_subnet.b.id}'], 'list(string)'],
    [
      { auc: { threshold: 0.9, direction: 'higher' } },
      'object({ auc = object({ threshold = number, direction = string }) })',
    ],
  ])('%j: %s', (value, type) => {
    expect(valueType(value, config)).toBe(type);
  });
});

describe('pipeform module --format hcl', () => {
  // batch-etl ships local Lambda code (functions/validate-events) and local scripts: the
  // module carries them under assets/ and reads them as ${path.module}/assets/...
  const BATCH = join('examples', 'batch-etl', 'pipeline.yaml');
  const spec = compileSpec(BATCH, readSpecFile(join(ROOT, BATCH))).resolved;
  const asJson = synthesizeModule(spec, BATCH);
  const asHcl = synthesizeModule(spec, BATCH, './clicks', { format: 'hcl' });

  test('writes .tf files for the same layout, and no .tf.json', () => {
    const names = (m: ModuleResult) => [...m.files.keys()].sort();
    expect(names(asHcl)).toEqual(names(asJson).map((n) => n.replace(/\.tf\.json$/, '.tf')));
    expect(asHcl.files.get('versions.tf')).toContain(`required_version = "${asJson.requiredVersion}"`);
    expect(asHcl.files.get('README.md')).toContain('`main.tf`');
    expect(asHcl.files.get('main.tf')).toContain(
      'filename                       = "${path.module}/assets/lambda-validate-events.zip"',
    );
  });

  test('validates, and plans exactly the resources and values the JSON module plans (local Lambda code included)', () => {
    const provider = JSON.stringify({ provider: { aws: { region: spec.region } } });
    const plans = [asJson, asHcl].map((m) => {
      const dir = writeModule(m, `pipeform-module-${m.format}-`);
      writeFileSync(join(dir, 'provider.tf.json'), provider);
      if (m.format === 'hcl') {
        // Every inferred output type must be a type Terraform accepts.
        writeFileSync(
          join(dir, 'output_types.tf'),
          m.outputs
            .map((o) => `variable "type_of_${o.name}" {\n  type    = ${o.type}\n  default = null\n}\n`)
            .join('\n'),
        );
      }
      const r = initValidatePlan(dir, { json: true });
      if (!r.ok) throw new Error(`terraform ${r.step} (${m.format}) failed:\n${r.output}`);
      const changes = (r.plan!.resource_changes ?? []) as { address: string; change: { after: unknown } }[];
      return Object.fromEntries(changes.map((c) => [c.address, c.change.after]));
    });
    // The key is counted (created only when the caller brings none): kms_key.kms[0].
    expect(
      Object.keys(plans[1])
        .map((a) => a.replace(/\[0\]$/, ''))
        .sort(),
    ).toEqual([...asJson.addresses].sort());
    expect(plans[1]).toEqual(plans[0]);
  });

  test('the CLI writes it; --json says what was written', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pipeform-module-cli-')), 'clicks');
    const r = await runCli(['module', join(ROOT, BATCH), '--out', out, '--format', 'hcl', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      command: 'module',
      directory: out,
      format: 'hcl',
      requiredVersion: asHcl.requiredVersion,
    });
    expect(report.files).toEqual(
      expect.arrayContaining([join(out, 'main.tf'), join(out, 'examples', 'minimal', 'main.tf')]),
    );
    expect(existsSync(join(out, 'main.tf.json'))).toBe(false);
    // Written as `terraform fmt` would write it (module and example callers alike).
    const fmt = spawnSync('terraform', ['fmt', '-check', '-recursive', '-no-color', out], {
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    expect(fmt.stdout).toBe('');
    expect(fmt.status).toBe(0);
    expect((await runCli(['module', join(ROOT, BATCH), '--out', out, '--format', 'yaml'])).code).toBe(2);
  });
});

describe('pipeform module --format hcl on the complete example', () => {
  test('terraform validate passes (WAF statements, dynamic blocks, lifecycle, data sources)', () => {
    const COMPLETE = join('examples', 'complete', 'pipeline.yaml');
    const m = synthesizeModule(
      compileSpec(COMPLETE, readSpecFile(join(ROOT, COMPLETE))).resolved,
      COMPLETE,
      './fraud',
      {
        format: 'hcl',
      },
    );
    const main = m.files.get('main.tf') as string;
    expect(main).toContain('dynamic "production_variants" {');
    expect(main).toMatch(/\n {4}statement \{\n {6}managed_rule_group_statement \{/);
    const dir = writeModule(m, 'pipeform-module-complete-hcl-');
    const env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig(),
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
    };
    for (const args of [
      ['init', '-input=false', '-no-color', '-backend=false'],
      ['validate', '-no-color'],
    ]) {
      const r = spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8', timeout: 300000 });
      if (r.status !== 0) throw new Error(`terraform ${args[0]} failed:\n${r.stdout}${r.stderr}`);
    }
  });
});

describe('local code in a module', () => {
  test("a caller in another directory plans Lambda zips and scripts from the module's assets/, byte for byte", () => {
    const BATCH = join('examples', 'batch-etl', 'pipeline.yaml');
    const m = synthesizeModule(compileSpec(BATCH, readSpecFile(join(ROOT, BATCH))).resolved, BATCH);
    const moduleDir = writeModule(m, 'pipeform-module-assets-');
    const r = initValidatePlan(join(moduleDir, 'examples', 'minimal'), {
      alongside: { '../..': moduleDir },
      json: true,
    });
    if (!r.ok) throw new Error(`terraform ${r.step} failed:\n${r.output}`);
    const changes = (r.plan!.resource_changes ?? []) as {
      type: string;
      change: { after: Record<string, string> };
    }[];
    const lambdas = changes.filter((c) => c.type === 'aws_lambda_function');
    const uploads = changes.filter((c) => c.type === 'aws_s3_object');
    expect(lambdas.map((c) => c.change.after.function_name).sort()).toEqual([
      'clicks-quality-check',
      'clicks-validate-events',
    ]);
    expect(uploads.length).toBeGreaterThan(0);
    const sha256 = (path: string, encoding: 'base64' | 'hex') =>
      createHash('sha256').update(readFileSync(path)).digest(encoding);
    // The plan ran in <scratch>/examples/config: the paths Terraform resolved from
    // ${path.module} point into the module's assets/ from there.
    for (const c of lambdas) {
      expect(c.change.after.filename).toMatch(/^\.\.\/\.\.\/assets\/lambda-.*\.zip$/);
      const file = resolve(moduleDir, 'examples', 'minimal', c.change.after.filename);
      expect(sha256(file, 'base64')).toBe(c.change.after.source_code_hash);
    }
    for (const c of uploads) {
      const file = resolve(moduleDir, 'examples', 'minimal', c.change.after.source);
      expect(sha256(file, 'hex')).toBe(c.change.after.source_hash);
    }
  });
});

describe('module examples', () => {
  test('an input without a default is required: both callers pass it through a variable of their own', () => {
    const spec = compileSpec(DATA_LAKE, readSpecFile(join(ROOT, DATA_LAKE))).resolved;
    const examples = moduleExamples(spec, {
      inputs: [
        { name: 'name_prefix', type: 'string', description: 'Prefix of every name.', required: true },
        { name: 'tags', type: 'map(string)', description: 'Tags.', default: { a: 'b' }, required: false },
      ],
      outputs: [{ name: 'vpc_id', type: 'string', description: 'The VPC.' }],
      requiredVersion: '>= 1.2.0',
      providerConstraint: MODULE_PROVIDER_CONSTRAINT,
    });
    const minimal = examples.get('examples/minimal/main.tf')!;
    expect(minimal).toContain(
      'variable "name_prefix" {\n  description = "Prefix of every name."\n  type        = string\n}',
    );
    expect(minimal).toContain('  name_prefix = var.name_prefix\n}');
    expect(minimal).not.toContain('tags');
    const complete = examples.get('examples/complete/main.tf')!;
    expect(complete).toContain('  name_prefix = var.name_prefix\n  tags = {\n    a = "b"\n  }\n}');
    expect(complete).toContain(
      'output "vpc_id" {\n  description = "The VPC."\n  value       = module.churn.vpc_id\n}',
    );
    expect(complete).toContain('required_version = ">= 1.2.0"');
  });
});
