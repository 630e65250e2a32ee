import { compileData, MINIMAL } from './harness/spec';

const GROUP = {
  name: 'customer-profile',
  recordId: 'customer_id',
  eventTime: 'event_time',
  features: [
    { name: 'customer_id', type: 'string' },
    { name: 'event_time', type: 'fractional' },
    { name: 'tenure', type: 'integral' },
  ],
};

describe('normalize: features', () => {
  const f = compileData({
    ...MINIMAL,
    features: { groups: [GROUP, { ...GROUP, name: 'a-first', online: false, tableFormat: 'glue' }] },
  }).features!;

  test('names: groups <pipeline>-<name>, tables and the database with underscores; groups sorted', () => {
    expect(f).toMatchObject({
      databaseName: 'demo_feature_store',
      offlinePrefix: 'feature-store/',
      roleComponent: 'features',
    });
    expect(f.groups.map((g) => [g.featureGroupName, g.tableName])).toEqual([
      ['demo-a-first', 'demo_a_first'],
      ['demo-customer-profile', 'demo_customer_profile'],
    ]);
  });

  test('defaults: online and offline stores, Iceberg; feature types as SageMaker spells them, in spec order', () => {
    const g = f.groups[1];
    expect(g).toMatchObject({ online: true, offline: true, tableFormat: 'Iceberg' });
    expect(g.onlineTtlDays).toBeUndefined();
    expect(g.features).toEqual([
      { name: 'customer_id', type: 'String' },
      { name: 'event_time', type: 'Fractional' },
      { name: 'tenure', type: 'Integral' },
    ]);
    expect(f.groups[0]).toMatchObject({ online: false, tableFormat: 'Glue' });
  });
});
