/* eslint-disable @typescript-eslint/no-explicit-any -- state machine definitions and AWS requests are untyped documents here */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import { compileStandIn } from '../src/compiler/stand-in';
import { synthesizeModule } from '../src/synth/module';
import { MAIN_FILE, synthesize } from '../src/synth/synth';
import { runMachine } from './harness/asl';
import { FakeAws } from './harness/fake-aws';
import { ROOT } from './harness/spec';
import { mockAwsProvider, terraformTest } from './harness/terraform';

/**
 * The module input `model_versions`: a caller pins what a registry endpoint serves. The
 * pin replaces `latest-approved` for the endpoint's variants that follow the registry
 * (a variant the spec pins keeps its pin), and goes through the day-0 path: a pin that
 * does not exist or is not approved waits, and is deployed once it is.
 */

const FILE = join('examples', 'realtime-ab', 'pipeline.yaml');
const bytes = readSpecFile(join(ROOT, FILE));
const spec = compileSpec(FILE, bytes).resolved;
const mod = synthesizeModule(spec, FILE, undefined, { standIn: compileStandIn(join(ROOT, FILE), bytes) });
const main = JSON.parse(mod.files.get('main.tf.json') as string);
const PIN = '${jsonencode(lookup(local.model_version_pins, "scorer", null))}';

/** The module's deploy definition as Terraform renders it for the spec's own account, with `pin`. */
function definition(pin: number | null): any {
  const text = (main.resource.aws_sfn_state_machine.serving_deploy.definition as string)
    .split(PIN)
    .join(JSON.stringify(pin))
    .split('${var.name_prefix}')
    .join(spec.name)
    .split('${local.caller_account_id}')
    .join(spec.account)
    .split('${local.caller_region}')
    .join(spec.region)
    .split('${local.caller_partition}')
    .join('aws')
    // As a module the key may be the caller's (module-inputs.ts); the root names its own.
    .split('${local.pipeline_kms_key_arn}')
    .join('${aws_kms_key.kms.arn}');
  return JSON.parse(text);
}

/** The registry with these versions in these states, played through the module's deploy. */
async function deploy(pin: number | null, packages: Record<number, string>, input: any = {}) {
  const aws = new FakeAws('fraud-models', packages);
  const run = await runMachine(definition(pin), input, aws.handle);
  const ledger = Object.values(aws.ssm)[0];
  return { aws, output: run.output as any, ledger: ledger ? JSON.parse(ledger) : undefined };
}

describe('the pin in the serving deploy (realtime-ab: champion pinned to 3 by the spec, challenger latest-approved)', () => {
  test('the definition holds the pin only where the spec follows the registry', () => {
    const text = main.resource.aws_sfn_state_machine.serving_deploy.definition as string;
    expect(text.split(PIN)).toHaveLength(2);
    const scorer = definition(7).States.Init.Assign.targets.find((t: any) => t.endpoint === 'scorer');
    expect(
      Object.fromEntries(scorer.variants.filter((v: any) => v.registry).map((v: any) => [v.name, v.pinned])),
    ).toEqual({ champion: 3, challenger: 7 });
  });

  test("without a pin the module's deploy is the root's", () => {
    const root = JSON.parse(synthesize(spec, FILE).files.get(MAIN_FILE) as string);
    expect(definition(null)).toEqual(
      JSON.parse(root.resource.aws_sfn_state_machine.serving_deploy.definition),
    );
  });

  test('day 0: an empty registry waits, and so does a pin that does not exist yet', async () => {
    expect((await deploy(5, {})).output.endpoints[0]).toMatchObject({ status: 'waiting' });
    const { aws, output } = await deploy(5, { 3: 'Approved', 4: 'Approved' });
    expect(output.endpoints[0]).toEqual({
      endpoint: 'scorer',
      status: 'waiting',
      message: 'waiting for version 5, 3 of fraud-models to exist and be approved',
    });
    expect(aws.ssm).toEqual({});
    expect(aws.endpoints).toEqual({});
  });

  test('a pin that exists but is not approved waits', async () => {
    const { output, ledger } = await deploy(5, { 3: 'Approved', 5: 'PendingManualApproval' });
    expect(output.endpoints[0].status).toBe('waiting');
    expect(ledger).toBeUndefined();
  });

  test('once approved the pin is served, not the latest approved version', async () => {
    const { output, ledger } = await deploy(5, {
      3: 'Approved',
      4: 'Approved',
      5: 'Approved',
      6: 'Approved',
    });
    expect(output.endpoints[0].status).toBe('serving');
    expect(ledger.versions).toEqual({ champion: 3, challenger: 5 });
    // Without the pin the same registry serves the latest (today's behaviour).
    const free = await deploy(null, { 3: 'Approved', 4: 'Approved', 5: 'Approved', 6: 'Approved' });
    expect(free.ledger.versions).toEqual({ champion: 3, challenger: 6 });
  });

  test('a deploy started for another version (a newer approval, a manual run) keeps the pin', async () => {
    const { ledger } = await deploy(
      5,
      { 3: 'Approved', 5: 'Approved', 6: 'Approved' },
      { endpoints: ['scorer'], version: '6' },
    );
    expect(ledger.versions).toEqual({ champion: 3, challenger: 5 });
  });

  test('moving the pin moves the endpoint blue/green (the pin rule starts the deploy for it alone)', async () => {
    const packages = { 3: 'Approved', 5: 'Approved', 6: 'Approved' };
    const aws = new FakeAws('fraud-models', packages);
    await runMachine(definition(5), {}, aws.handle);
    const first = JSON.parse(Object.values(aws.ssm)[0]);
    const target = main.resource.aws_cloudwatch_event_target.serving_deploy_pins;
    expect(target.input).toBe('${jsonencode({ endpoints = [each.key] })}');
    const { output } = (await runMachine(definition(6), { endpoints: ['scorer'] }, aws.handle)) as any;
    expect(output.endpoints[0].status).toBe('serving');
    const second = JSON.parse(Object.values(aws.ssm)[0]);
    expect(second.versions).toEqual({ champion: 3, challenger: 6 });
    expect(second.config).not.toBe(first.config);
    expect(Object.keys(aws.models).sort()).toEqual(Object.values(second.models).sort());
  });
});

