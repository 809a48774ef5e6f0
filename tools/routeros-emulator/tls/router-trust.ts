import { X509Certificate } from "node:crypto";
import { rootCertificates } from "node:tls";
import type { RouterState } from "../engine/state.ts";
import { CERTIFICATE_PEM, certificate, certificateSettings } from "../menus/certificate.ts";
import type { RouterTrust } from "./peer-verification.ts";

/** The emulator's built-in anchors: Node's CA bundle, read once. */
let builtInAnchors: X509Certificate[] | undefined;

/** Whether the router's settings let fetch trust the built-in anchors (never on 7.12.2, which has none). */
function builtInAnchorsEnabled(state: RouterState): boolean {
  const settings = state.table(certificateSettings.path).rows[0]?.values ?? {};
  if (settings["builtin-trust-anchors"] === "trusted") return true;
  const store = settings["builtin-trust-store"] ?? "none";
  return store === "all" || store.split(",").includes("fetch");
}

/** What the router trusts now: its store, the built-in anchors where enabled, and its clock. */
export function routerTrust(state: RouterState): RouterTrust {
  const anchors: X509Certificate[] = [];
  const untrusted: X509Certificate[] = [];
  for (const row of state.table(certificate.path).rows) {
    const pem = row.values[CERTIFICATE_PEM];
    if (pem === undefined) continue;
    (row.values.trusted === "true" ? anchors : untrusted).push(new X509Certificate(pem));
  }
  if (builtInAnchorsEnabled(state)) {
    builtInAnchors ??= rootCertificates.map((pem) => new X509Certificate(pem));
    anchors.push(...builtInAnchors);
  }
  return { anchors, untrusted, now: state.clock.now() };
}
