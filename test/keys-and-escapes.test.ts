import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { compileSpec } from '../src/compiler';
import { loadSpec } from '../src/compiler/load';
import { escapesAllowed, unescapedTemplate } from '../src/compiler/rules/core';
import { sortKeys } from '../src/synth/synth';
import { synthesizeTargets } from '../src/synth/targets';
import { testRuleCases, type RuleCase } from './harness/rules';
import { diagnosticsOf, ROOT } from './harness/spec';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized JSON of any depth, read by path
type Json = Record<string, any>;

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';

/** The complete example as data: it has Glue jobs, a workflow, functions, endpoints, training and CI/CD. */
const COMPLETE = join(ROOT, 'examples', 'complete', 'pipeline.yaml');
const complete = (): Json => parse(readFileSync(COMPLETE, 'utf8'));

/** Synthesizes a spec given as data; returns its main.tf.json parsed. */
function synth(data: object): Json {
  // Named as the complete example, so its local code files resolve beside it.
  const compiled = compileSpec(COMPLETE, Buffer.from(stringify(data)));
  const main = synthesizeTargets(compiled, COMPLETE).files.get('main.tf.json');
  return JSON.parse(String(main));
}

describe('unescapedTemplate: what Terraform would evaluate', () => {
  test.each([
    ['plain text', undefined],
    ['cost $5 {per run}', undefined],
    ['100% {sure}', undefined],
    ['${x}', '${'],
    ['%{if x}', '%{'],
    ['$${x}', undefined], // Terraform renders a literal ${x}
    ['%%{x}', undefined],
    ['$$${x}', undefined], // a literal $ and then the escape: renders $${x}
    ['a $${x} and ${y}', '${'],
    ['a %%{x} and %{y}', '%{'],
    ['$ {x}', undefined],
  ])('%j -> %j', (text, found) => {
    expect(unescapedTemplate(text)).toBe(found);
  });

  test.each([
    [['data', 'glue', 'jobs', 0, 'arguments', '--pattern'], true],
    [['orchestration', 'workflow', 'steps', 1, 'arguments', '--day'], true],
    [['orchestration', 'functions', 0, 'environment', 'TEMPLATE'], true],
    [['serving', 'endpoints', 0, 'model', 'environment', 'X'], true],
    [['serving', 'endpoints', 0, 'variants', 1, 'model', 'environment', 'X'], true],
    [['serving', 'endpoints', 0, 'shadow', 'model', 'environment', 'X'], true],
    [['description'], false],
    [['tags', 'team'], false],
    [['data', 'glue', 'jobs', 0, 'description'], false],
    [['orchestration', 'functions', 0, 'handler'], false],
    [['cicd', 'build', 'environment', 'X'], false],
    [['training', 'hyperparameters', 'x'], false],
  ])('escapes allowed at %j: %s', (path, allowed) => {
    expect(escapesAllowed(path)).toBe(allowed);
  });
});

describe('a literal "${" where a service needs one: "$${" and "%%{" reach the Terraform JSON as written', () => {
  const spec = complete();
  spec.data.glue.jobs[0].arguments = { '--pattern': 'logs/$${date}/%%{hour}', '--dollars': '$$${raw}' };
  spec.orchestration.workflow.steps[0].arguments = { '--day': '$${execution}' };
  spec.orchestration.functions[0].environment = { TEMPLATE: 'Hello $${name}', CONTROL: '%%{if}' };
  spec.serving.endpoints[0].variants[0].model.environment = { SAGEMAKER_X: '$${y}' };
  const tf = synth(spec);
  const one = (type: string) => Object.values(tf.resource[type] as Record<string, Json>);

  test('Glue job default arguments', () => {
    expect(one('aws_glue_job')[0].default_arguments).toMatchObject({
      '--pattern': 'logs/$${date}/%%{hour}',
      '--dollars': '$$${raw}',
    });
  });

  test('Glue arguments of a workflow step (inside the state machine definition)', () => {
    // The workflow's state machine, <pipeline>-etl (the serving deploy has its own).
    const definition = JSON.parse(
      one('aws_sfn_state_machine').find((m) => String(m.name).endsWith('-etl'))?.definition,
    );
    expect(JSON.stringify(definition)).toContain('"--day":"$${execution}"');
  });

  test('Lambda environment', () => {
    expect(one('aws_lambda_function')[0].environment.variables).toEqual({
      TEMPLATE: 'Hello $${name}',
      CONTROL: '%%{if}',
    });
  });

  test('model container environment', () => {
    const containers = one('aws_sagemaker_model').flatMap((m) => m.primary_container ?? m.container ?? []);
    expect(containers.some((c: Json) => c.environment?.SAGEMAKER_X === '$${y}')).toBe(true);
  });
});

const glue = (argument: string) =>
  `${HEAD}data:\n  glue:\n    databases:\n      - name: lake\n    jobs:\n      - name: clean\n        script: s3://acme-shared-code/scripts/clean.py\n        arguments:\n          --pattern: "${argument}"\n`;
const lambda = (value: string) =>
  `${HEAD}orchestration:\n  functions:\n    - name: f\n      code: {s3: s3://acme-shared-code/f.zip}\n      handler: index.handler\n      environment:\n        TEMPLATE: "${value}"\n`;

