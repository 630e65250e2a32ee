import { trainingNetworkIsolation } from '../../areas/training/catalog';
import type { CheckRule } from '../check';
import { providedInterfaceEndpoints } from '../../areas/network/catalog';
import { MLFLOW_TRACKING_URI } from '../../areas/tracking/catalog';

/** The job environments of the training pipeline, by spec path. */
function jobEnvironments(ctx: Parameters<CheckRule['run']>[0]) {
  const t = ctx.spec.training;
  return [
    { path: ['training', 'environment'], env: t?.environment },
    { path: ['training', 'processing', 'environment'], env: t?.processing?.environment },
    { path: ['training', 'evaluation', 'environment'], env: t?.evaluation?.environment },
  ];
}

export const trackingRules: readonly CheckRule[] = [
  {
    id: 'tracking/job-network',
    description:
      'Training jobs log to the MLflow server over the network: with tracking.mlflow, training.networkIsolation must be false.',
    run: (ctx) =>
      ctx.spec.tracking?.mlflow && ctx.spec.training?.algorithm && trainingNetworkIsolation(ctx.spec.training)
        ? [
            ctx.report(
              ['training', ...(ctx.spec.training.networkIsolation === undefined ? [] : ['networkIsolation'])],
              'training jobs run network-isolated (training.networkIsolation, on by default), so they cannot reach the MLflow tracking server of tracking.mlflow',
              'set training.networkIsolation: false so the jobs can log to MLflow, or remove tracking.mlflow',
              { key: true },
            ),
          ]
        : [],
  },
  {
    id: 'tracking/egress',
    description:
      'Jobs and Studio users reach the MLflow server at its HTTPS endpoint: a network without NAT cannot (pipeform creates no MLflow interface endpoint).',
    run: (ctx) => {
      const s = ctx.spec;
      if (!s.tracking?.mlflow || s.network === undefined) return [];
      if (!s.training?.algorithm && !s.notebooks?.domain) return [];
      if (providedInterfaceEndpoints(s) === undefined) return [];
      return [
        ctx.report(
          ['tracking', 'mlflow'],
          "the MLflow tracking server is reached at its HTTPS endpoint, but the network's private subnets have no NAT",
          s.network.existing
            ? 'set network.existing.egress: nat (the subnets route to a NAT); pipeform does not create the MLflow interface endpoint (aws.sagemaker.<region>.experiments)'
            : 'set network.vpc.natGateways: single (or per-az); pipeform does not create the MLflow interface endpoint (aws.sagemaker.<region>.experiments)',
          { key: true },
        ),
      ];
    },
  },
  {
    id: 'tracking/auto-registration',
    description:
      "Automatic model registration writes into the training pipeline's model package group: it needs training.algorithm.",
    run: (ctx) =>
      ctx.spec.tracking?.mlflow?.automaticModelRegistration === true && !ctx.spec.training?.algorithm
        ? [
            ctx.report(
              ['tracking', 'mlflow', 'automaticModelRegistration'],
              'automaticModelRegistration registers into the model package group of the training pipeline, but the spec has no training.algorithm',
              'add a SageMaker training pipeline (training.algorithm), or set automaticModelRegistration: false',
            ),
          ]
        : [],
  },
  {
    id: 'tracking/environment',
    description:
      'With tracking.mlflow, pipeform sets MLFLOW_TRACKING_URI in every job environment: a job may not set its own.',
    run: (ctx) =>
      ctx.spec.tracking?.mlflow
        ? jobEnvironments(ctx).flatMap(({ path, env }) =>
            env && Object.hasOwn(env, MLFLOW_TRACKING_URI)
              ? [
                  ctx.report(
                    [...path, MLFLOW_TRACKING_URI],
                    `${MLFLOW_TRACKING_URI} is set by pipeform to the ARN of the tracking server of tracking.mlflow`,
                    `remove ${MLFLOW_TRACKING_URI} from ${path.join('.')}`,
                    { key: true },
                  ),
                ]
              : [],
          )
        : [],
  },
];
