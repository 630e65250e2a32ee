/* eslint-disable @typescript-eslint/no-explicit-any -- AWS request and plan JSON are untyped documents here */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMachine, StatesFail } from './harness/asl';
import { FakeAws } from './harness/fake-aws';
import { ROOT } from './harness/spec';
import { initValidatePlan, type TerraformRun } from './harness/terraform';

/**
 * Day 0 to day 2 of an endpoint served from the registry, played against the committed
 * Terraform of the examples:
 *
 * - day 0: the offline plan (the ledger answered empty by the local AWS stub) creates no
 *   model from the registry, no endpoint configuration, endpoint or autoscaling, and the
 *   output `serving_status` says what each endpoint waits for;
 * - day 1: the serving deploy's state machine (its definition from the same file, run by a
 *   small interpreter with the real JSONata) plays an approval against a fake registry and
 *   writes the ledger;
 * - the next plan, with the stub answering that ledger and describing back exactly what the
 *   deploy created, imports every serving resource and plans no change to any of them. An
 *   attribute the deploy sent differently from what Terraform would (tags, key, VPC, variant
 *   weights, data capture, autoscaling) shows as a change, and the test fails.
 *
 * Attributes that reference resources the offline plan has not created yet (the key, the
 * role, subnets) are unknown to the plan; for those the deploy's value must be the very
 * reference Terraform's configuration uses (the definition carries it as `${...}`).
 */

type Json = any;

const SERVING_TYPES = [
  'aws_sagemaker_model',
  'aws_sagemaker_endpoint_configuration',
  'aws_sagemaker_endpoint',
  'aws_appautoscaling_target',
  'aws_appautoscaling_policy',
  'aws_appautoscaling_scheduled_action',
];

function config(example: string): Json {
  return JSON.parse(readFileSync(join(ROOT, 'generated', example, 'main.tf.json'), 'utf8'));
}

/**
 * The serving deploy's definition as Terraform would write it: references whose values the
 * plan already knows (bucket names, for instance) resolved; the others (ARNs of resources
 * not created yet) left as `${address.attribute}`.
 */
function definition(example: string, day0?: Json): Json {
  const sm = config(example).resource.aws_sfn_state_machine.serving_deploy;
  const known = new Map<string, Json>(
    ((day0?.planned_values?.root_module?.resources ?? []) as Json[]).map((r) => [r.address, r.values]),
  );
  const text = (sm.definition as string).replace(
    /\$\{([a-z0-9_]+\.[a-z0-9_]+)\.([a-z0-9_]+)\}/g,
    (whole, address, attr) => {
      const value = known.get(address)?.[attr];
      return typeof value === 'string' ? value : whole;
    },
  );
  return JSON.parse(text);
}

function plan(example: string, aws: FakeAws | undefined): TerraformRun {
  const r = initValidatePlan(join(ROOT, 'generated', example), {
    json: true,
    ...(aws ? { aws: aws.stubState() } : {}),
  });
  if (!r.ok) throw new Error(`terraform ${r.step} failed for ${example}:\n${r.output}`);
  return r;
}

/** Every `${...}` reference anywhere in a resource's configuration expressions. */
function references(p: Json, address: string): Set<string> {
  const base = address.replace(/\[[^\]]*\]$/, '');
  const resource = (p.configuration.root_module.resources as Json[]).find((r) => r.address === base);
  const found = new Set<string>();
  const walk = (v: Json) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (Array.isArray(v.references)) v.references.forEach((x: string) => found.add(x));
      Object.values(v).forEach(walk);
    }
  };
  walk(resource?.expressions);
  return found;
}

/** Attribute names the resource's configuration sets (anywhere in it). */
function configured(p: Json, address: string): Set<string> {
  const base = address.replace(/\[[^\]]*\]$/, '');
  const resource = (p.configuration.root_module.resources as Json[]).find((r) => r.address === base);
  const found = new Set<string>();
  const walk = (v: Json) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        found.add(k);
        walk(x);
      }
  };
  walk(resource?.expressions);
  return found;
}

const PLACEHOLDER = /^\$\{(.+)\}$/;
const ZERO = new Set(['null', '""', '0', 'false', '{}', '[]']);

/**
 * Differences between what the deploy created (as imported) and what Terraform plans. An
 * attribute unknown to the offline plan must carry, on the deploy's side, the very reference
 * Terraform's configuration uses; computed attributes the configuration does not set are
 * the service's to fill.
 */
