import pipelineSchema from '../schemas/pipeline.schema.json';
import { compileData, MINIMAL } from './harness/spec';

const NETWORK = { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a'] } };

describe('normalize: notebooks', () => {
  test('a domain: named after the pipeline, users sorted, JupyterLab idle shutdown after 60 minutes', () => {
    const n = compileData({
      ...MINIMAL,
      network: NETWORK,
      notebooks: { domain: { users: [{ name: 'bob' }, { name: 'alice' }] }, reads: [{ bucket: 'curated' }] },
    }).notebooks!;
    expect(n).toEqual({
      domain: {
        domainName: 'demo',
        users: [{ name: 'alice' }, { name: 'bob' }],
        idleShutdownMinutes: 60,
        roleComponent: 'notebooks',
        authMode: 'IAM',
      },
      instances: [],
      reads: [{ bucket: 'curated', prefix: '' }],
      writes: [],
    });
  });

  test('instances: ml.t3.medium, 20 GiB, stop after 60 idle minutes, AL2 v3, an auto-stop lifecycle config each', () => {
    const n = compileData({
      ...MINIMAL,
      network: NETWORK,
      notebooks: { instances: [{ name: 'explore' }] },
    }).notebooks!;
    expect(n.domain).toBeUndefined();
    expect(n.instances).toEqual([
      {
        name: 'explore',
        instanceName: 'demo-explore',
        instanceType: 'ml.t3.medium',
        volumeGiB: 20,
        idleStopMinutes: 60,
        platform: 'notebook-al2-v3',
        lifecycleConfigName: 'demo-explore-autostop',
        roleComponent: 'notebook-explore',
      },
    ]);
  });

  test('SSO: each user keeps its Identity Center user name; IAM is the schema default', () => {
    const d = compileData({
      ...MINIMAL,
      network: NETWORK,
      notebooks: { domain: { authMode: 'SSO', users: [{ name: 'bob', ssoUserName: 'bob@example.com' }] } },
    }).notebooks!.domain!;
    expect(d.authMode).toBe('SSO');
    expect(d.users).toEqual([{ name: 'bob', ssoUserName: 'bob@example.com' }]);
    expect(pipelineSchema.definitions.notebooksDomain.properties.authMode.default).toBe('IAM');
  });

  test('with tracking.mlflow the domain gets the server and its start-up configuration name', () => {
    const d = compileData({
      ...MINIMAL,
      network: { vpc: { ...NETWORK.vpc, publicSubnets: true, natGateways: 'single' } },
      tracking: { mlflow: {} },
      notebooks: { domain: { users: [{ name: 'bob' }] } },
    }).notebooks!.domain!;
    expect(d.mlflow).toEqual({
      serverArn: 'arn:aws:sagemaker:us-east-1:123456789012:mlflow-tracking-server/demo-mlflow',
      artifacts: {
        bucketName: 'demo-123456789012-us-east-1-models',
        prefix: 'demo/mlflow/',
        uri: 's3://demo-123456789012-us-east-1-models/demo/mlflow/',
      },
    });
    expect(d.mlflowLifecycleConfigName).toBe('demo-mlflow-env');
  });
});
