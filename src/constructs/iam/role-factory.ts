import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { leastPrivilegeProblems, managedPolicyProblems, PolicyError } from './least-privilege';
import { UsageError } from '../../compiler/diagnostics';
import { policyJson, type PolicyStatement } from './policy';
import {
  ATTACHED_POLICIES_DEFAULT,
  ATTACHED_POLICIES_MAX,
  ATTACHED_POLICIES_QUOTA_CODE,
  roleArnOf,
  roleName,
  rolePolicyLayout,
} from '../../areas/security/policy-size';

// The size model is pure (advice predicts attachments with it); re-exported for the construct layer's callers.
export {
  ATTACHED_POLICIES_DEFAULT,
  ATTACHED_POLICIES_MAX,
  ATTACHED_POLICIES_QUOTA_CODE,
  MANAGED_POLICY_CHARS,
  packStatements,
  policyChars,
  ROLE_POLICY_CHARS,
  roleName,
} from '../../areas/security/policy-size';

/**
 * A web-identity principal: one Kubernetes service account of an EKS cluster (IRSA), or
 * any OIDC provider, pinned to one subject and audience.
 */
export interface FederatedTrust {
  /** ARN of the IAM OIDC provider. */
  readonly providerArn: string;
  /** The provider URL without `https://`: the prefix of its condition keys. */
  readonly issuer: string;
  /** The only `sub` claim allowed, e.g. `system:serviceaccount:kube-system:ebs-csi-controller-sa`. */
  readonly subject: string;
  /**
   * The only `aud` claim allowed.
   * @default 'sts.amazonaws.com'
   */
  readonly audience?: string;
}

/**
 * An EKS Pod Identity principal: pods of one service account in one namespace of one
 * cluster. EKS Pod Identity assumes the role with session tags naming the cluster,
 * namespace and service account ("Create IAM role with trust policy required by EKS Pod
 * Identity", EKS User Guide); the trust policy pins all three, so no other association
 * can hand the role out even if someone creates one.
 */
export interface PodIdentityTrust {
  /** ARN of the cluster (`arn:<partition>:eks:<region>:<account>:cluster/<name>`). */
  readonly clusterArn: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** What a component asks of the factory. */
export interface RoleRequest {
  /**
   * Service principals that may assume the role, e.g. `sagemaker.amazonaws.com`. May be
   * empty when `federated` names who assumes it.
   */
  readonly services: readonly string[];
  /** Also (or only) trust a web identity: `sts:AssumeRoleWithWebIdentity` for one subject. */
  readonly federated?: FederatedTrust;
  /** Also (or only) trust EKS Pod Identity for one service account. */
  readonly podIdentity?: PodIdentityTrust;
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
  /**
   * The granted value of quota L-0DA4ABF3 (managed policies per role), from
   * `usage.appliedQuotas`; a role needing more than this (or than the AWS default when
   * absent) is refused at build, since IAM would refuse the attachment at apply.
   * @default ATTACHED_POLICIES_DEFAULT
   */
  readonly attachedPoliciesQuota?: number;
}

/**
 * The user error for a role that needs more managed policies than the account's quota
 * allows: the role, the need, the quota and how to raise it.
 */
function attachmentQuotaError(role: string, needed: number, quota: number): UsageError {
  const from =
    quota === ATTACHED_POLICIES_DEFAULT ? `the AWS default of ${quota}` : `${quota} (usage.appliedQuotas)`;
  return new UsageError(
    `role ${role} needs ${needed} managed policies attached, more than quota ${ATTACHED_POLICIES_QUOTA_CODE} ` +
      `("Managed policies attached to an IAM role") allows: ${from}. Request an increase ` +
      `(aws service-quotas request-service-quota-increase --service-code iam --quota-code ${ATTACHED_POLICIES_QUOTA_CODE} ` +
      `--desired-value ${needed}), then state the granted value in usage.appliedQuotas: { ${ATTACHED_POLICIES_QUOTA_CODE}: ${needed} }.`,
  );
}

/** The trust policy: the services named (with the account condition) and the web identity. */
function trustStatements(request: RoleRequest, account: string): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (request.services.length > 0) {
    statements.push({
      Sid: 'AssumedByService',
      Effect: 'Allow',
      Principal: { Service: [...request.services].sort() },
      Action: 'sts:AssumeRole',
      ...((request.sourceAccountCondition ?? true)
        ? { Condition: { StringEquals: { 'aws:SourceAccount': account } } }
        : {}),
    });
  }
  const f = request.federated;
  if (f !== undefined) {
    statements.push({
      Sid: 'AssumedByWebIdentity',
      Effect: 'Allow',
      Principal: { Federated: f.providerArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      // Both claims pinned: the role is for this one service account, through STS only.
      Condition: {
        StringEquals: {
          [`${f.issuer}:sub`]: f.subject,
          [`${f.issuer}:aud`]: f.audience ?? 'sts.amazonaws.com',
        },
      },
    });
  }
  const pod = request.podIdentity;
  if (pod !== undefined) {
    statements.push({
      Sid: 'AssumedByEksPodIdentity',
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:SourceAccount': account,
          'aws:RequestTag/eks-cluster-arn': pod.clusterArn,
          'aws:RequestTag/kubernetes-namespace': pod.namespace,
          'aws:RequestTag/kubernetes-service-account': pod.serviceAccount,
        },
      },
    });
  }
  return statements;
}

