import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { TerraformStack } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { ioCause, UsageError } from '../compiler/diagnostics';
import type { ResolvedAsset, ResolvedAssetStore, ResolvedCodeLocation } from '../model/assets';
import { PackageError } from './data/zip';
import { tarGzDirectory } from './tar';

/** Folder (beside main.tf.json) that holds the files constructs contribute. */
export const ASSET_DIR = 'assets';

/**
 * Files a configuration needs besides its Terraform JSON (Lambda deployment zips, uploaded scripts),
 * collected per stack and written beside main.tf.json by synthesis. A construct adds
 * bytes under a name and gets the path to reference from Terraform, relative to the
 * module (`${path.module}/assets/<name>`), so the output directory can move as a whole.
 * The bytes must be deterministic: they are part of the generated output.
 */
export class StackAssets extends Construct {
  private readonly byName = new Map<string, Uint8Array>();

  /** The registry of the stack that holds `scope` (created on first use). */
  static of(scope: IConstruct): StackAssets {
    const stack = TerraformStack.of(scope);
    const found = stack.node.tryFindChild('Assets');
    return found instanceof StackAssets ? found : new StackAssets(stack, 'Assets');
  }

  /** The files of `stack` by path relative to the output directory (empty when none were added). */
  static filesOf(stack: TerraformStack): ReadonlyMap<string, Uint8Array> {
    const found = stack.node.tryFindChild('Assets');
    if (!(found instanceof StackAssets)) return new Map();
    return new Map(
      [...found.byName.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, bytes]) => [`${ASSET_DIR}/${name}`, bytes]),
    );
  }

  /** Adds a file; returns the path Terraform reads it from. One name holds one content. */
  add(name: string, bytes: Uint8Array): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
      throw new Error(`internal: asset name ${JSON.stringify(name)}`);
    const existing = this.byName.get(name);
    if (existing !== undefined && Buffer.compare(Buffer.from(existing), Buffer.from(bytes)) !== 0) {
      throw new Error(`internal: asset ${name} added twice with different content`);
    }
    this.byName.set(name, bytes);
    return `\${path.module}/${ASSET_DIR}/${name}`;
  }
}

/** An object a consumer reads: uploaded by this configuration, or read where it is. */
export interface CodeObject {
  /** Bucket name (for uploads, a reference to the asset bucket's name). */
  readonly bucket: string;
  /** Object key (for uploads, a reference to the upload's key: consumers depend on the upload). */
  readonly key: string;
  /** `s3://<bucket>/<key>`. */
  readonly uri: string;
  /** `arn:<partition>:s3:::<bucket>/<key>`: what a role may read, exactly. */
  readonly arn: string;
  /** The bucket's name as a literal (policies group grants by bucket name). */
  readonly bucketName: string;
  /** For uploads, the SHA-256 (hex) of the uploaded bytes; undefined for objects read where they are. */
  readonly contentHash?: string;
}

/** Props of {@link AssetUploads}. */
export interface AssetUploadsProps {
  readonly store: ResolvedAssetStore;
  /** The data-lake bucket of the store. */
  readonly bucket: S3Bucket;
  readonly keyArn: string;
  readonly partition: string;
}

/** Hex characters of the content hash in an object key (128 bits). */
const KEY_HASH_CHARS = 32;

/** A name for the file under assets/: the asset id and its file name, in the characters StackAssets takes. */
const assetFileName = (a: ResolvedAsset) => `${a.id}-${a.fileName}`.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * The uploads of the files a spec names by local path: each becomes a file under assets/
 * beside main.tf.json and an `aws_s3_object` (`assets/<asset id>`) at
 * `<store prefix><sha256>/<file name>`, encrypted with the pipeline key. The key holds the
 * content hash, so a changed file is a new object (created before the old one goes) and
 * every consumer, which reads the upload's own `key`, follows it in the same
 * apply. Consumers call {@link AssetUploads.of}(scope).{@link locate}; PipelineStack
 * creates the one instance after the data lake.
 */
export class AssetUploads extends Construct {
  private readonly uploads = new Map<string, CodeObject>();
  /** One token for the bucket's name: consumers group objects by bucket (a fresh token would not compare equal). */
  private readonly bucketName: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: AssetUploadsProps,
  ) {
    super(scope, id);
    this.bucketName = props.bucket.bucket;
  }

  /** The uploads of the stack that holds `scope`. */
  static of(scope: IConstruct): AssetUploads {
    const found = TerraformStack.of(scope).node.tryFindChild(ASSET_UPLOADS_ID);
    if (!(found instanceof AssetUploads)) throw new Error('internal: the stack has no asset uploads');
    return found;
  }

  /** The object behind a code location: the upload of an asset (made on first use), or the S3 object as given. */
  locate(location: ResolvedCodeLocation): CodeObject {
    if (location.kind === 's3') return this.object(location.bucketName, location.key, location.bucketName);
    const a = location.asset;
    const existing = this.uploads.get(a.id);
    if (existing) return existing;
    const bytes = packAsset(a);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const upload = new S3Object(this, a.id, {
      bucket: this.props.bucket.id,
      key: `${this.props.store.prefix}${hash.slice(0, KEY_HASH_CHARS)}/${a.fileName}`,
      // The file, not its content: key material (a TLS zip) never lands in the JSON or the state.
      source: StackAssets.of(this).add(assetFileName(a), bytes),
      sourceHash: hash,
      serverSideEncryption: 'aws:kms',
      kmsKeyId: this.props.keyArn,
      bucketKeyEnabled: true,
      // A new key replaces the object: the new one exists before consumers move to it.
      lifecycle: { createBeforeDestroy: true },
    });
    // The bucket by its name (one value for all uploads), the key by the upload's own
    // attribute: every consumer of the key waits for the upload.
    const object = {
      ...this.object(this.bucketName, upload.key, this.props.store.bucketName),
      contentHash: hash,
    };
    this.uploads.set(a.id, object);
    return object;
  }

  private object(bucket: string, key: string, bucketName: string): CodeObject {
    return {
      bucket,
      key,
      uri: `s3://${bucket}/${key}`,
      arn: `arn:${this.props.partition}:s3:::${bucket}/${key}`,
      bucketName,
    };
  }
}

/** Construct id (and address part) of the stack's {@link AssetUploads}. */
export const ASSET_UPLOADS_ID = 'assets';

/** The bytes the build uploads for an asset; problems with the files are the user's (UsageError). */
export function packAsset(a: ResolvedAsset): Uint8Array {
  try {
    switch (a.packaging) {
      case 'file':
        return readFileSync(a.path);
      case 'tar.gz':
        return tarGzDirectory(a.path);
    }
  } catch (e) {
    if (e instanceof PackageError) throw new UsageError(`${a.source}: ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new UsageError(`${a.source}: cannot read ${a.path}: ${ioCause(e)}`);
    throw e;
  }
}

/**
 * The key {@link AssetUploads.locate} uploads an asset under, `<prefix><hash>/<file name>`:
 * the same bytes give the same key in every stack, so another environment can name the
 * object the owner's apply uploads (promotion: a framework's source archive).
 */
export function assetObjectKey(a: ResolvedAsset, prefix: string): string {
  const hash = createHash('sha256').update(packAsset(a)).digest('hex');
  return `${prefix}${hash.slice(0, KEY_HASH_CHARS)}/${a.fileName}`;
}
