/** IPv4 CIDR arithmetic for carving subnets out of a VPC range, without any AWS call. */

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`; undefined when an octet is out of range. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base, prefix };
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
