import type { MenuSchema } from "../engine/schema.ts";
import type { RouterState, Row } from "../engine/state.ts";
import { dhcpLease, dhcpServer } from "./dhcp-server.ts";
import { hotspotServer, hotspotUser } from "./hotspot.ts";

/**
 * Who is on a hotspot, from what the router knows (MikroTik's manual, "HotSpot", Host and
 * Active): every device holding a bound DHCP lease on a hotspot server's interface is a host;
 * a host whose MAC is an enabled hotspot user's (its `mac-address`, or its name with
 * `mac-as-username`) for that server is logged in by MAC, and so active.
 */
interface OnlineDevice {
  lease: Row;
  hotspot: Row;
  user: Row | undefined;
}

function onlineDevices(state: RouterState): OnlineDevice[] {
  const hotspots = state.table(hotspotServer.path).rows.filter((row) => row.values.disabled !== "true");
  const users = state.table(hotspotUser.path).rows.filter((row) => row.values.disabled !== "true");
  return state.table(dhcpLease.path).rows.flatMap((lease) => {
    if (lease.values.status !== "bound") return [];
    const server = state.rowNamed(dhcpServer.path, lease.values["active-server"] ?? "");
    const hotspot = hotspots.find((candidate) => candidate.values.interface === server?.values.interface);
    if (!hotspot) return [];
    const mac = lease.values["active-mac-address"] ?? "";
    const user = users.find(
      (candidate) =>
        (candidate.values["mac-address"] === mac || candidate.values.name === mac) &&
        [undefined, "all", hotspot.values.name].includes(candidate.values.server),
    );
    return [{ lease, hotspot, user }];
  });
}

export const hotspotHost: MenuSchema = {
  path: "/ip/hotspot/host",
  kind: "view",
  properties: [
    "mac-address",
    "address",
    "to-address",
    "server",
    "authorized",
    "bypassed",
    "uptime",
    "idle-time",
    "bytes-in",
    "bytes-out",
    "comment",
  ].map((name) => ({ name, readOnly: true })),
  rows: (state) =>
    onlineDevices(state).map(({ lease, hotspot, user }) => ({
      id: lease.id,
      values: {
        "mac-address": lease.values["active-mac-address"] ?? "",
        address: lease.values["active-address"] ?? "",
        "to-address": lease.values["active-address"] ?? "",
        server: hotspot.values.name ?? "",
        authorized: String(user !== undefined),
        bypassed: "false",
        uptime: "0s",
        "idle-time": "0s",
        "bytes-in": "0",
        "bytes-out": "0",
      },
    })),
};

export const hotspotActive: MenuSchema = {
  path: "/ip/hotspot/active",
  kind: "view",
  properties: [
    "server",
    "user",
    "domain",
    "address",
    "mac-address",
    "login-by",
    "uptime",
    "idle-time",
    "session-time-left",
    "bytes-in",
    "bytes-out",
    "packets-in",
    "packets-out",
    "radius",
    "comment",
  ].map((name) => ({ name, readOnly: true })),
  rows: (state) =>
    onlineDevices(state).flatMap(({ lease, hotspot, user }) =>
      user
        ? [
            {
              id: lease.id,
              values: {
                server: hotspot.values.name ?? "",
                user: user.values.name ?? "",
                address: lease.values["active-address"] ?? "",
                "mac-address": lease.values["active-mac-address"] ?? "",
                "login-by": "mac",
                uptime: "0s",
                "idle-time": "0s",
                "bytes-in": "0",
                "bytes-out": "0",
                "packets-in": "0",
                "packets-out": "0",
                radius: "false",
              },
            },
          ]
        : [],
    ),
};
