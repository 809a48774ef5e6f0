import type { MenuSchema } from "../engine/schema.ts";
import type { RouterState, Row } from "../engine/state.ts";
import { comment, disabled, interfaceReference, macAddress } from "./properties.ts";

/** All interfaces share one `.id` counter, as on RouterOS. */
const INTERFACE_IDS = "/interface";

export const ethernet: MenuSchema = {
  path: "/interface/ethernet",
  kind: "fixed",
  rowKey: "default-name",
  toggle: true,
  idSpace: INTERFACE_IDS,
  properties: [
    { name: "name", unique: true },
    { name: "default-name", readOnly: true },
    { name: "mtu", default: "1500" },
    { name: "l2mtu", default: "1598" },
    macAddress,
    comment,
    disabled,
  ],
};

export const bridge: MenuSchema = {
  path: "/interface/bridge",
  kind: "list",
  toggle: true,
  idSpace: INTERFACE_IDS,
  properties: [
    { name: "name", unique: true, autoName: "bridge" },
    { name: "mtu", default: "auto" },
    { name: "protocol-mode", default: "rstp" },
    { name: "vlan-filtering", boolean: true, default: "false" },
    { name: "arp", default: "enabled" },
    { name: "admin-mac" },
    { name: "auto-mac", boolean: true, default: "true" },
    comment,
    disabled,
  ],
};

export const bridgePort: MenuSchema = {
  path: "/interface/bridge/port",
  kind: "list",
  toggle: true,
  properties: [
    { name: "bridge", references: "/interface/bridge", required: true },
    interfaceReference("interface", true),
    { name: "pvid", default: "1" },
    { name: "horizon", default: "none" },
    comment,
    disabled,
  ],
};

/** `/interface` lists every interface, whatever its kind. */
export const allInterfaces: MenuSchema = {
  path: "/interface",
  kind: "view",
  properties: ["name", "default-name", "type", "mtu", "mac-address", "running", "comment", "disabled"].map((name) => ({ name, readOnly: true })),
  rows: (state: RouterState): Row[] =>
    [...typed(state, ethernet.path, "ether"), ...typed(state, bridge.path, "bridge")].sort((left, right) => left.id - right.id),
};

function typed(state: RouterState, path: string, type: string): Row[] {
  return state.table(path).rows.map((row) => ({
    id: row.id,
    values: { mtu: "1500", disabled: "false", ...row.values, type, running: String(row.values.disabled !== "true") },
  }));
}

/** RouterOS's factory ethernet rows; their MAC addresses come from a locally administered range. */
export function ethernetSeed(names: readonly string[]): Record<string, string>[] {
  return names.map((name, index) => ({
    name,
    "default-name": name,
    "mac-address": `02:00:00:00:00:${(index + 1).toString(16).padStart(2, "0").toUpperCase()}`,
  }));
}
