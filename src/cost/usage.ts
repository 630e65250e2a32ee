import type { PipelineSpec } from '../spec/types.generated';

/**
 * The usage assumptions of an estimate, every default applied. They come from the spec's
 * `usage:` section; they change no infrastructure, which is why they stay out of the
 * ResolvedSpec (the Terraform, and a release's change classification, never depend on them).
 */
export interface ResolvedUsage {
  readonly trainingHoursPerMonth: number;
  /** With training.baseModel: the share of trainingHoursPerMonth a fine-tuning run takes. */
  readonly fineTuneHoursShare: number;
  readonly processingHoursPerMonth: number;
  readonly endpointRequestsPerMonth: number;
  readonly averageRequestDurationMs: number;
  readonly averagePayloadKb: number;
  /** Per-endpoint overrides, sorted by endpoint name. */
  readonly endpoints: Readonly<
    Record<string, { readonly requestsPerMonth: number; readonly averageRequestDurationMs: number }>
  >;
  readonly dataVolumeGb: number;
  /** Per-bucket sizes the spec states, sorted by bucket name. */
  readonly bucketGb: Readonly<Record<string, number>>;
  readonly coldDataPercent: number;
  readonly averageObjectSizeMb: number;
  readonly sourceDataRegion: string;
  readonly ingestGbPerMonth: number;
  readonly natTrafficGbPerMonth: number;
  readonly endpointTrafficGbPerMonth: number;
  readonly logsGbPerMonth: number;
  readonly glueJobHoursPerMonth: number;
  readonly glueCrawlerDpuHoursPerMonth: number;
  readonly emrHoursPerMonth: number;
  readonly notebookHoursPerMonth: number;
  readonly functionInvocationsPerMonth: number;
  readonly functionDurationMs: number;
  readonly monitoringJobMinutes: number;
}

/** The defaults of `usage` (the schema documents the same values; a test keeps them equal). */
export const USAGE_DEFAULTS = {
  trainingHoursPerMonth: 20,
  fineTuneHoursShare: 0.5,
  processingHoursPerMonth: 4,
  endpointRequestsPerMonth: 1_000_000,
  averageRequestDurationMs: 100,
  averagePayloadKb: 10,
  dataVolumeGb: 100,
  coldDataPercent: 60,
  averageObjectSizeMb: 16,
  ingestGbPerMonth: 50,
  natTrafficGbPerMonth: 100,
  endpointTrafficGbPerMonth: 50,
  logsGbPerMonth: 10,
  glueJobHoursPerMonth: 10,
  glueCrawlerDpuHoursPerMonth: 1,
  emrHoursPerMonth: 100,
  notebookHoursPerMonth: 160,
  functionInvocationsPerMonth: 100_000,
  functionDurationMs: 500,
  monitoringJobMinutes: 10,
} as const;

const byKey = <T>(r: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Applies the defaults to the spec's `usage:` section. */
export function resolveUsage(spec: PipelineSpec): ResolvedUsage {
  const u = spec.usage ?? {};
  const d = USAGE_DEFAULTS;
  const requests = u.endpointRequestsPerMonth ?? d.endpointRequestsPerMonth;
  const duration = u.averageRequestDurationMs ?? d.averageRequestDurationMs;
  return {
    trainingHoursPerMonth: u.trainingHoursPerMonth ?? d.trainingHoursPerMonth,
    fineTuneHoursShare: u.fineTuneHoursShare ?? d.fineTuneHoursShare,
    processingHoursPerMonth: u.processingHoursPerMonth ?? d.processingHoursPerMonth,
    endpointRequestsPerMonth: requests,
    averageRequestDurationMs: duration,
    averagePayloadKb: u.averagePayloadKb ?? d.averagePayloadKb,
    endpoints: byKey(
      Object.fromEntries(
        Object.entries(u.endpoints ?? {}).map(([name, e]) => [
          name,
          {
            requestsPerMonth: e.requestsPerMonth ?? requests,
            averageRequestDurationMs: e.averageRequestDurationMs ?? duration,
          },
        ]),
      ),
    ),
    dataVolumeGb: u.dataVolumeGb ?? d.dataVolumeGb,
    bucketGb: byKey({ ...(u.bucketGb ?? {}) }),
    coldDataPercent: u.coldDataPercent ?? d.coldDataPercent,
    averageObjectSizeMb: u.averageObjectSizeMb ?? d.averageObjectSizeMb,
    sourceDataRegion: u.sourceDataRegion ?? spec.region,
    ingestGbPerMonth: u.ingestGbPerMonth ?? d.ingestGbPerMonth,
    natTrafficGbPerMonth: u.natTrafficGbPerMonth ?? d.natTrafficGbPerMonth,
    endpointTrafficGbPerMonth: u.endpointTrafficGbPerMonth ?? d.endpointTrafficGbPerMonth,
    logsGbPerMonth: u.logsGbPerMonth ?? d.logsGbPerMonth,
    glueJobHoursPerMonth: u.glueJobHoursPerMonth ?? d.glueJobHoursPerMonth,
    glueCrawlerDpuHoursPerMonth: u.glueCrawlerDpuHoursPerMonth ?? d.glueCrawlerDpuHoursPerMonth,
    emrHoursPerMonth: u.emrHoursPerMonth ?? d.emrHoursPerMonth,
    notebookHoursPerMonth: u.notebookHoursPerMonth ?? d.notebookHoursPerMonth,
    functionInvocationsPerMonth: u.functionInvocationsPerMonth ?? d.functionInvocationsPerMonth,
    functionDurationMs: u.functionDurationMs ?? d.functionDurationMs,
    monitoringJobMinutes: u.monitoringJobMinutes ?? d.monitoringJobMinutes,
  };
}

/** Traffic of one endpoint: its own numbers, or the pipeline-wide ones. */
export function endpointTraffic(
  usage: ResolvedUsage,
  endpoint: string,
): { readonly requestsPerMonth: number; readonly averageRequestDurationMs: number } {
  return (
    usage.endpoints[endpoint] ?? {
      requestsPerMonth: usage.endpointRequestsPerMonth,
      averageRequestDurationMs: usage.averageRequestDurationMs,
    }
  );
}
