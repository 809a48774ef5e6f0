/**
 * Odoo's side of a router: the sector exists, and an `isp.router` record per configured router
 * holds how Odoo reaches it. The routers sign with their own keys, so the shared onboarding
 * token is not the preloader's to set.
 * Read, plan and apply are separate, like the router's, so `--dry-run` and the final
 * verification reuse the same comparison.
 */
import type { OdooApi } from "./odoo-client.ts";

export interface OdooRouterValues {
  name: string;
  /** An archived record of the same identity is brought back. */
  active: boolean;
  /** False in agent mode: Odoo has no address to reach the router at. */
  host: string | false;
  api_port: number;
  use_tls: boolean;
  api_user: string;
  api_password: string;
  /** The firewall address list the router cuts off: Odoo puts suspended customers in it. */
  suspended_address_list: string;
  /** The router's customer networks, comma-separated CIDR (`10.10.0.0/24`): Odoo sends it no address outside them. */
  lan_networks: string;
  /** `api`, or `agent` for a router that checks in because Odoo cannot reach it. */
  connection_mode: "api" | "agent";
  /** In agent mode: the scheduler's interval and the lease sync's, in seconds. */
  checkin_interval?: number;
  sync_interval?: number;
}

export interface OdooDesired {
  sector: { code: string; name: string };
  routers: OdooRouterValues[];
}

type RouterRecord = Omit<OdooRouterValues, "api_password"> & { id: number; api_password: string | false; sector_id: [number, string] | false };

export interface OdooState {
  sectorId: number | undefined;
  routers: RouterRecord[];
}

export type OdooPlanItem =
  | { action: "add"; model: "isp.sector"; values: { code: string; name: string } }
  /** `linkSector`: point the record at the configured sector, whose id may only exist once the sector is created. */
  | {
      action: "add" | "change";
      model: "isp.router";
      id?: number;
      name: string;
      values: Partial<OdooRouterValues>;
      linkSector: boolean;
      sector: string;
    }
  /** A router in agent mode without a key Odoo accepts gets a new one, which its agent script then carries. */
  | { action: "add"; model: "router key"; name: string };

const ROUTER_FIELDS = [
  "name",
  "active",
  "host",
  "api_port",
  "use_tls",
  "api_user",
  "api_password",
  "suspended_address_list",
  "lan_networks",
  "connection_mode",
  "checkin_interval",
  "sync_interval",
  "sector_id",
];
const SECRET_FIELDS = new Set(["api_password"]);

/** The `isp.router` records named like the desired routers, archived ones included. */
export async function readOdooRouters(api: OdooApi, desired: OdooDesired): Promise<RouterRecord[]> {
  if (desired.routers.length === 0) return [];
  return api.call<RouterRecord[]>("isp.router", "search_read", {
    domain: [["name", "in", desired.routers.map((router) => router.name)]],
    fields: ROUTER_FIELDS,
    context: { active_test: false },
  });
}

export async function readOdooState(api: OdooApi, desired: OdooDesired): Promise<OdooState> {
  const [sectors, routers] = await Promise.all([
    api.call<{ id: number }[]>("isp.sector", "search_read", {
      domain: [["code", "=", desired.sector.code]],
      fields: ["id"],
      context: { active_test: false },
    }),
    readOdooRouters(api, desired),
  ]);
  return { sectorId: sectors[0]?.id, routers };
}

export function planOdoo(state: OdooState, desired: OdooDesired): OdooPlanItem[] {
  const items: OdooPlanItem[] = [];
  if (state.sectorId === undefined) items.push({ action: "add", model: "isp.sector", values: desired.sector });
  for (const router of desired.routers) {
    const record = state.routers.find((candidate) => candidate.name === router.name);
    if (record === undefined) {
      items.push({ action: "add", model: "isp.router", name: router.name, values: router, linkSector: true, sector: desired.sector.code });
      continue;
    }
    const changed = Object.fromEntries(Object.entries(router).filter(([field, value]) => record[field as keyof OdooRouterValues] !== value));
    const linkSector = state.sectorId === undefined || record.sector_id === false || record.sector_id[0] !== state.sectorId;
    if (Object.keys(changed).length > 0 || linkSector) {
      items.push({
        action: "change",
        model: "isp.router",
        id: record.id,
        name: router.name,
        values: changed,
        linkSector,
        sector: desired.sector.code,
      });
    }
  }
  return items;
}

export function formatOdooItem(item: OdooPlanItem): string {
  const sign = item.action === "add" ? "+" : "~";
  if (item.model === "router key") return `${sign} odoo isp.router ${item.name} router key=<secret> (new, then installed in its scripts)`;
  if (item.model === "isp.sector") return `${sign} odoo isp.sector code=${item.values.code} name=${JSON.stringify(item.values.name)}`;
  const values = Object.entries(item.values)
    .filter(([field]) => field !== "name")
    .map(([field, value]) => `${field}=${SECRET_FIELDS.has(field) ? "<secret>" : String(value)}`);
  if (item.linkSector) values.push(`sector=${JSON.stringify(item.sector)}`);
  return `${sign} odoo isp.router ${item.name}${item.id === undefined ? "" : ` #${item.id}`} ${values.join(" ")}`;
}

/** Applies the plan, the sector first since router records point at it; `onWritten` hears of each item once Odoo took it. */
export async function applyOdoo(api: OdooApi, state: OdooState, items: OdooPlanItem[], onWritten: (item: OdooPlanItem) => void): Promise<void> {
  let sectorId = state.sectorId;
  for (const item of items) {
    if (item.model === "isp.sector") {
      [sectorId] = await api.create("isp.sector", [item.values]);
      onWritten(item);
    }
  }
  for (const item of items) {
    if (item.model === "isp.router") {
      const values = { ...item.values, ...(item.linkSector ? { sector_id: sectorId } : {}) };
      if (item.action === "add") await api.create("isp.router", [values]);
      else await api.call("isp.router", "write", { vals: values }, [item.id ?? 0]);
      onWritten(item);
    }
  }
}

/** Whether Odoo still accepts the key a router's scripts hold. */
export async function routerKeyAccepted(api: OdooApi, routerId: number, key: string): Promise<boolean> {
  return api.call<boolean>("isp.router", "key_matches", { key }, [routerId]);
}

/** A new key for the router; Odoo keeps only its digest, so this is the one time it is seen. */
export async function issueRouterKey(api: OdooApi, routerId: number): Promise<string> {
  return api.call<string>("isp.router", "rotate_key", {}, [routerId]);
}
