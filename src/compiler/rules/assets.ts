import { posix } from 'node:path';
import type { PipelineSpec, ServingModel } from '../../spec/types.generated';
import type { CheckContext, CheckRule } from '../check';
import type { Diagnostic } from '../diagnostics';
import { DEFAULTS as ASSET_STORE_DEFAULTS, isS3Uri, parseS3Uri } from '../../areas/assets/catalog';
import { bucketPrefixOf, resolveLifecycle, STANDARD_BUCKETS } from '../../areas/storage/catalog';
import { DEFAULTS as TRAINING_DEFAULTS } from '../../areas/training/catalog';
import { lakeBuckets, unknownLakeBucket, type SpecPath } from './references';

/**
 * Rules for the fields that name code, scripts, certificates, buildspecs and model archives
 * (`artifact.file` of a serving model): a local path must stay inside the spec's folder and
 * exist; an S3 URI must be well formed and point
 * outside the buckets the configuration creates, because nothing would write the object
 * there before the first run (day 0). The one exception is the training code prefix in
 * the data lake, which the CI/CD build publishes.
 */

/** One field that takes a local path and/or an S3 URI. */
interface CodeField {
  readonly at: SpecPath;
  /** As written (for training scripts: joined onto code.directory). */
  readonly value: string;
  /** What a local value must be; undefined when the field takes S3 URIs only. */
  readonly local?: 'file' | 'directory';
  /** What an S3 value names; undefined when the field takes local paths only. */
  readonly s3?: 'object' | 'prefix';
  /** A plausible local value, for hints. */
  readonly example: string;
  /** How messages name the value (training scripts name their directory too). */
  readonly label?: string;
}

/** Every code field of a spec, in spec order (the check reports them in file order anyway). */
function codeFields(spec: PipelineSpec): CodeField[] {
  const out: CodeField[] = [];
  (spec.data?.glue?.jobs ?? []).forEach((j, i) =>
    out.push({
      at: ['data', 'glue', 'jobs', i, 'script'],
      value: j.script,
      local: 'file',
      s3: 'object',
      example: `glue/${posix.basename(j.script)}`,
    }),
  );
  const certs = spec.data?.emr?.cluster?.tlsCertificates;
  if (certs !== undefined) {
    out.push({
      at: ['data', 'emr', 'cluster', 'tlsCertificates'],
      value: certs,
      local: 'file',
      s3: 'object',
      example: 'emr/tls-certificates.zip',
    });
  }
  (spec.orchestration?.functions ?? []).forEach((f, i) => {
    if (f.code.directory !== undefined) {
      out.push({
        at: ['orchestration', 'functions', i, 'code', 'directory'],
        value: f.code.directory,
        local: 'directory',
        example: `functions/${f.name}`,
      });
    }
    if (f.code.s3 !== undefined) {
      out.push({
        at: ['orchestration', 'functions', i, 'code', 's3'],
        value: f.code.s3,
        s3: 'object',
        example: `code.directory: functions/${f.name}`,
      });
    }
  });
  (spec.orchestration?.workflow?.steps ?? []).forEach((s, i) => {
    if (s.type === 'emr' && s.script !== undefined) {
      out.push({
        at: ['orchestration', 'workflow', 'steps', i, 'script'],
        value: s.script,
        local: 'file',
        s3: 'object',
        example: `spark/${posix.basename(s.script)}`,
      });
    }
  });
  const t = spec.training;
  const dir = t?.code?.directory;
  if (dir !== undefined) {
    out.push({ at: ['training', 'code', 'directory'], value: dir, local: 'directory', example: 'training' });
    // Scripts are paths inside the directory (their schema pattern cannot climb out of it).
    const inside = (at: SpecPath, script: string | undefined) => {
      if (script !== undefined && localPathProblem(dir) === undefined) {
        out.push({
          at,
          value: posix.join(dir, script),
          local: 'file',
          example: posix.join(dir, script),
          label: `${script} (in training.code.directory ${dir})`,
        });
      }
    };
    inside(['training', 'processing', 'script'], t?.processing?.script);
    inside(['training', 'evaluation', 'script'], t?.evaluation?.script);
    inside(['training', 'entryPoint'], t?.entryPoint);
  }
  if (t?.code?.s3 !== undefined) {
    out.push({ at: ['training', 'code', 's3'], value: t.code.s3, s3: 'prefix', example: 'training' });
  }
  (spec.serving?.endpoints ?? []).forEach((e, i) => {
    const archive = (m: ServingModel | undefined, at: SpecPath) => {
      const file = m?.artifact?.file;
      if (file === undefined) return;
      out.push({
        at: [...at, 'model', 'artifact', 'file'],
        value: file,
        local: 'file',
        s3: 'object',
        example: `models/${e.name}/model.tar.gz`,
      });
    };
    archive(e.model, ['serving', 'endpoints', i]);
    (e.variants ?? []).forEach((v, j) => archive(v.model, ['serving', 'endpoints', i, 'variants', j]));
    archive(e.shadow?.model, ['serving', 'endpoints', i, 'shadow']);
  });
  const buildspec = spec.cicd?.build?.buildspecFile;
  if (buildspec !== undefined) {
    out.push({
      at: ['cicd', 'build', 'buildspecFile'],
      value: buildspec,
      local: 'file',
      s3: 'object',
      example: 'ci/buildspec.yml',
    });
  }
  return out;
}

