import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import { compileStandIn, standInName } from '../src/compiler/stand-in';
import { synthesizeModule, type ModuleResult } from '../src/synth/module';
import { SAGEMAKER_ACCOUNT_LOG_GROUPS } from '../src/constructs/account-log-groups';
import { NAME_LIMITS, NAME_PREFIX_REF } from '../src/synth/module-prefix';
import { examples, ROOT } from './harness/spec';
import { mockAwsProvider, terraformTest } from './harness/terraform';

/**
 * A module's `name_prefix` input: the pipeline name by default (today's names, byte for
 * byte), another prefix moves every derived name, and a prefix too long for the tightest
 * AWS name limit fails the plan with a message naming that limit.
 */

type Json = Record<string, unknown>;

const compiled = (file: string) => {
  const bytes = readSpecFile(join(ROOT, file));
  return { resolved: compileSpec(file, bytes).resolved, standIn: compileStandIn(join(ROOT, file), bytes) };
};

/** A template's text as a file: template escapes undone. */
const unescape = (t: string) => t.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');

/** Every .tf.json of a module but variables.tf.json, and the manifests: what the prefix reaches. */
const configText = (m: ModuleResult) =>
  [...m.files.entries()]
    .filter(([n]) => (n.endsWith('.tf.json') && n !== 'variables.tf.json') || n.startsWith('k8s/'))
    .map(([n, c]) => `${n.replace(/\.tftpl$/, '')}\n${c as string}`)
    .join('\n');

describe.each(examples())('name_prefix of the module of example $name', ({ file }) => {
  const { resolved, standIn } = compiled(file);
  const plain = synthesizeModule(resolved, file);
  const prefixed = synthesizeModule(resolved, file, undefined, { standIn });

  test('the stand-in name has the length of the name and occurs nowhere in the plain module', () => {
    expect(standInName(resolved.name)).toHaveLength(resolved.name.length);
    expect(configText(plain)).not.toContain(standInName(resolved.name));
  });

  test("with the default prefix the module is today's, name for name", () => {
    const asDefault = (text: string) =>
      text
        .split(NAME_PREFIX_REF)
        .join(resolved.name)
        // The bucket-length message offers the prefix as a way out.
        .split('Pass a shorter name_prefix, or set')
        .join('Set');
    const main = prefixed.files.get('main.tf.json') as string;
    expect(main).toContain(NAME_PREFIX_REF);
    // The prefix's reference written back as the name gives the module without the input.
    expect(asDefault(main)).toBe(plain.files.get('main.tf.json'));
    const outputs = (m: ModuleResult) => {
      const o = JSON.parse(m.files.get('outputs.tf.json') as string) as { output: Record<string, Json> };
      delete o.output.kubernetes_manifests;
      return JSON.stringify(o);
    };
    expect(asDefault(outputs(prefixed))).toBe(outputs(plain));
    // Manifests: a template with the prefix renders, by default, what the plain module hands over.
    for (const [path, content] of plain.files) {
      if (!path.startsWith('k8s/')) continue;
      const template = path.endsWith('.tftpl') ? path : `${path}.tftpl`;
      const mine = (prefixed.files.get(path) ?? prefixed.files.get(template)) as string;
      expect(mine).toBeDefined();
      const rendered = mine.split('${name_prefix}').join(resolved.name);
      expect(path.endsWith('.tftpl') || !prefixed.files.has(template) ? rendered : unescape(rendered)).toBe(
        content,
      );
    }
    const variables = JSON.parse(prefixed.files.get('variables.tf.json') as string) as Json;
    expect((variables.variable as Record<string, Json>).name_prefix.default).toBe(resolved.name);
    expect(prefixed.addresses).toEqual(plain.addresses);
  });
});

/** A plain resource, one with count, or one with for_each: its names as a list expression. */
function namesOf(type: string, name: string, block: Json, attribute: string): string {
  if (block.for_each !== undefined) return `[for r in values(${type}.${name}) : r.${attribute}]`;
  if (block.count !== undefined) return `${type}.${name}[*].${attribute}`;
  return `[${type}.${name}.${attribute}]`;
}

