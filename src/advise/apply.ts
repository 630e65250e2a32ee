import type { Finding, SpecPath } from './types';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Lists of named items merge by name (a fix names the variant or node group it changes). */
function mergeList(target: unknown[], value: unknown[]): unknown[] {
  const named = value.every((v) => isObject(v) && typeof v.name === 'string');
  if (!named) return value;
  const out = [...target];
  for (const v of value as Record<string, unknown>[]) {
    const i = out.findIndex((t) => isObject(t) && t.name === v.name);
    if (i < 0) out.push(v);
    else out[i] = merge(out[i], v);
  }
  return out;
}

/** `value` over `target`: objects merge key by key, named lists by name, the rest is replaced. */
function merge(target: unknown, value: unknown): unknown {
  if (isObject(target) && isObject(value)) {
    const out: Record<string, unknown> = { ...target };
    for (const [k, v] of Object.entries(value)) out[k] = k in target ? merge(target[k], v) : v;
    return out;
  }
  if (Array.isArray(target) && Array.isArray(value)) return mergeList(target, value);
  return value;
}

/** Writes `value` at `path` in a copy of `node`, creating what the path needs. */
function mergeAt(node: unknown, path: SpecPath, value: unknown, replace = false): unknown {
  if (path.length === 0) return replace ? value : merge(node, value);
  const [head, ...rest] = path;
  if (typeof head === 'object') {
    const list = Array.isArray(node) ? [...(node as unknown[])] : [];
    const i = list.findIndex((item) => isObject(item) && item.name === head.name);
    if (i < 0) list.push(mergeAt({ name: head.name }, rest, value, replace));
    else list[i] = mergeAt(list[i], rest, value, replace);
    return list;
  }
  if (typeof head === 'number') {
    const list = Array.isArray(node) ? [...(node as unknown[])] : [];
    list[head] = mergeAt(list[head], rest, value, replace);
    return list;
  }
  const obj = isObject(node) ? { ...node } : {};
  obj[head] = mergeAt(obj[head], rest, value, replace);
  return obj;
}

/**
 * The spec (as data, before defaults) with a finding's fix applied: what a user gets by
 * merging the finding's YAML snippet into the file. Pure; the input is not changed.
 */
export function applyFix<T extends object>(spec: T, finding: Pick<Finding, 'patch'>): T {
  return mergeAt(spec, finding.patch.path, finding.patch.value, finding.patch.replace) as T;
}
