import { TECHNIQUES } from '../techniques';
import type { AdviceRule } from '../types';
import { regionPrices } from '../../cost/prices';

export const regionAdvice: readonly AdviceRule[] = [
  {
    id: 'region/data-source',
    description:
      'The raw data comes from another region than the one the pipeline runs in: every ingested GB is billed as inter-region transfer.',
    severity: 'warning',
    technique: TECHNIQUES.dataProcessing,
    run: ({ analyzed, pricing }, report) => {
      const { usage } = pricing;
      const region = analyzed.resolved.region;
      if (usage.sourceDataRegion === region) return [];
      const price = regionPrices(pricing.table, usage.sourceDataRegion).interRegionTransferGb;
      const before =
        price === undefined
          ? { unknown: [`inter-region transfer GB in ${usage.sourceDataRegion}`] }
          : { usd: price * usage.ingestGbPerMonth, unknown: [] };
      return [
        report({
          path: ['usage', 'sourceDataRegion'],
          message: `the raw data comes from ${usage.sourceDataRegion}, but the pipeline runs in ${region}: ${usage.ingestGbPerMonth} GB a month cross regions (and personal data leaves its region)`,
          fixPath: [],
          fix: { region: usage.sourceDataRegion },
          component: 'storage/ingest',
          before,
          after: { usd: 0, unknown: [] },
        }),
      ];
    },
  },
  {
    id: 'region/state-bucket',
    description:
      'The Terraform state lives in another region than the pipeline: small traffic, but one more region in the blast radius and the residency story.',
    severity: 'info',
    technique: TECHNIQUES.dataProcessing,
    run: ({ analyzed }, report) => {
      const { state, region } = analyzed.resolved;
      return state.backend === 's3' && state.region !== region
        ? [
            report({
              path: ['state', 's3', 'region'],
              message: `the state bucket is in ${state.region}, the pipeline in ${region}`,
              fix: region,
            }),
          ]
        : [];
    },
  },
];
