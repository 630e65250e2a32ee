import { parseArn } from '../arn';
import type { CheckContext, CheckRule } from '../check';
import type { Diagnostic } from '../diagnostics';
import { DEFAULTS } from '../../areas/cicd/catalog';
import { LATEST_APPROVED, specVariants, variantModel } from '../../areas/serving/catalog';
import { STANDARD_BUCKETS } from '../../areas/storage/catalog';
import { didYouMean } from '../suggest';
import type { ServingEndpoint } from '../../spec/types.generated';
import { lakeBuckets } from './references';

const quote = (s: string) => JSON.stringify(s);

/** Whether an endpoint has a variant (or shadow) serving `latest-approved` from the registry. */
export function servesLatestApproved(e: ServingEndpoint): boolean {
  return [...specVariants(e), ...(e.shadow ? [e.shadow] : [])].some(
    (v) => variantModel(e, v)?.registry?.version === LATEST_APPROVED,
  );
}

/** Why a repository is not `owner/name` for its provider; undefined when it is. */
export function repositoryProblem(repository: string, provider: string): string | undefined {
  if (/^[a-z]+:\/\//i.test(repository) || repository.startsWith('git@'))
    return `${quote(repository)} is a URL; the connection needs the repository as owner/name`;
  if (repository.endsWith('.git')) return `${quote(repository)} ends in .git; give owner/name without it`;
  const parts = repository.split('/');
  const nested = provider === 'gitlab';
  if (parts.length < 2 || (!nested && parts.length > 2)) {
    return `${quote(repository)} is not ${nested ? 'group/name or group/subgroup/name' : 'owner/name'}`;
  }
  const bad = parts.find((s) => !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/.test(s));
  return bad === undefined
    ? undefined
    : `${quote(bad)} in ${quote(repository)} is not a valid owner or repository name`;
}

/** Why a branch name is not a valid Git branch (git check-ref-format); undefined when it is. */
export function branchProblem(branch: string): string | undefined {
  if (branch.startsWith('refs/')) return `${quote(branch)} is a full ref; give the branch name alone`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what Git refuses
  const forbidden = /[\x00-\x20\x7f~^:?*[\\]/.exec(branch);
  if (forbidden)
    return `${quote(branch)} contains ${quote(forbidden[0])}, which Git refuses in a branch name`;
  if (branch.includes('..') || branch.includes('@{') || branch.includes('//'))
    return `${quote(branch)} contains "..", "@{" or "//", which Git refuses in a branch name`;
  if (branch === '@' || branch.startsWith('-') || branch.startsWith('/') || branch.endsWith('/'))
    return `${quote(branch)} is not a valid Git branch name`;
  if (branch.endsWith('.') || branch.endsWith('.lock') || branch.split('/').some((c) => c.startsWith('.')))
    return `${quote(branch)} has a component that starts with "." or ends with "." or ".lock"`;
  return undefined;
}

/** The path of the Deploy stage settings, or of `cicd` when there are none. */
const deployPath = (ctx: CheckContext): (string | number)[] =>
  ctx.spec.cicd?.deploy ? ['cicd', 'deploy'] : ['cicd'];

const deployOn = (ctx: CheckContext): boolean => ctx.spec.cicd?.deploy?.enabled ?? DEFAULTS.deployEnabled;

export const cicdRules: readonly CheckRule[] = [
  {
    id: 'cicd/needs-training',
    description:
      "CI/CD deploys from the model registry '<name>-models', which only a SageMaker training pipeline creates.",
    run: (ctx) =>
      ctx.spec.cicd && !ctx.spec.training?.algorithm
        ? [
            ctx.report(
              ['cicd'],
              `CI/CD deploys approved versions of the model package group "${ctx.spec.name}-models", but the spec has no SageMaker training pipeline to create it`,
              'add training (algorithm, data, evaluation), or remove cicd',
              { key: true },
            ),
          ]
        : [],
  },
  {
    id: 'cicd/one-source',
    description: "The pipeline has one source: a Git repository ('git') or an S3 object ('s3').",
    run: (ctx) => {
      const s = ctx.spec.cicd?.source;
      if (s === undefined) return [];
      if (s.git && s.s3)
        return [
          ctx.report(
            ['cicd', 'source', 's3'],
            "'cicd.source.git' and 'cicd.source.s3' are both set",
            'keep one of them',
            {
              key: true,
            },
          ),
        ];
      if (!s.git && !s.s3)
        return [
          ctx.report(
            ['cicd', 'source'],
            "the pipeline needs a source: 'git' (a repository through a CodeStar connection) or 's3' (a versioned object)",
            'add cicd.source.git with repository: owner/name',
            { key: true },
          ),
        ];
      return [];
    },
  },
  {
    id: 'cicd/repository',
    description:
      "A Git source names its repository as 'owner/name' (GitLab may nest groups), as CodeStar connections expect.",
    run: (ctx) => {
      const g = ctx.spec.cicd?.source?.git;
      const problem = g ? repositoryProblem(g.repository, g.provider ?? DEFAULTS.git.provider) : undefined;
      return problem
        ? [
            ctx.report(
              ['cicd', 'source', 'git', 'repository'],
              problem,
              "write it as on the provider's site after the host, e.g. acme/churn-model",
            ),
          ]
        : [];
    },
  },
  {
    id: 'cicd/branch',
    description: 'The Git branch is a valid branch name (git check-ref-format), so pushes to it can match.',
    run: (ctx) => {
      const branch = ctx.spec.cicd?.source?.git?.branch;
      const problem = branch === undefined ? undefined : branchProblem(branch);
      return problem
        ? [
            ctx.report(
              ['cicd', 'source', 'git', 'branch'],
              problem,
              'use the branch name as Git shows it, e.g. main or release/2025',
            ),
          ]
        : [];
    },
  },
  {
    id: 'cicd/connection',
    description:
      'An existing CodeStar connection belongs to the pipeline account (core/single-region checks its region): CodePipeline cannot use one elsewhere.',
    run: (ctx) => {
      const arnText = ctx.spec.cicd?.source?.git?.connectionArn;
      const arn = arnText === undefined ? undefined : parseArn(arnText);
      return arn !== undefined && arn.account !== ctx.spec.account
        ? [
            ctx.report(
              ['cicd', 'source', 'git', 'connectionArn'],
              `the connection is in account ${arn.account}, not the pipeline account ${ctx.spec.account}`,
              `use a connection of account ${ctx.spec.account}, or remove connectionArn to have pipeform create one`,
            ),
          ]
        : [];
    },
  },
  {
    id: 'cicd/bucket-reference',
    description:
      'The artifact bucket and an S3 source are data-lake buckets that hold data (not the logs or checkpoints bucket).',
    run: (ctx) => {
      const c = ctx.spec.cicd;
      if (c === undefined) return [];
      const buckets = lakeBuckets(ctx);
      const out: Diagnostic[] = [];
      const check = (name: string | undefined, path: (string | number)[]) => {
        if (name === undefined) return;
        if (!buckets.includes(name)) {
          const guess = didYouMean(name, buckets);
          out.push(
            ctx.report(
              path,
              `${quote(name)} is not a bucket of the data lake${guess ? `; did you mean ${quote(guess)}?` : ''}`,
              `use one of: ${buckets.join(', ')} (or add it under storage.buckets)`,
            ),
          );
          return;
        }
        const role = STANDARD_BUCKETS[name]?.role;
        if (role === 'logs' || role === 'checkpoints') {
          out.push(
            ctx.report(
              path,
              `the ${name} bucket holds ${role === 'logs' ? 'access logs' : 'training checkpoints (archived after 30 days)'}, not pipeline artifacts or sources`,
              'use the models bucket or a bucket of your own',
            ),
          );
        }
      };
      check(c.artifactBucket, ['cicd', 'artifactBucket']);
      check(c.source?.s3?.bucket, ['cicd', 'source', 's3', 'bucket']);
      return out;
    },
  },
  {
    id: 'cicd/source-versioning',
    description:
      'An S3 source bucket keeps versions: CodePipeline detects and pins a source by its version id.',
    run: (ctx) => {
      const name = ctx.spec.cicd?.source?.s3?.bucket;
      if (name === undefined || ctx.spec.storage?.buckets?.[name]?.versioning !== false) return [];
      return [
        ctx.report(
          ['cicd', 'source', 's3', 'bucket'],
          `the S3 source bucket ${quote(name)} has versioning off; CodePipeline needs a versioned bucket`,
          `remove versioning: false from storage.buckets.${name}`,
        ),
      ];
    },
  },
  {
    id: 'cicd/deploy-target',
    description:
      "The Deploy stage moves endpoints that serve 'latest-approved' from the registry; listed endpoints exist and do.",
    run: (ctx) => {
      const c = ctx.spec.cicd;
      if (c === undefined || !deployOn(ctx)) return [];
      const endpoints = ctx.spec.serving?.endpoints ?? [];
      const listed = c.deploy?.endpoints;
      if (listed === undefined) {
        return endpoints.some(servesLatestApproved)
          ? []
          : [
              ctx.report(
                deployPath(ctx),
                "the Deploy stage moves endpoints to the latest approved model, but no endpoint serves 'latest-approved' from the registry",
                'give a serving endpoint a variant with model: {registry: {version: latest-approved}}, or set cicd.deploy.enabled: false',
                { key: true },
              ),
            ];
      }
      const names = endpoints.map((e) => e.name);
      return listed.flatMap((name, i) => {
        const e = endpoints.find((x) => x.name === name);
        if (e === undefined) {
          const guess = didYouMean(name, names);
          return [
            ctx.report(
              ['cicd', 'deploy', 'endpoints', i],
              `${quote(name)} is not a serving endpoint${guess ? `; did you mean ${quote(guess)}?` : ''}`,
              names.length > 0
                ? `use one of: ${[...names].sort().join(', ')}`
                : 'add the endpoint under serving.endpoints',
            ),
          ];
        }
        return servesLatestApproved(e)
          ? []
          : [
              ctx.report(
                ['cicd', 'deploy', 'endpoints', i],
                `endpoint ${quote(name)} serves no variant from the registry's 'latest-approved' version, so the deploy has nothing to move`,
                'set a variant of it to model: {registry: {version: latest-approved}}, or remove it from the list',
              ),
            ];
      });
    },
  },
  {
    id: 'cicd/deploy-settings',
    description: 'Approval and deploy settings apply only when the Deploy stage is on.',
    run: (ctx) => {
      const c = ctx.spec.cicd;
      if (c === undefined || deployOn(ctx)) return [];
      const stray: (string | number)[][] = [
        ...(c.approval ? [['cicd', 'approval']] : []),
        ...(c.deploy?.endpoints ? [['cicd', 'deploy', 'endpoints']] : []),
        ...(c.deploy?.timeoutMinutes !== undefined ? [['cicd', 'deploy', 'timeoutMinutes']] : []),
      ];
      return stray.map((path) =>
        ctx.report(
          path,
          `'${path.join('.')}' applies to the Deploy stage, which cicd.deploy.enabled: false switches off`,
          'remove it, or turn the Deploy stage on',
          { key: true },
        ),
      );
    },
  },
  {
    id: 'cicd/build-network',
    description: "A build in the VPC runs in the network's private subnets, so it needs 'network'.",
    run: (ctx) =>
      ctx.spec.cicd?.build?.vpc === true && ctx.spec.network === undefined
        ? [
            ctx.report(
              ['cicd', 'build', 'vpc'],
              'the build runs in private subnets (vpc: true), but the spec has no network',
              'add network.vpc, or set cicd.build.vpc: false',
            ),
          ]
        : [],
  },
];
