import {
  cidrRange,
  exposureOf,
  formatCidr,
  isAligned,
  MAX_PUBLIC_SHARE_BITS,
  mergeRanges,
  parseCidr,
  parseIpCidr,
  sharePercent,
  subnet,
  type IpRange,
} from '../src/compiler/cidr';
import { diagnosticsOf } from './harness/spec';
import { testRuleCases, type RuleCase } from './harness/rules';

describe('parseIpCidr', () => {
  test.each([
    ['0.0.0.0/0', 4, 0n, 0],
    ['255.255.255.255/32', 4, 0xffffffffn, 32],
    ['10.1.2.3/8', 4, 0x0a010203n, 8],
    ['::/0', 6, 0n, 0],
    ['2001:db8::/32', 6, 0x20010db8n << 96n, 32],
    ['::1/128', 6, 1n, 128],
    ['1:2:3:4:5:6:7:8/64', 6, 0x00010002000300040005000600070008n, 64],
    ['fe80::/10', 6, 0xfe80n << 112n, 10],
  ])('%s', (text, family, address, prefix) => {
    expect(parseIpCidr(text)).toEqual({ family, address, prefix });
  });

  test.each([
    '256.0.0.0/8',
    '1.2.3/8',
    '1.2.3.4/33',
    '1.2.3.4',
    '1.2.3.4/',
    '::/129',
    '1::2::3/64',
    '1:2:3:4:5:6:7::8/64', // "::" must stand for at least one group
    '1:2:3:4:5:6:7/64',
    '12345::/16',
    'fe80::1%eth0/64',
    '::ffff:1.2.3.4/96',
    'g::/16',
  ])('refuses %s', (text) => {
    expect(parseIpCidr(text)).toBeUndefined();
  });

  test('parseCidr keeps its IPv4-only number form (used to carve subnets)', () => {
    expect(parseCidr('10.0.0.0/16')).toEqual({ base: 0x0a000000, prefix: 16 });
    expect(parseCidr('::/0')).toBeUndefined();
    expect(isAligned(parseCidr('10.0.1.0/16')!)).toBe(false);
    expect(formatCidr(subnet(parseCidr('10.0.0.0/16')!, 20, 3))).toBe('10.0.48.0/20');
  });
});

describe('subnet, isAligned and formatCidr at their bounds', () => {
  const vpc = parseCidr('10.0.0.0/16')!;

  test('the last subnet that fits is carved; one past it, or a shorter prefix, throws', () => {
    expect(formatCidr(subnet(vpc, 20, 0))).toBe('10.0.0.0/20');
    expect(formatCidr(subnet(vpc, 20, 15))).toBe('10.0.240.0/20'); // 2^(20-16) - 1
    expect(() => subnet(vpc, 20, 16)).toThrow(RangeError);
    expect(formatCidr(subnet(vpc, 16, 0))).toBe('10.0.0.0/16'); // the range itself
    expect(() => subnet(vpc, 16, 1)).toThrow(RangeError);
    expect(() => subnet(vpc, 15, 0)).toThrow(RangeError);
    expect(formatCidr(subnet(parseCidr('10.0.0.0/28')!, 32, 15))).toBe('10.0.0.15/32');
  });

  test('aligned means no host bit set, at the first and last host bit', () => {
    expect(isAligned(parseCidr('10.0.0.0/16')!)).toBe(true);
    expect(isAligned(parseCidr('10.0.1.0/16')!)).toBe(false); // a host bit of a /16
    expect(isAligned(parseCidr('10.0.128.0/17')!)).toBe(true);
    expect(isAligned(parseCidr('10.0.0.1/31')!)).toBe(false);
    expect(isAligned(parseCidr('10.0.0.1/32')!)).toBe(true);
    expect(isAligned(parseCidr('128.0.0.0/1')!)).toBe(true);
    expect(isAligned(parseCidr('0.0.0.1/0')!)).toBe(false);
  });

  test('formatCidr writes every octet, the top one above 2^31 too', () => {
    expect(formatCidr(parseCidr('255.255.255.255/32')!)).toBe('255.255.255.255/32');
    expect(formatCidr(parseCidr('0.0.0.0/0')!)).toBe('0.0.0.0/0');
    expect(formatCidr(parseCidr('192.168.0.0/16')!)).toBe('192.168.0.0/16');
  });
});

describe('cidrRange and mergeRanges', () => {
  const r = (text: string): IpRange => cidrRange(parseIpCidr(text)!);

  test('a range masks host bits and spans 2^(bits - prefix) addresses', () => {
    expect(r('10.0.1.7/16')).toEqual({ family: 4, first: 0x0a000000n, last: 0x0a00ffffn });
    expect(r('1.2.3.4/32')).toEqual({ family: 4, first: 0x01020304n, last: 0x01020304n });
    expect(r('::/0')).toEqual({ family: 6, first: 0n, last: (1n << 128n) - 1n });
  });

  test('overlapping, nested and adjacent ranges merge; a gap of one address keeps them apart', () => {
    expect(mergeRanges([r('10.0.0.0/9'), r('10.0.0.0/16'), r('10.128.0.0/9')])).toEqual([r('10.0.0.0/8')]);
    expect(mergeRanges([r('10.0.0.1/32'), r('10.0.0.0/32')])).toEqual([
      { family: 4, first: 0x0a000000n, last: 0x0a000001n },
    ]);
    expect(mergeRanges([r('10.0.0.0/32'), r('10.0.0.2/32')])).toHaveLength(2);
  });

  test('families never merge with each other', () => {
    expect(mergeRanges([r('0.0.0.0/0'), r('::/0')])).toEqual([r('0.0.0.0/0'), r('::/0')]);
  });
});

