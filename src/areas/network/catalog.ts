/**
 * The network area's catalog: the defaults of a created or existing network (read from
 * the schema, never restated), the subnet slot arithmetic, and the one table of "which AWS
 * APIs a private workload calls", as interface VPC endpoints. Pure: no cdktf, no normalize
 * imports. Normalize derives a created VPC's endpoints from the table, the check stage
 * refuses a network without NAT that lacks one of them, advise and cost read the same
 * derivation, and docs/endpoints.md is rendered from it. Nothing else may list endpoint names.
 *
 * Each entry says why the workload calls the API from inside the VPC and cites the AWS
 * documentation it relies on. Calls a service makes on its own side (Lambda delivering
 * logs, SageMaker pulling data through its platform, S3 decrypting SSE-KMS objects) need no
 * endpoint and are not listed; S3 and DynamoDB go through the free gateway endpoints.
 */
import type { PipelineSpec } from '../../spec/types.generated';
import { networkReaders } from '../../compiler/secrets';
import { schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';
import { emrMode, emrUsesGlueCatalog } from '../emr/catalog';
import { endpointType } from '../serving/catalog';

/** The network defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  vpc: {
    publicSubnets: schemaDefault(schemaPointer('vpc', 'publicSubnets'), 'boolean'),
    natGateways: schemaChoiceDefault(schemaPointer('vpc', 'natGateways'), [
      'none',
      'single',
      'per-az',
    ] as const),
  },
  endpoints: {
    gateway: schemaDefault(schemaPointer('vpcEndpoints', 'gateway'), 'boolean'),
    derive: schemaDefault(schemaPointer('vpcEndpoints', 'derive'), 'boolean'),
    interface: schemaDefault(schemaPointer('vpcEndpoints', 'interface'), 'strings'),
  },
  flowLogs: {
    enabled: schemaDefault(schemaPointer('flowLogs', 'enabled'), 'boolean'),
    trafficType: schemaChoiceDefault(schemaPointer('flowLogs', 'trafficType'), [
      'ALL',
      'ACCEPT',
      'REJECT',
    ] as const),
  },
  existing: {
    egress: schemaChoiceDefault(schemaPointer('existingNetwork', 'egress'), ['nat', 'endpoints'] as const),
    interfaceEndpoints: schemaDefault(schemaPointer('existingNetwork', 'interfaceEndpoints'), 'strings'),
  },
} as const;

/** Subnet prefix when the spec names none: 16 subnets of the VPC range. */
export function defaultSubnetPrefix(vpcPrefix: number): number {
  return Math.min(28, vpcPrefix + 4);
}

/**
 * The zone letter of an availability zone as a number: `us-east-1a` is 0, `us-east-1c` is 2.
 * The schema and the `network/azs-in-region` rule allow only `<region><letter>` names
 * (no Local Zones such as `us-east-1-bos-1a`), so the last character is the letter.
 */
export function zoneIndex(az: string): number {
  if (!/[a-z]$/.test(az)) throw new RangeError(`availability zone ${JSON.stringify(az)} has no zone letter`);
  return az.charCodeAt(az.length - 1) - 'a'.charCodeAt(0);
}

/** Where one availability zone's subnets sit among the VPC's subnet slots. */
export interface ZoneSlots {
  /** Slot of the zone's private subnet. */
  readonly private: number;
  /** Slot of the zone's public subnet (used only with public subnets). */
  readonly public: number;
  /** Slots private subnets may use: all of them, or the lower half with public subnets. */
  readonly privateLimit: number;
}

/**
 * The subnet slots of a zone, from its letter alone: the private subnet takes slot
 * `<letter>` (a = 0), the public subnet the same slot of the upper half of the range.
 * No zone's slots depend on which other zones are listed or in what order, so adding or
 * removing a zone never moves another zone's subnets, and turning public subnets on never
 * moves a private one. With public subnets, private subnets must stay in the lower half.
 * @param slots subnets of the chosen prefix in the VPC range, 2^(subnet prefix - VPC prefix)
 */
export function zoneSlots(az: string, slots: number, publicSubnets: boolean): ZoneSlots {
  const half = Math.floor(slots / 2);
  const i = zoneIndex(az);
  return { private: i, public: half + i, privateLimit: publicSubnets ? half : slots };
}

/** The number of subnet slots of a VPC range for a subnet prefix. */
export function subnetSlots(vpcPrefix: number, subnetPrefix: number): number {
  return 2 ** (subnetPrefix - vpcPrefix);
}

/** An interface endpoint pipeform can create: the AWS service it reaches. */
export interface InterfaceEndpointInfo {
  /** Suffix after `com.amazonaws.<region>.`: the VPC endpoint service name. */
  readonly service: string;
  /** The API, as its documentation names it. */
  readonly api: string;
}

/**
 * Every interface endpoint name the spec accepts (`network.endpoints.interface`,
 * `network.existing.interfaceEndpoints`), in the schema's order. The schema's enum is
 * tested to equal these keys.
 */
export const INTERFACE_ENDPOINTS = {
  'sagemaker-api': { service: 'sagemaker.api', api: 'SageMaker API' },
  'sagemaker-runtime': { service: 'sagemaker.runtime', api: 'SageMaker Runtime' },
  sts: { service: 'sts', api: 'AWS STS' },
  logs: { service: 'logs', api: 'CloudWatch Logs' },
  'ecr-api': { service: 'ecr.api', api: 'Amazon ECR API' },
  'ecr-dkr': { service: 'ecr.dkr', api: 'Amazon ECR Docker registry' },
  monitoring: { service: 'monitoring', api: 'CloudWatch (metrics)' },
  events: { service: 'events', api: 'Amazon EventBridge' },
  states: { service: 'states', api: 'AWS Step Functions' },
  glue: { service: 'glue', api: 'AWS Glue' },
  kms: { service: 'kms', api: 'AWS KMS' },
  elasticmapreduce: { service: 'elasticmapreduce', api: 'Amazon EMR API' },
  ec2: { service: 'ec2', api: 'Amazon EC2 API' },
  eks: { service: 'eks', api: 'Amazon EKS API' },
  'eks-auth': { service: 'eks-auth', api: 'EKS Auth (Pod Identity)' },
  elasticloadbalancing: { service: 'elasticloadbalancing', api: 'Elastic Load Balancing API' },
  autoscaling: { service: 'autoscaling', api: 'EC2 Auto Scaling API' },
  secretsmanager: { service: 'secretsmanager', api: 'AWS Secrets Manager' },
  ssm: { service: 'ssm', api: 'AWS Systems Manager (Parameter Store)' },
} as const satisfies Readonly<Record<string, InterfaceEndpointInfo>>;

/** A name of {@link INTERFACE_ENDPOINTS}. */
export type InterfaceEndpointName = keyof typeof INTERFACE_ENDPOINTS;

/** Every endpoint name, in table order. */
export const INTERFACE_ENDPOINT_NAMES = Object.keys(INTERFACE_ENDPOINTS) as InterfaceEndpointName[];

/** A kind of workload pipeform places in the private subnets. */
export type WorkloadKind =
  | 'glue-jobs'
  | 'emr-cluster'
  | 'emr-glue-catalog'
  | 'sagemaker-training'
  | 'sagemaker-endpoints'
  | 'model-monitor'
  | 'model-explainability'
  | 'notebooks'
  | 'grafana'
  | 'codebuild'
  | 'eks-nodes'
  | 'lambda'
  | 'secret-readers'
  | 'parameter-readers';

/** What one kind of workload calls from inside the VPC, and why. */
export interface WorkloadEndpoints {
  /** Plural noun phrase for messages: "Glue jobs", "EMR cluster nodes". */
  readonly label: string;
  /** The endpoints it needs, each with the reason (what in the workload makes the call). */
  readonly needs: Readonly<Partial<Record<InterfaceEndpointName, string>>>;
  /** AWS documentation the entry relies on. */
  readonly sources: readonly string[];
}

/** The table: workload kind -> the interface endpoints it needs from a VPC without NAT. */
export const WORKLOAD_ENDPOINTS: Readonly<Record<WorkloadKind, WorkloadEndpoints>> = {
  'glue-jobs': {
    label: 'Glue jobs',
    needs: {
      glue: 'the job driver calls the Glue API from its NETWORK connection (job bookmarks, the Data Catalog)',
      kms: 'job bookmarks are encrypted client-side with the key (CSE-KMS in the security configuration)',
      logs: 'continuous logging streams driver and executor logs to CloudWatch Logs',
      monitoring: 'job and observability metrics are published to CloudWatch',
    },
    sources: [
      'https://docs.aws.amazon.com/glue/latest/dg/vpc-interface-endpoints.html',
      'https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html',
      'https://docs.aws.amazon.com/glue/latest/dg/monitor-continuous-logging.html',
    ],
  },
  'emr-cluster': {
    label: 'EMR cluster nodes',
    needs: {
      kms: 'local-disk and EBS encryption: each node asks KMS for its data key (GenerateDataKey, Decrypt)',
    },
    sources: [
      'https://docs.aws.amazon.com/kms/latest/developerguide/services-emr.html',
      // The EMR service reaches nodes in private subnets through the service-access group,
      // not through an elasticmapreduce endpoint (that one serves callers of the EMR API).
      'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-clusters-in-a-vpc.html',
    ],
  },
  'emr-glue-catalog': {
    label: 'EMR jobs using the Glue Data Catalog as metastore',
    needs: { glue: 'Spark, Hive, Presto and Trino read and write table metadata through the Glue API' },
    sources: [
      'https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-spark-glue.html',
      'https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/vpc-access.html',
    ],
  },
  'sagemaker-training': {
    label: 'SageMaker training, tuning and processing jobs',
    needs: {
      'sagemaker-api':
        'processing and evaluation code calls the SageMaker API (SageMaker Python SDK sessions)',
      sts: 'the SageMaker Python SDK resolves the caller with STS GetCallerIdentity',
      logs: 'container output goes to CloudWatch Logs',
      'ecr-api': 'job images are resolved in ECR',
      'ecr-dkr':
        'job image layers are pulled from the ECR registry (layers themselves through the S3 gateway)',
    },
    sources: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/train-vpc.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html',
      'https://github.com/aws/sagemaker-python-sdk/issues/906',
    ],
  },
  'sagemaker-endpoints': {
    label: 'SageMaker endpoints in the VPC',
    needs: {
      'sagemaker-runtime': 'callers inside the VPC (Model Monitor, functions) invoke the endpoint',
      sts: 'model containers resolve credentials with STS',
      logs: 'container output goes to CloudWatch Logs',
      'ecr-api': 'serving images are resolved in ECR',
      'ecr-dkr': 'serving image layers are pulled from the ECR registry',
    },
    sources: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html',
    ],
  },
  'model-monitor': {
    label: 'Model Monitor jobs',
    needs: {
      'sagemaker-api': 'monitoring jobs read their endpoint and baseline through the SageMaker API',
      sts: 'the analyzer resolves credentials with STS',
      logs: 'job output goes to CloudWatch Logs',
      'ecr-api': 'the analyzer image is resolved in ECR',
      'ecr-dkr': 'the analyzer image layers are pulled from the ECR registry',
    },
    sources: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/process-vpc.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html',
    ],
  },
  'model-explainability': {
    label: 'Clarify explainability jobs',
    needs: {
      'sagemaker-runtime':
        'Clarify computes SHAP values by invoking the monitored endpoint (not network-isolated)',
    },
    sources: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-model-monitor-feature-attribution-drift.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html',
    ],
  },
  notebooks: {
    label: 'SageMaker notebooks (VPC only)',
    needs: {
      'sagemaker-api': 'a VPC-only notebook cannot start without the SageMaker API endpoint (or NAT)',
      'sagemaker-runtime': 'a VPC-only notebook cannot start without the SageMaker Runtime endpoint (or NAT)',
      sts: 'the SageMaker Python SDK in notebooks calls STS GetCallerIdentity',
    },
    sources: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/studio-notebooks-and-internet-access.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/notebook-interface-endpoint.html',
    ],
  },
  grafana: {
    label: 'Grafana in the VPC',
    needs: { monitoring: 'the CloudWatch data source queries CloudWatch metrics from the VPC' },
    sources: ['https://docs.aws.amazon.com/grafana/latest/userguide/AMG-configure-vpc.html'],
  },
  codebuild: {
    label: 'CodeBuild builds in the VPC',
    needs: {
      logs: 'the build streams its log to CloudWatch Logs from the build container',
      sts: 'the AWS CLI and SDKs in the build resolve the caller with STS',
      'sagemaker-api': 'the build and deploy commands call the SageMaker API (pipeline, model registry)',
    },
    sources: ['https://docs.aws.amazon.com/codebuild/latest/userguide/vpc-support.html'],
  },
  'eks-nodes': {
    label: 'EKS nodes',
    needs: {
      ec2: 'the VPC CNI assigns pod IPs and nodes describe themselves through the EC2 API',
      'ecr-api': 'node and add-on images are resolved in ECR',
      'ecr-dkr': 'image layers are pulled from the ECR registry',
      sts: 'IAM roles for service accounts exchange web identity tokens with STS',
      'eks-auth': 'EKS Pod Identity agents fetch pod credentials from EKS Auth',
      eks: 'node bootstrap and add-ons read the cluster through the EKS API',
      logs: 'node and container logs are shipped to CloudWatch Logs',
      elasticloadbalancing: 'the load balancer controller manages load balancers for services',
      autoscaling: 'a node autoscaler resizes node groups through EC2 Auto Scaling',
    },
    sources: [
      'https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html',
      'https://aws-ia.github.io/terraform-aws-eks-blueprints/patterns/fully-private-cluster/',
    ],
  },
  lambda: {
    label: 'Lambda functions in the VPC',
    // Lambda delivers logs, traces and dead letters on the service side; function code
    // reaches the data lake through the S3 gateway endpoint.
    needs: {},
    sources: ['https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html'],
  },
  // A reader receives only a reference's name and fetches the value at run time (CodeBuild
  // resolves its SECRETS_MANAGER / PARAMETER_STORE variables from the build's network when
  // the build starts). A customer managed key is used by Secrets Manager or SSM on the
  // service side (kms:ViaService), so readers need no kms endpoint for it.
  'secret-readers': {
    label: 'Workloads reading Secrets Manager references',
    needs: {
      secretsmanager:
        'the workload reads each referenced secret with GetSecretValue from its subnets at run time',
    },
    sources: [
      'https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html',
      'https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.secrets-manager',
    ],
  },
  'parameter-readers': {
    label: 'Workloads reading SSM parameter references',
    needs: {
      ssm: 'the workload reads each referenced SecureString parameter with GetParameter(s) from its subnets at run time',
    },
    sources: [
      'https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html',
      'https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.parameter-store',
    ],
  },
};

