import { compileData, MINIMAL } from './harness/spec';

const GLUE = {
  databases: [{ name: 'lake' }, { name: 'curated-zone', description: 'cleaned data' }],
  crawlers: [
    { name: 'raw-events', database: 'lake', targets: [{ bucket: 'raw', prefix: 'events/' }] },
    {
      name: 'a-first',
      database: 'lake',
      targets: [
        { bucket: 'raw', prefix: 'b/' },
        { bucket: 'raw', prefix: 'a/' },
        { bucket: 'raw', prefix: 'a/' },
      ],
      recrawl: 'new-folders-only',
      schemaChange: { update: 'log', delete: 'log' },
    },
  ],
  jobs: [
    {
      name: 'clean',
      script: 's3://acme-shared-code/scripts/clean.py',
      arguments: { '--z': '1', '--a': '2' },
    },
    { name: 'big', script: 's3://acme-shared-code/scripts/big.py', workerType: 'G.4X' },
  ],
  workflows: [
    {
      name: 'nightly',
      stages: [
        { name: 'crawl', crawlers: ['raw-events', 'a-first'] },
        { name: 'clean', jobs: ['clean'] },
      ],
    },
  ],
};

describe('normalize: data.glue', () => {
  const glue = compileData({ ...MINIMAL, data: { glue: GLUE } }).data!.glue!;

  test('names: <pipeline>-<name>; catalog names with underscores; lists sorted by name', () => {
    expect(glue.securityConfigurationName).toBe('demo-glue');
    expect(glue.connectionName).toBe('demo-network');
    expect(glue.databases).toEqual([
      { name: 'curated-zone', catalogName: 'demo_curated_zone', description: 'cleaned data' },
      { name: 'lake', catalogName: 'demo_lake', description: 'pipeform demo: lake' },
    ]);
    expect(glue.crawlers.map((c) => c.crawlerName)).toEqual(['demo-a-first', 'demo-raw-events']);
    expect(glue.jobs.map((j) => j.jobName)).toEqual(['demo-big', 'demo-clean']);
    expect(glue.workflows[0]).toMatchObject({ workflowName: 'demo-nightly', maxConcurrentRuns: 1 });
  });

  test('crawler defaults: crawl everything, update tables, deprecate on delete; targets deduplicated and sorted', () => {
    const [first, raw] = glue.crawlers;
    expect(raw).toMatchObject({
      recrawlBehavior: 'CRAWL_EVERYTHING',
      updateBehavior: 'UPDATE_IN_DATABASE',
      deleteBehavior: 'DEPRECATE_IN_DATABASE',
      roleComponent: 'glue-crawler-raw-events',
    });
    expect(first.recrawlBehavior).toBe('CRAWL_NEW_FOLDERS_ONLY');
    expect(first.targets).toEqual([
      { bucket: 'raw', prefix: 'a/' },
      { bucket: 'raw', prefix: 'b/' },
    ]);
  });

  test('job defaults: Glue 5.0, G.1X x10 with auto scaling, Flex, bookmarks, 2 h timeout, 1 retry', () => {
    const clean = glue.jobs.find((j) => j.name === 'clean')!;
    expect(clean).toMatchObject({
      glueVersion: '5.0',
      language: 'python',
      workerType: 'G.1X',
      workers: 10,
      autoScaling: true,
      flex: true,
      bookmarks: true,
      timeoutMinutes: 120,
      maxRetries: 1,
      maxConcurrentRuns: 1,
      reads: [],
      writes: [],
      roleComponent: 'glue-job-clean',
    });
    expect(Object.keys(clean.arguments)).toEqual(['--a', '--z']);
  });

  test('Flex defaults off where it cannot run (G.4X)', () => {
    expect(glue.jobs.find((j) => j.name === 'big')!.flex).toBe(false);
  });

  test('workflow stages keep their order; members are sorted; triggers are named per stage', () => {
    expect(glue.workflows[0].stages).toEqual([
      { name: 'crawl', triggerName: 'demo-nightly-crawl', crawlers: ['a-first', 'raw-events'], jobs: [] },
      { name: 'clean', triggerName: 'demo-nightly-clean', crawlers: [], jobs: ['clean'] },
    ]);
  });

  test('catalog encryption is managed unless turned off; no data section means no data', () => {
    expect(glue.catalogEncryption).toBe(true);
    expect(compileData(MINIMAL).data).toBeUndefined();
    const off = compileData({ ...MINIMAL, data: { glue: { catalogEncryption: false } } }).data!.glue!;
    expect(off).toMatchObject({
      catalogEncryption: false,
      databases: [],
      jobs: [],
      crawlers: [],
      workflows: [],
    });
  });

  test('deterministic: list order in the spec does not matter', () => {
    const reversed = {
      ...GLUE,
      databases: [...GLUE.databases].reverse(),
      crawlers: [...GLUE.crawlers].reverse(),
      jobs: [...GLUE.jobs].reverse(),
    };
    expect(compileData({ ...MINIMAL, data: { glue: reversed } }).data).toEqual(
      compileData({ ...MINIMAL, data: { glue: GLUE } }).data,
    );
  });
});

