/**
 * Secret references, resolved: derived keys and values for the workload, and what its role
 * may read. The functions live in src/compiler/secrets.ts, which the check stage imports too
 * (it must not import normalize); re-exported here for the normalize files.
 */
export { resolveSecretRef, resolveValues, uniqueSecrets } from '../secrets';
