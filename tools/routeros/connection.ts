import { isIP, connect as connectTcp, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { RouterOsConnectionError, RouterOsTimeoutError } from "./errors.ts";

export interface TlsOptions {
  /** Certificate checking is on unless this is explicitly false. */
  rejectUnauthorized?: boolean;
  ca?: string | Buffer;
  servername?: string;
}

export interface SocketOptions {
  host: string;
  port: number;
  tls: TlsOptions | undefined;
  timeoutMs: number;
}

/** SNI must be a host name (RFC 6066 forbids an IP address there). */
function serverNameOption(host: string, servername: string | undefined): { servername?: string } {
  if (servername !== undefined) return { servername };
  return isIP(host) ? {} : { servername: host };
}

/** Opens a TCP or TLS socket, rejecting with a typed error on failure or after `timeoutMs`. */
export function openSocket(options: SocketOptions): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const { host, port, tls } = options;
    const readyEvent = tls ? "secureConnect" : "connect";
    const socket: Socket = tls
      ? connectTls({
          host,
          port,
          rejectUnauthorized: tls.rejectUnauthorized !== false,
          ...(tls.ca === undefined ? {} : { ca: tls.ca }),
          ...serverNameOption(host, tls.servername),
        })
      : connectTcp({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new RouterOsTimeoutError(`connecting to ${host}:${port} timed out after ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    const onError = (error: Error): void => {
      clearTimeout(timer);
      reject(new RouterOsConnectionError(`cannot connect to ${host}:${port}: ${error.message}`, { cause: error }));
    };
    socket.once("error", onError);
    socket.once(readyEvent, () => {
      clearTimeout(timer);
      socket.off("error", onError);
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}