function differences(
  before: Json,
  after: Json,
  unknown: Json,
  refs: Set<string>,
  set: Set<string>,
  path = '',
): string[] {
  if (unknown === true) {
    const values = (Array.isArray(before) ? before : [before]) as Json[];
    const placeholders = values.every((v) => typeof v === 'string' && PLACEHOLDER.test(v));
    if (!placeholders) {
      const name =
        path
          .split('.')
          .pop()
          ?.replace(/\[\d+\]$/, '') ?? '';
      return set.has(name)
        ? [`${path}: the deploy sent ${JSON.stringify(before)}, Terraform plans a reference`]
        : [];
    }
    return values.every((v) => refs.has((v as string).slice(2, -1)))
      ? []
      : [`${path}: the deploy sent ${JSON.stringify(before)}, Terraform references ${[...refs].join(', ')}`];
  }
  if (Array.isArray(after) || Array.isArray(before)) {
    const a = (after ?? []) as Json[];
    const b = (before ?? []) as Json[];
    if (a.length !== b.length) return [`${path}: ${JSON.stringify(b)} -> ${JSON.stringify(a)}`];
    return a.flatMap((x, i) =>
      differences(b[i], x, Array.isArray(unknown) ? unknown[i] : undefined, refs, set, `${path}[${i}]`),
    );
  }
  if (after && typeof after === 'object') {
    const keys = new Set([...Object.keys(after), ...Object.keys(before ?? {})]);
    return [...keys].flatMap((k) =>
      differences(before?.[k], after[k], unknown?.[k], refs, set, path ? `${path}.${k}` : k),
    );
  }
  if (unknown && typeof unknown === 'object') return [];
  // The provider (SDKv2) reads an unset optional attribute back as its zero value.
  if (after === null && ZERO.has(JSON.stringify(before ?? null))) return [];
  return JSON.stringify(before ?? null) === JSON.stringify(after ?? null)
    ? []
    : [`${path}: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`];
}

function servingChanges(p: Json): Json[] {
  return (p.resource_changes as Json[]).filter(
    (c) => SERVING_TYPES.includes(c.type) && /^aws_[a-z_]+\.serving_/.test(c.address),
  );
}

/** A registry with the given versions approved, played through the deploy. */
async function approve(example: string, group: string, versions: number[], input: Json = {}, day0?: Json) {
  const aws = new FakeAws(group, Object.fromEntries(versions.map((v) => [v, 'Approved'])));
  const run = await runMachine(definition(example, day0), input, aws.handle);
  return { aws, ...run };
}

const CASES = [
  // A pinned champion (3) and a latest-approved challenger, canary, autoscaling with schedules.
  { example: 'realtime-ab', group: 'fraud-models', endpoint: 'scorer', pinned: 3 },
  // The CI/CD Deploy stage's input: the pipeline variable and its endpoints.
  {
    example: 'mlops-cicd',
    group: 'churn-models',
    endpoint: 'scorer',
    pinned: 4,
    input: { endpoints: ['scorer'], version: 'latest-approved' },
  },
];

describe.each(CASES)(
  '$example: serving from the registry over its life',
  ({ example, group, endpoint, pinned, input }) => {
    let day0: Json;
    beforeAll(() => {
      day0 = plan(example, undefined).plan;
    });

    test('day 0: nothing needs a model version, and the output says what it waits for', () => {
      const p = day0;
      expect(servingChanges(p)).toEqual([]);
      expect(p.planned_values.outputs.serving_status.value[endpoint]).toBe(
        `waiting for version ${pinned} of ${group} to exist and be approved`,
      );
    });

    test('an approval before the pinned version exists waits and writes nothing', async () => {
      const { aws, output } = await approve(example, group, [1], input);
      expect(output).toEqual({ endpoints: [expect.objectContaining({ endpoint, status: 'waiting' })] });
      expect(aws.ssm).toEqual({});
      expect(Object.keys(aws.endpoints)).toEqual([]);
    });

    test('the approval brings the endpoint up, and the next plan adopts it without a change', async () => {
      const { aws, output } = await approve(example, group, [1, 2, pinned, pinned + 1], input, day0);
      expect(output).toEqual({ endpoints: [expect.objectContaining({ endpoint, status: 'serving' })] });
      const ledger = JSON.parse(Object.values(aws.ssm)[0]);
      expect(ledger.versions).toEqual({ champion: pinned, challenger: pinned + 1 });
      expect(Object.keys(aws.endpoints)).toHaveLength(1);

      const p = plan(example, aws).plan as Json;
      const changes = servingChanges(p);
      const problems = changes.flatMap((c) => {
        const where = `${c.address} (${c.change.actions.join(', ')})`;
        if (c.type === 'aws_appautoscaling_scheduled_action') {
          // Not importable (provider 5.100): Terraform puts it again, and it must be what the deploy put.
          const put = aws.scheduledActions.find((a) => a.ScheduledActionName === c.change.after.name);
          const a = c.change.after;
          const same =
            put &&
            a.schedule === put.Schedule &&
            a.timezone === put.Timezone &&
            a.resource_id === put.ResourceId &&
            a.scalable_dimension === put.ScalableDimension &&
            JSON.stringify(a.scalable_target_action) ===
              JSON.stringify([
                {
                  max_capacity: put.ScalableTargetAction.MaxCapacity?.toString() ?? null,
                  min_capacity: put.ScalableTargetAction.MinCapacity?.toString() ?? null,
                },
              ]);
          return same
            ? []
            : [`${where}: differs from the deploy's ${JSON.stringify(put)}: ${JSON.stringify(a)}`];
        }
        if (!c.change.importing) return [`${where}: not adopted from what the deploy created`];
        // A replacement can only come from references the offline plan does not know yet;
        // differences() refuses any other changed attribute.
        const refs = references(p, c.address);
        const set = configured(p, c.address);
        return differences(c.change.before, c.change.after, c.change.after_unknown, refs, set).map(
          (d) => `${where}: ${d}`,
        );
      });
      expect(problems).toEqual([]);
      // Everything the deploy created is adopted: two models, the configuration, the endpoint, and scaling.
      const adopted = changes.map((c) => c.type);
      expect(adopted.filter((t) => t === 'aws_sagemaker_model')).toHaveLength(2);
      expect(adopted).toEqual(
        expect.arrayContaining(['aws_sagemaker_endpoint_configuration', 'aws_sagemaker_endpoint']),
      );
      expect(adopted.filter((t) => t === 'aws_appautoscaling_target')).toHaveLength(aws.targets.length);
      expect(p.planned_values.outputs.serving_status.value[endpoint]).toBe(`serving ${ledger.config}`);
    });

    test('a second approval moves the latest-approved variant blue/green and removes what it replaced', async () => {
      const { aws } = await approve(example, group, [pinned, pinned + 1], input);
      const first = JSON.parse(Object.values(aws.ssm)[0]);
      aws.packages[pinned + 2] = 'Approved';
      const again = await runMachine(definition(example), input ?? {}, aws.handle);
      const second = JSON.parse(Object.values(aws.ssm)[0]);
      expect(again.output).toEqual({ endpoints: [expect.objectContaining({ status: 'serving' })] });
      expect(second.versions).toEqual({ champion: pinned, challenger: pinned + 2 });
      expect(second.config).not.toBe(first.config);
      expect(aws.calls.filter((c) => c.action === 'updateEndpoint')).toHaveLength(1);
      expect(Object.keys(aws.configs)).toEqual([second.config]);
      expect(Object.keys(aws.models).sort()).toEqual(Object.values(second.models).sort());
      // Re-running with nothing new changes nothing.
      const calls = aws.calls.length;
      const idle = await runMachine(definition(example), input ?? {}, aws.handle);
      expect(idle.output).toEqual({ endpoints: [expect.objectContaining({ status: 'up to date' })] });
      expect(aws.calls.slice(calls).map((c) => c.action)).not.toContain('updateEndpoint');
    });
  },
);