/**
 * A role the factory made, with the inline policy that grants its statements: a resource
 * that assumes the role at creation (an endpoint pulling its image, a function, a state
 * machine) depends on {@link policyDependables} so the permissions exist before it starts.
 */
export class PipelineRole extends IamRole {
  /** The inline least-privilege policy; undefined when the request had no statements. */
  policy?: IamRolePolicy;
  /**
   * The attachments of the customer managed policies holding the statements that did not
   * fit the inline policy ({@link ROLE_POLICY_CHARS}); empty for most roles.
   */
  readonly attachments: IamRolePolicyAttachment[] = [];
  /**
   * The role's ARN as text, known before apply (`arn:<partition>:iam::<account>:role<path><name>`):
   * the same ARN as {@link arn}, for a policy that must count its characters exactly.
   */
  literalArn = '';

  /** What a resource using the role must wait for: the inline policy or the attachments. */
  get policyDependables(): ITerraformDependable[] {
    return [...(this.policy ? [this.policy] : []), ...this.attachments];
  }
}

/**
 * Makes one role per component: a trust policy for exactly the services named, inline
 * statements checked for least privilege (refused at build time otherwise), the shared
 * path and permissions boundary. Components never create IAM roles themselves.
 */
export class RoleFactory {
  constructor(private readonly props: RoleFactoryProps) {}

  /** A role construct at `scope/id`; the role is named `<pipeline>-<component>`. */
  create(scope: Construct, id: string, component: string, request: RoleRequest): PipelineRole {
    const name = roleName(this.props.pipeline, component);
    const problems = [
      ...leastPrivilegeProblems(request.statements),
      ...managedPolicyProblems(request.managedPolicyArns ?? []),
    ];
    if (problems.length > 0) throw new PolicyError(name, problems);
    if (request.services.length === 0 && request.federated === undefined && request.podIdentity === undefined)
      throw new Error(`internal: role ${name} names no service and no federated principal to trust it`);

    const holder = new Construct(scope, id);
    const role = new PipelineRole(holder, 'Resource', {
      name,
      path: this.props.path,
      description: request.description.slice(0, 1000),
      assumeRolePolicy: policyJson(trustStatements(request, this.props.account)),
      maxSessionDuration: 3600,
      ...(this.props.permissionsBoundaryArn
        ? { permissionsBoundary: this.props.permissionsBoundaryArn }
        : {}),
    });
    role.literalArn = roleArnOf(this.props.partition, this.props.account, this.props.path, name);
    if (request.statements.length > 0) {
      // What fits IAM's inline limit stays inline (every role of a small pipeline); the rest
      // (already checked above) goes to customer managed policies only this role uses. Packing
      // is first fit in statement order and ids count from 1, so the same statements keep the
      // same addresses.
      const {
        inline,
        managed,
        attachments: attached,
      } = rolePolicyLayout(request.statements, (request.managedPolicyArns ?? []).length);
      role.policy = new IamRolePolicy(holder, 'Policy', {
        name: `${component}-least-privilege`.slice(0, 128),
        role: role.id,
        policy: policyJson(inline),
      });
      if (attached > ATTACHED_POLICIES_MAX)
        throw new Error(
          `role ${name} needs ${attached} managed policies; IAM attaches at most ${ATTACHED_POLICIES_MAX} to a role (quota L-0DA4ABF3)`,
        );
      // Refused here rather than warned: past the account's quota, apply fails half way
      // (role and policies created, the 11th attachment refused) and leaves a broken role.
      const quota = this.props.attachedPoliciesQuota ?? ATTACHED_POLICIES_DEFAULT;
      if (attached > quota) throw attachmentQuotaError(name, attached, quota);
      managed.forEach((statements, i) => {
        const n = i + 1;
        const policy = new IamPolicy(holder, `policy-${n}`, {
          name: `${name}-${n}`,
          path: this.props.path,
          description: `pipeform ${this.props.pipeline}: least privilege of ${name}, part ${n + 1} of ${managed.length + 1}`,
          policy: policyJson(statements),
        });
        role.attachments.push(
          new IamRolePolicyAttachment(holder, `policy-${n}-attachment`, {
            role: role.name,
            policyArn: policy.arn,
          }),
        );
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
