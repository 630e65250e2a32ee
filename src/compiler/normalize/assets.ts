import { dirname, join, posix } from 'node:path';
import type { AssetPackaging, ResolvedAssetStore, ResolvedCodeLocation } from '../../model/assets';
import type { PipelineSpec } from '../../spec/types.generated';
import { DEFAULTS as ASSET_DEFAULTS, isS3Uri, parseS3Uri } from '../../areas/assets/catalog';
import { bucketPrefixOf } from '../../areas/storage/catalog';

/**
 * Code locations resolved: a code, script, certificate or buildspec field becomes an asset
 * (a local path beside the spec) or an S3 object, and the asset store gets its names. What
 * the forms mean and the store's defaults live in src/areas/assets/catalog.ts, which the
 * check stage reads too; every area's normalize imports this file.
 */

/** The asset store of a spec: `storage.assets` over the defaults. */
export function normalizeAssetStore(spec: PipelineSpec): ResolvedAssetStore {
  const bucket = spec.storage?.assets?.bucket ?? ASSET_DEFAULTS.bucket;
  const bucketPrefix = bucketPrefixOf(spec);
  return {
    bucket,
    bucketName: `${bucketPrefix}-${bucket}`,
    prefix: spec.storage?.assets?.prefix ?? ASSET_DEFAULTS.prefix(spec.name),
  };
}

/** A local path as the build reads it: joined onto the directory of the spec file. (Pure: only joins.) */
export function localPath(specFile: string, relative: string): string {
  return join(dirname(specFile), relative);
}

/**
 * Resolves a code field: an S3 URI stays where it is, a local path becomes the asset `id`.
 * `fileName` overrides the uploaded object's last key segment (default: the file's name).
 */
export function resolveCodeFile(
  value: string,
  specFile: string,
  id: string,
  packaging: AssetPackaging = 'file',
  fileName = posix.basename(value),
): ResolvedCodeLocation {
  if (isS3Uri(value)) {
    const uri = parseS3Uri(value);
    if (uri === undefined) throw new Error(`internal: ${value} is not an s3://bucket/key URI`);
    return { kind: 's3', ...uri };
  }
  return {
    kind: 'asset',
    asset: { id, source: value, path: localPath(specFile, value), packaging, fileName },
  };
}
