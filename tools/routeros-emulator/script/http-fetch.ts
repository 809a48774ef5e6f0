import { request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

import type { FetchRequest, FetchResult } from "./host.ts";

/** How long a fetch may wait for the server before it fails, as a router's would. */
const TIMEOUT_MS = 30_000;

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

/** Node's codes for a certificate that failed `check-certificate=yes` (self-signed, expired, wrong name, ...). */
const TLS_FAILURE = /CERT|TLS|SSL/;

/**
 * `/tool fetch` over real HTTP or HTTPS. A response outside 2xx, or no
 * response at all, rejects with an Error whose message reads like the one
 * RouterOS puts in its log ("failure: ...").
 */
export function httpFetch(request: FetchRequest): Promise<FetchResult> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => reject(new Error(`failure: ${describeFailure(error)}`));
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
    const options = { method: request.method, headers, rejectUnauthorized: request.checkCertificate, timeout: TIMEOUT_MS };
    let outgoing: ClientRequest;
    try {
      outgoing = send(url, options, (response) => {
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
      fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    outgoing.on("timeout", () => outgoing.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    outgoing.on("error", fail);
    outgoing.end(request.body);
  });
}

function describeFailure(error: NodeJS.ErrnoException): string {
  const code = error.code ?? "";
  const known = NETWORK_FAILURES[code];
  if (known) return known;
  if (TLS_FAILURE.test(code)) return `SSL: ${error.message}`;
  return error.message;
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on("data", (chunk: Buffer) => chunks.push(chunk));
    response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    response.on("error", reject);
  });
}
