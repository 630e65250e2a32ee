/**
 * The assets area's catalog: where uploaded code goes by default (read from the schema where
 * the schema documents it) and what an S3 code location looks like. The check stage,
 * normalize and the build share it. Pure: no cdktf, no normalize imports, no file access.
 */
import { schemaDefault, schemaPointer } from '../../spec/schema';

/** Where assets go when `storage.assets` says nothing: a prefix of the models bucket. */
export const DEFAULTS = {
  bucket: schemaDefault(schemaPointer('assetStore', 'bucket'), 'string'),
  /** Not a schema default: the prefix is derived from the pipeline's name. */
  prefix: (pipeline: string): string => `${pipeline}/assets/`,
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
