import { SagemakerDomain } from '@cdktf/provider-aws/lib/sagemaker-domain';
import { SagemakerNotebookInstance } from '@cdktf/provider-aws/lib/sagemaker-notebook-instance';
import { SagemakerNotebookInstanceLifecycleConfiguration } from '@cdktf/provider-aws/lib/sagemaker-notebook-instance-lifecycle-configuration';
import { SagemakerStudioLifecycleConfig } from '@cdktf/provider-aws/lib/sagemaker-studio-lifecycle-config';
import { SagemakerUserProfile } from '@cdktf/provider-aws/lib/sagemaker-user-profile';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedNotebookInstance, ResolvedNotebooks } from '../../model/notebooks';
import type { PolicyStatement } from '../iam/policy';
import type { SecurityContext } from '../security-context';
import { mlflowClientStatements } from '../tracking/statements';
import {
  firstSubnet,
  keyUseStatement,
  logGroupArn,
  logWriteStatement,
  s3ReadStatements,
  s3WriteStatements,
  type LakeBuckets,
} from './access';

/** Props of {@link Notebooks}. */
export interface NotebooksProps {
  readonly notebooks: ResolvedNotebooks;
  readonly security: SecurityContext;
  readonly buckets: LakeBuckets;
}

/**
 * The on-start script of a notebook instance: installs a cron job (every 5 minutes) that
 * stops the instance once no kernel has been active for `idleMinutes`. Self-contained
 * (python3 standard library and the AWS CLI that notebook instances ship with), so it
 * works without internet access; the SageMaker API is reached through the VPC endpoint.
 */
export function autoStopScript(idleMinutes: number): string {
  return [
    '#!/bin/bash',
    `# pipeform: stop this notebook instance after ${idleMinutes} minutes without kernel activity (cost).`,
    'set -euo pipefail',
    "cat > /usr/local/bin/pipeform-autostop.py <<'PY'",
    'import json, ssl, subprocess, sys, time, urllib.request',
    'from datetime import datetime',
    'idle_seconds = int(sys.argv[1]) * 60',
    'now = time.time()',
    "with open('/proc/uptime') as f:",
    '    last = now - float(f.read().split()[0])',
    'context = ssl._create_unverified_context()  # the local Jupyter server has a self-signed certificate',
    "with urllib.request.urlopen('https://localhost:8443/api/sessions', context=context) as r:",
    '    sessions = json.load(r)',
    'for s in sessions:',
    "    kernel = s.get('kernel') or {}",
    "    if kernel.get('execution_state') == 'busy':",
    '        sys.exit(0)',
    "    stamp = kernel.get('last_activity')",
    '    if stamp:',
    "        last = max(last, datetime.strptime(stamp.replace('Z', '+0000'), '%Y-%m-%dT%H:%M:%S.%f%z').timestamp())",
    'if now - last < idle_seconds:',
    '    sys.exit(0)',
    "with open('/opt/ml/metadata/resource-metadata.json') as f:",
    "    name = json.load(f)['ResourceName']",
    "subprocess.run(['aws', 'sagemaker', 'stop-notebook-instance', '--notebook-instance-name', name], check=True)",
    'PY',
    `(crontab -l 2>/dev/null | grep -v pipeform-autostop || true; echo "*/5 * * * * /usr/bin/env python3 /usr/local/bin/pipeform-autostop.py ${idleMinutes} >> /var/log/pipeform-autostop.log 2>&1") | crontab -`,
    '',
  ].join('\n');
}

/**
 * The JupyterLab start script of a domain with an MLflow server: MLFLOW_TRACKING_URI (the
 * server ARN, which the sagemaker-mlflow plugin resolves) for terminals and, through an
 * IPython startup file, for every kernel (kernels do not read the shell profile).
 */
export function mlflowEnvironmentScript(serverArn: string): string {
  return [
    '#!/bin/bash',
    '# pipeform: point MLflow at the pipeline tracking server.',
    'set -euo pipefail',
    `ARN='${serverArn}'`,
    'grep -q MLFLOW_TRACKING_URI ~/.bashrc 2>/dev/null || echo "export MLFLOW_TRACKING_URI=$ARN" >> ~/.bashrc',
    'mkdir -p ~/.ipython/profile_default/startup',
    'cat > ~/.ipython/profile_default/startup/00-pipeform-mlflow.py <<PY',
    'import os',
    "os.environ.setdefault('MLFLOW_TRACKING_URI', '$ARN')",
    'PY',
    '',
  ].join('\n');
}

/**
 * Interactive analysis. A SageMaker domain: IAM auth, VPC-only in the private subnets, EFS
 * encrypted with the key, JupyterLab apps shut down when idle, one user profile per user.
 * Or notebook instances: volume encrypted with the key, no direct internet, root access
 * off, IMDSv2 only, and a lifecycle configuration that stops them when idle.
 */
export class Notebooks extends Construct {
  readonly domain?: SagemakerDomain;
  readonly instances: ReadonlyMap<string, SagemakerNotebookInstance>;

