import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import type { TlsCredentials } from "./tls-certificate.ts";

/** Starts a TCP (or, with credentials, TLS) listener and resolves with the bound port. */
export function listen(
  host: string,
  port: number,
  onConnection: (socket: Socket) => void,
  tls?: TlsCredentials,
): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    onConnection(socket);
  };
  const server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, track) : createServer(track);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({ server, port: (server.address() as AddressInfo).port, sockets });
    });
  });
}
