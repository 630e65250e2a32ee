import type { CheckRule } from '../check';
import { parseArn } from '../arn';
import { DEFAULTS } from '../../areas/state/catalog';

export const stateRules: readonly CheckRule[] = [
  {
    id: 'state/backend-settings',
    description: "The S3 backend needs its 'state.s3' settings; settings of the other backend are a mistake.",
    run: (ctx) => {
      const state = ctx.spec.state;
      if (state === undefined) return [];
      const backend = state.backend ?? DEFAULTS.backend;
      if (backend === 's3' && state.s3 === undefined) {
        return [
          ctx.report(
            ['state', 'backend'],
            "backend 's3' needs a 'state.s3' block",
            "add 'state.s3.bucket' (an existing bucket)",
          ),
        ];
      }
      if (backend === 's3' && state.path !== undefined) {
        return [
          ctx.report(
            ['state', 'path'],
            "'state.path' is for the local backend",
            "remove it, or set 'state.s3.key' for the S3 backend",
            { key: true },
          ),
        ];
      }
      if (backend === 'local' && state.s3 !== undefined) {
        return [
          ctx.report(
            ['state', 's3'],
            "'state.s3' is set but the backend is local",
            "set 'state.backend: s3', or remove 'state.s3'",
            { key: true },
          ),
        ];
      }
      return [];
    },
  },
  {
    id: 'state/key-in-bucket-region',
    description:
      'The state encryption key is in the state bucket region (S3 cannot use a key from another region).',
    run: (ctx) => {
      const s3 = ctx.spec.state?.s3;
      const arn = s3?.kmsKeyArn ? parseArn(s3.kmsKeyArn) : undefined;
      const region = s3?.region ?? ctx.spec.region;
      return arn && arn.region !== region
        ? [
            ctx.report(
              ['state', 's3', 'kmsKeyArn'],
              `state key is in region ${arn.region}, but the state bucket is in ${region}`,
              `use a key in ${region}`,
            ),
          ]
        : [];
    },
  },
];