test('terraform test: model_versions pins by number or ARN of the caller group, refuses others', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipeform-model-versions-'));
  const files: [string, string | Uint8Array][] = [
    ...mod.files,
    [
      'tests/pins.tftest.hcl',
      `${mockAwsProvider()}
run "default_follows_the_registry" {
  command = plan
  assert {
    condition     = length(aws_ssm_parameter.serving_deploy_pins) == 0 && length(aws_cloudwatch_event_rule.serving_deploy_pins) == 0
    error_message = "no pin, yet a pin parameter or rule"
  }
}

run "pin_by_number" {
  command = plan
  variables {
    model_versions = { scorer = "7" }
  }
  assert {
    condition     = aws_ssm_parameter.serving_deploy_pins["scorer"].name == "/pipeform/fraud/serving-pins/scorer" && aws_ssm_parameter.serving_deploy_pins["scorer"].value == "7"
    error_message = "the pin parameter is \${aws_ssm_parameter.serving_deploy_pins["scorer"].name} = \${aws_ssm_parameter.serving_deploy_pins["scorer"].value}"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.serving_deploy_pins["scorer"].event_pattern).detail.name == ["/pipeform/fraud/serving-pins/scorer"]
    error_message = "the rule does not watch the pin"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_target.serving_deploy_pins["scorer"].input) == { endpoints = ["scorer"] }
    error_message = "the rule does not start the deploy for the pinned endpoint alone"
  }
}

run "pin_by_arn_with_a_prefix" {
  command = plan
  variables {
    name_prefix    = "blue"
    model_versions = { scorer = "arn:aws:sagemaker:us-east-1:999999999999:model-package/blue-models/12" }
  }
  assert {
    condition     = aws_ssm_parameter.serving_deploy_pins["scorer"].value == "12"
    error_message = "an ARN pin is not its version"
  }
  assert {
    condition     = aws_ssm_parameter.serving_deploy_pins["scorer"].name == "/pipeform/blue/serving-pins/scorer"
    error_message = "the pin parameter does not follow the prefix"
  }
}

run "a_package_of_another_group" {
  command = plan
  variables {
    model_versions = { scorer = "arn:aws:sagemaker:us-east-1:999999999999:model-package/other-models/12" }
  }
  expect_failures = [aws_ssm_parameter.serving_deploy_pins]
}

run "an_endpoint_that_takes_no_pin" {
  command = plan
  variables {
    model_versions = { nope = "1" }
  }
  expect_failures = [var.model_versions]
}

run "a_version_out_of_range" {
  command = plan
  variables {
    model_versions = { scorer = "0" }
  }
  expect_failures = [var.model_versions]
}
`,
    ],
    [
      'tests/message.tftest.hcl',
      `${mockAwsProvider()}
run "message" {
  command = plan
  variables {
    model_versions = { scorer = "arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-models/12" }
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
  if (!/tests\/pins\.tftest\.hcl\.\.\. pass/.test(r.output)) throw new Error(r.output);
  expect(r.output).toMatch(/tests\/message\.tftest\.hcl\.\.\. fail/);
  expect(r.output.replace(/\s+/g, ' ')).toContain(
    'model_versions["scorer"] is arn:aws:sagemaker:us-east-1:111111111111:model-package/fraud-models/12, a package outside arn:aws:sagemaker:us-east-1:999999999999:model-package/fraud-models/, the group this module\'s serving deploy reads.',
  );
});
