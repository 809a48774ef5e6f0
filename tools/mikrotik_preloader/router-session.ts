/**
 * Opening a session on a discovered router and reading the state the plan needs.
 * The bootstrap login (factory `admin`) is tried first; on a router the preloader already
 * configured, the management user's login is tried next.
 */
import { RouterOsClient, RouterOsLoginError, RouterOsTrapError, type ConnectOptions } from "../routeros/index.ts";
import { parseVersion } from "../routeros/version.ts";
import { PreloaderError } from "./errors.ts";
import { OPTIONAL_MENUS, type DesiredObject } from "./desired-state.ts";
import { objectKey, type RouterSnapshot, type Row } from "./plan.ts";
import type { PreloaderConfig } from "./schema.ts";
import type { Secrets } from "./secrets.ts";

export interface RouterSession {
  address: string;
  client: RouterOsClient;
  /** The user this session logged in as. */
  user: string;
}

type Credentials = { user: string; password: string };

function connectOptions(config: PreloaderConfig, address: string, credentials: Credentials, timeoutMs: number): ConnectOptions {
  return {
    host: address,
    port: config.routeros.api_port,
    tls: config.routeros.use_tls ? { rejectUnauthorized: config.routeros.tls_verify_certificate } : false,
    user: credentials.user,
    password: credentials.password,
    connectTimeoutMs: timeoutMs,
  };
}

function loginsToTry(config: PreloaderConfig, secrets: Secrets): Credentials[] {
  const bootstrap = { user: config.routeros.bootstrap_user, password: secrets.bootstrapPassword };
  const management = { user: config.routeros.mgmt_user, password: secrets.mgmtPassword };
  return bootstrap.user === management.user ? [management, bootstrap] : [bootstrap, management];
}

/** Rejects with the first login's error when every login is refused, or with the connection error. */
export async function openSession(config: PreloaderConfig, secrets: Secrets, address: string): Promise<RouterSession> {
  let firstRefusal: RouterOsLoginError | undefined;
  for (const credentials of loginsToTry(config, secrets)) {
    try {
      const client = await RouterOsClient.connect(connectOptions(config, address, credentials, config.routeros.probe_timeout_ms));
      return { address, client, user: credentials.user };
    } catch (error) {
      if (!(error instanceof RouterOsLoginError)) throw error;
      firstRefusal ??= error;
    }
  }
  throw firstRefusal ?? new RouterOsLoginError("login refused");
}

/** Whether the management user already has MIKROTIK_MGMT_PASS: a login says so without reading the password. */
async function managementPasswordWorks(config: PreloaderConfig, secrets: Secrets, session: RouterSession): Promise<boolean> {
  if (session.user === config.routeros.mgmt_user) return true;
  try {
    const probe = await RouterOsClient.connect(
      connectOptions(config, session.address, { user: config.routeros.mgmt_user, password: secrets.mgmtPassword }, config.routeros.probe_timeout_ms),
    );
    await probe.close();
    return true;
  } catch (error) {
    if (error instanceof RouterOsLoginError) return false;
    throw error;
  }
}

/** A menu the router lacks (a missing package, say) is named with the router's own words. */
async function printMenu(session: RouterSession, menu: string): Promise<Row[]> {
  try {
    return await session.client.print(menu);
  } catch (error) {
    if (!(error instanceof RouterOsTrapError)) throw error;
    throw new PreloaderError(`${session.address}: cannot read ${menu}: ${error.message}`);
  }
}

/** The rows of every menu the desired state touches, and whether the management password is stale. */
export async function readSnapshot(
  config: PreloaderConfig,
  secrets: Secrets,
  session: RouterSession,
  desired: DesiredObject[],
): Promise<RouterSnapshot> {
  const menus: Record<string, Row[]> = {};
  for (const menu of new Set([...desired.map((object) => object.menu), ...OPTIONAL_MENUS.map((optional) => optional.menu)])) {
    menus[menu] = await printMenu(session, menu);
  }
  const user = desired.find((object) => object.menu === "/user" && object.secretProps !== undefined);
  const userExists = (menus["/user"] ?? []).some((row) => row.name === config.routeros.mgmt_user);
  const stale = user !== undefined && userExists && !(await managementPasswordWorks(config, secrets, session));
  return { menus, staleSecrets: new Set(stale && user ? [objectKey(user)] : []) };
}

/** The RouterOS version the router runs (`/system/resource`), which decides the commands its scripts may use. */
export async function readRelease(session: RouterSession): Promise<string> {
  const [resource] = await printMenu(session, "/system/resource");
  const version = parseVersion(resource?.version ?? "");
  if (version === undefined)
    throw new PreloaderError(`${session.address}: /system/resource gives no RouterOS version ("${resource?.version ?? ""}")`);
  return version;
}

/** What the preflight checks need besides the snapshot; read once, before planning. */
export async function readPreflight(session: RouterSession): Promise<{ interfaces: Row[]; activeSessions: Row[] }> {
  return {
    interfaces: await printMenu(session, "/interface"),
    activeSessions: await printMenu(session, "/user/active"),
  };
}
