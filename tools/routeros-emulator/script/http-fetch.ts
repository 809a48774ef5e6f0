import { X509Certificate } from "node:crypto";
import { request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { isIP, type Socket } from "node:net";
import { connect as tlsConnect, type DetailedPeerCertificate, type TLSSocket } from "node:tls";

import { bytesOf } from "../engine/bytes.ts";
import { refusalReason, type RouterTrust } from "../tls/peer-verification.ts";
import type { FetchRequest, FetchResult } from "./host.ts";

/** The manual ("Fetch"): `idle-timeout`, how long fetch waits without data before it fails, is 10s by default. */
export const DEFAULT_IDLE_TIMEOUT_MS = 10_000;

/** Node's network error codes, worded the way RouterOS's fetch reports them. */
const NETWORK_FAILURES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by peer",
  ETIMEDOUT: "connection timeout",
  EHOSTUNREACH: "no route to host",
  ENETUNREACH: "no route to host",
  ENOTFOUND: "could not resolve dns name",
  EAI_AGAIN: "could not resolve dns name",
};

/** A router that has nothing in its store and a correct clock. */
const EMPTY_STORE: () => RouterTrust = () => ({ anchors: [], untrusted: [], now: new Date() });

/**
 * `/tool fetch` over real HTTP or HTTPS, checking a server's certificate as a router with this
 * `trust` does: against its own store and clock only, never the host's CA bundle. A response
 * outside 2xx, a refused certificate or no response at all rejects with an Error whose message
 * reads like the one RouterOS puts in its log ("failure: ...").
 */
export function routerFetch(trust: () => RouterTrust): (request: FetchRequest) => Promise<FetchResult> {
  return (request) => fetchOnce(request, trust);
}

/** `/tool fetch` of a router whose store is empty and whose clock is right. */
export const httpFetch = routerFetch(EMPTY_STORE);

async function fetchOnce(request: FetchRequest, trust: () => RouterTrust): Promise<FetchResult> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new Error(`failure: invalid url "${request.url}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`failure: unsupported protocol "${url.protocol}" (only http and https)`);
  }
  const idleMs = request.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const socket = url.protocol === "https:" ? await verifiedTlsSocket(url, request, trust, idleMs) : undefined;
  return exchange(url, request, idleMs, socket);
}

/** Opens the TLS connection and checks the server's chain before a byte of the request is sent. */
async function verifiedTlsSocket(url: URL, request: FetchRequest, trust: () => RouterTrust, idleMs: number): Promise<TLSSocket> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const socket = tlsConnect({
    host,
    port: Number(url.port || 443),
    ...(isIP(host) ? {} : { servername: host }),
    // The router's own check below decides, against its store and its clock.
    rejectUnauthorized: false,
  });
  socket.setTimeout(idleMs, () => socket.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
  await new Promise<void>((resolve, reject) => {
    socket.once("secureConnect", resolve);
    socket.once("error", (error) => reject(new Error(`failure: ${describeFailure(error)}`)));
  });
  if (request.checkCertificate !== "no") {
    const reason = refusalReason(peerChain(socket), host, trust(), request.checkCertificate === "yes");
    if (reason !== undefined) {
      socket.destroy();
      throw new Error(`failure: SSL: ssl: ${reason} (6)`);
    }
  }
  return socket;
}

/** The certificates the server sent, its own first. */
function peerChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let current: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (current?.raw && chain.length < 20) {
    const certificate = new X509Certificate(current.raw);
    if (chain.some((seen) => seen.fingerprint256 === certificate.fingerprint256)) break;
    chain.push(certificate);
    current = current.issuerCertificate;
  }
  return chain;
}

function exchange(url: URL, request: FetchRequest, idleMs: number, tlsSocket: Socket | undefined): Promise<FetchResult> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => reject(new Error(`failure: ${describeFailure(error)}`));
    const headers: Record<string, string> = { Host: url.host, ...request.headers };
    if (request.body !== undefined) headers["Content-Length"] = String(request.body.length);
    const options = {
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: Number(url.port || (tlsSocket ? 443 : 80)),
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers,
      ...(tlsSocket ? { createConnection: () => tlsSocket } : {}),
    };
    let outgoing: ClientRequest;
    try {
      outgoing = httpRequest(options, (response) => {
        readBody(response).then((body) => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            resolve({ status, body });
          } else {
            const reason = response.statusMessage ? ` ${response.statusMessage}` : "";
            reject(new Error(`failure: closing connection: <${status}${reason}> ${url.host} (4)`));
          }
        }, fail);
      });
    } catch (error) {
      // Node refuses some requests before sending them, e.g. a header name with a space.
      tlsSocket?.destroy();
      fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    outgoing.setTimeout(idleMs, () => outgoing.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    outgoing.on("error", fail);
    // The body is the script's bytes as they are, as a router sends them (no re-encoding).
    outgoing.end(request.body === undefined ? undefined : bytesOf(request.body));
  });
}

function describeFailure(error: NodeJS.ErrnoException): string {
  const code = error.code ?? "";
  const known = NETWORK_FAILURES[code];
  if (known) return known;
  if (/CERT|TLS|SSL/.test(code)) return `SSL: ${error.message}`;
  return error.message;
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on("data", (chunk: Buffer) => chunks.push(chunk));
    response.on("end", () => resolve(Buffer.concat(chunks).toString("latin1")));
    response.on("error", reject);
  });
}
