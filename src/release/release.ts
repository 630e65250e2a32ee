import { createHash } from 'node:crypto';
import type { ResolvedSpec } from '../model/resolved';
import { synthesizeModule } from '../synth/module';
import type { FileContent } from '../synth/synth';
import { bumpVersion, compareVersions, diffReleases, parseVersion, type ReleaseDiff } from './bump';
import { manifestOf, type ReleaseManifest } from './manifest';

/** The manifest file written into every release folder. */
export const MANIFEST_FILE = 'pipeform-release.json';
/** The first version `--bump auto` gives a pipeline that has no release yet. */
export const FIRST_VERSION = '1.0.0';

/** What the caller asks for. */
export interface ReleaseRequest {
  readonly spec: ResolvedSpec;
  readonly specBytes: Uint8Array;
  readonly sourceName: string;
  /** The latest earlier release, if any. */
  readonly previous?: ReleaseManifest;
  /** An explicit version, or 'auto' to derive it from the changes. */
  readonly version: string | 'auto';
  /** Release date for the CHANGELOG (YYYY-MM-DD). */
  readonly date: string;
  /** The spec under its stand-in name, for the module's `name_prefix` input (ModuleOptions.standIn). */
  readonly standIn?: ResolvedSpec;
}

/** A planned release: the folder to write, and the CHANGELOG entry to prepend. */
export interface PlannedRelease {
  readonly version: string;
  /** Files by path relative to the release root (`v<version>/...`); assets are bytes. Empty when unchanged. */
  readonly files: ReadonlyMap<string, FileContent>;
  readonly changelogEntry: string;
  readonly diff?: ReleaseDiff;
  /**
   * `--bump auto` found the module byte for byte the latest release's: nothing is written,
   * and `version` is that release's. A CI can run the release on every merge.
   */
  readonly unchanged?: boolean;
}

/** A problem with the request itself (a version that goes backwards, a bad version string). */
export class ReleaseError extends Error {}

/**
 * Plans a versioned module release: the module, a manifest (name, version, spec hash,
 * pipeform version, provider constraint, interface and resources), `moved` blocks for
 * resources whose address changed, and a CHANGELOG entry saying what changed and why the
 * version moved as it did. Pure: the CLI reads the previous manifest and writes the files.
 */
export function planRelease(req: ReleaseRequest): PlannedRelease {
  const source = `git::<repository>//<path>?ref=v<version>`;
  const standIn = req.standIn ? { standIn: req.standIn } : {};
  let module = synthesizeModule(req.spec, req.sourceName, source, standIn);
  const specHash = createHash('sha256').update(req.specBytes).digest('hex');
  const draft = manifestOf(req.spec.name, '0.0.0', specHash, module);
  const same = req.previous !== undefined && unchangedSince(req.previous, draft);
  const compared = req.previous ? diffReleases(req.previous, draft) : undefined;
  const diff =
    compared && same
      ? { ...compared, reasons: ['no change: the module is the latest release, byte for byte'] }
      : compared;

  if (req.version === 'auto' && same) {
    return {
      version: req.previous.version,
      files: new Map(),
      changelogEntry: '',
      unchanged: true,
      ...(diff ? { diff } : {}),
    };
  }
  let version: string;
  if (req.version === 'auto') {
    version = req.previous && diff ? bumpVersion(req.previous.version, diff.bump) : FIRST_VERSION;
  } else {
    if (!parseVersion(req.version))
      throw new ReleaseError(`version ${JSON.stringify(req.version)} is not X.Y.Z`);
    if (req.previous && compareVersions(req.version, req.previous.version) <= 0) {
      throw new ReleaseError(
        `version ${req.version} is not newer than the latest release ${req.previous.version}`,
      );
    }
    version = req.version;
  }
  // Moved blocks are part of the module (and may raise its required_version), so a release
  // that moves addresses is synthesized with them.
  if (diff && diff.moved.length > 0)
    module = synthesizeModule(req.spec, req.sourceName, source, { moved: diff.moved, ...standIn });
  const manifest: ReleaseManifest = { ...draft, version };
  const dir = `v${version}`;
  const files = new Map<string, FileContent>();
  for (const [name, content] of module.files) {
    files.set(
      `${dir}/${name}`,
      name === 'README.md' && typeof content === 'string' ? content.replace(/<version>/g, version) : content,
    );
  }
  files.set(`${dir}/${MANIFEST_FILE}`, `${JSON.stringify(manifest, null, 2)}\n`);
  return { version, files, changelogEntry: changelogEntry(version, req, diff), ...(diff ? { diff } : {}) };
}

/**
 * Whether the module is the latest release's, byte for byte: same module hash, or, for a
 * manifest written before module hashes, the same spec bytes compiled by the same pipeform
 * (synthesis is deterministic, so those give the same module).
 */
function unchangedSince(previous: ReleaseManifest, next: ReleaseManifest): boolean {
  if (previous.moduleHash !== undefined) return previous.moduleHash === next.moduleHash;
  return previous.specHash === next.specHash && previous.pipeformVersion === next.pipeformVersion;
}

function changelogEntry(version: string, req: ReleaseRequest, diff: ReleaseDiff | undefined): string {
  const lines = [`## ${version} (${req.date})`, ''];
  if (!diff || !req.previous) {
    lines.push(`First release of pipeline ${req.spec.name}.`, '');
    return lines.join('\n');
  }
  const chosen =
    req.version === 'auto'
      ? `Classified as **${diff.bump}**`
      : `Released as ${version} (changes classify as **${diff.bump}**)`;
  lines.push(`${chosen} since ${req.previous.version}:`, '', ...diff.reasons.map((r) => `- ${r}`), '');
  const section = (title: string, items: readonly string[]) =>
    items.length > 0 ? [`### ${title}`, '', ...items.map((i) => `- \`${i}\``), ''] : [];
  lines.push(
    ...section('Added', diff.added),
    ...section('Removed', diff.removed),
    ...section('Replaced', diff.replaced),
    ...section('Changed in place', diff.changed),
    ...section(
      'Moved',
      diff.moved.map((m) => `${m.from} -> ${m.to}`),
    ),
  );
  return lines.join('\n');
}

/** The latest release among manifests (by semver), or undefined. */
export function latestRelease(manifests: readonly ReleaseManifest[]): ReleaseManifest | undefined {
  return [...manifests]
    .filter((m) => parseVersion(m.version))
    .sort((a, b) => compareVersions(b.version, a.version))[0];
}