const cases: RuleCase[] = [
  // Unescaped sequences stay refused where escapes are allowed, with a hint naming the escape.
  ['core/no-interpolation', glue('a ${x}'), 13, 22, 'contains "${"', glue('a $${x}')],
  ['core/no-interpolation', lambda('%{if x}'), 11, 19, 'contains "%{"', lambda('%%{if x}')],
  // Anywhere else even the escape is refused (the field has no use for a literal "${").
  [
    'core/no-interpolation',
    `${HEAD}description: "a $\${x}"\n`,
    5,
    14,
    'contains "${"',
    `${HEAD}description: "a $x"\n`,
  ],
  [
    'core/no-proto-key',
    `${HEAD}tags:\n  __proto__: x\n`,
    6,
    3,
    'key "__proto__" cannot be kept',
    `${HEAD}tags:\n  proto: x\n`,
  ],
  [
    'core/reserved-names',
    `${HEAD}storage:\n  buckets:\n    constructor:\n      purpose: odd\n`,
    7,
    5,
    'name "constructor" is reserved',
    `${HEAD}storage:\n  buckets:\n    constructors:\n      purpose: odd\n`,
  ],
  [
    'core/reserved-names',
    `${HEAD}data:\n  glue:\n    databases:\n      - name: constructor\n`,
    8,
    15,
    'name "constructor" is reserved',
    `${HEAD}data:\n  glue:\n    databases:\n      - name: constructors\n`,
  ],
];

describe('core rules on escapes and keys', () => {
  testRuleCases(cases);

  test('the hint for an unescaped sequence where escapes are allowed names the escape', () => {
    expect(diagnosticsOf(glue('a ${x}'))[0].hint).toContain('write "$${" for a literal "${"');
    expect(diagnosticsOf(`${HEAD}description: "a $\${x}"\n`)[0].hint).toContain(
      'remove the template sequence',
    );
  });
});

describe('keys the schema accepts are all kept', () => {
  const BUILTINS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];

  test('the loader keeps __proto__ and built-in names as plain own keys', () => {
    const data = loadSpec(
      'p.yaml',
      Buffer.from(`${HEAD}tags:\n  __proto__: x\n  constructor: y\n  "//": c\n`),
    ).data as { tags: Record<string, string> };
    expect(Object.keys(data.tags)).toEqual(['__proto__', 'constructor', '//']);
    expect(Object.getPrototypeOf(data.tags)).toBe(Object.prototype);
    expect(data.tags.constructor).toBe('y');
  });

  test('sortKeys keeps __proto__ as data and a "//" that is data; it drops only cdktf metadata', () => {
    const input = JSON.parse('{"b": 1, "__proto__": "x", "//": "c", "a": {"//": {"metadata": {}}, "z": 2}}');
    const out = sortKeys(input) as Record<string, unknown>;
    expect(JSON.stringify(out)).toBe('{"//":"c","__proto__":"x","a":{"z":2},"b":1}');
  });

  test('tags, environment maps and hyperparameters keep keys named like built-ins, and "//"', () => {
    const spec = complete();
    const tags = Object.fromEntries([...BUILTINS, '//'].map((k) => [k, `t-${k.replace(/\W/g, '')}`]));
    spec.tags = { ...spec.tags, ...tags };
    spec.orchestration.functions[0].environment = Object.fromEntries(BUILTINS.map((k) => [k, `e-${k}`]));
    spec.serving.endpoints[0].variants[0].model.environment = Object.fromEntries(
      BUILTINS.map((k) => [k, `m-${k}`]),
    );
    spec.cicd.build.environment = Object.fromEntries(BUILTINS.map((k) => [k, `b-${k}`]));
    spec.training.hyperparameters = { ...spec.training.hyperparameters, constructor: 'h', toString: 1 };
    spec.orchestration.workflow.steps.push({
      name: 'retrain',
      type: 'sagemaker-pipeline',
      parameters: { constructor: 'p', toString: 'q' },
    });
    const tf = synth(spec);
    const values = (type: string) => Object.values(tf.resource[type] as Record<string, Json>);

    expect(tf.provider.aws[0].default_tags[0].tags).toMatchObject(tags);
    expect(values('aws_lambda_function')[0].environment.variables).toEqual(
      Object.fromEntries(BUILTINS.map((k) => [k, `e-${k}`])),
    );
    const containers = values('aws_sagemaker_model').flatMap((m) => m.primary_container ?? []);
    expect(containers.some((c: Json) => BUILTINS.every((k) => c.environment?.[k] === `m-${k}`))).toBe(true);
    const build = values('aws_codebuild_project').flatMap((p) => p.environment.environment_variable ?? []);
    for (const k of BUILTINS)
      expect(build).toContainEqual(expect.objectContaining({ name: k, value: `b-${k}` }));
    const definition = values('aws_sagemaker_pipeline')[0].pipeline_definition as string;
    expect(definition).toContain('"constructor":"h"');
    expect(definition).toContain('"toString":"1"');
    const workflow = values('aws_sfn_state_machine').find((m) => String(m.name).endsWith('-etl'))
      ?.definition as string;
    expect(workflow).toContain('{"Name":"constructor","Value":"p"}');
    expect(workflow).toContain('{"Name":"toString","Value":"q"}');
  });

  test.each([
    ['tags', `${HEAD}tags:\n  __proto__: x\n`, 6, 3],
    [
      'a Lambda environment (the name starts with a letter, so only via the schema: refused there)',
      `${HEAD}orchestration:\n  functions:\n    - name: f\n      code: {s3: {bucket: raw, key: f.zip}}\n      handler: index.handler\n      environment:\n        __proto__: x\n`,
      11,
      9,
    ],
    [
      'a model environment',
      `${HEAD}network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, us-east-1b]\nserving:\n  endpoints:\n    - name: s\n      model:\n        registry: {version: 1}\n        environment:\n          __proto__: x\n`,
      15,
      11,
    ],
  ])('__proto__ in %s is refused at its position, never dropped', (_where, text, line, col) => {
    const ds = diagnosticsOf(text);
    expect(ds.map((d) => [d.line, d.col])).toContainEqual([line, col]);
    expect(ds.some((d) => d.message.includes('__proto__'))).toBe(true);
  });
});