/**
 * Why a local path cannot be shipped, judged from its text alone: absolute paths, `\`
 * separators, URLs other than s3://, and `..` that climbs out of the spec's folder.
 */
export function localPathProblem(value: string): string | undefined {
  if (value.includes('\\'))
    return 'uses \\ as a separator; write / (the spec must mean the same on every machine)';
  if (value.startsWith('/') || value.startsWith('~') || /^[A-Za-z]:/.test(value)) {
    return 'is an absolute path; give a path relative to the spec file';
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return 'is a URL; only s3:// URIs are read from elsewhere';
  let depth = 0;
  for (const segment of value.split('/')) {
    if (segment === '..') depth -= 1;
    else if (segment !== '' && segment !== '.') depth += 1;
    if (depth < 0) return "climbs out of the spec's folder with '..'";
  }
  return undefined;
}

/** S3 bucket naming rules (general purpose buckets): 3-63 characters, lowercase, digits, dots, hyphens. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Why an S3 URI is malformed for what the field names (an object or a prefix). */
export function s3UriProblem(value: string, kind: 'object' | 'prefix'): string | undefined {
  const uri = parseS3Uri(value);
  if (uri === undefined) return `is not an s3://bucket/${kind === 'object' ? 'key' : 'prefix/'} URI`;
  if (!BUCKET_NAME.test(uri.bucketName) || uri.bucketName.includes('..')) {
    return `names the bucket "${uri.bucketName}", which is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)`;
  }
  if (kind === 'prefix' && !uri.key.endsWith('/')) return "names a prefix, which must end in '/'";
  if (kind === 'object' && uri.key.endsWith('/')) return "names a prefix (it ends in '/'), not an object";
  return undefined;
}

/** The global names of the pipeline's data-lake buckets, by name: what an S3 URI must not point into. */
function lakeBucketNames(ctx: CheckContext): Map<string, string> {
  const prefix = bucketPrefixOf(ctx.spec);
  return new Map(lakeBuckets(ctx).map((b) => [`${prefix}-${b}`, b]));
}

const quote = (v: string) => JSON.stringify(v);

/** The field's value as messages show it. */
const shown = (f: CodeField) => f.label ?? quote(f.value);

/** Local values with a malformed path, and S3 values with a malformed URI. */
function shapeProblems(ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of codeFields(ctx.spec)) {
    if (isS3Uri(f.value)) {
      if (f.s3 === undefined) {
        out.push(
          ctx.report(
            f.at,
            `${quote(f.value)} is an S3 URI, but this field takes a local path`,
            `give a path relative to the spec file, e.g. ${f.example}`,
          ),
        );
        continue;
      }
      const problem = s3UriProblem(f.value, f.s3);
      if (problem) {
        out.push(
          ctx.report(
            f.at,
            `${quote(f.value)} ${problem}`,
            f.s3 === 'object'
              ? 'write s3://<bucket>/<key>, e.g. s3://acme-shared-code/jobs/clean.py'
              : 'write s3://<bucket>/<prefix>/, e.g. s3://acme-ml-code/churn/',
          ),
        );
      }
      continue;
    }
    if (f.local === undefined) {
      out.push(
        ctx.report(
          f.at,
          `${quote(f.value)} is not an s3:// URI`,
          `a local zip is not taken here: use ${f.example} (pipeform zips the directory), or give the s3://<bucket>/<key> of a zip in a bucket of your own`,
        ),
      );
      continue;
    }
    const problem = localPathProblem(f.value);
    if (problem) {
      out.push(
        ctx.report(
          f.at,
          `${shown(f)} ${problem}`,
          `keep it inside the spec's folder (e.g. ${f.example}), or upload it yourself and give its s3:// URI`,
        ),
      );
    }
  }
  return out;
}

