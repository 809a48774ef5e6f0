import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

import type { FetchRequest, FetchResult } from "./host.ts";

/** How long a fetch may wait for the server before it fails, as a router's would. */
const TIMEOUT_MS = 30_000;

/** Node's network error codes, worded the way RouterOS's fetch reports them. */
const NETWORK_FAILURES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by peer",
  EHOSTUNREACH: "no route to host",
  ENETUNREACH: "no route to host",
  ENOTFOUND: "could not resolve dns name",
  EAI_AGAIN: "could not resolve dns name",
};

/** Node's codes for a certificate that failed `check-certificate=yes` (self-signed, expired, wrong name, ...). */
const TLS_FAILURE = /CERT|TLS|SSL/;

/**
 * `/tool fetch` over real HTTP or HTTPS. A response outside 2xx, or no
 * response at all, rejects with an Error whose message reads like the one
 * RouterOS puts in its log ("failure: ...").
 */
export function httpFetch(request: FetchRequest): Promise<FetchResult> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      reject(new Error(`failure: invalid url "${request.url}"`));
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      reject(new Error(`failure: unsupported protocol "${url.protocol}" (only http and https)`));
      return;
    }
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(request.body));
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const outgoing = send(
      url,
      { method: request.method, headers, rejectUnauthorized: request.checkCertificate, timeout: TIMEOUT_MS },
      (response) => {
        readBody(response).then((body) => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            resolve({ status, body });
          } else {
            const reason = response.statusMessage ? ` ${response.statusMessage}` : "";
            reject(new Error(`failure: closing connection: <${status}${reason}> ${url.host} (4)`));
          }
        }, reject);
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error("failure: connection timeout")));
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      if (error.message.startsWith("failure: ")) {
        reject(error);
        return;
      }
      const code = error.code ?? "";
      const known = NETWORK_FAILURES[code];
      if (known) reject(new Error(`failure: ${known}`));
      else if (TLS_FAILURE.test(code)) reject(new Error(`failure: SSL: ${error.message}`));
      else reject(new Error(`failure: ${error.message}`));
    });
    outgoing.end(request.body);
  });
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on("data", (chunk: Buffer) => chunks.push(chunk));
    response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    response.on("error", reject);
  });
}
