/** IPv4 arithmetic the preloader needs: CIDR parsing, membership and host enumeration. */
import { formatCidr, formatIpv4, maskOf, parseCidr, parseIpv4, type Ipv4Network } from "../routeros/ipv4.ts";

export { formatCidr, formatIpv4, parseCidr, parseIpv4, type Ipv4Network };

export function networkContains(network: Ipv4Network, address: number): boolean {
  return (address & maskOf(network.prefix)) >>> 0 === network.base;
}

/**
 * The addresses a discovery sweep probes: every address of a /31 or /32, else the hosts without
 * network and broadcast; at most `limit` of them.
 */
function hostAddresses(network: Ipv4Network, limit: number): string[] {
  const size = 2 ** (32 - network.prefix);
  const [first, last] = network.prefix >= 31 ? [0, size - 1] : [1, size - 2];
  const hosts: string[] = [];
  for (let offset = first; offset <= last && hosts.length < limit; offset += 1) hosts.push(formatIpv4(network.base + offset));
  return hosts;
}

/**
 * An address list (`/ip/service address`) as a set to compare: IPv4 entries as `a.b.c.d/n`, each
 * once. Anything else, such as an IPv6 prefix on the router, is kept verbatim: dropping it would
 * call a list converged while it still lets that network in.
 */
export function normalizeCidrList(entries: string[]): string[] {
  const normalized = entries
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const network = parseCidr(entry);
      return network === undefined ? entry : formatCidr(network);
    });
  return [...new Set(normalized)];
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
