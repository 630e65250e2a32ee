/* eslint-disable @typescript-eslint/no-explicit-any -- AWS request and state machine JSON are untyped documents here */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMachine, StatesFail, TaskError, type TaskHandler } from './harness/asl';
import { FakeAws } from './harness/fake-aws';
import { ROOT } from './harness/spec';

/**
 * The cross-account path of examples/promotion, played from prod's committed Terraform: the
 * owner's approval event (forwarded to prod's bus) starts the promotion gate, which asks
 * prod's approvers with a task token and, once one answers, runs prod's serving deploy for
 * exactly that version; the deploy reads dev's registry (another account: by ARN) and
 * creates the models from dev's packages. A fake registry that answers only the owner's
 * ARNs fails the run if anything still names prod's own group.
 */

const OWNER_GROUP = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package-group/churn-dev-models';
const OWNER_PACKAGES = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn-dev-models/';

const prod = JSON.parse(readFileSync(join(ROOT, 'generated', 'promotion', 'prod', 'main.tf.json'), 'utf8'));
const machine = (name: string) => JSON.parse(prod.resource.aws_sfn_state_machine[name].definition as string);

/** The registry of the owner account as prod sees it: reachable by ARN only. */
function ownerRegistry(versions: Record<number, string>) {
  const fake = new FakeAws('churn-dev-models', versions);
  const handle: TaskHandler = (service, action, args) => {
    if (action === 'listModelPackages' && args.ModelPackageGroupName !== OWNER_GROUP) {
      throw new TaskError(
        'SageMaker.ValidationException',
        `no group ${args.ModelPackageGroupName} in 222222222222`,
      );
    }
    if (action === 'describeModelPackage' && !String(args.ModelPackageName).startsWith(OWNER_PACKAGES)) {
      throw new TaskError('SageMaker.ValidationException', `no package ${args.ModelPackageName}`);
    }
    return fake.handle(service, action, args);
  };
  return { fake, handle };
}

/** The gate with an approver's answer: what it published and what it started. */
async function gate(answer: (token: string) => void) {
  const published: any[] = [];
  const started: any[] = [];
  const handle: TaskHandler = (service, action, args) => {
    if (service === 'sns' && action === 'publish.waitForTaskToken') {
      published.push(args);
      answer('token-AskApprovers');
      return {};
    }
    if (service === 'states' && action === 'startExecution.sync:2') {
      started.push(args);
      return { Output: { endpoints: [] } };
    }
    throw new Error(`unexpected ${service}:${action}`);
  };
  const event = {
    source: 'aws.sagemaker',
    account: '111111111111',
    'detail-type': 'SageMaker Model Package State Change',
    detail: {
      ModelPackageGroupName: 'churn-dev-models',
      ModelPackageVersion: 2,
      ModelPackageArn: `${OWNER_PACKAGES}2`,
      ModelApprovalStatus: 'Approved',
    },
  };
  const run = runMachine(machine('serving_promotion'), event, handle);
  return { run, published, started };
}

describe('examples/promotion: prod deploys what dev approved, after its own approval', () => {
  test('the gate asks with the version and a task token, and on success deploys exactly that version', async () => {
    const { run, published, started } = await gate(() => undefined);
    await run;
    expect(published).toHaveLength(1);
    expect(published[0].TopicArn).toBe('${aws_sns_topic.serving_promotion.arn}');
    expect(published[0].Message).toContain('Version 2 of churn-dev-models');
    expect(published[0].Message).toContain('send-task-success --task-token token-AskApprovers');
    expect(started).toEqual([
      {
        StateMachineArn: '${aws_sfn_state_machine.serving_deploy.arn}',
        Input: {
          endpoints: ['scorer'],
          version: '2',
          AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: 'arn:aws:states:test:execution',
        },
      },
    ]);
  });

  test('a refusal or no answer in time deploys nothing', async () => {
    const refuse = (token: string) => {
      throw new TaskError('Refused', `refused ${token}`);
    };
    const refused = await gate(refuse);
    await expect(refused.run).rejects.toEqual(
      new StatesFail('pipeform.PromotionRefused', 'version 2 was refused for prod'),
    );
    expect(refused.started).toEqual([]);
    const lapsed = await gate(() => {
      throw new TaskError('States.Timeout', 'no answer');
    });
    await expect(lapsed.run).rejects.toMatchObject({ error: 'pipeform.ApprovalLapsed' });
    expect(lapsed.started).toEqual([]);
  });

  test("the deploy the gate starts brings prod's endpoint up from dev's package", async () => {
    const { fake, handle } = ownerRegistry({ 1: 'Approved', 2: 'Approved', 3: 'PendingManualApproval' });
    const { output } = await runMachine(
      machine('serving_deploy'),
      { endpoints: ['scorer'], version: '2' },
      handle,
    );
    expect(output).toEqual({
      endpoints: [expect.objectContaining({ endpoint: 'scorer', status: 'serving' })],
    });
    const models = Object.values(fake.models);
    expect(models).toHaveLength(1);
    expect(models[0].PrimaryContainer.ModelPackageName).toBe(`${OWNER_PACKAGES}2`);
    expect(Object.keys(fake.endpoints)).toEqual(['churn-prod-scorer']);
    // prod's own ledger, which prod's next plan adopts.
    expect(Object.keys(fake.ssm)).toEqual(['/pipeform/churn-prod/serving/scorer']);
  });

  test("latest-approved (a redeploy by hand) lists dev's group by its ARN", async () => {
    const { fake, handle } = ownerRegistry({ 1: 'Approved', 4: 'Approved' });
    await runMachine(machine('serving_deploy'), {}, handle);
    const list = fake.calls.find((c) => c.action === 'listModelPackages');
    expect(list?.args.ModelPackageGroupName).toBe(OWNER_GROUP);
    expect(Object.values(fake.models)[0].PrimaryContainer.ModelPackageName).toBe(`${OWNER_PACKAGES}4`);
  });

  test("a version not approved in dev is refused even when prod's approver said yes", async () => {
    const { fake, handle } = ownerRegistry({ 2: 'Rejected' });
    await expect(
      runMachine(machine('serving_deploy'), { endpoints: ['scorer'], version: '2' }, handle),
    ).rejects.toMatchObject({ error: 'pipeform.NotApproved' });
    expect(fake.models).toEqual({});
  });
});
