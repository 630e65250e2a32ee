/* eslint-disable @typescript-eslint/no-explicit-any -- AWS request and plan JSON are untyped documents here */
import { createHash } from 'node:crypto';
import jsonata from 'jsonata';

/**
 * A small interpreter of the Amazon States Language subset the serving deploy uses, in the
 * JSONata query language: Pass, Task, Choice, Map (inline), Wait, Succeed and Fail, with
 * Arguments, Output, Assign and Catch. JSONata runs in the `jsonata` package with the
 * functions Step Functions adds that the deploy uses (`$hash`, `$parse`). Tasks go to a
 * handler by their resource (`arn:aws:states:::aws-sdk:<service>:<action>`, or an optimized
 * integration `arn:aws:states:::<service>:<action>[.<pattern>]`, e.g. a task token wait); a handler
 * error with a `name` is caught as `States.TaskFailed` like an SDK error. Waits take no time.
 */

type Json = unknown;
type State = Record<string, any>;
export type TaskHandler = (service: string, action: string, args: any) => Json;

export class StatesFail extends Error {
  constructor(
    readonly error: string,
    readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
  }
}

/** A task's failure, as an AWS SDK integration reports it. */
export class TaskError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

const hash = (value: string, algorithm: string) =>
  createHash(algorithm.toLowerCase().replace('-', '')).update(value).digest('hex');

async function evaluate(
  template: Json,
  vars: Record<string, Json>,
  states: Record<string, Json>,
): Promise<Json> {
  if (typeof template === 'string') {
    if (!(template.startsWith('{%') && template.endsWith('%}'))) return template;
    const expr = jsonata(template.slice(2, -2));
    expr.registerFunction('hash', hash, '<ss:s>');
    expr.registerFunction('parse', (s: string) => JSON.parse(s), '<s:x>');
    return expr.evaluate({}, { ...vars, states });
  }
  if (Array.isArray(template)) return Promise.all(template.map((t) => evaluate(t, vars, states)));
  if (template !== null && typeof template === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(template)) out[k] = await evaluate(v, vars, states);
    return out;
  }
  return template;
}

async function assign(
  state: State,
  vars: Record<string, Json>,
  states: Record<string, Json>,
  into: Record<string, Json>,
) {
  const a = state.Assign as Record<string, Json> | undefined;
  if (a === undefined) return;
  const values = (await evaluate(a, vars, states)) as Record<string, Json>;
  Object.assign(into, values);
}

/** Runs one state list (the machine or a Map's processor) from its start; returns the output. */
async function runStates(
  machine: { StartAt: string; States: Record<string, State> },
  input: Json,
  outer: Record<string, Json>,
  task: TaskHandler,
  trace: string[],
): Promise<Json> {
  const vars: Record<string, Json> = { ...outer };
  let name: string | undefined = machine.StartAt;
  let current = input;
  for (let steps = 0; name !== undefined; steps++) {
    if (steps > 2000) throw new Error('the machine did not stop');
    const state: State = machine.States[name];
    trace.push(name);
    // The context object: a fixed execution id, and a task token per state.
    const context = { Execution: { Id: 'arn:aws:states:test:execution' }, Task: { Token: `token-${name}` } };
    const states: Record<string, Json> = { input: current, context };
    let result: Json = current;
    let next: string | undefined = state.Next;
    const finish = async (extra: Record<string, Json>, s: State = state) => {
      const env = { ...states, ...extra };
      const fallback = extra.errorOutput ?? extra.result ?? current;
      const output = s.Output !== undefined ? await evaluate(s.Output, vars, env) : fallback;
      const updates: Record<string, Json> = {};
      await assign(s, vars, env, updates);
      Object.assign(vars, updates);
      return output;
    };
    switch (state.Type) {
      case 'Pass':
        current = await finish({});
        break;
      case 'Wait':
        break;
      case 'Succeed':
        return state.Output !== undefined ? evaluate(state.Output, vars, states) : current;
      case 'Fail':
        throw new StatesFail(
          String(await evaluate(state.Error, vars, states)),
          String(await evaluate(state.Cause ?? '', vars, states)),
        );
      case 'Choice': {
        next = state.Default;
        for (const c of state.Choices as State[]) {
          if ((await evaluate(c.Condition, vars, states)) === true) {
            const updates: Record<string, Json> = {};
            await assign(c, vars, states, updates);
            Object.assign(vars, updates);
            next = c.Next;
            break;
          }
        }
        if (next === undefined) throw new Error(`choice ${name} has no match and no default`);
        break;
      }
      case 'Task': {
        // SDK integrations, and the optimized ones with their pattern (`sns:publish.waitForTaskToken`).
        const m =
          /^arn:aws:states:::aws-sdk:([a-z0-9]+):([A-Za-z]+)$/.exec(state.Resource) ??
          /^arn:aws:states:::([a-z]+):([A-Za-z]+(?:\.[A-Za-z]+(?::[0-9]+)?)?)$/.exec(state.Resource);
        if (!m) throw new Error(`unsupported resource ${state.Resource}`);
        const args = await evaluate(state.Arguments ?? {}, vars, states);
        try {
          result = task(m[1], m[2], args);
        } catch (e) {
          if (!(e instanceof TaskError)) throw e;
          const c = (state.Catch as State[] | undefined)?.find((x) =>
            (x.ErrorEquals as string[]).some(
              (n) => n === 'States.ALL' || n === 'States.TaskFailed' || n === e.errorName,
            ),
          );
          if (c === undefined) throw new StatesFail(e.errorName, e.message);
          trace.push(`${name}!${e.errorName}`);
          current = await finish({ errorOutput: { Error: e.errorName, Cause: e.message } }, c);
          next = c.Next;
          break;
        }
        current = await finish({ result });
        break;
      }
      case 'Map': {
        const items = (await evaluate(state.Items, vars, states)) as Json[];
        if (!Array.isArray(items))
          throw new Error(`map ${name}: Items is not an array: ${JSON.stringify(items)}`);
        const results: Json[] = [];
        for (const item of items) results.push(await runStates(state.ItemProcessor, item, vars, task, trace));
        current = await finish({ result: results });
        break;
      }
      default:
        throw new Error(`unsupported state type ${state.Type}`);
    }
    if (state.End) return current;
    name = next;
  }
  return current;
}

/** Runs a whole state machine definition on an input. */
export async function runMachine(
  definition: { StartAt: string; States: Record<string, State> },
  input: Json,
  task: TaskHandler,
): Promise<{ output: Json; trace: string[] }> {
  const trace: string[] = [];
  const output = await runStates(definition, input, {}, task, trace);
  return { output, trace };
}
