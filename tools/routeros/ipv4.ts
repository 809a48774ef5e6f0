/** IPv4 addresses and networks as RouterOS writes them, to and from unsigned 32-bit numbers. */

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** The address as a number; undefined when `text` is not a dotted IPv4 address. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((part) => OCTET.test(part))) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

export interface Ipv4Network {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Accepts `a.b.c.d` (a /32) or `a.b.c.d/n`; host bits are cleared. */
export function parseCidr(text: string): Ipv4Network | undefined {
  const [address, prefixText, extra] = text.trim().split("/");
  if (extra !== undefined || address === undefined) return undefined;
  const value = parseIpv4(address);
  const prefix = prefixText === undefined ? 32 : /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (value === undefined || !(prefix >= 0 && prefix <= 32)) return undefined;
  return { base: (value & maskOf(prefix)) >>> 0, prefix };
}

export function formatCidr(network: Ipv4Network): string {
  return `${formatIpv4(network.base)}/${network.prefix}`;
}
