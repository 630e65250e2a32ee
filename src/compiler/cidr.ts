/**
 * CIDR arithmetic without any AWS call: carving IPv4 subnets out of a VPC range, and judging
 * how much of the internet a list of allowed CIDRs lets in.
 *
 * Hand-written rather than a dependency: what pipeform needs is parsing, one subnet
 * function and an exact union (interval merging over BigInt ranges, ~100 lines). ipaddr.js
 * and ip-address parse addresses but compute no union or coverage; cidr-tools merges, but its
 * current major is ESM-only and pulls in two more packages for what these functions do.
 */

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
}

/** IPv4 or IPv6. */
export type IpFamily = 4 | 6;

/** A CIDR of either family, its address as an unsigned integer of 32 or 128 bits. */
export interface IpCidr {
  readonly family: IpFamily;
  readonly address: bigint;
  readonly prefix: number;
}

/** An inclusive range of addresses of one family. */
export interface IpRange {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

function parseIpv4(text: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((acc, o) => acc * 256n + BigInt(o), 0n);
}

/** Eight hex groups, or fewer with one `::`; no zone id and no embedded IPv4. */
function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** Parses `a.b.c.d/n` or `x:x::x/n`; undefined when it is neither. */
export function parseIpCidr(text: string): IpCidr | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0 || !/^\d{1,3}$/.test(text.slice(slash + 1))) return undefined;
  const prefix = Number(text.slice(slash + 1));
  const ip = text.slice(0, slash);
  const family: IpFamily = ip.includes(':') ? 6 : 4;
  const address = family === 4 ? parseIpv4(ip) : parseIpv6(ip);
  if (address === undefined || prefix > BITS[family]) return undefined;
  return { family, address, prefix };
}

/** Parses `a.b.c.d/n`; undefined when an octet is out of range. */
export function parseCidr(text: string): Cidr | undefined {
  const c = parseIpCidr(text);
  return c && c.family === 4 ? { base: Number(c.address), prefix: c.prefix } : undefined;
}

/** True when no host bits are set (10.0.0.0/16, not 10.0.1.0/16). */
export function isAligned(c: Cidr): boolean {
  return c.base % 2 ** (32 - c.prefix) === 0;
}

export function formatCidr(c: Cidr): string {
  const o = [24, 16, 8, 0].map((shift) => Math.floor(c.base / 2 ** shift) % 256);
  return `${o.join('.')}/${c.prefix}`;
}

/** The index-th subnet of length `newPrefix` inside `c` (Terraform's cidrsubnet). */
export function subnet(c: Cidr, newPrefix: number, index: number): Cidr {
  const count = 2 ** (newPrefix - c.prefix);
  if (newPrefix < c.prefix || index >= count)
    throw new RangeError(`subnet ${index} of /${newPrefix} does not fit in /${c.prefix}`);
  return { base: c.base + index * 2 ** (32 - newPrefix), prefix: newPrefix };
}

/** The addresses a CIDR covers (host bits are ignored, as AWS ignores them when it masks). */
export function cidrRange(c: IpCidr): IpRange {
  const hostBits = BigInt(BITS[c.family] - c.prefix);
  const first = (c.address >> hostBits) << hostBits;
  return { family: c.family, first, last: first + (1n << hostBits) - 1n };
}

/** The union of ranges, per family, as sorted disjoint ranges (overlapping and adjacent ones merged). */
export function mergeRanges(ranges: readonly IpRange[]): IpRange[] {
  const sorted = [...ranges].sort((a, b) =>
    a.family !== b.family ? a.family - b.family : a.first < b.first ? -1 : a.first > b.first ? 1 : 0,
  );
  const out: IpRange[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.family === r.family && r.first <= prev.last + 1n) {
      if (r.last > prev.last) out[out.length - 1] = { ...prev, last: r.last };
    } else out.push(r);
  }
  return out;
}

/**
 * How much of the internet a list of allowed CIDRs may reach a public endpoint from: at
 * most one /8's worth of each family's address space (2^24 IPv4 addresses, 1/256 of it).
 * Office, VPN and bastion ranges are /16 to /32; a union above a /8 is no allow-list.
 */
export const MAX_PUBLIC_SHARE_BITS = 8;

/** What a set of allowed CIDRs of one family lets in. */
export interface Exposure {
  readonly family: IpFamily;
  /** Distinct addresses covered by the union. */
  readonly addresses: bigint;
  /** The most a public allow-list may cover (a /8's worth of this family). */
  readonly limit: bigint;
  /** The union covers the whole family (0.0.0.0/0 or ::/0), in however many pieces. */
  readonly whole: boolean;
  /** The union covers more than `limit`. */
  readonly tooWide: boolean;
}

/**
 * The exposure of a list of CIDRs, one entry per family present, judged on their exact union
 * (so [0.0.0.0/1, 128.0.0.0/1] is the whole internet). Texts that do not parse are ignored:
 * the caller reports them.
 */
export function exposureOf(cidrs: readonly string[]): Exposure[] {
  const ranges = cidrs.flatMap((t) => {
    const c = parseIpCidr(t);
    return c ? [cidrRange(c)] : [];
  });
  const families = [...new Set(ranges.map((r) => r.family))].sort();
  return families.map((family) => {
    const bits = BITS[family];
    const addresses = mergeRanges(ranges.filter((r) => r.family === family)).reduce(
      (sum, r) => sum + (r.last - r.first + 1n),
      0n,
    );
    const limit = 1n << BigInt(bits - MAX_PUBLIC_SHARE_BITS);
    return { family, addresses, limit, whole: addresses === 1n << BigInt(bits), tooWide: addresses > limit };
  });
}

/** `0.0.0.0/0` or `::/0`. */
export function everywhere(family: IpFamily): string {
  return family === 4 ? '0.0.0.0/0' : '::/0';
}

/** The share of its family's address space an exposure covers, as a rounded percentage. */
export function sharePercent(e: Exposure): string {
  const bits = BigInt(BITS[e.family]);
  // Four significant decimals are plenty for a message; BigInt keeps IPv6 counts exact until here.
  const millionths = (e.addresses * 1_000_000n) >> bits;
  return `${(Number(millionths) / 10_000).toFixed(2)}%`;
}
