import type { MenuSchema } from "../engine/schema.ts";
import type { RouterState } from "../engine/state.ts";
import { dhcpLease, dhcpNetwork, dhcpServer } from "./dhcp-server.ts";
import { addressList, filter, mangle, nat } from "./firewall.ts";
import {
  HOTSPOT_PROFILE_SEED,
  HOTSPOT_USER_PROFILE_SEED,
  hotspotProfile,
  hotspotServer,
  hotspotUser,
  hotspotUserProfile,
  walledGarden,
  walledGardenIp,
} from "./hotspot.ts";
import { hotspotActive, hotspotHost } from "./hotspot-online.ts";
import { certificate, certificateSettings } from "./certificate.ts";
import { file } from "./file.ts";
import { allInterfaces, bridge, bridgePort, ethernet, ethernetSeed } from "./interfaces.ts";
import { address, dhcpClient, pool, SERVICE_SEED, service } from "./ip.ts";
import { proxy, proxyAccess } from "./proxy.ts";
import { simpleQueue } from "./queue.ts";
import { activeUsers, identity, log, resource, scheduler, script, scriptJob, user } from "./system.ts";
import { clock, ntpClient } from "./time.ts";

/** Every emulated menu, in the order `/export` writes them (the order RouterOS uses). */
export const MENUS: readonly MenuSchema[] = [
  allInterfaces,
  bridge,
  ethernet,
  bridgePort,
  address,
  pool,
  dhcpServer,
  dhcpNetwork,
  dhcpLease,
  dhcpClient,
  filter,
  nat,
  mangle,
  addressList,
  hotspotProfile,
  hotspotUserProfile,
  hotspotServer,
  hotspotUser,
  hotspotActive,
  hotspotHost,
  walledGarden,
  walledGardenIp,
  proxy,
  proxyAccess,
  service,
  simpleQueue,
  identity,
  clock,
  ntpClient,
  resource,
  script,
  scriptJob,
  scheduler,
  user,
  activeUsers,
  log,
  certificate,
  certificateSettings,
  file,
];

const MENUS_BY_PATH = new Map(MENUS.map((menu) => [menu.path, menu]));

export function findMenu(path: string): MenuSchema | undefined {
  return MENUS_BY_PATH.get(path);
}

export interface FactorySettings {
  interfaceNames: readonly string[];
  users: readonly { name: string; password: string }[];
}

/** The rows a factory-fresh router has in its `fixed` menus, keyed by menu path. */
export function factoryRows(settings: FactorySettings): Map<string, Record<string, string>[]> {
  return new Map([
    [ethernet.path, ethernetSeed(settings.interfaceNames)],
    [service.path, SERVICE_SEED],
    [hotspotProfile.path, HOTSPOT_PROFILE_SEED],
    [hotspotUserProfile.path, HOTSPOT_USER_PROFILE_SEED],
  ]);
}

/** Fills an empty state with the factory configuration. */
export function seedFactoryState(state: RouterState, settings: FactorySettings): void {
  for (const [path, rows] of factoryRows(settings)) {
    const menu = findMenu(path);
    for (const values of rows) state.insert(path, { ...values }, menu?.idSpace);
  }
  for (const { name, password } of settings.users) state.insert(user.path, { name, password, group: "full" });
}
