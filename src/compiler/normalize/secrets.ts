/** Secret references, resolved: derived keys and values for the workload, and what its role may read. */
import type { ResolvedSecretRef, ResolvedValues } from '../../model/secrets';
import type { SecretRef } from '../../spec/types.generated';
import { isSecretRef, referenceKey, referenceValue, type ReferenceStyle } from '../secrets';

/** A reference as the build needs it (the check stage guarantees exactly one of secret and parameter). */
export function resolveSecretRef(ref: SecretRef): ResolvedSecretRef {
  const key = ref.kmsKeyArn !== undefined ? { kmsKeyArn: ref.kmsKeyArn } : {};
  if (ref.parameter !== undefined) return { kind: 'parameter', name: ref.parameter, ...key };
  return {
    kind: 'secret',
    id: ref.secret ?? '',
    ...(ref.jsonKey !== undefined ? { jsonKey: ref.jsonKey } : {}),
    ...(ref.versionStage !== undefined ? { versionStage: ref.versionStage } : {}),
    ...key,
  };
}

const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** References sorted by what they name, each once. */
export function uniqueSecrets(refs: Iterable<ResolvedSecretRef>): ResolvedSecretRef[] {
  const byKey = new Map<string, ResolvedSecretRef>();
  for (const r of refs) byKey.set(JSON.stringify(r), r);
  return [...byKey.entries()].sort(([a], [b]) => order(a, b)).map(([, r]) => r);
}

/**
 * A map of plain values and references as a workload receives it: each reference becomes
 * its name under the derived key (`DB_PASSWORD_SECRET_ID`, `--db-password-secret-id`), and
 * the references are returned for the reading role's grants.
 */
export function resolveValues(
  map: Readonly<Record<string, string | SecretRef>> | undefined,
  style: Exclude<ReferenceStyle, 'native'>,
): ResolvedValues {
  const values: [string, string][] = [];
  const secrets: ResolvedSecretRef[] = [];
  for (const [k, v] of Object.entries(map ?? {})) {
    if (isSecretRef(v)) {
      values.push([referenceKey(k, v, style), referenceValue(v)]);
      secrets.push(resolveSecretRef(v));
    } else values.push([k, v]);
  }
  values.sort(([a], [b]) => order(a, b));
  return { values: Object.fromEntries(values), secrets: uniqueSecrets(secrets) };
}
