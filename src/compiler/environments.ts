import type { Environment, PipelineSpec } from '../spec/types.generated';
import type { CheckContext, CheckRule } from './check';
import type { ValidSpec } from './validate';

/** One environment's spec: the base spec with its overrides applied, ready for check and normalize. */
export interface EnvironmentSpec {
  readonly environment: string;
  readonly valid: ValidSpec;
}

/** The stack name of an environment. */
export const environmentName = (pipeline: string, env: string): string => `${pipeline}-${env}`;

/**
 * Applies an environment's overrides. `network` and `state` replace the base section
 * whole (a VPC in one account is not a patch of a VPC in another); `tags`, `storage` and
 * `security` merge into it. Everything else comes from the base spec unchanged, which is
 * what keeps environments at parity.
 */
export function applyEnvironment(base: PipelineSpec, env: string, o: Environment): PipelineSpec {
  const { environments: _all, promotion: _promotion, ...rest } = promotionView(base, env);
  return {
    ...rest,
    name: environmentName(base.name, env),
    ...(o.account ? { account: o.account } : {}),
    tags: { ...(base.tags ?? {}), ...(o.tags ?? {}), 'pipeform:environment': env },
    ...(o.state ? { state: o.state } : {}),
    ...(o.network ? { network: o.network } : {}),
    ...(o.storage ? { storage: { ...(base.storage ?? {}), ...o.storage } } : {}),
    ...(o.security
      ? {
          security: {
            ...(base.security ?? {}),
            ...(o.security.iam ? { iam: { ...(base.security?.iam ?? {}), ...o.security.iam } } : {}),
            ...(o.security.kms ? { kms: { ...(base.security?.kms ?? {}), ...o.security.kms } } : {}),
          },
        }
      : {}),
  };
}

/**
 * What an environment builds under `promotion`: only the owner trains (the training
 * pipeline, its registry, the CI/CD pipeline that builds the training code, and retraining,
 * which starts the training pipeline); only the environments in `serve` serve (endpoints,
 * the edge fleet and the monitoring of endpoints). Without `promotion`, everything.
 */
export function promotionView(base: PipelineSpec, env: string): PipelineSpec {
  const p = base.promotion;
  if (p === undefined) return base;
  const trains = p.owner === env;
  const serves = p.serve.includes(env);
  const { training, cicd, serving, monitoring, ...rest } = base;
  const { retraining, endpoints, ...alerts } = monitoring ?? {};
  const kept = {
    ...alerts,
    ...(trains && retraining ? { retraining } : {}),
    ...(serves && endpoints ? { endpoints } : {}),
  };
  return {
    ...rest,
    ...(trains && training ? { training } : {}),
    ...(trains && cicd ? { cicd } : {}),
    ...(serves && serving ? { serving } : {}),
    ...(monitoring ? { monitoring: kept } : {}),
  };
}

/** Every environment of a checked spec, with a source map that points into its overrides. */
export function environmentSpecs(valid: ValidSpec): EnvironmentSpec[] {
  return Object.keys(valid.spec.environments ?? {})
    .sort()
    .map((env) => ({
      environment: env,
      valid: {
        file: valid.file,
        spec: applyEnvironment(valid.spec, env, valid.spec.environments![env]),
        sourceMap: valid.sourceMap.withOverlay(['environments', env]),
      },
    }));
}

const NAME = /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/;

export const environmentRules: readonly CheckRule[] = [
  {
    id: 'environments/name-length',
    description:
      "An environment's stack name '<name>-<environment>' is a valid pipeline name (it prefixes every AWS name).",
    run: (ctx: CheckContext) =>
      Object.keys(ctx.spec.environments ?? {})
        .filter((env) => !NAME.test(environmentName(ctx.spec.name, env)))
        .map((env) =>
          ctx.report(
            ['environments', env],
            `the stack name "${environmentName(ctx.spec.name, env)}" of environment ${env} is longer than 24 characters`,
            'shorten the pipeline name or the environment name',
            { key: true },
          ),
        ),
  },
];
