import type { CheckContext, CheckRule } from '../check';
import type { Diagnostic } from '../diagnostics';
import { environmentAccount } from '../promotion';
import { specVariants, variantModel } from '../../areas/serving/catalog';
import type { ServingEndpoint } from '../../spec/types.generated';
import { unknownRef } from './references';

const quote = (s: string) => JSON.stringify(s);

/** Whether an endpoint has a variant (or shadow) serving from the registry. */
const servesRegistry = (e: ServingEndpoint): boolean =>
  [...specVariants(e), ...(e.shadow ? [e.shadow] : [])].some(
    (v) => variantModel(e, v)?.registry !== undefined,
  );

/** The promotion and the environment names, when the spec has both; undefined otherwise. */
function promotionOf(ctx: CheckContext) {
  const p = ctx.spec.promotion;
  if (p === undefined || ctx.spec.environments === undefined) return undefined;
  return { p, envs: Object.keys(ctx.spec.environments).sort() };
}

/**
 * Check rules of `promotion`. They run on the spec as written (the environments' specs have
 * no `promotion`: each is already the view of its part in it).
 */
export const promotionRules: readonly CheckRule[] = [
  {
    id: 'promotion/needs-environments',
    description: 'Promotion moves models between environments, so the spec declares environments.',
    run: (ctx) =>
      ctx.spec.promotion && ctx.spec.environments === undefined
        ? [
            ctx.report(
              ['promotion'],
              'promotion names the environment that trains and those that serve, but the spec has no environments',
              'add environments (e.g. dev: {account: ...}, prod: {account: ...}), or remove promotion',
              { key: true },
            ),
          ]
        : [],
  },
  {
    id: 'promotion/environments',
    description:
      'The owner and every serving environment are environments of the spec; every environment trains or serves; something is promoted.',
    run: (ctx) => {
      const found = promotionOf(ctx);
      if (!found) return [];
      const { p, envs } = found;
      const out: Diagnostic[] = [];
      if (!envs.includes(p.owner)) {
        out.push(unknownRef(ctx, ['promotion', 'owner'], 'environment', p.owner, envs, 'environments'));
      }
      p.serve.forEach((e, i) => {
        if (!envs.includes(e))
          out.push(unknownRef(ctx, ['promotion', 'serve', i], 'environment', e, envs, 'environments'));
      });
      if (out.length > 0) return out;
      if (p.serve.every((e) => e === p.owner)) {
        out.push(
          ctx.report(
            ['promotion', 'serve'],
            `only the owner ${quote(p.owner)} serves, so nothing is promoted to another environment`,
            `list the environments that serve the owner's models, e.g. serve: [${envs.filter((e) => e !== p.owner).join(', ')}]`,
          ),
        );
      }
      for (const e of envs) {
        if (e !== p.owner && !p.serve.includes(e)) {
          out.push(
            ctx.report(
              ['environments', e],
              `environment ${e} neither trains (promotion.owner is ${p.owner}) nor serves (promotion.serve), so it would build only the data lake`,
              `add ${e} to promotion.serve, or remove the environment`,
              { key: true },
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'promotion/owner-trains',
    description:
      "The owner registers models with a SageMaker training pipeline: the group '<pipeline>-<owner>-models' is what the others serve from.",
    run: (ctx) =>
      ctx.spec.promotion && !ctx.spec.training?.algorithm
        ? [
            ctx.report(
              ['promotion', 'owner'],
              `the owner ${quote(ctx.spec.promotion.owner)} would own the model registry, but the spec has no SageMaker training pipeline to register models into it`,
              'add training (algorithm, data, evaluation, registration)',
            ),
          ]
        : [],
  },
  {
    id: 'promotion/serving-from-registry',
    description:
      'A serving environment serves the registry: the spec has an endpoint with a variant whose model is a registry version.',
    run: (ctx) => {
      const p = ctx.spec.promotion;
      if (!p || (ctx.spec.serving?.endpoints ?? []).some(servesRegistry)) return [];
      return [
        ctx.report(
          ['promotion', 'serve'],
          `${p.serve.join(', ')} would serve the owner's approved models, but no serving endpoint has a model from the registry`,
          'give an endpoint a variant with model: {registry: {version: latest-approved}}',
        ),
      ];
    },
  },
  {
    id: 'promotion/owner-key',
    description:
      "A serving account decrypts the owner's model artifacts: pipeform writes that grant into the key policy of the key it creates; it cannot change a key the spec brings (security.kms.existingKeyArn).",
    run: (ctx) => {
      const found = promotionOf(ctx);
      if (!found) return [];
      const { p, envs } = found;
      if (!envs.includes(p.owner)) return [];
      const owner = environmentAccount(ctx.spec, p.owner);
      const others = p.serve.filter((e) => envs.includes(e) && environmentAccount(ctx.spec, e) !== owner);
      if (others.length === 0 || ctx.spec.security?.kms?.existingKeyArn === undefined) return [];
      return [
        ctx.report(
          ['security', 'kms', 'existingKeyArn'],
          `${others.join(', ')} in other accounts than the owner ${p.owner} (${owner}) must decrypt its model artifacts, but the owner's key is one pipeform does not manage, so its key policy cannot grant them`,
          'remove existingKeyArn so pipeform creates the key (with the grant), or serve only from the owner account',
        ),
      ];
    },
  },
  {
    id: 'promotion/training-steps',
    description:
      'Only the owner has the training pipeline, so a workflow (which every environment runs) cannot start it.',
    run: (ctx) => {
      const p = ctx.spec.promotion;
      if (!p) return [];
      return (ctx.spec.orchestration?.workflow?.steps ?? []).flatMap((s, i) =>
        s.type === 'sagemaker-pipeline'
          ? [
              ctx.report(
                ['orchestration', 'workflow', 'steps', i, 'type'],
                `step ${quote(s.name)} starts the training pipeline, which only the promotion owner ${p.owner} has, but the workflow runs in every environment`,
                'start training from monitoring.retraining or by hand in the owner, and remove the step',
              ),
            ]
          : [],
      );
    },
  },
];