  constructor(scope: Construct, id: string, props: NotebooksProps) {
    super(scope, id);
    const { notebooks: n, security: sec, buckets } = props;
    const network = sec.network!;
    const data: PolicyStatement[] = [
      ...s3ReadStatements('Read', buckets, [...n.reads, ...n.writes]),
      ...s3WriteStatements('Write', buckets, n.writes),
      keyUseStatement(sec),
    ];

    if (n.domain) {
      const d = n.domain;
      const studioLogs = logGroupArn(sec, '/aws/sagemaker/studio');
      const role = sec.roles.create(this, 'Role', d.roleComponent, {
        services: ['sagemaker.amazonaws.com'],
        description: `pipeform ${sec.pipeline}: SageMaker domain ${d.domainName} users`,
        statements: [
          ...data,
          logWriteStatement('Studio', [studioLogs]),
          // tracking.mlflow: users log to and curate the pipeline's tracking server.
          ...(d.mlflow ? mlflowClientStatements(d.mlflow, sec.partition, 'user') : []),
        ],
      });
      const securityGroups = [...network.securityGroupIds];
      const mlflowEnv =
        d.mlflow && d.mlflowLifecycleConfigName
          ? new SagemakerStudioLifecycleConfig(this, 'mlflow-env', {
              studioLifecycleConfigName: d.mlflowLifecycleConfigName,
              studioLifecycleConfigAppType: 'JupyterLab',
              // Encoded by Terraform, so the configuration shows the script (and the server ARN
              // in it) in plain text, where a rename of the pipeline is visible.
              studioLifecycleConfigContent: Fn.base64encode(
                Fn.rawString(mlflowEnvironmentScript(d.mlflow.serverArn)),
              ),
            })
          : undefined;
      this.domain = new SagemakerDomain(this, 'Domain', {
        domainName: d.domainName,
        authMode: d.authMode,
        appNetworkAccessType: 'VpcOnly',
        vpcId: network.vpcId,
        subnetIds: [...network.privateSubnetIds],
        kmsKeyId: sec.keyArn,
        domainSettings: { securityGroupIds: securityGroups },
        defaultUserSettings: {
          executionRole: role.arn,
          securityGroups,
          jupyterLabAppSettings: {
            appLifecycleManagement: {
              idleSettings: { lifecycleManagement: 'ENABLED', idleTimeoutInMinutes: d.idleShutdownMinutes },
            },
            // Every JupyterLab space runs it at start, so notebooks find the server by default.
            ...(mlflowEnv
              ? {
                  lifecycleConfigArns: [mlflowEnv.arn],
                  defaultResourceSpec: { lifecycleConfigArn: mlflowEnv.arn },
                }
              : {}),
          },
        },
        // Deleting the domain must not delete users' home directories with it.
        retentionPolicy: { homeEfsFileSystem: 'Retain' },
        // The provider replaces a domain whose subnets change (losing its user profiles and
        // apps): the domain keeps the zones it was created in; its ENIs reach a new zone
        // through the VPC's local route (docs/architecture.md, "Day-2 stability").
        lifecycle: { ignoreChanges: ['subnet_ids'] },
      });
      const users = new Construct(this, 'users');
      for (const u of d.users) {
        new SagemakerUserProfile(users, u.name, {
          domainId: this.domain.id,
          userProfileName: u.name,
          // An SSO domain maps each profile to its IAM Identity Center user; UserName is the
          // only identifier the API accepts (CreateUserProfile, SingleSignOnUserIdentifier).
          ...(u.ssoUserName !== undefined
            ? { singleSignOnUserIdentifier: 'UserName', singleSignOnUserValue: u.ssoUserName }
            : {}),
          userSettings: { executionRole: role.arn, securityGroups },
        });
      }
    }

    const instances = new Map<string, SagemakerNotebookInstance>();
    for (const i of n.instances) instances.set(i.name, this.instance(i, props, data));
    this.instances = instances;
  }

  private instance(
    i: ResolvedNotebookInstance,
    props: NotebooksProps,
    data: readonly PolicyStatement[],
  ): SagemakerNotebookInstance {
    const sec = props.security;
    const network = sec.network!;
    const scope = new Construct(this, i.name);
    // SageMaker lower-cases notebook instance names in ARNs.
    const arn = `arn:${sec.partition}:sagemaker:${sec.region}:${sec.account}:notebook-instance/${i.instanceName.toLowerCase()}`;
    const role = sec.roles.create(scope, 'Role', i.roleComponent, {
      services: ['sagemaker.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: notebook instance ${i.name}`,
      statements: [
        ...data,
        logWriteStatement('Notebook', [logGroupArn(sec, '/aws/sagemaker/NotebookInstances')]),
        {
          Sid: 'StopItselfWhenIdle',
          Effect: 'Allow',
          Action: ['sagemaker:DescribeNotebookInstance', 'sagemaker:StopNotebookInstance'],
          Resource: arn,
        },
      ],
    });
    const lifecycle = new SagemakerNotebookInstanceLifecycleConfiguration(scope, 'AutoStop', {
      name: i.lifecycleConfigName,
      onStart: Buffer.from(autoStopScript(i.idleStopMinutes), 'utf8').toString('base64'),
    });
    return new SagemakerNotebookInstance(scope, 'Resource', {
      name: i.instanceName,
      roleArn: role.arn,
      instanceType: i.instanceType,
      volumeSize: i.volumeGiB,
      platformIdentifier: i.platform,
      kmsKeyId: sec.keyArn,
      subnetId: firstSubnet(sec),
      securityGroups: [...network.securityGroupIds],
      directInternetAccess: 'Disabled',
      rootAccess: 'Disabled',
      instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: '2' },
      lifecycleConfigName: lifecycle.name,
    });
  }
}
