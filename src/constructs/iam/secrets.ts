import type { ResolvedSecretRef } from '../../model/secrets';
import type { SecurityContext } from '../security-context';
import type { PolicyStatement } from './policy';

type Scope = Pick<SecurityContext, 'partition' | 'region' | 'account'>;

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * The ARN a read grant names. A secret given by ARN is that ARN. A secret given by name is
 * `...:secret:<name>-??????` in the pipeline's account and region: Secrets Manager appends a
 * hyphen and six random characters to every secret's ARN, and `?` matches exactly one
 * character, so the pattern names that secret and no other (`<name>-<anything longer>` does
 * not match). This is the pattern AWS documents for granting a secret by name
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/permissions_grant-limited-resources.html).
 * A parameter is `...:parameter/<name without its leading slash>`.
 */
export function secretResourceArn(ref: ResolvedSecretRef, scope: Scope): string {
  const base = (service: string) => `arn:${scope.partition}:${service}:${scope.region}:${scope.account}`;
  if (ref.kind === 'parameter') return `${base('ssm')}:parameter/${ref.name.replace(/^\//, '')}`;
  return ref.id.startsWith('arn:') ? ref.id : `${base('secretsmanager')}:secret:${ref.id}-??????`;
}

/**
 * Read access to exactly these secrets and parameters: GetSecretValue on each secret,
 * GetParameter and GetParameters (CodeBuild uses the latter) on each parameter, and, for
 * references that name their customer managed key, Decrypt with that key only when Secrets
 * Manager or SSM asks on the role's behalf (`kms:ViaService`). The AWS managed keys
 * (aws/secretsmanager, aws/ssm) need no grant; the pipeline key is granted to every role
 * already. Empty when there are no references.
 */
export function secretReadStatements(
  refs: readonly ResolvedSecretRef[],
  scope: Scope,
  purpose = '',
): PolicyStatement[] {
  const via = (service: string) => ({
    StringEquals: { 'kms:ViaService': `${service}.${scope.region}.amazonaws.com` },
  });
  const kinds = [
    { kind: 'secret', noun: 'Secrets', service: 'secretsmanager', read: 'secretsmanager:GetSecretValue' },
    {
      kind: 'parameter',
      noun: 'Parameters',
      service: 'ssm',
      read: ['ssm:GetParameter', 'ssm:GetParameters'],
    },
  ] as const;
  const out: PolicyStatement[] = [];
  for (const { kind, noun, service, read } of kinds) {
    const of = refs.filter((r) => r.kind === kind);
    if (of.length === 0) continue;
    out.push({
      Sid: `${purpose}Read${noun}`,
      Effect: 'Allow',
      Action: typeof read === 'string' ? read : [...read],
      Resource: sorted(of.map((r) => secretResourceArn(r, scope))),
    });
    const keys = sorted(of.flatMap((r) => (r.kmsKeyArn ? [r.kmsKeyArn] : [])));
    if (keys.length > 0) {
      out.push({
        Sid: `${purpose}Decrypt${noun}`,
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: keys,
        Condition: via(service),
      });
    }
  }
  return out;
}
