import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { configDirs, examples, ROOT } from './harness/spec';

/**
 * Every Step Functions definition pipeform writes (the data workflow, the serving deploy)
 * against the Amazon States Language schema, JSONPath and JSONata alike, with asl-validator:
 * what `terraform plan` sends to ValidateStateMachineDefinition and CreateStateMachine
 * checks on the first apply.
 */
const machines = examples().flatMap(({ name }) =>
  configDirs(name).flatMap((dir) => {
    const config = JSON.parse(readFileSync(join(ROOT, 'generated', name, dir, 'main.tf.json'), 'utf8')) as {
      resource?: { aws_sfn_state_machine?: Record<string, { definition: string }> };
    };
    return Object.entries(config.resource?.aws_sfn_state_machine ?? {}).map(([machine, r]) => ({
      where: `${join(name, dir)} aws_sfn_state_machine.${machine}`,
      definition: r.definition,
    }));
  }),
);

test('the examples hold state machines of both query languages', () => {
  const languages = new Set(
    machines.map((m) => (JSON.parse(m.definition) as { QueryLanguage?: string }).QueryLanguage ?? 'JSONPath'),
  );
  expect([...languages].sort()).toEqual(['JSONPath', 'JSONata']);
});

test.each(machines)('$where is valid States Language', ({ definition }) => {
  const { isValid, errorsText } = aslValidator(JSON.parse(definition), { checkArn: false, checkPaths: true });
  expect(isValid ? '' : errorsText('\n')).toBe('');
});

test('the validator is not vacuous: it refuses a state of an unknown type and a Next to nowhere', () => {
  const check = (d: object) => aslValidator(d, { checkArn: false, checkPaths: true }).isValid;
  expect(check({ StartAt: 'A', States: { A: { Type: 'Wait', Seconds: 1, End: true } } })).toBe(true);
  expect(check({ StartAt: 'A', States: { A: { Type: 'Sleep', Seconds: 1, End: true } } })).toBe(false);
  expect(check({ StartAt: 'A', States: { A: { Type: 'Wait', Seconds: 1, Next: 'B' } } })).toBe(false);
});