/** A workload the spec declares in the private subnets, with where it is declared. */
export interface DeclaredWorkload {
  readonly kind: WorkloadKind;
  /** Spec path of the declaration, for diagnostics. */
  readonly path: readonly (string | number)[];
}

/**
 * The workloads a spec places in its network. Reads the validated spec (the check stage
 * runs before normalize), taking every default from the areas' catalogs.
 */
export function declaredWorkloads(spec: PipelineSpec): DeclaredWorkload[] {
  if (spec.network === undefined) return [];
  const out: DeclaredWorkload[] = [];
  const add = (kind: WorkloadKind, ...path: (string | number)[]) => out.push({ kind, path });
  if ((spec.data?.glue?.jobs ?? []).length > 0) add('glue-jobs', 'data', 'glue', 'jobs');
  const emr = spec.data?.emr;
  if (emr) {
    if (emrMode(emr) === 'cluster') add('emr-cluster', 'data', 'emr');
    if (emrUsesGlueCatalog(emr))
      add('emr-glue-catalog', 'data', 'emr', ...(emr.glueCatalog ? ['glueCatalog'] : []));
  }
  if (spec.training?.algorithm) add('sagemaker-training', 'training');
  if (spec.training?.eks) add('eks-nodes', 'training', 'eks');
  (spec.serving?.endpoints ?? []).forEach((e, i) => {
    if (endpointType(e) !== 'serverless') add('sagemaker-endpoints', 'serving', 'endpoints', i);
  });
  (spec.monitoring?.endpoints ?? []).forEach((e, i) => {
    if (
      e.dataQuality !== undefined ||
      e.modelQuality !== undefined ||
      e.bias !== undefined ||
      e.explainability !== undefined
    )
      add('model-monitor', 'monitoring', 'endpoints', i);
    if (e.explainability !== undefined)
      add('model-explainability', 'monitoring', 'endpoints', i, 'explainability');
  });
  if (spec.monitoring?.grafana) add('grafana', 'monitoring', 'grafana');
  if (spec.notebooks) add('notebooks', 'notebooks');
  if (spec.cicd?.build?.vpc) add('codebuild', 'cicd', 'build', 'vpc');
  if ((spec.orchestration?.functions ?? []).length > 0) add('lambda', 'orchestration', 'functions');
  // Each reader of references in the subnets, at its first reference to the service.
  for (const r of networkReaders(spec))
    add(r.service === 'ssm' ? 'parameter-readers' : 'secret-readers', ...r.path);
  return out;
}

