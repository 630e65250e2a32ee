import type { ReleaseManifest } from './manifest';

export type Bump = 'major' | 'minor' | 'patch';

/** A `moved` block: state at `from` now belongs to `to`. */
export interface Move {
  readonly from: string;
  readonly to: string;
}

/** What changed between two releases and what that means for the version. */
export interface ReleaseDiff {
  readonly bump: Bump;
  /** Why the bump is what it is: one line per reason, most severe first. */
  readonly reasons: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly replaced: readonly string[];
  readonly changed: readonly string[];
  readonly moved: readonly Move[];
}

const sameIdentity = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Compares the previous release with the next. Major: a stateful resource is removed or
 * would be replaced, an input is removed or retyped, an output is removed. Minor:
 * resources, inputs or outputs are added. Patch: anything else. A resource whose address
 * changed but whose configuration did not (same type, same identity or same config) is a
 * move: a `moved` block carries its state, so it is neither removed nor added.
 */
export function diffReleases(prev: ReleaseManifest, next: ReleaseManifest): ReleaseDiff {
  const prevAddrs = Object.keys(prev.resources);
  const nextAddrs = Object.keys(next.resources);
  let gone = prevAddrs.filter((a) => !(a in next.resources));
  let fresh = nextAddrs.filter((a) => !(a in prev.resources));

  const moved: Move[] = [];
  for (const from of [...gone]) {
    const old = prev.resources[from];
    const to = fresh.find((a) => {
      const cand = next.resources[a];
      if (cand.type !== old.type) return false;
      return old.identity ? sameIdentity(old.identity, cand.identity) : old.config === cand.config;
    });
    if (to !== undefined) {
      moved.push({ from, to });
      gone = gone.filter((a) => a !== from);
      fresh = fresh.filter((a) => a !== to);
    }
  }

  const replaced: string[] = [];
  const changed: string[] = [];
  for (const a of nextAddrs.filter((x) => x in prev.resources)) {
    const before = prev.resources[a];
    const after = next.resources[a];
    if (before.identity && !sameIdentity(before.identity, after.identity)) {
      const diffs = Object.keys(after.identity ?? {}).filter(
        (k) => !sameIdentity(before.identity?.[k], after.identity?.[k]),
      );
      replaced.push(
        `${a} (${diffs.map((k) => `${k} ${JSON.stringify(before.identity?.[k])} -> ${JSON.stringify(after.identity?.[k])}`).join(', ')})`,
      );
    } else if (before.config !== after.config) {
      changed.push(a);
    }
  }

  const major: string[] = [];
  const minor: string[] = [];
  for (const a of gone) if (prev.resources[a].identity) major.push(`stateful resource ${a} is removed`);
  for (const r of replaced) major.push(`stateful resource ${r} would be replaced`);
  for (const [name, type] of Object.entries(prev.inputs)) {
    if (!(name in next.inputs)) major.push(`input ${name} is removed`);
    else if (next.inputs[name] !== type)
      major.push(`input ${name} changes type from ${type} to ${next.inputs[name]}`);
  }
  for (const o of prev.outputs) if (!next.outputs.includes(o)) major.push(`output ${o} is removed`);
  if (fresh.length > 0) minor.push(`${fresh.length} resource${fresh.length === 1 ? '' : 's'} added`);
  for (const name of Object.keys(next.inputs))
    if (!(name in prev.inputs)) minor.push(`input ${name} is added`);
  for (const o of next.outputs) if (!prev.outputs.includes(o)) minor.push(`output ${o} is added`);
  const statelessGone = gone.filter((a) => !prev.resources[a].identity);

  const bump: Bump = major.length > 0 ? 'major' : minor.length > 0 ? 'minor' : 'patch';
  const patch = [
    ...(statelessGone.length > 0
      ? [`${statelessGone.length} stateless resource${statelessGone.length === 1 ? '' : 's'} removed`]
      : []),
    ...(changed.length > 0
      ? [`${changed.length} resource${changed.length === 1 ? '' : 's'} changed in place`]
      : []),
    ...(moved.length > 0
      ? [
          `${moved.length} resource${moved.length === 1 ? '' : 's'} moved (state follows through moved blocks)`,
        ]
      : []),
  ];
  const reasons = [...major, ...minor, ...patch];
  return {
    bump,
    reasons:
      reasons.length > 0
        ? reasons
        : [
            'resources, inputs and outputs are unchanged; other module content changed (locals, assets, documentation)',
          ],
    added: fresh.sort(),
    removed: gone.sort(),
    replaced,
    changed: changed.sort(),
    moved,
  };
}

/** Parses `X.Y.Z`; undefined when it is not plain semver. */
export function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a)!;
  const pb = parseVersion(b)!;
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

export function bumpVersion(v: string, bump: Bump): string {
  const [major, minor, patch] = parseVersion(v)!;
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}
