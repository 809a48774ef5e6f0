import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { createServer as createTlsServer, type TlsOptions } from "node:tls";
import type { TlsCredentials } from "./tls-certificate.ts";

/**
 * API-SSL on a router whose `/ip/service api-ssl` has `certificate=none`: only anonymous
 * Diffie-Hellman suites, and no certificate at all (MikroTik's API manual, "API over TLS":
 * "If certificate is not set in /ip service then anonymous Diffie-Hellman cipher have to be
 * used"; librouteros documents `ctx.set_ciphers('ADH:@SECLEVEL=0')` for it). OpenSSL offers
 * anonymous suites only at security level 0, and TLS 1.3 has none.
 */
export const ANONYMOUS_TLS: TlsOptions = {
  ciphers: "ADH-AES256-GCM-SHA384:ADH-AES128-GCM-SHA256:ADH-AES256-SHA256:ADH-AES128-SHA256:ADH-AES256-SHA:ADH-AES128-SHA:@SECLEVEL=0",
  maxVersion: "TLSv1.2",
  dhparam: "auto",
};

/** Starts a TCP listener, or a TLS one with a certificate or with anonymous suites only, and resolves with the bound port. */
export function listen(
  host: string,
  port: number,
  onConnection: (socket: Socket) => void,
  tls?: TlsCredentials | "anonymous",
): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    onConnection(socket);
  };
  const server =
    tls === undefined ? createServer(track) : createTlsServer(tls === "anonymous" ? ANONYMOUS_TLS : { key: tls.key, cert: tls.cert }, track);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({ server, port: (server.address() as AddressInfo).port, sockets });
    });
  });
}