/** A test-only output listing every name with an AWS limit in the module (prefixed or not). */
function allNamesOutput(m: ModuleResult): { file: string; count: number } {
  const main = JSON.parse(m.files.get('main.tf.json') as string) as Json;
  const lists: string[] = [];
  for (const [type, byName] of Object.entries(main.resource as Record<string, Record<string, Json>>)) {
    for (const [name, block] of Object.entries(byName)) {
      for (const key of Object.keys(NAME_LIMITS)) {
        const [t, attribute] = key.split('.');
        if (t === type && block[attribute] !== undefined) lists.push(namesOf(type, name, block, attribute));
      }
    }
  }
  // The account's own SageMaker log groups have names AWS fixes (security.accountLogGroups:
  // manage): one instance per account manages them (docs/modules.md), so they are left out.
  const fixed = JSON.stringify(Object.values(SAGEMAKER_ACCOUNT_LOG_GROUPS));
  const all = `[for n in concat(${lists.join(', ')}) : n if !contains(${fixed}, n)]`;
  return {
    file: JSON.stringify({ output: { all_names: { value: `\${${all}}` } } }, null, 2),
    count: lists.length,
  };
}

test('terraform test: two instances in one account have disjoint names; a prefix too long fails naming the limit', () => {
  const file = join('examples', 'complete', 'pipeline.yaml');
  const { resolved, standIn } = compiled(file);
  const mod = synthesizeModule(resolved, file, undefined, { standIn });
  const tightest = mod.namePrefix!.tightest!;
  // complete has a CodeStar connection: 32 characters, AWS's tightest name here.
  expect(tightest).toMatchObject({ address: 'aws_codestarconnections_connection.cicd_git', limit: 32 });
  const names = allNamesOutput(mod);
  expect(names.count).toBeGreaterThan(50);
  const tooLong = 'p'.repeat(tightest.maxPrefix + 1);
  const fits = 'q'.repeat(tightest.maxPrefix);
  const dir = mkdtempSync(join(tmpdir(), 'pipeform-name-prefix-'));
  const files: [string, string | Uint8Array][] = [
    ...mod.files,
    ['test_all_names.tf.json', names.file],
    [
      'tests/prefix.tftest.hcl',
      `${mockAwsProvider()}
run "default" {
  command = plan
  assert {
    condition     = contains(output.all_names, "${resolved.name}-git")
    error_message = "the default prefix is not the pipeline name: \${jsonencode(output.all_names)}"
  }
}

run "blue" {
  command = plan
  variables {
    name_prefix = "blue"
  }
  assert {
    condition     = alltrue([for n in output.all_names : length(regexall("blue", n)) > 0])
    error_message = "a name does not carry the prefix: \${jsonencode([for n in output.all_names : n if length(regexall("blue", n)) == 0])}"
  }
}

run "green" {
  command = plan
  variables {
    name_prefix = "green"
  }
  assert {
    condition     = length(setintersection(toset(output.all_names), toset(run.blue.all_names))) == 0
    error_message = "two instances share names: \${jsonencode(setintersection(toset(output.all_names), toset(run.blue.all_names)))}"
  }
  assert {
    condition     = length(setintersection(toset(output.all_names), toset(run.default.all_names))) == 0
    error_message = "an instance shares names with the default one"
  }
}

run "longest_that_fits" {
  command = plan
  variables {
    name_prefix = "${fits}"
  }
}

run "too_long" {
  command = plan
  variables {
    name_prefix = "${tooLong}"
  }
  expect_failures = [var.name_prefix]
}
`,
    ],
    [
      'tests/message.tftest.hcl',
      `${mockAwsProvider()}
run "message" {
  command = plan
  variables {
    name_prefix = "${tooLong}"
  }
}
`,
    ],
  ];
  for (const [name, content] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  const r = terraformTest(dir);
  expect(r.output).toMatch(/tests\/prefix\.tftest\.hcl\.\.\. pass/);
  expect(r.output).toMatch(/tests\/message\.tftest\.hcl\.\.\. fail/);
  const message = r.output.replace(/\s+/g, ' ');
  expect(message).toContain(
    `name_prefix may be at most ${tightest.maxPrefix} characters: aws_codestarconnections_connection.cicd_git.name is "fraud-git" with the 5-character default "fraud", and AWS allows 32 characters there, the tightest name limit in this module.`,
  );
});