/** The endpoints one kind of workload needs, sorted. */
export function endpointsOf(kind: WorkloadKind): InterfaceEndpointName[] {
  const needs = WORKLOAD_ENDPOINTS[kind].needs;
  return INTERFACE_ENDPOINT_NAMES.filter((n) => needs[n] !== undefined).sort();
}

/** The interface endpoints the spec's workloads need, sorted: what a created VPC derives. */
export function derivedInterfaceEndpoints(spec: PipelineSpec): InterfaceEndpointName[] {
  return [...new Set(declaredWorkloads(spec).flatMap((w) => endpointsOf(w.kind)))].sort();
}

/**
 * The interface endpoints a network provides, or undefined when its private subnets reach
 * every AWS API anyway (NAT in a created VPC, `egress: nat` for an existing one).
 */
export function providedInterfaceEndpoints(spec: PipelineSpec): string[] | undefined {
  const n = spec.network;
  if (n === undefined) return undefined;
  if (n.existing) {
    return (n.existing.egress ?? DEFAULTS.existing.egress) === 'nat'
      ? undefined
      : [...(n.existing.interfaceEndpoints ?? DEFAULTS.existing.interfaceEndpoints)].sort();
  }
  if ((n.vpc?.natGateways ?? DEFAULTS.vpc.natGateways) !== 'none') return undefined;
  return createdInterfaceEndpoints(spec);
}

/** The interface endpoints a created VPC gets: the derived ones (unless opted out) plus the user's. */
export function createdInterfaceEndpoints(spec: PipelineSpec): string[] {
  const e = spec.network?.endpoints;
  const derived = (e?.derive ?? DEFAULTS.endpoints.derive) ? derivedInterfaceEndpoints(spec) : [];
  return [...new Set<string>([...derived, ...(e?.interface ?? DEFAULTS.endpoints.interface)])].sort();
}
