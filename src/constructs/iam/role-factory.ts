import { createHash } from 'node:crypto';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { leastPrivilegeProblems, managedPolicyProblems, PolicyError } from './least-privilege';
import { policyJson, type PolicyStatement } from './policy';

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
}

/** IAM role names are at most 64 characters; longer ones keep a stable hash suffix. */
export function roleName(pipeline: string, component: string): string {
  const full = `${pipeline}-${component}`;
  if (full.length <= 64) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 55)}-${hash}`;
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

  /** What a resource using the role must wait for: the inline policy, when there is one. */
  get policyDependables(): ITerraformDependable[] {
    return this.policy ? [this.policy] : [];
  }
}

/**
 * Makes one role per component: a trust policy for exactly the services named, inline
 * statements checked for least privilege (refused at build time otherwise), the shared
 * path and permissions boundary. Components never create IAM roles themselves.
 */
export class RoleFactory {
  constructor(private readonly props: RoleFactoryProps) {}

  /**
   * The ARN pattern of every role whose component starts with `componentPrefix`
   * (`<pipeline>-<componentPrefix>*` under the shared path): for a policy that cannot list
   * each role by ARN within IAM's size limits. A hashed long name keeps its first 55
   * characters, so the prefix holds while `<pipeline>-<componentPrefix>` is that short.
   */
  arnPattern(componentPrefix: string): string {
    const { partition, account, path, pipeline } = this.props;
    return `arn:${partition}:iam::${account}:role${path}${pipeline}-${componentPrefix}*`;
  }

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
    if (request.statements.length > 0) {
      role.policy = new IamRolePolicy(holder, 'Policy', {
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
