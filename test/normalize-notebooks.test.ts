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
        users: ['alice', 'bob'],
        idleShutdownMinutes: 60,
        roleComponent: 'notebooks',
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
});