describe('normalize: data.emr', () => {
  const NET = { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a'] } };
  /** Certificates, and the interactive cluster (an unused definition is refused by emr/cluster-used). */
  const CERTS = { tlsCertificates: 's3://acme-pki/emr/certs.zip', interactive: true };
  const emrOf = (emr: object, network: object | undefined = NET) =>
    compileData({ ...MINIMAL, ...(network ? { network } : {}), data: { emr } }).data!.emr!;

  test('cluster defaults: emr-7.5.0 Spark, core 2 on-demand, task 0 spot, managed scaling 2-10, 1 h idle, TLS', () => {
    expect(emrOf({ cluster: CERTS })).toEqual({
      mode: 'cluster',
      name: 'demo-emr',
      releaseLabel: 'emr-7.5.0',
      applications: ['Spark'],
      reads: [],
      writes: [],
      glueCatalog: true,
      logPrefix: 'emr/',
      cluster: {
        interactive: true,
        primaryInstanceTypes: ['m5.xlarge', 'm5a.xlarge', 'm6i.xlarge'],
        core: { instanceTypes: ['m5.xlarge', 'm5a.xlarge', 'm6i.xlarge'], onDemandUnits: 2, spotUnits: 0 },
        task: { instanceTypes: ['m5.xlarge', 'm5a.xlarge', 'm6i.xlarge'], onDemandUnits: 0, spotUnits: 0 },
        spotAllocation: 'price-capacity-optimized',
        spotTimeoutMinutes: 10,
        ebsGiB: 64,
        scaling: { minUnits: 2, maxUnits: 10, maxOnDemandUnits: 2, maxCoreUnits: 2 },
        idleTimeoutSeconds: 3600,
        tlsCertificates: { kind: 's3', bucketName: 'acme-pki', key: 'emr/certs.zip' },
        blockPublicAccess: true,
        securityConfigurationName: 'demo-emr',
      },
    });
  });

  test('spot share splits units (spot rounds down); scaling covers the fleets; applications sorted', () => {
    const e = emrOf({
      applications: ['Trino', 'Spark'],
      cluster: { ...CERTS, core: { units: 3, spotPercent: 50 }, task: { units: 20, spotPercent: 75 } },
    });
    expect(e.applications).toEqual(['Spark', 'Trino']);
    expect(e.cluster!.core).toMatchObject({ onDemandUnits: 2, spotUnits: 1 });
    expect(e.cluster!.task).toMatchObject({ onDemandUnits: 5, spotUnits: 15 });
    expect(e.cluster!.scaling).toEqual({ minUnits: 3, maxUnits: 23, maxOnDemandUnits: 7, maxCoreUnits: 3 });
  });

  test('no interactive cluster unless asked for: the definition then serves per-run clusters only', () => {
    const spec = compileData({
      ...MINIMAL,
      network: NET,
      data: { emr: { cluster: { tlsCertificates: CERTS.tlsCertificates } } },
      orchestration: {
        workflow: { steps: [{ name: 'run', type: 'emr', script: 's3://acme-shared-code/s.py' }] },
      },
    });
    expect(spec.data!.emr!.cluster!.interactive).toBe(false);
  });

  test('in-transit encryption off: no certificates in the model', () => {
    const e = emrOf({ cluster: { ...CERTS, inTransitEncryption: false } });
    expect(e.cluster!.tlsCertificates).toBeUndefined();
  });

  test('serverless: one engine, auto stop after 15 minutes, capacity cap in API units', () => {
    const e = emrOf(
      { mode: 'serverless', applications: ['Hive'], serverless: { architecture: 'arm64', maxVcpu: 64 } },
      undefined,
    );
    expect(e.cluster).toBeUndefined();
    expect(e.serverless).toEqual({
      type: 'hive',
      architecture: 'ARM64',
      idleTimeoutMinutes: 15,
      maximumCapacity: { cpu: '64 vCPU', memory: '3000 GB', disk: '20000 GB' },
    });
  });
});