describe('every example', () => {
  const examples = ['complete', 'mlops-cicd', 'realtime-ab', 'serverless-many-models', 'tabular-xgboost'];
  test.each(examples)('%s: no model reads a registry version the first apply cannot guarantee', (example) => {
    const models = (config(example).resource?.aws_sagemaker_model ?? {}) as Record<string, Json>;
    for (const [name, m] of Object.entries(models)) {
      if (m.primary_container?.model_package_name === undefined) continue;
      // Only with a version from the ledger, and only once the ledger has one.
      expect([name, m.primary_container.model_package_name]).toEqual([
        name,
        expect.stringContaining('each.value'),
      ]);
      expect([name, m.for_each]).toEqual([name, expect.stringContaining('local.serving_')]);
    }
  });

  test('serverless-many-models serves artifacts: its endpoints deploy on day 0 as before', () => {
    const c = config('serverless-many-models');
    expect(Object.keys(c.resource.aws_sagemaker_endpoint).sort()).toEqual([
      'serving_basket',
      'serving_reports',
      'serving_stores',
    ]);
    expect(c.resource.aws_sagemaker_endpoint.serving_basket.for_each).toBeUndefined();
    expect(c.resource.aws_sfn_state_machine?.serving_deploy).toBeUndefined();
  });
});

describe('the deploy input', () => {
  const example = 'mlops-cicd';
  test.each([
    ['0', 'pipeform.BadVersion'],
    ['100000', 'pipeform.BadVersion'],
    ['1e21', 'pipeform.BadVersion'],
    ['latest', 'pipeform.BadVersion'],
    ['7', 'pipeform.NotApproved'],
  ])('version %s is refused (%s)', async (version, error) => {
    const aws = new FakeAws('churn-models', { 4: 'Approved', 5: 'Approved', 7: 'PendingManualApproval' });
    await expect(runMachine(definition(example), { version }, aws.handle)).rejects.toThrow(StatesFail);
    await runMachine(definition(example), { version }, aws.handle).catch((e: StatesFail) =>
      expect(e.error).toBe(error),
    );
  });

  test.each(['1', '99999'])('version %s is within the schema bounds', async (version) => {
    const aws = new FakeAws('churn-models', { [Number(version)]: 'Approved', 4: 'Approved' });
    const { output } = await runMachine(definition(example), { version }, aws.handle);
    expect(output).toEqual({ endpoints: [expect.objectContaining({ status: 'serving' })] });
  });

  test('a rollback pins the latest-approved variants to the version asked for', async () => {
    const aws = new FakeAws('churn-models', { 4: 'Approved', 5: 'Approved', 6: 'Approved' });
    await runMachine(definition(example), { version: '5' }, aws.handle);
    expect(JSON.parse(Object.values(aws.ssm)[0]).versions).toEqual({ champion: 4, challenger: 5 });
  });
});
