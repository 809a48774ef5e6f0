/**
 * Checks that stop a run before anything is written: the interfaces the config names exist,
 * and restricting the API will not lock out the session the preloader itself is using.
 */
import type { ConfigPath } from "./config-loader.ts";
import { networkContains, parseCidr, parseIpv4 } from "./ipv4.ts";
import type { Row } from "./plan.ts";
import { ENV } from "./secrets.ts";
import type { PreloaderConfig } from "./schema.ts";

/** `ether1, ether2, ether3, ether4, ether5, sfp1` → `ether1…ether5, sfp1`. */
export function summarizeNames(names: string[]): string {
  const parsed = names.map((name) => {
    const match = /^(.*?)(\d+)$/.exec(name);
    return match ? { name, prefix: match[1] ?? "", number: Number(match[2]) } : { name, prefix: name, number: NaN };
  });
  parsed.sort((a, b) => a.prefix.localeCompare(b.prefix) || a.number - b.number);
  const parts: string[] = [];
  for (let start = 0; start < parsed.length;) {
    let end = start;
    while (
      end + 1 < parsed.length &&
      parsed[end + 1]?.prefix === parsed[start]?.prefix &&
      parsed[end + 1]?.number === (parsed[end]?.number ?? NaN) + 1
    ) {
      end += 1;
    }
    const first = parsed[start]?.name ?? "";
    const last = parsed[end]?.name ?? "";
    if (end - start >= 2) parts.push(`${first}…${last}`);
    else parts.push(...parsed.slice(start, end + 1).map((entry) => entry.name));
    start = end + 1;
  }
  return parts.join(", ");
}

/** Every interface the config names as a port must exist; the LAN bridge may be created. */
export function missingInterfaces(config: PreloaderConfig, interfaces: Row[], describeKey: (path: ConfigPath) => string): string[] {
  const known = new Set(interfaces.map((row) => row.name));
  const physical = interfaces.filter((row) => row.type !== "bridge" && row.dynamic !== "true").map((row) => row.name ?? "");
  const named: [ConfigPath, string][] = [
    [["wan_interface"], config.wan_interface],
    ...config.lan_ports.map((port, index): [ConfigPath, string] => [["lan_ports", index], port]),
  ];
  const problems = named
    .filter(([, name]) => !known.has(name))
    .map(([path, name]) => `${describeKey(path)}: interface "${name}" does not exist on the router (it has ${summarizeNames(physical)})`);
  const bridgeRow = interfaces.find((row) => row.name === config.lan.bridge);
  if (bridgeRow !== undefined && bridgeRow.type !== undefined && bridgeRow.type !== "bridge") {
    problems.push(`${describeKey(["lan", "bridge"])}: "${config.lan.bridge}" exists on the router and is not a bridge (type ${bridgeRow.type})`);
  }
  return problems;
}

/**
 * The addresses the router sees for the preloader's API sessions (`/user/active`, via `api` or `api-ssl`).
 * Each must stay inside the allow-list, or the API restriction would cut the run off.
 */
export function lockoutProblem(activeSessions: Row[], loginUser: string, allowed: string[]): string | undefined {
  const networks = allowed.map((entry) => parseCidr(entry)).filter((network) => network !== undefined);
  const sources = [...new Set(activeSessions.filter((row) => row.name === loginUser && row.via?.startsWith("api")).map((row) => row.address ?? ""))];
  if (sources.length === 0) {
    return `cannot see the preloader's own session in /user/active (user "${loginUser}", via api), so the API restriction cannot be checked`;
  }
  const outside = sources.filter((source) => {
    const address = parseIpv4(source);
    return address === undefined || !networks.some((network) => networkContains(network, address));
  });
  if (outside.length === 0) return undefined;
  return (
    `the router sees this session coming from ${outside.join(", ")}, which is outside routeros.allowed_mgmt_ips ` +
    `(${allowed.join(", ")}); restricting the API would lock the preloader out. Add that address to ` +
    `routeros.allowed_mgmt_ips or ${ENV.extraAllowedMgmtIps} (through an SSH tunnel it is the tunnel host's address)`
  );
}
