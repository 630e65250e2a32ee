import { subnetSlots, zoneIndex, zoneSlots } from '../src/areas/network/catalog';
import { carveSubnets, placementIdentity } from '../src/compiler/normalize/network';
import { compileData, MINIMAL } from './harness/spec';

const cidrs = (subnets: readonly { availabilityZone: string; cidr: string }[]) =>
  Object.fromEntries(subnets.map((s) => [s.availabilityZone, s.cidr]));

describe('zoneIndex', () => {
  test.each([
    ['us-east-1a', 0],
    ['us-east-1c', 2],
    ['eu-central-1f', 5],
    ['ap-northeast-1z', 25],
  ])('%s is zone %d', (az, i) => expect(zoneIndex(az)).toBe(i));

  test('a name without a zone letter is refused', () => {
    expect(() => zoneIndex('us-east-1')).toThrow(/no zone letter/);
  });
});

describe('zoneSlots', () => {
  test('GIVEN 16 slots with public subnets THEN private takes the letter, public the same slot of the upper half', () => {
    expect(zoneSlots('us-east-1a', 16, true)).toEqual({ private: 0, public: 8, privateLimit: 8 });
    expect(zoneSlots('us-east-1c', 16, true)).toEqual({ private: 2, public: 10, privateLimit: 8 });
  });

  test('GIVEN no public subnets THEN private subnets may use every slot, and stay where they were', () => {
    expect(zoneSlots('us-east-1c', 16, false)).toEqual({ private: 2, public: 10, privateLimit: 16 });
  });

  test('the limit is at the last letter that fits: h fits 16 slots with public subnets, i does not', () => {
    const h = zoneSlots('us-east-1h', 16, true);
    const i = zoneSlots('us-east-1i', 16, true);
    expect(h.private).toBeLessThan(h.privateLimit);
    expect(i.private).toBe(i.privateLimit);
    const p = zoneSlots('us-east-1p', 16, false);
    const q = zoneSlots('us-east-1q', 16, false);
    expect(p.private).toBe(15);
    expect(p.private).toBeLessThan(p.privateLimit);
    expect(q.private).toBe(q.privateLimit);
  });

  test('subnetSlots counts the subnets of a prefix in a range', () => {
    expect(subnetSlots(16, 20)).toBe(16);
    expect(subnetSlots(16, 17)).toBe(2);
    expect(subnetSlots(24, 28)).toBe(16);
  });
});

describe('carveSubnets', () => {
  test('GIVEN zones a and b THEN the private CIDRs of earlier releases (slots 0 and 1)', () => {
    const { privateSubnets } = carveSubnets('10.50.0.0/16', 20, ['us-east-1a', 'us-east-1b'], true);
    expect(cidrs(privateSubnets)).toEqual({ 'us-east-1a': '10.50.0.0/20', 'us-east-1b': '10.50.16.0/20' });
  });

  test("GIVEN a zone added first or last THEN no other zone's subnets move", () => {
    const before = carveSubnets('10.50.0.0/16', 20, ['us-east-1a', 'us-east-1b'], true);
    for (const zones of [
      ['us-east-1c', 'us-east-1a', 'us-east-1b'],
      ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    ]) {
      const after = carveSubnets('10.50.0.0/16', 20, zones, true);
      expect(cidrs(after.privateSubnets)).toEqual({
        ...cidrs(before.privateSubnets),
        'us-east-1c': '10.50.32.0/20',
      });
      expect(cidrs(after.publicSubnets)).toEqual({
        ...cidrs(before.publicSubnets),
        'us-east-1c': '10.50.160.0/20',
      });
    }
  });

  test('GIVEN six zones (the schema maximum) THEN every subnet is distinct and inside the VPC', () => {
    const zones = ['a', 'b', 'c', 'd', 'e', 'f'].map((l) => `us-east-1${l}`);
    const { privateSubnets, publicSubnets } = carveSubnets('10.0.0.0/24', 28, zones, true);
    const all = [...privateSubnets, ...publicSubnets].map((s) => s.cidr);
    expect(new Set(all).size).toBe(12);
    expect(all.every((c) => c.startsWith('10.0.0.') && c.endsWith('/28'))).toBe(true);
    expect(cidrs(publicSubnets)['us-east-1f']).toBe('10.0.0.208/28');
  });

  test('GIVEN a longer subnet prefix THEN the halves grow with it', () => {
    const { publicSubnets } = carveSubnets('10.0.0.0/16', 22, ['us-east-1a'], true);
    expect(cidrs(publicSubnets)).toEqual({ 'us-east-1a': '10.0.128.0/22' });
  });

  test('GIVEN zones out of order THEN subnets come sorted by zone', () => {
    const { privateSubnets } = carveSubnets('10.0.0.0/16', 20, ['us-east-1b', 'us-east-1a'], false);
    expect(privateSubnets.map((s) => s.name)).toEqual(['private-us-east-1a', 'private-us-east-1b']);
  });

  test('GIVEN a zone past the private half THEN it is refused', () => {
    expect(() => carveSubnets('10.0.0.0/16', 20, ['us-east-1i'], true)).toThrow(RangeError);
    expect(() => carveSubnets('10.0.0.0/16', 20, ['us-east-1i'], false)).not.toThrow();
  });
});

describe('placementIdentity', () => {
  const net = (vpc: object, endpoints?: object) =>
    compileData({
      ...MINIMAL,
      network: {
        vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'], ...vpc },
        ...(endpoints ? { endpoints } : {}),
      },
    }).network;

  test('changes with the subnets a workload runs in', () => {
    expect(
      placementIdentity(net({ availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] })),
    ).not.toEqual(placementIdentity(net({})));
  });

  test('does not change with endpoints, NAT or the order of the zones', () => {
    const base = placementIdentity(net({}));
    expect(placementIdentity(net({}, { interface: ['kms'] }))).toEqual(base);
    expect(placementIdentity(net({ publicSubnets: true, natGateways: 'single' }))).toEqual(base);
    expect(placementIdentity(net({ availabilityZones: ['us-east-1b', 'us-east-1a'] }))).toEqual(base);
  });
});
