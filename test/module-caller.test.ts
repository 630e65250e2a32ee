import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import type { ResolvedSpec } from '../src/model/resolved';
import { synthesizeModule, type ModuleResult } from '../src/synth/module';
import { MAIN_FILE, synthesize } from '../src/synth/synth';
import { compileData, examples, MINIMAL, ROOT } from './harness/spec';
import { mockAwsProvider, terraformTest } from './harness/terraform';

/**
 * A module follows the account, region and partition of the aws provider it is called
 * with; what the spec binds to its region (zones, ECR images) is guarded by preconditions.
 */

const resolvedOf = (file: string): ResolvedSpec => compileSpec(file, readSpecFile(join(ROOT, file))).resolved;

/** Every .tf.json and Kubernetes manifest (or template) of a module, as one text. */
const terraformText = (m: ModuleResult) =>
  [...m.files.entries()]
    .filter(([n]) => n.endsWith('.tf.json') || n.startsWith('k8s/'))
    .map(([, c]) => c as string)
    .join('\n');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Json = Record<string, unknown>;

/** Blocks by address (`type.name`, `data.type.name`, `output.name`) of a module's main and outputs. */
function blocks(m: ModuleResult): Map<string, Json> {
  const out = new Map<string, Json>();
  const main = JSON.parse(m.files.get('main.tf.json') as string) as Json;
  const outputs = JSON.parse(m.files.get('outputs.tf.json') as string) as Json;
  for (const [group, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
  ] as const) {
    for (const [type, byName] of Object.entries((main[group] ?? {}) as Record<string, Record<string, Json>>))
      for (const [name, block] of Object.entries(byName)) out.set(`${prefix}${type}.${name}`, block);
  }
  for (const [name, block] of Object.entries((outputs.output ?? {}) as Record<string, Json>))
    out.set(`output.${name}`, block);
  return out;
}

describe.each(examples())('module of example $name', ({ file }) => {
  const spec = resolvedOf(file);
  const mod = synthesizeModule(spec, file);

  test("names no literal of the spec's account, and its region only in guarded spec-bound values", () => {
    let text = terraformText(mod);
    // The preconditions name the spec's region on purpose: take them out first.
    for (const [, block] of blocks(mod)) {
      const pre = [
        ...(((block.lifecycle as Json | undefined)?.precondition as Json[] | undefined) ?? []),
        ...((block.precondition as Json[] | undefined) ?? []),
      ];
      for (const p of pre) {
        text = text.split(JSON.stringify(p.condition).slice(1, -1)).join('');
        text = text.split(JSON.stringify(p.error_message).slice(1, -1)).join('');
      }
    }
    const bound = mod.callerBindings.bound.map((b) => b.value);
    // The kms_key_arn default is the spec's own key (a caller overrides it): it is data, not an expression.
    const keyDefault = spec.security.kms.existingKeyArn;
    for (const value of [...bound, ...(keyDefault ? [keyDefault] : [])]) text = text.split(value).join('');
    // Images in other accounts' registries (AWS's) do not name the spec's account, so this is exact.
    expect(text.match(new RegExp(`(?<![0-9])${escape(spec.account)}(?![0-9])`, 'g')) ?? []).toEqual([]);
    expect(text.match(new RegExp(`(?<![a-z0-9])${escape(spec.region)}(?![a-z0-9])`, 'g')) ?? []).toEqual([]);
    expect(text).not.toMatch(/arn:aws:(?!\$)/);
    expect(mod.callerBindings.account).toBeGreaterThan(0);
    expect(mod.callerBindings.region).toBeGreaterThan(0);
  });

  test('takes account, region and partition from the caller provider', () => {
    const main = JSON.parse(mod.files.get('main.tf.json') as string) as Json;
    expect(main.data).toMatchObject({
      aws_caller_identity: { current: {} },
      aws_region: { current: {} },
      aws_partition: { current: {} },
    });
    expect(main.locals).toMatchObject({
      caller_account_id: '${data.aws_caller_identity.current.account_id}',
      caller_region: '${data.aws_region.current.name}',
      caller_partition: '${data.aws_partition.current.partition}',
    });
  });

  test('every block that keeps a spec-bound value has a precondition naming it', () => {
    const all = blocks(mod);
    for (const address of mod.callerBindings.guarded) {
      const block = all.get(address)!;
      const pre = ((block.lifecycle as Json | undefined)?.precondition ?? block.precondition ?? []) as Json[];
      const guard = pre.find((p) => p.condition === `\${local.caller_region == "${spec.region}"}`);
      expect(guard).toBeDefined();
      const used = mod.callerBindings.bound.filter((b) => JSON.stringify(block).includes(b.value));
      expect(used.length).toBeGreaterThan(0);
      for (const b of used) expect(guard!.error_message).toContain(b.value);
    }
    // Nothing bound escapes its guard: each bound value sits in a guarded block.
    for (const b of mod.callerBindings.bound) {
      const holders = [...all.entries()].filter(([, block]) => JSON.stringify(block).includes(b.value));
      for (const [address] of holders) expect(mod.callerBindings.guarded).toContain(address);
    }
  });

  test("the root configuration keeps the spec's literals (root mode is unchanged)", () => {
    const root = synthesize(spec, file).files.get(MAIN_FILE) as string;
    expect(root).toContain(spec.account);
    expect(root).not.toContain('caller_account_id');
    expect(root).not.toContain('aws_caller_identity');
  });
});

