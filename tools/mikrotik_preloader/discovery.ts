/**
 * Finds the routers in mgmt_subnet: every address is probed concurrently (connect and log in,
 * with a short timeout), and each gets one line saying what answered, or why nothing usable did.
 */
import { RouterOsConnectionError, RouterOsLoginError, RouterOsTimeoutError } from "../routeros/index.ts";
import { addressesOf } from "./ipv4.ts";
import { openSession, type RouterSession } from "./router-session.ts";
import type { PreloaderConfig } from "./schema.ts";
import type { Secrets } from "./secrets.ts";

export type ProbeResult =
  { address: string; outcome: "router"; session: RouterSession } | { address: string; outcome: "login refused" | "unreachable"; reason: string };

/** Enough to sweep a /24 in a few probe timeouts without opening hundreds of sockets at once. */
const PROBE_CONCURRENCY = 64;

function unreachableReason(error: unknown, port: number, timeoutMs: number): string {
  if (error instanceof RouterOsTimeoutError) return `no answer on port ${port} within ${timeoutMs} ms`;
  const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  if (code === "ECONNREFUSED") return `nothing listening on port ${port} (connection refused)`;
  if (error instanceof RouterOsConnectionError) return `connection failed on port ${port}: ${error.message}`;
  return `not a RouterOS API on port ${port}: ${(error as Error).message}`;
}

async function probe(config: PreloaderConfig, secrets: Secrets, address: string): Promise<ProbeResult> {
  try {
    return { address, outcome: "router", session: await openSession(config, secrets, address) };
  } catch (error) {
    if (error instanceof RouterOsLoginError) {
      return {
        address,
        outcome: "login refused",
        reason: `login refused for "${config.routeros.bootstrap_user}" and "${config.routeros.mgmt_user}"`,
      };
    }
    return { address, outcome: "unreachable", reason: unreachableReason(error, config.routeros.api_port, config.routeros.probe_timeout_ms) };
  }
}

export function formatProbe(result: ProbeResult): string {
  return result.outcome === "router"
    ? `${result.address}: router found (logged in as ${result.session.user})`
    : `${result.address}: skipped, ${result.reason}`;
}

/** Probes every address of mgmt_subnet; results come back in address order. */
export async function discoverRouters(config: PreloaderConfig, secrets: Secrets, onResult: (result: ProbeResult) => void): Promise<ProbeResult[]> {
  const addresses = addressesOf(config.mgmt_subnet) ?? [];
  const results: ProbeResult[] = new Array(addresses.length);
  let next = 0;
  const worker = async () => {
    while (next < addresses.length) {
      const index = next;
      next += 1;
      results[index] = await probe(config, secrets, addresses[index] ?? "");
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, addresses.length) }, worker));
  results.forEach(onResult);
  return results;
}
