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

/**
 * `/interface` lists every interface, whatever its kind; `set`, `enable`, `disable` and
 * `comment` change one in the menu that keeps it, with that menu's checks.
 */
export const allInterfaces: MenuSchema = {
  path: "/interface",
  kind: "view",
  storedIn: [ethernet.path, bridge.path],
  toggle: true,
  properties: [
    { name: "name" },
    { name: "default-name", readOnly: true },
    { name: "type", readOnly: true },
    { name: "mtu" },
    { name: "l2mtu" },
    { name: "mac-address", readOnly: true },
    { name: "running", readOnly: true },
    { name: "rx-byte", readOnly: true },
    { name: "tx-byte", readOnly: true },
    { name: "rx-packet", readOnly: true },
    { name: "tx-packet", readOnly: true },
    comment,
    disabled,
  ],
  rows: (state: RouterState): Row[] =>
    [...typed(state, ethernet.path, "ether"), ...typed(state, bridge.path, "bridge")].sort((left, right) => left.id - right.id),
};

function typed(state: RouterState, path: string, type: string): Row[] {
  return state.table(path).rows.map((row) => ({
    id: row.id,
    values: {
      mtu: "1500",
      disabled: "false",
      ...row.values,
      ...trafficCounters(row),
      type,
      running: String(row.values.disabled !== "true"),
    },
  }));
}

/**
 * What an interface has carried: the emulator moves no packets, so the counters grow with the
 * interface's uptime at a steady rate that differs per interface, as a real router's never stand
 * still on a live link (MikroTik's manual, "Interface stats": rx-byte, tx-byte, rx-packet, tx-packet).
 */
export function trafficCounters(row: Row, now = Date.now()): Record<string, string> {
  if (row.values.disabled === "true") return { "rx-byte": "0", "tx-byte": "0", "rx-packet": "0", "tx-packet": "0" };
  const seconds = Math.floor((now - STARTED) / 1000) + 1;
  const rate = trafficRate(row.id);
  return {
    "rx-byte": String(seconds * rate.rxBytes),
    "tx-byte": String(seconds * rate.txBytes),
    "rx-packet": String(seconds * Math.ceil(rate.rxBytes / 800)),
    "tx-packet": String(seconds * Math.ceil(rate.txBytes / 800)),
  };
}

/** Bytes per second an interface is said to carry, each way. */
export function trafficRate(id: number): { rxBytes: number; txBytes: number } {
  return { rxBytes: 12_500 * (id + 1), txBytes: 2_500 * (id + 1) };
}

const STARTED = Date.now();

/** RouterOS's factory ethernet rows; their MAC addresses come from a locally administered range. */
export function ethernetSeed(names: readonly string[]): Record<string, string>[] {
  return names.map((name, index) => ({
    name,
    "default-name": name,
    "mac-address": `02:00:00:00:00:${(index + 1).toString(16).padStart(2, "0").toUpperCase()}`,
  }));
}
