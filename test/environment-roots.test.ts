import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import { SHARED_MODULE_DIR, sharedModuleOf } from '../src/synth/environment-roots';
import type { FileContent } from '../src/synth/synth';
import { synthesizeTargets } from '../src/synth/targets';
import { runCli } from './harness/cli';
import { ROOT } from './harness/spec';
import { initValidatePlan } from './harness/terraform';

/**
 * A spec with environments is written as one module (modules/pipeline/) and a thin root
 * per environment that calls it; dev and prod run the same module bytes, and the flat
 * layout's state moves into the module instance through moved blocks.
 */

type Json = Record<string, unknown>;
const FILE = 'examples/multi-env/pipeline.yaml';
const TEXT = readFileSync(join(ROOT, FILE), 'utf8');
const compile = (text: string) => compileSpec(FILE, Buffer.from(text));
const layoutOf = (text: string) => synthesizeTargets(compile(text), FILE);

const text = (c: FileContent) => (typeof c === 'string' ? c : Buffer.from(c).toString('base64'));
/** sha256 over the files under `prefix` (path and content), as a module directory's hash. */
function hashOf(files: ReadonlyMap<string, FileContent>, prefix = ''): string {
  const h = createHash('sha256');
  for (const [path, content] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
    if (path.startsWith(prefix)) h.update(`${path.slice(prefix.length)}\0${text(content)}\0`);
  return h.digest('hex');
}
/** Every file under `dir`, by path relative to it. */
const readDir = (dir: string) =>
  new Map<string, FileContent>(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => {
        const path = join(d.parentPath, d.name);
        return [path.slice(dir.length + 1), readFileSync(path, 'utf8')];
      }),
  );
const root = (files: ReadonlyMap<string, FileContent>, env: string) =>
  JSON.parse(files.get(`${env}/main.tf.json`) as string) as Json;
const call = (r: Json) => (r.module as Record<string, Json>).pipeline;

