import { dirname, join, posix } from 'node:path';
import type { AssetPackaging, ResolvedAssetStore, ResolvedCodeLocation } from '../../model/assets';
import type { PipelineSpec } from '../../spec/types.generated';
import { defaultBucketPrefix } from './storage';

/**
 * Code locations: the one home of what a code, script, certificate or buildspec field means
 * (a local path beside the spec, or an S3 URI) and of where assets are uploaded. The check
 * stage and every area's normalize import it.
 */

/** Where assets go when `storage.assets` says nothing: a prefix of the models bucket. */
export const ASSET_STORE_DEFAULTS = {
  bucket: 'models',
  prefix: (pipeline: string) => `${pipeline}/assets/`,
} as const;

/** True for the S3 form of a code field (`s3://bucket/key`); anything else is a local path. */
export function isS3Uri(value: string): boolean {
  return value.startsWith('s3://');
}

/**
 * Bucket and key of an `s3://bucket/key` URI; undefined when the URI has no bucket or no key
 * (the check stage reports that).
 */
export function parseS3Uri(uri: string): { readonly bucketName: string; readonly key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return m ? { bucketName: m[1], key: m[2] } : undefined;
}

/** The asset store of a spec: `storage.assets` over the defaults. */
export function normalizeAssetStore(spec: PipelineSpec): ResolvedAssetStore {
  const bucket = spec.storage?.assets?.bucket ?? ASSET_STORE_DEFAULTS.bucket;
  const bucketPrefix = spec.storage?.bucketPrefix ?? defaultBucketPrefix(spec);
  return {
    bucket,
    bucketName: `${bucketPrefix}-${bucket}`,
    prefix: spec.storage?.assets?.prefix ?? ASSET_STORE_DEFAULTS.prefix(spec.name),
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
