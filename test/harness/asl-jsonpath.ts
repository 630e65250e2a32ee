/* eslint-disable @typescript-eslint/no-explicit-any -- state data is an untyped JSON document */
/**
 * A small interpreter of the JSONPath States Language subset the data workflow uses (the
 * JSONata one in asl.ts serves the serving deploy): Task, Pass, Wait, Choice, Succeed and
 * Fail, with Parameters (`.$` keys: paths and the intrinsics States.MathAdd, States.Format,
 * States.JsonToString), ResultSelector, ResultPath (null keeps the input), Retry and Catch.
 * As in Step Functions, a path that selects nothing fails the state with States.Runtime
 * (a Choice rule's Variable included, except under IsPresent). Waits take no time but are
 * counted; `$$` is a context object with Execution.Name `test-execution`. Tasks go to a handler by resource (`arn:<p>:states:::aws-sdk:<service>:<action>`
 * or `arn:<p>:states:::<service>:<action>[.sync]`); a thrown {@link AslError} is the
 * task's error by name.
 */

type Json = any;
type State = Record<string, any>;

/** An error a task (or the interpreter) raises, by its States Language name. */
export class AslError extends Error {
  constructor(
    readonly error: string,
    readonly cause = '',
  ) {
    super(`${error}: ${cause}`);
  }
}

export type JsonPathTaskHandler = (service: string, action: string, parameters: Json) => Json;

/** How an execution ended. */
export interface JsonPathRun {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly error?: string;
  readonly cause?: string;
  readonly output: Json;
  /** Every state entered, in order. */
  readonly path: readonly string[];
  readonly waitedSeconds: number;
}

const MISSING = Symbol('missing');
/** The context object (`$$`) of the execution being run (runs are synchronous, one at a time). */
let context: Json = {};

function select(data: Json, path: string): Json | typeof MISSING {
  if (path.startsWith('$$.')) return select(context, path.slice(1));
  if (path === '$') return data;
  if (!path.startsWith('$.')) throw new Error(`unsupported path ${path}`);
  let cur: Json = data;
  for (const key of path.slice(2).split('.')) {
    if (cur === null || typeof cur !== 'object' || !(key in cur)) return MISSING;
    cur = cur[key];
  }
  return cur;
}

function mustSelect(data: Json, path: string): Json {
  const v = select(data, path);
  if (v === MISSING) throw new AslError('States.Runtime', `the path ${path} selects nothing`);
  return v;
}

function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const c of s) {
    if (c === "'") quoted = !quoted;
    if (!quoted && c === '(') depth++;
    if (!quoted && c === ')') depth--;
    if (!quoted && depth === 0 && c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function expression(data: Json, expr: string): Json {
  const call = /^States\.([A-Za-z]+)\((.*)\)$/s.exec(expr);
  if (!call) return mustSelect(data, expr);
  const args = splitArgs(call[2]).map((a) =>
    a.startsWith("'") ? a.slice(1, -1) : /^-?[0-9]+$/.test(a) ? Number(a) : expression(data, a),
  );
  switch (call[1]) {
    case 'MathAdd':
      return Number(args[0]) + Number(args[1]);
    case 'Format': {
      let i = 1;
      return String(args[0]).replace(/\{\}/g, () => String(args[i++]));
    }
    case 'JsonToString':
      return JSON.stringify(args[0]);
    default:
      throw new Error(`unsupported intrinsic States.${call[1]}`);
  }
}

function parameters(template: Json, data: Json): Json {
  if (Array.isArray(template)) return template.map((t) => parameters(t, data));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(template)) {
    if (k.endsWith('.$')) out[k.slice(0, -2)] = expression(data, v as string);
    else out[k] = parameters(v, data);
  }
  return out;
}

function place(data: Json, resultPath: string | null | undefined, result: Json): Json {
  if (resultPath === null) return data;
  if (resultPath === undefined || resultPath === '$') return result;
  const keys = resultPath.slice(2).split('.');
  const copy = structuredClone(data ?? {});
  let cur = copy;
  for (const k of keys.slice(0, -1)) {
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k];
  }
  cur[keys[keys.length - 1]] = result;
  return copy;
}