test("the spec's availability zones and images stay literal and are guarded", () => {
  const spec = compileData({
    ...MINIMAL,
    region: 'eu-west-1',
    network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'] } },
  });
  const mod = synthesizeModule(spec, 'pipeline.yaml');
  expect(mod.callerBindings.bound).toEqual([
    { kind: 'zone', value: 'eu-west-1a' },
    { kind: 'zone', value: 'eu-west-1b' },
  ]);
  const main = JSON.parse(mod.files.get('main.tf.json') as string);
  const subnet = main.resource.aws_subnet.network_private_eu_west_1a;
  expect(subnet.availability_zone).toBe('eu-west-1a');
  expect(subnet.lifecycle.precondition[0].error_message).toBe(
    "aws_subnet.network_private_eu_west_1a uses availability zone eu-west-1a (network.vpc.availabilityZones), bound to eu-west-1, the spec's region, but the aws provider this module is called with is in ${local.caller_region}. Call the module with a provider in eu-west-1, or change the spec's region and what it binds there, and generate the module again.",
  );
  // The VPC endpoint service names are the caller's region.
  expect(main.resource.aws_vpc_endpoint.network_s3.service_name).toBe(
    'com.amazonaws.${local.caller_region}.s3',
  );
});

/** Writes a module and its test files into a scratch directory. */
function moduleWithTests(mod: ModuleResult, tests: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipeform-module-caller-'));
  for (const [name, content] of [...mod.files, ...Object.entries(tests)]) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Assertions that hold in any caller account and region for the lake and key every spec has. */
const callerAssertions = (account: string, region: string, spec: ResolvedSpec) => `
  assert {
    condition     = alltrue([for b in values(output.bucket_names) : !strcontains(b, "${spec.account}")])
    error_message = "a bucket still names the spec's account: \${jsonencode(output.bucket_names)}"
  }
  assert {
    condition     = strcontains(aws_kms_key.kms[0].policy, "\\"arn:aws:iam::${account}:root\\"")
    error_message = "the key policy is not the caller account's: \${aws_kms_key.kms[0].policy}"
  }
  assert {
    condition     = strcontains(aws_kms_key.kms[0].policy, "logs.${region}.amazonaws.com")${
      region === spec.region ? '' : ` && !strcontains(aws_kms_key.kms[0].policy, "${spec.region}")`
    }
    error_message = "the key policy does not name the caller region's logs service: \${aws_kms_key.kms[0].policy}"
  }
`;

describe('terraform test of a module with a mock provider in another account and region', () => {
  test.each(['quickstart', 'data-lake'])(
    '%s plans for account 999999999999 in us-west-2 with the values of that caller',
    (name) => {
      const file = join('examples', name, 'pipeline.yaml');
      const spec = resolvedOf(file);
      expect(spec.region).not.toBe('us-west-2');
      const mod = synthesizeModule(spec, file);
      expect(mod.callerBindings.bound).toEqual([]);
      const defaultPrefix = spec.storage.bucketPrefix === `${spec.name}-${spec.account}-${spec.region}`;
      const dir = moduleWithTests(mod, {
        'tests/caller.tftest.hcl': `${mockAwsProvider('999999999999', 'us-west-2')}
run "another_account_and_region" {
  command = plan
${callerAssertions('999999999999', 'us-west-2', spec)}${
          defaultPrefix
            ? `
  assert {
    condition     = aws_s3_bucket.lake_raw.bucket == "${spec.name}-999999999999-us-west-2-raw"
    error_message = "the raw bucket is \${aws_s3_bucket.lake_raw.bucket}"
  }
`
            : ''
        }}
`,
      });
      const r = terraformTest(dir);
      if (!r.ok) throw new Error(`terraform test failed:\n${r.output}`);
      expect(r.output).toMatch(/run "another_account_and_region"\.\.\. pass/);
    },
  );

  test('complete plans in another account; in another region its zones fail the plan with a clear message', () => {
    const file = join('examples', 'complete', 'pipeline.yaml');
    const spec = resolvedOf(file);
    const mod = synthesizeModule(spec, file);
    const guarded = mod.callerBindings.guarded;
    expect(guarded).toEqual(expect.arrayContaining(['aws_subnet.network_private_us_east_1a']));
    const dir = moduleWithTests(mod, {
      'tests/caller.tftest.hcl': `${mockAwsProvider('999999999999', spec.region)}
run "another_account" {
  command = plan
${callerAssertions('999999999999', spec.region, spec)}
  assert {
    condition     = aws_s3_bucket.lake_raw.bucket == "fraud-999999999999-${spec.region}-raw"
    error_message = "the raw bucket is \${aws_s3_bucket.lake_raw.bucket}"
  }
  assert {
    condition     = strcontains(output.kubernetes_manifests["jobs/deep-fraud.yaml"], "value: s3://fraud-999999999999-${spec.region}-checkpoints/fraud/eks/deep-fraud/")
    error_message = "the job manifest is not rendered for the caller: \${output.kubernetes_manifests["jobs/deep-fraud.yaml"]}"
  }
  assert {
    condition     = output.kubernetes_manifests["kustomization.yaml"] == file("k8s/kustomization.yaml")
    error_message = "the manifests without literals are handed over as written"
  }
}
`,
      // And what the user reads.
      'tests/message.tftest.hcl': `${mockAwsProvider('999999999999', 'us-west-2')}
run "wrong_region" {
  command = plan
}
`,
    });
    const r = terraformTest(dir);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/tests\/caller\.tftest\.hcl\.\.\. pass/);
    expect(r.output).toMatch(/tests\/message\.tftest\.hcl\.\.\. fail/);
    // In us-west-2 the guards fail, and nothing else does (dependents of a failed block are not planned).
    const errors = [...r.output.matchAll(/^Error: (.*)$/gm)].map((m) => m[1]);
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors)).toEqual(
      new Set(['Resource precondition failed', 'Module output value precondition failed']),
    );
    const failed = [
      ...[...r.output.matchAll(/in resource\.([a-z0-9_]+\.[a-z0-9_]+)\.lifecycle\.precondition/g)].map(
        (m) => m[1],
      ),
      ...[...r.output.matchAll(/in output\.([a-z0-9_]+)\.precondition/g)].map((m) => `output.${m[1]}`),
    ];
    expect(failed.length).toBe(errors.length);
    for (const address of failed) expect(guarded).toContain(address);
    const message = r.output.replace(/\s+/g, ' ');
    expect(message).toContain(
      "aws_subnet.network_private_us_east_1a uses availability zone us-east-1a (network.vpc.availabilityZones), bound to us-east-1, the spec's region, but the aws provider this module is called with is in us-west-2. Call the module with a provider in us-east-1",
    );
    expect(message).toContain(
      'output.kubernetes_manifests uses the ECR images 123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-deep:1.4.0, 602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/aws-efa-k8s-device-plugin:v0.5.20, bound to us-east-1',
    );
    expect(readFileSync(join(dir, 'main.tf.json'), 'utf8')).not.toContain('123456789012');
  });

  test('a bucket name that the caller region makes too long fails the plan, naming the bucket', () => {
    // 61 characters in us-east-1, 66 in ap-southeast-1: S3 allows 63.
    const spec = compileData({
      ...MINIMAL,
      name: 'longer-pipeline1',
      storage: { buckets: { 'feature-snapshots-v21': { purpose: 'a long bucket name' } } },
    });
    const mod = synthesizeModule(spec, 'pipeline.yaml');
    const dir = moduleWithTests(mod, {
      'tests/fits.tftest.hcl': `${mockAwsProvider('999999999999', 'us-east-1')}
run "fits_in_the_spec_region" {
  command = plan
}
`,
      'tests/long.tftest.hcl': `${mockAwsProvider('999999999999', 'ap-southeast-1')}
run "too_long_in_a_longer_region" {
  command         = plan
  expect_failures = [aws_s3_bucket.lake_feature_snapshots_v21]
}
`,
    });
    const r = terraformTest(dir);
    if (!r.ok) throw new Error(`terraform test failed:\n${r.output}`);
    expect(r.output).toMatch(/run "fits_in_the_spec_region"\.\.\. pass/);
    expect(r.output).toMatch(/run "too_long_in_a_longer_region"\.\.\. pass/);
  });

  test("the key must be in the caller's region: the spec's key is the default, a caller's key replaces it", () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const spec = compileData({
      ...MINIMAL,
      region: 'eu-west-1',
      security: { kms: { existingKeyArn: key } },
    });
    const mod = synthesizeModule(spec, 'pipeline.yaml');
    const dir = moduleWithTests(mod, {
      'tests/key.tftest.hcl': `${mockAwsProvider('999999999999', 'us-west-2')}
run "the_spec_key_in_another_region_fails" {
  command         = plan
  expect_failures = [output.kms_key_arn]
}

run "a_key_of_the_caller_region_plans" {
  command = plan
  variables {
    kms_key_arn = "arn:aws:kms:us-west-2:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  assert {
    condition     = output.kms_key_arn == "arn:aws:kms:us-west-2:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    error_message = "the caller's key is not the pipeline key"
  }
}
`,
      'tests/message.tftest.hcl': `${mockAwsProvider('999999999999', 'us-west-2')}
run "message" {
  command = plan
}
`,
    });
    const r = terraformTest(dir);
    expect(r.output).toMatch(/tests\/key\.tftest\.hcl\.\.\. pass/);
    expect(r.output).toMatch(/tests\/message\.tftest\.hcl\.\.\. fail/);
    expect(r.output.replace(/\s+/g, ' ')).toContain(
      'kms_key_arn is a key in eu-west-1, but the aws provider this module is called with is in us-west-2: KMS keys are regional.',
    );
  });
});
