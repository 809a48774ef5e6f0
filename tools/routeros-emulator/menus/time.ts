import type { MenuSchema } from "../engine/schema.ts";
import type { RouterState, Row } from "../engine/state.ts";

/** The stored values of a singleton, or none while it was never set. */
function storedValues(state: RouterState, path: string): Record<string, string> {
  return { ...state.table(path).rows[0]?.values };
}

/**
 * `/system/clock`: the router's time. RouterOS 7.10 and later print the date as YYYY-MM-DD
 * (phistrom/datetime-routeros#1: `/system clock get date` gives `2023-07-14` on 7.10, `jul/14/2023`
 * on 7.8). `set time= date=` is the command in commands/clock-set.ts. The manual (System/Time)
 * says local time is not exported.
 */
export const clock: MenuSchema = {
  path: "/system/clock",
  kind: "singleton",
  notExported: true,
  properties: [
    { name: "time" },
    { name: "date" },
    { name: "time-zone-autodetect", boolean: true, default: "true" },
    { name: "time-zone-name", default: "manual" },
    { name: "gmt-offset", readOnly: true, default: "+00:00" },
    { name: "dst-active", readOnly: true, default: "false" },
  ],
  rows: (state): Row[] => {
    const [date = "", time = ""] = state.timestamp().split(" ");
    return [{ id: 0, values: { ...storedValues(state, clock.path), date, time } }];
  },
  printArguments: ["as-value", "without-paging"],
};

/** Whether the NTP client is enabled with at least one server, so that it sets the clock. */
export function ntpClientActive(state: RouterState): boolean {
  const values = storedValues(state, ntpClient.path);
  return values.enabled === "true" && (values.servers ?? "").trim() !== "";
}

/**
 * `/system/ntp/client` (manual "NTP"): `enabled` (default no), `mode`, `servers`, `vrf`; `status`
 * is one of synchronized, stopped, waiting (the manual also lists using-local-clock).
 */
export const ntpClient: MenuSchema = {
  path: "/system/ntp/client",
  kind: "singleton",
  properties: [
    { name: "enabled", boolean: true, default: "false" },
    { name: "mode", default: "unicast" },
    { name: "servers", default: "" },
    { name: "vrf", default: "main" },
    { name: "status", readOnly: true },
  ],
  rows: (state): Row[] => {
    const values = storedValues(state, ntpClient.path);
    const status = values.enabled !== "true" ? "stopped" : state.clock.ntpSynchronized ? "synchronized" : "waiting";
    return [{ id: 0, values: { ...values, status } }];
  },
  printArguments: ["as-value", "without-paging"],
};