function matches(rule: State, data: Json): boolean {
  if (rule.And) return (rule.And as State[]).every((r) => matches(r, data));
  if (rule.Or) return (rule.Or as State[]).some((r) => matches(r, data));
  if (rule.Not) return !matches(rule.Not, data);
  const v = select(data, rule.Variable);
  if ('IsPresent' in rule) return (v !== MISSING) === rule.IsPresent;
  if (v === MISSING) throw new AslError('States.Runtime', `the Variable ${rule.Variable} selects nothing`);
  if ('StringEquals' in rule) return v === rule.StringEquals;
  if ('NumericGreaterThanEquals' in rule) return typeof v === 'number' && v >= rule.NumericGreaterThanEquals;
  if ('NumericEquals' in rule) return v === rule.NumericEquals;
  throw new Error(`unsupported Choice rule ${JSON.stringify(rule)}`);
}

const errorMatches = (equals: readonly string[], error: string) =>
  equals.includes(error) || (equals.includes('States.ALL') && error !== 'States.Runtime');

/** Runs a JSONPath definition from its StartAt with `input`, at most `maxTransitions` states. */
export function runJsonPath(
  definition: { StartAt: string; States: Record<string, State> },
  input: Json,
  handler: JsonPathTaskHandler,
  maxTransitions = 10_000,
): JsonPathRun {
  context = { Execution: { Name: 'test-execution', Input: input }, StateMachine: { Name: 'test' } };
  let name = definition.StartAt;
  let data = input;
  let waitedSeconds = 0;
  const path: string[] = [];
  for (let n = 0; n < maxTransitions; n++) {
    const state = definition.States[name];
    if (!state) throw new Error(`no state ${name}`);
    path.push(name);
    const next = (out: Json): string | undefined => {
      data = out;
      return state.End ? undefined : state.Next;
    };
    let to: string | undefined;
    try {
      switch (state.Type) {
        case 'Pass':
          to = next(place(data, state.ResultPath, parameters(state.Parameters ?? data, data)));
          break;
        case 'Wait':
          waitedSeconds += state.Seconds as number;
          to = next(data);
          break;
        case 'Succeed':
          return { status: 'SUCCEEDED', output: data, path, waitedSeconds };
        case 'Fail':
          return {
            status: 'FAILED',
            error: state.Error,
            cause: state.Cause,
            output: data,
            path,
            waitedSeconds,
          };
        case 'Choice': {
          const rule = (state.Choices as State[]).find((r) => matches(r, data));
          to = rule ? rule.Next : state.Default;
          if (to === undefined) throw new AslError('States.NoChoiceMatched', name);
          break;
        }
        case 'Task': {
          const m = /^arn:[a-z-]+:states:::(?:aws-sdk:)?([a-z0-9-]+):([A-Za-z0-9]+)(?:\.[a-z]+)?$/.exec(
            state.Resource,
          );
          if (!m) throw new Error(`unsupported resource ${state.Resource}`);
          const args = parameters(state.Parameters ?? {}, data);
          const attempts = new Map<number, number>();
          let result: Json;
          for (;;) {
            try {
              result = handler(m[1], m[2], args);
              break;
            } catch (e) {
              if (!(e instanceof AslError)) throw e;
              const i = ((state.Retry ?? []) as State[]).findIndex((r) =>
                errorMatches(r.ErrorEquals, e.error),
              );
              const used = attempts.get(i) ?? 0;
              if (i < 0 || used >= state.Retry[i].MaxAttempts) throw e;
              attempts.set(i, used + 1);
            }
          }
          const selected = state.ResultSelector ? parameters(state.ResultSelector, result) : result;
          to = next(place(data, state.ResultPath, selected));
          break;
        }
        default:
          throw new Error(`unsupported state type ${state.Type}`);
      }
    } catch (e) {
      if (!(e instanceof AslError)) throw e;
      const c = ((state.Catch ?? []) as State[]).find((r) => errorMatches(r.ErrorEquals, e.error));
      if (!c) return { status: 'FAILED', error: e.error, cause: e.cause, output: data, path, waitedSeconds };
      data = place(data, c.ResultPath, { Error: e.error, Cause: e.cause });
      to = c.Next;
    }
    if (to === undefined) return { status: 'SUCCEEDED', output: data, path, waitedSeconds };
    name = to;
  }
  throw new Error(`no end after ${maxTransitions} transitions: ${path.slice(-10).join(' -> ')}`);
}
