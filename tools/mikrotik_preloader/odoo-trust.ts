/**
 * The CA a router must trust for its fetch to reach an `https://` Odoo: the one `odoo.ca_file`
 * holds, or else the top of the chain Odoo's own TLS handshake presents (trust on first use,
 * shown in the plan with its SHA-256 fingerprint so the operator can compare it). A router's
 * store starts empty before RouterOS 7.19, so without this no lease report ever gets through.
 */
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { connect, type DetailedPeerCertificate } from "node:tls";
import type { LoadedConfig } from "./config-loader.ts";
import { ConfigError, OdooError } from "./errors.ts";

export interface OdooCa {
  pem: string;
  /** SHA-256 of the DER, lowercase hex without separators, as RouterOS prints a certificate's fingerprint. */
  fingerprint: string;
  subject: string;
  /** Where it came from, for the plan: `odoo.ca_file (line 40)` or `the TLS handshake of erp.example.com:443`. */
  origin: string;
  /** What the operator should know about it (a chain without its root, say). */
  warnings: string[];
}

const HANDSHAKE_TIMEOUT_MS = 10_000;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** `AB:CD:...` as Node prints it → `abcd...` as RouterOS does. */
export function routerFingerprint(certificate: X509Certificate): string {
  return certificate.fingerprint256.replaceAll(":", "").toLowerCase();
}

function selfSigned(certificate: X509Certificate): boolean {
  return certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey);
}

function describeSubject(certificate: X509Certificate): string {
  return certificate.subject.replaceAll("\n", ", ");
}

async function fromFile(loaded: LoadedConfig, file: string): Promise<OdooCa> {
  const key = loaded.describeKey(["odoo", "ca_file"]);
  const path = resolve(loaded.directory, file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`${key}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length !== 1) {
    throw new ConfigError(`${key}: ${path} must hold exactly one PEM certificate (the CA that signs Odoo's), it holds ${blocks.length}`);
  }
  const pem = `${blocks[0]}\n`;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch (error) {
    throw new ConfigError(`${key}: ${path} is not a readable certificate: ${(error as Error).message}`);
  }
  if (!certificate.ca && !selfSigned(certificate)) {
    throw new ConfigError(`${key}: ${path} holds ${describeSubject(certificate)}, which is not a CA: give the CA that signs Odoo's certificate`);
  }
  return { pem, fingerprint: routerFingerprint(certificate), subject: describeSubject(certificate), origin: key, warnings: [] };
}

function toPem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** The highest certificate of the chain the server presented (its root, when it sends one). */
function topOfChain(leaf: DetailedPeerCertificate): DetailedPeerCertificate {
  let top = leaf;
  const seen = new Set<string>([top.fingerprint256]);
  while (top.issuerCertificate !== undefined && !seen.has(top.issuerCertificate.fingerprint256)) {
    top = top.issuerCertificate;
    seen.add(top.fingerprint256);
  }
  return top;
}

function presentedChain(host: string, port: number): Promise<DetailedPeerCertificate> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect({ host, port, servername: host, rejectUnauthorized: false, timeout: HANDSHAKE_TIMEOUT_MS });
    socket.once("secureConnect", () => {
      const leaf = socket.getPeerCertificate(true);
      socket.end();
      if (leaf.raw === undefined) reject(new Error("the server presented no certificate"));
      else resolvePromise(leaf);
    });
    socket.once("timeout", () => socket.destroy(new Error(`no TLS handshake within ${HANDSHAKE_TIMEOUT_MS / 1000} s`)));
    socket.once("error", reject);
  });
}

async function fromHandshake(loaded: LoadedConfig, url: URL): Promise<OdooCa> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || 443);
  const origin = `the TLS handshake of ${host}:${port}`;
  let leaf: DetailedPeerCertificate;
  try {
    leaf = await presentedChain(host, port);
  } catch (error) {
    throw new OdooError(
      `${loaded.describeKey(["odoo", "url"])}: cannot read Odoo's certificate chain from ${host}:${port}: ${(error as Error).message}; ` +
        "check odoo.url, or give the CA that signs Odoo's certificate as odoo.ca_file",
    );
  }
  const pem = toPem(topOfChain(leaf).raw);
  const certificate = new X509Certificate(pem);
  const warnings = selfSigned(certificate)
    ? []
    : [
        `Odoo's handshake does not present its root CA (the top certificate, ${describeSubject(certificate)}, is issued by ${certificate.issuer.replaceAll("\n", ", ")}): ` +
          "if the router's fetch refuses it, set odoo.ca_file to the root CA's PEM",
      ];
  return { pem, fingerprint: routerFingerprint(certificate), subject: describeSubject(certificate), origin, warnings };
}

/** The CA to install, or undefined where the router's fetch checks no certificate (http, or check_certificate off). */
export async function odooCa(loaded: LoadedConfig): Promise<OdooCa | undefined> {
  const { odoo } = loaded.config;
  const url = new URL(odoo.url);
  if (url.protocol !== "https:" || !odoo.check_certificate) return undefined;
  return odoo.ca_file === undefined ? fromHandshake(loaded, url) : fromFile(loaded, odoo.ca_file);
}
