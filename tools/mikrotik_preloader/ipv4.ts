/** IPv4 arithmetic the preloader needs: CIDR parsing, membership and host enumeration. */
import { formatIpv4, parseIpv4 } from "../routeros/index.ts";

export { formatIpv4, parseIpv4 };

export interface Ipv4Network {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

function maskOf(prefix: number): number {
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

export function networkContains(network: Ipv4Network, address: number): boolean {
  return ((address & maskOf(network.prefix)) >>> 0) === network.base;
}

/**
 * The addresses a discovery sweep probes: every address of a /31 or /32, else the hosts without
 * network and broadcast; at most `limit` of them.
 */
export function hostAddresses(network: Ipv4Network, limit = Infinity): string[] {
  const size = 2 ** (32 - network.prefix);
  const [first, last] = network.prefix >= 31 ? [0, size - 1] : [1, size - 2];
  const hosts: string[] = [];
  for (let offset = first; offset <= last && hosts.length < limit; offset += 1) hosts.push(formatIpv4(network.base + offset));
  return hosts;
}

/** `10.0.0.1/24` → the interface address and its network. */
export function parseInterfaceAddress(text: string): { address: number; network: Ipv4Network } | undefined {
  const network = parseCidr(text);
  const address = parseIpv4(text.split("/")[0] ?? "");
  if (network === undefined || address === undefined || !text.includes("/")) return undefined;
  return { address, network };
}

/** Larger subnets are cut here (and refused by the schema) rather than listed in full. */
const MAX_LISTED = 1025;

/**
 * The addresses of a management subnet: a CIDR (`127.0.0.1/32`, hosts only when wider than /31)
 * or an inclusive range (`127.0.0.2-127.0.0.5`).
 */
export function addressesOf(text: string): string[] | undefined {
  const range = /^([\d.]+)-([\d.]+)$/.exec(text.trim());
  if (range === null) {
    const network = parseCidr(text);
    return network === undefined ? undefined : hostAddresses(network, MAX_LISTED);
  }
  const first = parseIpv4(range[1] ?? "");
  const last = parseIpv4(range[2] ?? "");
  if (first === undefined || last === undefined || first > last) return undefined;
  const addresses: string[] = [];
  for (let value = first; value <= last && addresses.length < MAX_LISTED; value += 1) addresses.push(formatIpv4(value));
  return addresses;
}
