import { TECHNIQUES } from '../techniques';
import type { AdviceRule } from '../types';

export const monitoringAdvice: readonly AdviceRule[] = [
  {
    id: 'monitoring/scheduled-retraining',
    description:
      'The training pipeline runs on a calendar (a scheduled workflow step) instead of when KPIs or drift say the model degraded: it retrains when nothing changed and waits when something did.',
    severity: 'warning',
    technique: TECHNIQUES.monitoring,
    run: ({ analyzed }, report) => {
      const wf = analyzed.resolved.orchestration?.workflow;
      if (!wf?.schedule) return [];
      const monitoring = analyzed.resolved.monitoring;
      const evidence = monitoring?.retraining !== undefined;
      const drifting = (monitoring?.monitors ?? []).some((m) => m.dataQuality?.drift);
      // Model Monitor reads data capture, which only realtime and async endpoints have: with
      // none of them (serverless only, or no serving) there is no evidence to retrain on, and
      // the schedule is the only trigger there is (issue 16: the fix failed check there).
      const watchable = (analyzed.resolved.serving?.endpoints ?? []).filter(
        (e) => e.dataCapture && (e.type === 'realtime' || e.type === 'async'),
      );
      if (!evidence && !drifting && watchable.length === 0) return [];
      const fix = {
        retraining: { onDrift: true, cooldownHours: 24 },
        // Retraining needs evidence (check rule monitoring/retraining-evidence): a drift alarm.
        ...(drifting || evidence
          ? {}
          : {
              endpoints: [
                {
                  name: watchable[0].name,
                  dataQuality: { driftFeatures: ['<the features the model depends on most>'] },
                },
              ],
            }),
      };
      return wf.steps
        .filter((s) => s.target.type === 'sagemaker-pipeline')
        .map((s) =>
          report({
            path: ['orchestration', 'workflow', 'steps', { name: s.name }, 'type'],
            message: `step ${s.name} starts the training pipeline on the workflow's schedule (${wf.schedule})${
              evidence ? ', besides the retraining on evidence' : ''
            }: drop it from the scheduled workflow and retrain when a KPI falls below its threshold or drift is detected`,
            fixPath: ['monitoring'],
            fix,
          }),
        );
    },
  },
  {
    id: 'monitoring/drift-without-alarm',
    description:
      'Model Monitor computes data drift for an endpoint but no feature is named for the drift alarm: the drift is in the reports, and nobody is told nor does retraining start.',
    severity: 'warning',
    technique: TECHNIQUES.monitoring,
    run: ({ analyzed }, report) =>
      (analyzed.resolved.monitoring?.monitors ?? [])
        .filter((m) => m.dataQuality && !m.dataQuality.drift)
        .map((m) =>
          report({
            path: ['monitoring', 'endpoints', { name: m.endpoint }, 'dataQuality'],
            message: `endpoint ${m.endpoint}: data-quality monitoring runs without driftFeatures, so drift raises no alarm and starts no retraining`,
            fixPath: ['monitoring', 'endpoints', { name: m.endpoint }, 'dataQuality'],
            fix: { driftFeatures: ['<the features the model depends on most>'] },
          }),
        ),
  },
  {
    id: 'monitoring/capture-without-monitor',
    description:
      'An endpoint captures requests and responses but no Model Monitor schedule reads them: drift and quality loss go unnoticed while the captured data accumulates.',
    severity: 'warning',
    technique: TECHNIQUES.monitoring,
    run: ({ analyzed }, report) => {
      const monitored = new Set((analyzed.resolved.monitoring?.monitors ?? []).map((m) => m.endpoint));
      return (analyzed.resolved.serving?.endpoints ?? [])
        .filter(
          (e) => e.dataCapture && !monitored.has(e.name) && (e.type === 'realtime' || e.type === 'async'),
        )
        .map((e) =>
          report({
            path: ['serving', 'endpoints', { name: e.name }, 'dataCapture'],
            message: `endpoint ${e.name} captures ${e.dataCapture?.samplingPercent}% of its traffic, but no Model Monitor schedule watches it for drift`,
            fixPath: ['monitoring', 'endpoints', { name: e.name }],
            fix: { dataQuality: { driftFeatures: ['<the features the model depends on most>'] } },
          }),
        );
    },
  },
];
