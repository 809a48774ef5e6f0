/**
 * The router proves it can reach Odoo: at the end of a run, the router itself fetches Odoo's
 * readiness URL over the API (`/tool/fetch`), with the certificate check and timeout its scripts
 * use. A failure comes back in the router's own words, which are reported with what to do, and
 * recorded on the router's form in Odoo.
 */
import { READINESS_PATH } from "../contract.ts";
import { RouterOsError, RouterOsTimeoutError } from "../routeros/index.ts";
import type { OdooApi } from "./odoo-client.ts";
import { fetchAttributes, type FetchFlavour } from "./router-fetch.ts";
import type { RouterSession } from "./router-session.ts";

export interface ReadinessResult {
  url: string;
  /** The router's words when its fetch failed; undefined when it reached Odoo. */
  failure?: string;
  /** What the operator should do about the failure. */
  advice?: string;
}

/** Longer than the fetch's own 10 s idle timeout, so the router's words arrive before ours. */
const READINESS_TIMEOUT_MS = 40_000;

/** What a failure's words point at, in the order they are tried: the first that matches explains it. */
const CAUSES: readonly { pattern: RegExp; advice: string }[] = [
  {
    pattern: /not yet valid|expired|validity|clock/i,
    advice:
      "the router's clock is outside the certificate's validity: check /system clock on the router, and that its NTP client reaches the servers of clock.ntp_servers (or set the clock by hand)",
  },
  {
    pattern: /name verification|host ?name|mismatch|subject ?alt|does not match/i,
    advice: "Odoo's certificate does not name the host of odoo.url: use the host name the certificate was issued for",
  },
  {
    pattern: /issuer|trusted|self[- ]signed|unknown ca|verify|chain|certificate/i,
    advice:
      "the router does not trust the CA that signs Odoo's certificate: set odoo.ca_file to that CA's PEM (or check the fingerprint the plan showed) and run again",
  },
  {
    pattern: /resolve|dns/i,
    advice: "the router cannot resolve Odoo's host name: check its DNS servers (/ip dns) and odoo.url",
  },
  {
    pattern: /timeout|timed out|refused|no route|unreachable|reset|closing connection/i,
    advice: "the router cannot reach Odoo at odoo.url: check that Odoo runs there and that the router's network and firewall let it through",
  },
];

export function readinessUrl(odooUrl: string): string {
  return `${odooUrl.replace(/\/+$/, "")}${READINESS_PATH}`;
}

export function adviceFor(failure: string): string {
  return CAUSES.find((cause) => cause.pattern.test(failure))?.advice ?? 'check odoo.url, and the router\'s log (/log print where topics~"fetch")';
}

export async function checkReadiness(session: RouterSession, odooUrl: string, flavour: FetchFlavour): Promise<ReadinessResult> {
  const url = readinessUrl(odooUrl);
  try {
    await session.client.command("/tool/fetch", { url, output: "user", ...fetchAttributes(flavour) }, { timeoutMs: READINESS_TIMEOUT_MS });
    return { url };
  } catch (error) {
    if (!(error instanceof RouterOsError)) throw error;
    const failure =
      error instanceof RouterOsTimeoutError ? `no answer from the router's fetch within ${READINESS_TIMEOUT_MS / 1000} s` : error.message;
    return { url, failure, advice: adviceFor(failure) };
  }
}

export function formatReadiness(address: string, result: ReadinessResult): string {
  if (result.failure === undefined) return `readiness: ${address}: the router reached Odoo (${result.url})`;
  return `readiness: ${address}: the router could not reach Odoo (${result.url}): "${result.failure}": ${result.advice}`;
}

/**
 * Odoo keeps the router's last words about reaching it, shown on the router's form until a check
 * succeeds. Written only when they changed, so that a run with nothing to change writes nothing.
 */
export async function recordReadiness(odoo: OdooApi, routerId: number, result: ReadinessResult): Promise<void> {
  const [record] = await odoo.call<{ reach_error: string | false }[]>("isp.router", "search_read", {
    domain: [["id", "=", routerId]],
    fields: ["reach_error"],
    context: { active_test: false },
  });
  const reachError = result.failure ?? false;
  if (record !== undefined && record.reach_error !== reachError) {
    await odoo.call("isp.router", "write", { vals: { reach_error: reachError } }, [routerId]);
  }
}
