import type { PipelineSpec } from '../spec/types.generated';
import { SpecError, formatPath, sortDiagnostics, type Diagnostic } from './diagnostics';
import { environmentRules } from './environments';
import { assetRules } from './rules/assets';
import { complianceCheckRules } from './rules/compliance';
import { coreRules } from './rules/core';
import { dataRules } from './rules/data';
import { orchestrationRules } from './rules/orchestration';
import { promotionRules } from './rules/promotion';
import { rangeRules } from './rules/ranges';
import { featuresRules } from './rules/features';
import { notebooksRules } from './rules/notebooks';
import { trackingRules } from './rules/tracking';
import { eksRules } from './rules/eks';
import { networkRules } from './rules/network';
import { secretRules } from './rules/secrets';
import { securityRules } from './rules/security';
import { servingRules } from './rules/serving';
import { monitoringRules } from './rules/monitoring';
import { cicdRules } from './rules/cicd';
import { stateRules } from './rules/state';
import { storageRules } from './rules/storage';
import { trainingRules } from './rules/training';
import { usageRules } from './rules/usage';
import { nodeSpecFiles, type SpecFiles } from './spec-files';
import type { ValidSpec } from './validate';

/** What a check rule sees: the schema-valid spec and a way to point into the file. */
export interface CheckContext {
  readonly spec: PipelineSpec;
  /** The files beside the spec (local scripts, code directories, certificates). */
  readonly files: SpecFiles;
  /** A diagnostic at `path` (the key with `key: true`), tagged with the rule's id. */
  report(
    path: readonly (string | number)[],
    message: string,
    hint?: string,
    opts?: { key?: boolean },
  ): Diagnostic;
}

/** A cross-field rule the schema cannot express. */
export interface CheckRule {
  /** Stable id, `area/what`, printed with every diagnostic and listed in docs. */
  readonly id: string;
  /** One line: what the rule enforces and why. */
  readonly description: string;
  readonly run: (ctx: CheckContext) => Diagnostic[];
}

/** Every rule of the check stage, in area order. A new AWS area adds its file here. */
export const checkRules: readonly CheckRule[] = [
  ...coreRules,
  ...securityRules,
  ...secretRules,
  ...networkRules,
  ...storageRules,
  ...dataRules,
  ...orchestrationRules,
  ...featuresRules,
  ...notebooksRules,
  ...trackingRules,
  ...eksRules,
  ...trainingRules,
  ...rangeRules,
  ...servingRules,
  ...monitoringRules,
  ...cicdRules,
  ...assetRules,
  ...stateRules,
  ...usageRules,
  ...complianceCheckRules,
  ...environmentRules,
  ...promotionRules,
];

/**
 * Check stage: runs every rule over the schema-valid spec and throws one SpecError with
 * all problems found. Pure but for `files`, the read-only view of the files the spec names
 * beside it (by default the real ones next to the spec file).
 */
export function checkSpec(
  valid: ValidSpec,
  rules: readonly CheckRule[] = checkRules,
  files: SpecFiles = nodeSpecFiles(valid.file),
): ValidSpec {
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    const ctx: CheckContext = {
      spec: valid.spec,
      files,
      report: (path, message, hint, opts) => ({
        file: valid.file,
        ...valid.sourceMap.positionOf(path, opts),
        path: formatPath(path),
        message,
        hint,
        rule: rule.id,
      }),
    };
    diagnostics.push(...rule.run(ctx));
  }
  if (diagnostics.length > 0) throw new SpecError(sortDiagnostics(diagnostics));
  return valid;
}
