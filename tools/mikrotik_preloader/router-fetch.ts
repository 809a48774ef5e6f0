/**
 * The `/tool fetch` arguments the lease-script, the agent and the readiness check share, per
 * config and RouterOS release: one place decides how a router trusts Odoo and how long it waits.
 */
import type { PreloaderConfig } from "./schema.ts";
import { releaseTakes, type RouterRelease } from "./router-release.ts";

/**
 * `yes` also checks revocation lists, which a router often cannot download; `yes-without-crl`
 * checks the chain and the dates only, as widely used RouterOS scripts do; `no` checks nothing.
 */
export type CertificateCheck = "yes-without-crl" | "yes" | "no";

/** The manual's default idle timeout of fetch: the scripts name it where the release has the argument. */
export const FETCH_IDLE_TIMEOUT = "10s";

export interface FetchFlavour {
  checkCertificate: CertificateCheck;
  /** The release has `idle-timeout` (from 7.19's tree on); before it, the argument would stop the whole script. */
  idleTimeout: boolean;
}

export function certificateCheck(config: PreloaderConfig): CertificateCheck {
  if (!config.odoo.check_certificate) return "no";
  return config.odoo.check_revocation ? "yes" : "yes-without-crl";
}

export function fetchFlavour(config: PreloaderConfig, release: RouterRelease): FetchFlavour {
  return { checkCertificate: certificateCheck(config), idleTimeout: releaseTakes(release, "/tool/fetch", "idle-timeout") };
}

/** `check-certificate=... [idle-timeout=10s]`, as every fetch the preloader installs ends. */
export function fetchArguments(flavour: FetchFlavour): string {
  return `check-certificate=${flavour.checkCertificate}${flavour.idleTimeout ? ` idle-timeout=${FETCH_IDLE_TIMEOUT}` : ""}`;
}

/** The same arguments as API attributes, for the readiness fetch the preloader asks the router for. */
export function fetchAttributes(flavour: FetchFlavour): Record<string, string> {
  return { "check-certificate": flavour.checkCertificate, ...(flavour.idleTimeout ? { "idle-timeout": FETCH_IDLE_TIMEOUT } : {}) };
}

/** The plan's loud warning when the router would not check Odoo's certificate at all. */
export function certificateCheckWarning(config: PreloaderConfig): string | undefined {
  if (certificateCheck(config) !== "no" || !config.odoo.url.startsWith("https:")) return undefined;
  return (
    "!! WARNING: odoo.check_certificate is false: the router will send its key and receive customers' passwords to whoever " +
    "answers as Odoo, without checking Odoo's certificate. Set it to true (the preloader installs Odoo's CA on the router)"
  );
}