/** Local values that do not exist, are of the wrong kind, or lead out of the spec's folder. */
function missingFiles(ctx: CheckContext): Diagnostic[] {
  return codeFields(ctx.spec).flatMap((f) => {
    if (f.local === undefined || isS3Uri(f.value) || localPathProblem(f.value) !== undefined) return [];
    const problem = ctx.files.problem(f.value, f.local);
    if (problem === undefined) return [];
    return [
      ctx.report(
        f.at,
        `local ${f.local} ${shown(f)} cannot be shipped: ${problem}`,
        `paths are relative to the spec file's folder; put the ${f.local} there (e.g. ${f.example}) or give the s3:// URI of an object in a bucket of your own`,
      ),
    ];
  });
}

/** S3 values that point into a bucket the configuration creates (nothing writes them there). */
function day0Problems(ctx: CheckContext): Diagnostic[] {
  const lake = lakeBucketNames(ctx);
  const out: Diagnostic[] = [];
  for (const f of codeFields(ctx.spec)) {
    const uri = isS3Uri(f.value) ? parseS3Uri(f.value) : undefined;
    const bucket = uri ? lake.get(uri.bucketName) : undefined;
    if (uri === undefined || bucket === undefined) continue;
    out.push(
      ctx.report(
        f.at,
        `${quote(f.value)} is in the data-lake bucket ${quote(bucket)}, which this configuration creates empty: nothing writes the object before the first run`,
        `give a path relative to the spec file (e.g. ${f.example}): the same apply uploads it`,
      ),
    );
  }
  const t = ctx.spec.training;
  const code = t?.code ?? {};
  // The jobs that run code from the code location: evaluation, preprocessing, script mode. A
  // built-in algorithm gated on its own metrics runs none, so it needs no code location.
  const codeAt: SpecPath | undefined = t?.evaluation
    ? ['training', 'evaluation', 'script']
    : t?.processing
      ? ['training', 'processing', 'script']
      : t?.entryPoint
        ? ['training', 'entryPoint']
        : undefined;
  const sagemaker = t?.algorithm !== undefined && t.data !== undefined && codeAt !== undefined;
  if (sagemaker && code.directory === undefined && code.s3 === undefined && ctx.spec.cicd === undefined) {
    const bucket = code.bucket ?? TRAINING_DEFAULTS.codeBucket;
    const prefix = code.prefix ?? `${ctx.spec.name}/code/`;
    out.push(
      ctx.report(
        t.code ? ['training', 'code'] : codeAt,
        `the training scripts are read from ${prefix} in the data-lake bucket ${quote(bucket)}, which nothing in this configuration writes (no cicd build publishes them)`,
        'set training.code.directory to a folder beside the spec that holds the scripts (the apply uploads them), training.code.s3 to a prefix in a bucket of your own, or add cicd, whose build publishes the code there',
        t.code ? { key: true } : undefined,
      ),
    );
  }
  return out;
}

/**
 * The asset store's bucket: exists, is not the logs bucket, and keeps objects readable
 * (no archiving or expiry of the asset prefix). Checked when the spec sets storage.assets
 * or uploads anything.
 */
