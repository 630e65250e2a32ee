import { GrafanaWorkspace } from '@cdktf/provider-aws/lib/grafana-workspace';
import { PrometheusScraper } from '@cdktf/provider-aws/lib/prometheus-scraper';
import { PrometheusWorkspace } from '@cdktf/provider-aws/lib/prometheus-workspace';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import type { ResolvedGrafana, ResolvedPrometheus } from '../../model/monitoring';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import { grafanaRoleStatements } from './policies';

/** The in-cluster service account token the managed scraper presents to the API server. */
const TOKEN_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** One Prometheus scrape job, in Prometheus's own field names. */
interface ScrapeJob {
  readonly job_name: string;
  readonly scheme?: 'https';
  readonly authorization?: { readonly credentials_file: string };
  readonly tls_config?: { readonly ca_file: string; readonly insecure_skip_verify: boolean };
  readonly kubernetes_sd_configs: readonly { readonly role: 'endpoints' | 'node' | 'pod' }[];
  readonly relabel_configs?: readonly Readonly<Record<string, unknown>>[];
}

/**
 * What the managed scraper collects from the EKS training cluster: the API server, the
 * kubelets' cAdvisor (container CPU, memory and GPU-device use), and every pod annotated
 * `prometheus.io/scrape: "true"` (e.g. the NVIDIA DCGM exporter for GPU utilization, which
 * the NVIDIA device plugin's operator installs).
 */
export function scrapeConfiguration(): string {
  const viaApiServer = {
    scheme: 'https' as const,
    authorization: { credentials_file: TOKEN_FILE },
    tls_config: {
      ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
      insecure_skip_verify: false,
    },
  };
  const jobs: ScrapeJob[] = [
    {
      job_name: 'kubernetes-apiservers',
      ...viaApiServer,
      kubernetes_sd_configs: [{ role: 'endpoints' }],
      relabel_configs: [
        {
          source_labels: [
            '__meta_kubernetes_namespace',
            '__meta_kubernetes_service_name',
            '__meta_kubernetes_endpoint_port_name',
          ],
          action: 'keep',
          regex: 'default;kubernetes;https',
        },
      ],
    },
    {
      job_name: 'kubernetes-cadvisor',
      ...viaApiServer,
      kubernetes_sd_configs: [{ role: 'node' }],
      relabel_configs: [
        { action: 'labelmap', regex: '__meta_kubernetes_node_label_(.+)' },
        { target_label: '__address__', replacement: 'kubernetes.default.svc:443' },
        {
          source_labels: ['__meta_kubernetes_node_name'],
          regex: '(.+)',
          target_label: '__metrics_path__',
          replacement: '/api/v1/nodes/$1/proxy/metrics/cadvisor',
        },
      ],
    },
    {
      job_name: 'kubernetes-pods',
      kubernetes_sd_configs: [{ role: 'pod' }],
      relabel_configs: [
        {
          source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
          action: 'keep',
          regex: 'true',
        },
        {
          source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'],
          action: 'replace',
          target_label: '__metrics_path__',
          regex: '(.+)',
        },
        {
          source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
          action: 'replace',
          regex: '([^:]+)(?::\\d+)?;(\\d+)',
          replacement: '$1:$2',
          target_label: '__address__',
        },
        { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
        { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      ],
    },
  ];
  return stringify({ global: { scrape_interval: '30s', scrape_timeout: '10s' }, scrape_configs: jobs });
}

/** Props of {@link PrometheusArea}. */
export interface PrometheusAreaProps {
  readonly prometheus: ResolvedPrometheus;
  readonly security: SecurityContext;
  /** ARN of the EKS training cluster the scraper collects from. */
  readonly eksClusterArn?: string;
}

/**
 * An Amazon Managed Service for Prometheus workspace encrypted with the key, logging to an
 * encrypted log group with the pipeline's retention, and the managed (agentless) scraper of
 * the EKS training cluster, placed in the private subnets with the workload security group
 * the nodes share. The scraper's access entry is created by the service (the cluster uses
 * EKS access entries); its ClusterRole `aps-collector-role` is applied with kubectl.
 */
export class PrometheusArea extends Construct {
  readonly workspace: PrometheusWorkspace;
  readonly scraper?: PrometheusScraper;

  constructor(scope: Construct, id: string, props: PrometheusAreaProps) {
    super(scope, id);
    const { prometheus: p, security: sec } = props;
    const logGroup = encryptedLogGroup(this, 'LogGroup', p.logGroupName, sec);
    this.workspace = new PrometheusWorkspace(this, 'Resource', {
      alias: p.alias,
      kmsKeyArn: sec.keyArn,
      loggingConfiguration: { logGroupArn: `${logGroup.arn}:*` },
    });
    const network = sec.network;
    if (p.scraper && props.eksClusterArn && network) {
      this.scraper = new PrometheusScraper(this, 'scraper', {
        alias: p.scraper.alias,
        scrapeConfiguration: scrapeConfiguration(),
        source: [
          {
            eks: [
              {
                clusterArn: props.eksClusterArn,
                subnetIds: [...network.privateSubnetIds],
                securityGroupIds: [...network.securityGroupIds],
              },
            ],
          },
        ],
        destination: [{ amp: [{ workspaceArn: this.workspace.arn }] }],
        // A scraper's subnets are fixed at creation (the provider replaces it, leaving a gap
        // in the metrics); its ENIs reach nodes in a new zone through the VPC's local route.
        lifecycle: { ignoreChanges: ['source[0].eks[0].subnet_ids'] },
      });
    }
  }
}

/** Props of {@link GrafanaArea}. */
export interface GrafanaAreaProps {
  readonly grafana: ResolvedGrafana;
  readonly security: SecurityContext;
  readonly topicArn: string;
  readonly prometheusWorkspaceArn?: string;
}

/**
 * An Amazon Managed Grafana workspace for this account, signed in through IAM Identity
 * Center, with a customer-managed role that may only read CloudWatch and this Prometheus
 * workspace and notify the alerts topic; in the private subnets when the spec has a network.
 */
export class GrafanaArea extends Construct {
  readonly workspace: GrafanaWorkspace;

  constructor(scope: Construct, id: string, props: GrafanaAreaProps) {
    super(scope, id);
    const { grafana: g, security: sec } = props;
    const role = sec.roles.create(this, 'Role', g.roleComponent, {
      services: ['grafana.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: Amazon Managed Grafana workspace ${g.name} reads its data sources`,
      statements: grafanaRoleStatements(sec, {
        topicArn: props.topicArn,
        ...(props.prometheusWorkspaceArn ? { prometheusWorkspaceArn: props.prometheusWorkspaceArn } : {}),
      }),
    });
    const network = sec.network;
    this.workspace = new GrafanaWorkspace(this, 'Resource', {
      name: g.name,
      description: `pipeform ${sec.pipeline}: dashboards over CloudWatch${g.dataSources.includes('PROMETHEUS') ? ' and Prometheus' : ''}`,
      accountAccessType: 'CURRENT_ACCOUNT',
      authenticationProviders: ['AWS_SSO'],
      permissionType: 'CUSTOMER_MANAGED',
      roleArn: role.arn,
      dataSources: [...g.dataSources],
      notificationDestinations: ['SNS'],
      grafanaVersion: g.version,
      ...(g.inVpc && network
        ? {
            vpcConfiguration: {
              subnetIds: [...network.privateSubnetIds],
              securityGroupIds: [...network.securityGroupIds],
            },
          }
        : {}),
    });
  }
}
