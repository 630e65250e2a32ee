/**
 * Files the pipeline runs or reads when it starts (scripts, code, certificates, buildspecs)
 * as the normalize stage resolves them: a local file or directory the apply ships as an
 * asset, or an object in S3 that is read where it is. Every area that takes such a field
 * uses these types, so the build treats them all alike.
 */

/**
 * How the build turns a local path into the bytes it uploads. (Lambda code directories are
 * zipped by the Lambda construct and uploaded with the function itself, not through S3.)
 */
export type AssetPackaging =
  /** The file as it is. */
  | 'file'
  /** A directory as a deterministic tar.gz (SageMaker script-mode `sourcedir.tar.gz`). */
  | 'tar.gz';

/**
 * A local file or directory beside the spec that the same apply uploads (an `aws_s3_object`
 * from a file under `assets/` beside main.tf.json). The object key is
 * `<store prefix><content hash>/<fileName>`: the hash is known only to the build, which reads
 * the bytes, so a changed file ships as a new object and its consumers move to it.
 */
export interface ResolvedAsset {
  /**
   * Names the upload (its construct id, address and file under assets/), from spec names:
   * `glue-<job>`, `workflow-<step>`, `emr-tls-certificates`, `training-preprocess`,
   * `training-evaluate`, `training-source`, `cicd-buildspec`. Unique in a pipeline.
   */
  readonly id: string;
  /** As written in the spec, relative to the spec file (for messages). */
  readonly source: string;
  /** The file or directory as the build reads it: `source` joined onto the spec file's directory. */
  readonly path: string;
  readonly packaging: AssetPackaging;
  /** The object's last key segment: the file name a consumer sees (e.g. `evaluate.py`, `sourcedir.tar.gz`). */
  readonly fileName: string;
}

/** Where a code, script, certificate or buildspec field points, resolved. */
export type ResolvedCodeLocation =
  | { readonly kind: 'asset'; readonly asset: ResolvedAsset }
  | {
      /** An object read where it is: a bucket the configuration does not create, or a lake key the CI/CD build publishes. */
      readonly kind: 's3';
      readonly bucketName: string;
      readonly key: string;
    };

/** Where assets are uploaded: one prefix of one data-lake bucket. */
export interface ResolvedAssetStore {
  /** Spec name of the data-lake bucket. */
  readonly bucket: string;
  /** Its global name. */
  readonly bucketName: string;
  /** Key prefix, ending in `/`: `<pipeline>/assets/` unless the spec says otherwise. */
  readonly prefix: string;
}
