import type { RoleFactory } from './iam/role-factory';

/**
 * Where workloads run: the private subnets and the workload security groups. The id lists
 * are real arrays of scalars (literal ids or references such as a module input's element),
 * so components may index them and splice them into JSON and ARNs.
 */
export interface NetworkContext {
  readonly vpcId: string;
  readonly privateSubnetIds: readonly string[];
  /** Security groups for pipeline workloads (training, processing, endpoints). */
  readonly securityGroupIds: readonly string[];
}

/** The public front door's protection: the web ACL and, when opted in, Shield Advanced. */
export interface EdgeProtection {
  /** ARN of the regional WAFv2 web ACL. */
  readonly webAclArn: string;
  /**
   * Associates the web ACL with a public resource (API Gateway stage, ALB) and, when
   * `security.shield` is on, adds Shield Advanced protection for it. `id` names the
   * association resources (a spec name).
   */
  protect(id: string, resourceArn: string): void;
}

/**
 * What every component construct receives besides its own slice of the spec: the shared
 * key, the network, the role factory and the edge protection. Components take all their
 * cross-cutting security from here and never create keys, roles or VPC plumbing themselves.
 */
export interface SecurityContext {
  readonly pipeline: string;
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  /** ARN of the key that encrypts everything that takes a key. */
  readonly keyArn: string;
  /** Retention of every log group pipeform creates. */
  readonly logRetentionDays: number;
  /** One least-privilege role per component. */
  readonly roles: RoleFactory;
  /** Undefined when the spec has no network. */
  readonly network?: NetworkContext;
  /** Undefined when the spec has no web ACL. */
  readonly edge?: EdgeProtection;
}