describe('examples/multi-env: one module, a thin root per environment', () => {
  const compiled = compile(TEXT);
  const { files, layout, targets } = synthesizeTargets(compiled, FILE);

  test('writes modules/pipeline/ once and one root per environment, nothing else', () => {
    expect(layout?.kind).toBe('module');
    expect(layout?.notices).toEqual([]);
    const paths = [...files.keys()];
    expect(paths.filter((p) => !p.startsWith(`${SHARED_MODULE_DIR}/`)).sort()).toEqual([
      'dev/main.tf.json',
      'prod/main.tf.json',
    ]);
    expect(paths).toContain(`${SHARED_MODULE_DIR}/main.tf.json`);
    for (const env of ['dev', 'prod']) {
      expect(root(files, env).resource).toBeUndefined();
      expect(call(root(files, env)).source).toBe('../modules/pipeline');
    }
  });

  test('dev and prod run the same module bytes: the module each environment builds hashes the same', () => {
    const hashes = compiled.environments.map((e) =>
      hashOf(sharedModuleOf(e.resolved, FILE, compiled.resolved.name).files),
    );
    expect(hashes).toHaveLength(2);
    expect(hashes[1]).toBe(hashes[0]);
    expect(hashOf(files, `${SHARED_MODULE_DIR}/`)).toBe(hashes[0]);
    // ... and it is what is committed.
    const dir = join(ROOT, 'generated', 'multi-env', SHARED_MODULE_DIR);
    const committed = readDir(dir);
    expect(hashOf(committed)).toBe(hashes[0]);
  });

  test('the module names neither environment: no stack name, account, CIDR or admin of one', () => {
    const all = [...files.entries()]
      .filter(([p]) => p.startsWith(`${SHARED_MODULE_DIR}/`))
      .map(([, c]) => text(c))
      .join('\n');
    for (const literal of [
      'demand-dev',
      'demand-prod',
      '111111111111',
      '222222222222',
      '10.10.',
      '10.20.',
      'platform-admin',
      'production',
      'development',
    ])
      expect({ literal, found: all.includes(literal) }).toEqual({ literal, found: false });
  });

  test('the roots differ only in the inputs, the account and tags of the provider, and the backend', () => {
    const [dev, prod] = ['dev', 'prod'].map((e) => root(files, e));
    expect(call(dev)).toMatchObject({
      name: 'demand-dev',
      vpc_cidr: '10.10.0.0/16',
      kms_admin_arns: [],
    });
    expect(call(prod)).toMatchObject({
      name: 'demand-prod',
      vpc_cidr: '10.20.0.0/16',
      subnet_cidrs: { 'private-us-west-2a': '10.20.0.0/20', 'private-us-west-2b': '10.20.16.0/20' },
      kms_admin_arns: ['arn:aws:iam::222222222222:role/platform-admin'],
    });
    const provider = (r: Json) => (r.provider as { aws: Json[] }).aws[0];
    expect([provider(dev).allowed_account_ids, provider(prod).allowed_account_ids]).toEqual([
      ['111111111111'],
      ['222222222222'],
    ]);
    const tags = (r: Json) => (provider(r).default_tags as { tags: Json }[])[0].tags;
    expect([tags(dev).tier, tags(prod).tier]).toEqual(['development', 'production']);
    expect([tags(dev)['pipeform:pipeline'], tags(prod)['pipeform:pipeline']]).toEqual([
      'demand-dev',
      'demand-prod',
    ]);
    const backend = (r: Json) => ((r.terraform as Json).backend as { s3: Json }).s3.bucket;
    expect([backend(dev), backend(prod)]).toEqual(['acme-dev-terraform-state', 'acme-prod-terraform-state']);
    const neutral = (r: Json): Json => {
      const { allowed_account_ids: _a, default_tags: _t, ...p } = provider(r);
      const { backend: _b, ...tf } = r.terraform as Json;
      return { ...r, module: { pipeline: { source: call(r).source } }, provider: p, terraform: tf };
    };
    expect(neutral(prod)).toEqual(neutral(dev));
  });

  test('every address of the flat layout moves into module.pipeline (the counted key and alias to [0])', () => {
    for (const t of targets) {
      const flat = JSON.parse(t.result.files.get('main.tf.json') as string) as Json;
      const addresses = Object.entries(flat.resource as Record<string, Json>)
        .flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`))
        .sort();
      const moved = root(files, t.dir).moved as { from: string; to: string }[];
      expect(moved.map((m) => m.from)).toEqual(addresses);
      const main = JSON.parse(files.get(`${SHARED_MODULE_DIR}/main.tf.json`) as string) as {
        resource: Record<string, Record<string, Json>>;
      };
      const counted = (a: string) => main.resource[a.split('.')[0]][a.split('.')[1]].count !== undefined;
      expect(moved.filter((m) => counted(m.from)).map((m) => m.from)).toEqual([
        'aws_kms_alias.kms',
        'aws_kms_key.kms',
      ]);
      for (const m of moved) expect(m.to).toBe(`module.pipeline.${m.from}${counted(m.from) ? '[0]' : ''}`);
    }
  });
});

describe('day 2', () => {
  const before = layoutOf(TEXT).files;
  const moduleHash = (files: ReadonlyMap<string, FileContent>) => hashOf(files, `${SHARED_MODULE_DIR}/`);

  test('a change to the shared spec changes the module both environments call, not their roots', () => {
    const after = layoutOf(TEXT.replace('    threshold: 0.12', '    threshold: 0.10')).files;
    expect(moduleHash(after)).not.toBe(moduleHash(before));
    for (const env of ['dev', 'prod'])
      expect(after.get(`${env}/main.tf.json`)).toBe(before.get(`${env}/main.tf.json`));
  });

  test('an environment-only change touches only that root', () => {
    const after = layoutOf(
      TEXT.replace('      tier: production', '      tier: production\n      cost-center: "42"').replace(
        'bucket: acme-prod-terraform-state',
        'bucket: acme-prod-tf-state',
      ),
    ).files;
    expect(moduleHash(after)).toBe(moduleHash(before));
    expect(after.get('dev/main.tf.json')).toBe(before.get('dev/main.tf.json'));
    expect(after.get('prod/main.tf.json')).not.toBe(before.get('prod/main.tf.json'));
    const tags = (r: Json) =>
      ((r.provider as { aws: Json[] }).aws[0].default_tags as { tags: Json }[])[0].tags;
    expect(tags(root(after, 'prod'))).toMatchObject({ 'cost-center': '42', tier: 'production' });
    expect(tags(root(after, 'dev'))).toMatchObject({ tier: 'development' });
  });
});

describe('existing networks: the ids are required inputs, set by each root', () => {
  const ids = (n: string) => `
    vpcId: vpc-0${n.repeat(16)}
    subnetIds: [subnet-0${n.repeat(16)}]
    securityGroupIds: [sg-0${n.repeat(16)}]`;
  const spec = `apiVersion: pipeform/v1
name: demand
region: us-west-2
account: '111111111111'
network:
  existing:${ids('a')}
environments:
  dev: {}
  prod:
    account: '222222222222'
    network:
      existing:${ids('b').replace(/\n/g, '\n    ')}
`;
  const { files, layout } = layoutOf(spec);

  test('one module, no environment id baked in; each root passes its own', () => {
    expect(layout?.kind).toBe('module');
    const module = [...files.entries()]
      .filter(([p]) => p.startsWith(`${SHARED_MODULE_DIR}/`) && p.endsWith('.tf.json'))
      .map(([, c]) => text(c))
      .join('\n');
    expect(module).not.toMatch(/vpc-0a|vpc-0b|demand-dev|demand-prod/);
    const variables = JSON.parse(files.get(`${SHARED_MODULE_DIR}/variables.tf.json`) as string) as {
      variable: Record<string, Json>;
    };
    for (const v of ['vpc_id', 'private_subnet_ids', 'security_group_ids'])
      expect({ v, required: !('default' in variables.variable[v]) }).toEqual({ v, required: true });
    expect(call(root(files, 'dev'))).toMatchObject({ vpc_id: `vpc-0${'a'.repeat(16)}` });
    expect(call(root(files, 'prod'))).toMatchObject({
      vpc_id: `vpc-0${'b'.repeat(16)}`,
      private_subnet_ids: [`subnet-0${'b'.repeat(16)}`],
      security_group_ids: [`sg-0${'b'.repeat(16)}`],
    });
  });
});

describe('an override that changes the shape', () => {
  test('a third availability zone in prod: each environment keeps its whole configuration, and a notice says why', () => {
    const { files, layout } = layoutOf(
      TEXT.replace(
        'cidr: 10.20.0.0/16\n        availabilityZones: [us-west-2a, us-west-2b]',
        'cidr: 10.20.0.0/16\n        availabilityZones: [us-west-2a, us-west-2b, us-west-2c]',
      ),
    );
    expect(layout?.kind).toBe('flat');
    expect(layout?.notices).toHaveLength(1);
    expect(layout?.notices[0]).toContain('prod has aws_route_table.network_private_us_west_2c');
    expect(layout?.notices[0]).toContain('docs/environments.md');
    expect([...files.keys()].some((p) => p.startsWith('modules/'))).toBe(false);
    expect(Object.keys(root(files, 'prod').resource as Json)).toContain('aws_subnet');
    // A spec that had the module layout keeps its resources when it falls back: moved blocks out.
    const moved = root(files, 'dev').moved as { from: string; to: string }[];
    expect(moved).toContainEqual({ from: 'module.pipeline.aws_vpc.network', to: 'aws_vpc.network' });
    expect(moved).toContainEqual({ from: 'module.pipeline.aws_kms_key.kms[0]', to: 'aws_kms_key.kms' });
  });

  test('promotion (training only in the owner): flat per environment, as before', () => {
    const file = 'examples/promotion/pipeline.yaml';
    const { files, layout } = synthesizeTargets(compileSpec(file, readSpecFile(join(ROOT, file))), file);
    expect(layout?.kind).toBe('flat');
    expect(layout?.notices[0]).toMatch(/^environments dev, prod differ in shape \(dev has /);
    expect((root(files, 'dev').resource as Json).aws_sagemaker_pipeline).toBeDefined();
    expect((root(files, 'prod').resource as Json).aws_sagemaker_pipeline).toBeUndefined();
  });
});

describe('pipeform module on a spec with environments', () => {
  const out = () => join(mkdtempSync(join(tmpdir(), 'pipeform-envmod-')), 'm');
  test('writes the module the environment roots call, byte for byte', async () => {
    const dir = out();
    const r = await runCli(['module', join(ROOT, FILE), '--out', dir]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(hashOf(readDir(dir))).toBe(hashOf(layoutOf(TEXT).files, `${SHARED_MODULE_DIR}/`));
  });

  test('environments of different shapes: an error that asks for --env, and nothing written', async () => {
    const dir = out();
    const r = await runCli(['module', join(ROOT, 'examples/promotion/pipeline.yaml'), '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('differ in shape');
    expect(r.stderr).toContain('pass --env dev|prod');
    expect(existsSync(dir)).toBe(false);
  });

  test('--env picks the environment; an unknown one, or one without environments, is an error', async () => {
    const dir = out();
    const prod = await runCli([
      'module',
      join(ROOT, 'examples/promotion/pipeline.yaml'),
      '--out',
      dir,
      '--env',
      'prod',
    ]);
    expect(prod.code).toBe(0);
    const main = JSON.parse(readFileSync(join(dir, 'main.tf.json'), 'utf8')) as { resource: Json };
    expect(main.resource.aws_sagemaker_pipeline).toBeUndefined();
    expect(main.resource.aws_sagemaker_endpoint).toBeDefined();
    const unknown = await runCli(['module', join(ROOT, FILE), '--out', out(), '--env', 'stage']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no environment "stage" in the spec; its environments: dev, prod');
    const none = await runCli([
      'module',
      join(ROOT, 'examples/quickstart/pipeline.yaml'),
      '--out',
      out(),
      '--env',
      'dev',
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--env dev: the spec has no environments');
  });
});

describe('real Terraform: the prod root plans what the flat prod configuration had', () => {
  test('same resources, the same key policy and bucket names, through the module', () => {
    const gen = join(ROOT, 'generated', 'multi-env');
    const r = initValidatePlan(join(gen, 'prod'), {
      alongside: { '../modules': join(gen, 'modules') },
      callerAccount: '222222222222',
      json: true,
    });
    if (!r.ok) throw new Error(`terraform ${r.step} failed:\n${r.output}`);
    const compiled = compile(TEXT);
    const flat = JSON.parse(
      synthesizeTargets(compiled, FILE).targets[1].result.files.get('main.tf.json') as string,
    ) as { resource: Record<string, Record<string, Json>> };
    const count = Object.values(flat.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(r.output).toContain(`Plan: ${count} to add, 0 to change, 0 to destroy.`);
    type Planned = { address: string; values: Json };
    const child = (
      r.plan as { planned_values: { root_module: { child_modules: { resources: Planned[] }[] } } }
    ).planned_values.root_module.child_modules[0].resources;
    const planned = (address: string) =>
      child.find((x) => x.address === `module.pipeline.${address}`)?.values;
    expect(JSON.parse(planned('aws_kms_key.kms[0]')?.policy as string)).toEqual(
      JSON.parse(flat.resource.aws_kms_key.kms.policy as string),
    );
    for (const [name, bucket] of Object.entries(flat.resource.aws_s3_bucket))
      expect(planned(`aws_s3_bucket.${name}`)?.bucket).toBe(bucket.bucket);
    expect(planned('aws_vpc.network')?.cidr_block).toBe('10.20.0.0/16');
  });
});
