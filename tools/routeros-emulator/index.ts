import type { Server, Socket } from "node:net";
import { RouterClock } from "./clock.ts";
import { byteString } from "./engine/bytes.ts";
import { RouterState } from "./engine/state.ts";
import { seedFactoryState, type FactorySettings } from "./menus/index.ts";
import { ntpClientActive } from "./menus/time.ts";
import { loadStateFile, saveStateFile } from "./persistence.ts";
import { Router } from "./router.ts";
import { listen } from "./server/listen.ts";
import { Session } from "./server/session.ts";
import { SELF_SIGNED_CERTIFICATE_NAME, selfSignedCertificate } from "./server/tls-certificate.ts";
import { service } from "./menus/ip.ts";
import type { ScriptHooks } from "./simulator/script-menus.ts";
import { interpreterRunner } from "./simulator/script-runner.ts";
import { startScheduler } from "./simulator/scheduler.ts";
import { isValidVersion } from "./version.ts";

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Also serve the API over TLS (self-signed certificate) on this port; 0 picks a free one. */
  tlsPort?: number;
  /**
   * How API-SSL is served: `self-signed` (the default) with a self-signed certificate, which
   * `/ip/service api-ssl` then names; `none` as RouterOS does while api-ssl has
   * `certificate=none`, with anonymous Diffie-Hellman suites only.
   */
  apiSslCertificate?: "self-signed" | "none";
  /** The RouterOS version to behave like; default 7.19.6. */
  version?: string;
  /** Default: admin with an empty password. */
  users?: { name: string; password: string }[];
  /** Ethernet interface names; default ether1…ether5 and sfp1. */
  interfaces?: string[];
  /** Load the configuration from this JSON file and write every change back to it. */
  stateFile?: string;
  /** Answer logins with the MD5 challenge of RouterOS before 6.43. */
  legacyLogin?: boolean;
  /** The time the router starts with; default 1970-01-02 00:00:00, as a router without a battery (see clock.ts). */
  clock?: Date;
  /** False: the NTP servers never answer, so enabling the NTP client leaves the clock wrong. Default true. */
  ntpAnswers?: boolean;
}

export interface RunningEmulator {
  host: string;
  port: number;
  tlsPort?: number;
  /** PEM of the TLS certificate, for clients that pin it as their CA. */
  tlsCertificate?: string;
  version: string;
  /** The configuration as a `.rsc` script: the router's bytes, one character each (`bytesOf` gives them back). */
  export(): string;
  /** Test hook: sets the router's clock, as `/system/clock set` would (NTP, while it runs, takes it back). */
  setClock(date: Date): void;
  /** Test hooks into the commands scripts run (see ScriptHooks); set or clear them at any time. */
  scriptHooks: ScriptHooks;
  close(): Promise<void>;
}

export const DEFAULT_VERSION = "7.19.6";
export const DEFAULT_INTERFACES = ["ether1", "ether2", "ether3", "ether4", "ether5", "sfp1"];

/** Starts an emulated RouterOS API server on the loopback interface. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const version = options.version ?? DEFAULT_VERSION;
  if (!isValidVersion(version)) throw new Error(`invalid RouterOS version "${version}"`);
  const factory: FactorySettings = {
    interfaceNames: (options.interfaces ?? DEFAULT_INTERFACES).map(byteString),
    users: (options.users ?? [{ name: "admin", password: "" }]).map(({ name, password }) => ({
      name: byteString(name),
      password: byteString(password),
    })),
  };
  const state = new RouterState(new RouterClock(options.clock, options.ntpAnswers));
  const stateFile = options.stateFile;
  const persisted = stateFile === undefined ? undefined : loadStateFile(stateFile);
  if (persisted) state.restore(persisted);
  else seedFactoryState(state, factory);
  const save = (): void => {
    state.clock.ntpConfigured(ntpClientActive(state));
    if (stateFile !== undefined) saveStateFile(stateFile, state.snapshot());
  };
  save();

  const scriptHooks: ScriptHooks = {};
  const scripts = interpreterRunner(state, version, () => router, scriptHooks);
  const router: Router = new Router({ version, state, factory, scripts, onChange: save });
  const stopScheduler = startScheduler(state, scripts.runEvent);
  const legacyLogin = options.legacyLogin ?? false;
  const accept = (socket: Socket): void => void new Session(socket, { router, legacyLogin });
  const listeners: { server: Server; sockets: Set<Socket> }[] = [];
  const plain = await listen(host, options.port ?? 0, accept);
  listeners.push(plain);
  let tls: { port: number; certificate?: string } | undefined;
  if (options.tlsPort !== undefined) {
    const credentials = options.apiSslCertificate === "none" ? undefined : await selfSignedCertificate();
    const secure = await listen(host, options.tlsPort, accept, credentials ?? "anonymous");
    listeners.push(secure);
    tls = { port: secure.port, ...(credentials ? { certificate: credentials.cert } : {}) };
    // What the router says must be what it does: api-ssl names the certificate it presents, or none.
    const apiSsl = state.rowNamed(service.path, "api-ssl");
    if (apiSsl) apiSsl.values.certificate = credentials ? SELF_SIGNED_CERTIFICATE_NAME : "none";
  }

  return {
    host,
    port: plain.port,
    ...(tls ? { tlsPort: tls.port } : {}),
    ...(tls?.certificate === undefined ? {} : { tlsCertificate: tls.certificate }),
    version,
    export: () => router.export(),
    setClock: (date) => state.clock.set(date),
    scriptHooks,
    close: async () => {
      stopScheduler();
      await Promise.all(
        listeners.map(
          ({ server, sockets }) =>
            new Promise<void>((resolve) => {
              for (const socket of sockets) socket.destroy();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