function storeProblems(ctx: CheckContext): Diagnostic[] {
  const store = ctx.spec.storage?.assets;
  const firstLocal = codeFields(ctx.spec).find((f) => f.local !== undefined && !isS3Uri(f.value));
  if (store === undefined && firstLocal === undefined) return [];
  const bucket = store?.bucket ?? ASSET_STORE_DEFAULTS.bucket;
  const at: SpecPath = store
    ? ['storage', 'assets', ...(store.bucket ? ['bucket'] : [])]
    : (firstLocal?.at ?? []);
  const unknown = unknownLakeBucket(ctx, bucket, at);
  if (unknown) return [unknown];
  const role = STANDARD_BUCKETS[bucket]?.role ?? 'data';
  const fix = `set storage.assets.bucket to ${ASSET_STORE_DEFAULTS.bucket} (the default) or a bucket of your own without archiving or expiry`;
  if (role === 'logs') return [ctx.report(at, 'assets cannot live in the logs bucket', fix)];
  const prefix = store?.prefix ?? ASSET_STORE_DEFAULTS.prefix(ctx.spec.name);
  const l = resolveLifecycle(
    role,
    ctx.spec.storage?.lifecycle,
    ctx.spec.storage?.buckets?.[bucket]?.lifecycle,
  );
  const archives =
    l.archive !== undefined && (prefix.startsWith(l.archive.prefix) || l.archive.prefix.startsWith(prefix));
  if (!archives && l.expireAfterDays === undefined) return [];
  return [
    ctx.report(
      at,
      `the asset store, bucket ${quote(bucket)} under ${prefix}, ${archives ? 'archives' : 'expires'} its objects: jobs could no longer read their scripts`,
      fix,
    ),
  ];
}

/** Forms that exclude each other: training.code's three, and the two buildspec fields. */
function oneSourceProblems(ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const code = ctx.spec.training?.code;
  if (code) {
    const forms = [
      code.directory !== undefined ? 'directory' : undefined,
      code.s3 !== undefined ? 's3' : undefined,
      code.bucket !== undefined || code.prefix !== undefined ? 'bucket/prefix' : undefined,
    ].filter((f): f is string => f !== undefined);
    if (forms.length > 1) {
      out.push(
        ctx.report(
          ['training', 'code'],
          `training.code sets ${forms.join(' and ')}; the code comes from exactly one place`,
          'keep one: directory (local), s3 (a bucket of your own) or bucket/prefix (published by the cicd build)',
          { key: true },
        ),
      );
    }
  }
  const build = ctx.spec.cicd?.build;
  if (build?.buildspec !== undefined && build.buildspecFile !== undefined) {
    out.push(
      ctx.report(
        ['cicd', 'build', 'buildspecFile'],
        "'buildspec' (in the repository) and 'buildspecFile' are both set",
        'keep one of them',
        { key: true },
      ),
    );
  }
  return out;
}

/** The rules of local files and S3 code locations, registered in check.ts. */
export const assetRules: readonly CheckRule[] = [
  {
    id: 'assets/local-path',
    description:
      "Local paths are relative to the spec file and stay inside its folder (no absolute paths, no '..' out of it, '/' separators); S3 URIs are s3://bucket/key.",
    run: shapeProblems,
  },
  {
    id: 'assets/local-file',
    description:
      "Every local file or directory a spec names exists, is of the right kind, holds only regular files, and does not lead out of the spec's folder through a symbolic link.",
    run: missingFiles,
  },
  {
    id: 'assets/day-0',
    description:
      'Code, scripts, certificates and model archives are not read from a bucket the configuration creates unless the configuration writes them there (the cicd build publishes training code): the first run would find nothing.',
    run: day0Problems,
  },
  {
    id: 'assets/store',
    description:
      'The asset store (storage.assets) is a data-lake bucket other than logs whose lifecycle neither archives nor expires the asset prefix.',
    run: storeProblems,
  },
  {
    id: 'assets/one-source',
    description:
      'training.code names one source (directory, s3 or bucket/prefix), and a build takes its buildspec from the repository or from buildspecFile, not both.',
    run: oneSourceProblems,
  },
];
