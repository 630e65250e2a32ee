import { TECHNIQUES } from '../techniques';
import type { AdviceRule } from '../types';

export const edgeAdvice: readonly AdviceRule[] = [
  {
    id: 'edge/telemetry-off',
    description:
      'An edge fleet runs models with telemetry off: nothing the devices see reaches the lake, so the models cannot be monitored for drift or retrained on edge data.',
    severity: 'warning',
    technique: TECHNIQUES.monitoring,
    run: ({ analyzed }, report) => {
      const edge = analyzed.resolved.serving?.edge;
      if (edge === undefined || edge.models.length === 0 || edge.telemetryRuleName !== undefined) return [];
      return [
        report({
          path: ['serving', 'edge', 'telemetry'],
          message: `edge fleet ${edge.fleetName} runs ${edge.models.length} model${edge.models.length === 1 ? '' : 's'} but sends no telemetry: devices' inputs and predictions never reach s3://${edge.bucketName}/${edge.telemetryPrefix}`,
          fix: true,
          component: 'serving/edge',
        }),
      ];
    },
  },
];
