import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";

/** What a router trusts when it checks a server's certificate. */
export interface RouterTrust {
  /** Certificates of the router's store marked trusted, and the built-in anchors where enabled. */
  anchors: readonly X509Certificate[];
  /** Certificates of the store not marked trusted: a chain that ends at one is refused by name. */
  untrusted: readonly X509Certificate[];
  /** The router's clock, which decides whether a certificate is valid yet or still. */
  now: Date;
}

/** How far a chain is followed before giving up (RouterOS's own limit is not documented). */
const MAX_CHAIN = 10;

/**
 * The reason RouterOS gives for refusing a server's certificate chain (leaf first), or undefined
 * when it accepts it. The words are the ones RouterOS 7 prints after `failure: SSL: ssl:`:
 * - "no trusted CA certificate found" (eworm-de/routeros-scripts#67, a Let's Encrypt server and
 *   an empty store);
 * - "certificate not trusted" when the chain ends at a certificate of the store that is not
 *   trusted;
 * - "certificate is not yet valid" and "certificate has expired", by the router's clock (these
 *   follow the X.509 verification words; no router's own message was found to quote);
 * - `name verification failed for: "CN=..."` (madsbacha/routeros-vpn#3) when the URL's host is
 *   not the certificate's;
 * - `crl not found for: "CN=..."` under check-certificate=yes (Druvis-Timma/Mikrotik#8,
 *   RouterOS 7.18.1, with the issuing CA imported and trusted but no CRL). The emulator keeps no
 *   CRLs (`/certificate/crl` is not emulated), so `yes` always ends there once the rest passed,
 *   as on a router that cannot download the CA's CRL; `yes-without-crl` skips that check
 *   (manual "Fetch").
 */
export function refusalReason(chain: readonly X509Certificate[], host: string, trust: RouterTrust, checkCrl: boolean): string | undefined {
  const [leaf] = chain;
  if (!leaf) return "no trusted CA certificate found";
  const path = pathToAnchor(leaf, chain, trust.anchors);
  if (!path) return pathToAnchor(leaf, chain, trust.untrusted) ? "certificate not trusted" : "no trusted CA certificate found";
  const now = trust.now.getTime();
  if (path.some((certificate) => Date.parse(certificate.validFrom) > now)) return "certificate is not yet valid";
  if (path.some((certificate) => Date.parse(certificate.validTo) < now)) return "certificate has expired";
  const matches = isIP(host) ? leaf.checkIP(host) !== undefined : leaf.checkHost(host) !== undefined;
  if (!matches) return `name verification failed for: "${subjectOf(leaf)}"`;
  if (checkCrl) return `crl not found for: "${subjectOf(leaf)}"`;
  return undefined;
}

/** The chain from `leaf` up to one of `anchors`, through the certificates the server sent; undefined when it reaches none. */
function pathToAnchor(leaf: X509Certificate, sent: readonly X509Certificate[], anchors: readonly X509Certificate[]): X509Certificate[] | undefined {
  const path = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (anchors.some((anchor) => anchor.fingerprint256 === current.fingerprint256)) return path;
    const anchor = anchors.find((candidate) => issued(candidate, current));
    if (anchor) return [...path, anchor];
    const next = sent.find((candidate) => candidate.fingerprint256 !== current.fingerprint256 && issued(candidate, current));
    if (!next) return undefined;
    path.push(next);
    current = next;
  }
  return undefined;
}

function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
}

/** A subject as RouterOS quotes it: `CN=api.telegram.org`. */
function subjectOf(certificate: X509Certificate): string {
  return certificate.subject.split("\n").join(",");
}
