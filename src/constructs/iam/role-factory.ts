import { createHash } from 'node:crypto';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { leastPrivilegeProblems, managedPolicyProblems, PolicyError } from './least-privilege';
import { policyJson, type PolicyStatement } from './policy';

/** What a component asks of the factory. */
export interface RoleRequest {
  /** Service principals that may assume the role, e.g. `sagemaker.amazonaws.com`. */
  readonly services: readonly string[];
  /** What the role is for (the IAM description). */
  readonly description: string;
  /** Inline policy statements, scoped to resources the configuration creates. */
  readonly statements: readonly PolicyStatement[];
  /** AWS managed policies (checked against the forbidden list). */
  readonly managedPolicyArns?: readonly string[];
  /**
   * Confused-deputy protection: `aws:SourceAccount` on the trust policy. On by default;
   * off only for services that do not send it on AssumeRole (e.g. EC2 instance roles).
   * @default true
   */
  readonly sourceAccountCondition?: boolean;
}

/** Settings every role shares. */
export interface RoleFactoryProps {
  readonly pipeline: string;
  readonly account: string;
  readonly partition: string;
  readonly path: string;
  readonly permissionsBoundaryArn?: string;
}

/** IAM role names are at most 64 characters; longer ones keep a stable hash suffix. */
export function roleName(pipeline: string, component: string): string {
  const full = `${pipeline}-${component}`;
  if (full.length <= 64) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 55)}-${hash}`;
}

/**
 * Makes one role per component: a trust policy for exactly the services named, inline
 * statements checked for least privilege (refused at build time otherwise), the shared
 * path and permissions boundary. Components never create IAM roles themselves.
 */
export class RoleFactory {
  constructor(private readonly props: RoleFactoryProps) {}

  /** A role construct at `scope/id`; the role is named `<pipeline>-<component>`. */
  create(scope: Construct, id: string, component: string, request: RoleRequest): IamRole {
    const name = roleName(this.props.pipeline, component);
    const problems = [
      ...leastPrivilegeProblems(request.statements),
      ...managedPolicyProblems(request.managedPolicyArns ?? []),
    ];
    if (problems.length > 0) throw new PolicyError(name, problems);

    const holder = new Construct(scope, id);
    const role = new IamRole(holder, 'Resource', {
      name,
      path: this.props.path,
      description: request.description.slice(0, 1000),
      assumeRolePolicy: policyJson([
        {
          Sid: 'AssumedByService',
          Effect: 'Allow',
          Principal: { Service: [...request.services].sort() },
          Action: 'sts:AssumeRole',
          ...((request.sourceAccountCondition ?? true)
            ? { Condition: { StringEquals: { 'aws:SourceAccount': this.props.account } } }
            : {}),
        },
      ]),
      maxSessionDuration: 3600,
      ...(this.props.permissionsBoundaryArn
        ? { permissionsBoundary: this.props.permissionsBoundaryArn }
        : {}),
    });
    if (request.statements.length > 0) {
      new IamRolePolicy(holder, 'Policy', {
        name: `${component}-least-privilege`.slice(0, 128),
        role: role.id,
        policy: policyJson(request.statements),
      });
    }
    for (const arn of [...(request.managedPolicyArns ?? [])].sort()) {
      new IamRolePolicyAttachment(holder, `managed-${(arn.split('/').pop() ?? arn).toLowerCase()}`, {
        role: role.name,
        policyArn: arn,
      });
    }
    return role;
  }
}