describe('exposureOf: judged on the exact union', () => {
  const v4Limit = 1n << BigInt(32 - MAX_PUBLIC_SHARE_BITS);

  test('the limit is a /8 worth of addresses: 16,777,216 for IPv4', () => {
    expect(v4Limit).toBe(16_777_216n);
  });

  test.each([
    // [cidrs, whole, tooWide]
    [['0.0.0.0/0'], true, true],
    [['0.0.0.0/1', '128.0.0.0/1'], true, true],
    [['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/2'], true, true],
    [['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/2'], true, true],
    [['0.0.0.0/1', '128.0.0.0/2'], false, true],
    [['10.0.0.0/8'], false, false], // at the limit
    [['10.0.0.0/9', '10.128.0.0/9'], false, false], // at the limit, in pieces
    [['10.0.0.0/8', '11.0.0.0/32'], false, true], // one address above
    [['10.0.0.0/8', '10.0.0.0/16'], false, false], // an overlap counts once
    [['203.0.113.0/24', '198.51.100.7/32'], false, false],
    [['::/0'], true, true],
    [['::/1', '8000::/1'], true, true],
    [['2001:db8::/32'], false, false],
    [['::/8'], false, false], // at the IPv6 limit
    [['::/7'], false, true],
  ])('%j: whole=%s, tooWide=%s', (cidrs, whole, tooWide) => {
    const [e] = exposureOf(cidrs);
    expect({ whole: e.whole, tooWide: e.tooWide }).toEqual({ whole, tooWide });
  });

  test('each family is judged on its own; unparseable texts are left to the caller', () => {
    const e = exposureOf(['0.0.0.0/1', '128.0.0.0/1', '2001:db8::/32', 'nonsense']);
    expect(e.map((x) => [x.family, x.whole])).toEqual([
      [4, true],
      [6, false],
    ]);
    expect(exposureOf(['nonsense'])).toEqual([]);
  });

  test('the share is exact enough for a message', () => {
    expect(sharePercent(exposureOf(['0.0.0.0/1'])[0])).toBe('50.00%');
    expect(sharePercent(exposureOf(['10.0.0.0/8'])[0])).toBe('0.39%');
    expect(sharePercent(exposureOf(['::/0'])[0])).toBe('100.00%');
  });
});

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
const NET =
  'network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, us-east-1b]\n    publicSubnets: true\n    natGateways: single\n';
/** An EKS spec whose public endpoint allows `cidrs` (the list is on line 17, from column 26). */
const eks = (cidrs: string) =>
  `${HEAD}${NET}training:\n  eks:\n    version: "1.32"\n    admins: [arn:aws:iam::123456789012:role/admin]\n` +
  `    endpoint:\n      publicAccess: true\n      publicAccessCidrs: ${cidrs}\n` +
  '    nodeGroups:\n      - name: system\n        instanceTypes: [m7i.large, m6i.large]\n        scaling: {minSize: 1, maxSize: 3}\n';

describe('eks/public-endpoint judges the union of publicAccessCidrs', () => {
  const cases: RuleCase[] = [
    [
      'eks/public-endpoint',
      eks('[0.0.0.0/1, 128.0.0.0/1]'),
      17,
      7,
      'publicAccessCidrs together cover all of 0.0.0.0/0: the Kubernetes API endpoint would be open to the whole internet',
      eks('[0.0.0.0/9, 203.0.113.0/24]'),
    ],
    [
      'eks/public-endpoint',
      eks('[10.0.0.0/9, 10.128.0.0/9, 11.0.0.0/32]'),
      17,
      7,
      "publicAccessCidrs together let 16,777,217 addresses (0.39% of the IPv4 internet) reach the Kubernetes API endpoint; at most a /8's worth (16,777,216) may",
      eks('[10.0.0.0/9, 10.128.0.0/9]'),
    ],
    [
      'eks/public-endpoint',
      eks('[203.0.113.0/24, 10.0.0.0/7]'),
      17,
      43,
      '10.0.0.0/7 lets 33,554,432 addresses',
      eks('[203.0.113.0/24, 10.0.0.0/9]'),
    ],
  ];
  testRuleCases(cases);

  test('a single 0.0.0.0/0 is reported at the item, not twice', () => {
    const ds = diagnosticsOf(eks('[203.0.113.0/24, 0.0.0.0/0]'));
    expect(ds.map((d) => [d.line, d.col, d.message])).toEqual([
      [17, 43, '0.0.0.0/0 opens the Kubernetes API endpoint to the whole internet'],
    ]);
  });
});
