import type { MenuSchema } from "../engine/schema.ts";
import { comment, disabled, dynamic, interfaceReference, ipv4Value, macAddress, normalizePrefix } from "./properties.ts";

export const dhcpServer: MenuSchema = {
  path: "/ip/dhcp-server",
  kind: "list",
  toggle: true,
  properties: [
    { name: "name", unique: true, autoName: "dhcp" },
    interfaceReference("interface", true),
    { name: "address-pool", references: "/ip/pool", alsoAccepts: ["static-only"], default: "static-only" },
    { name: "lease-time", default: "30m" },
    { name: "lease-script", default: "" },
    { name: "authoritative", default: "yes" },
    { name: "add-arp", boolean: true, default: "false" },
    comment,
    disabled,
    dynamic,
  ],
};

export const dhcpNetwork: MenuSchema = {
  path: "/ip/dhcp-server/network",
  kind: "list",
  properties: [
    { name: "address", required: true, normalize: normalizePrefix },
    { name: "gateway", default: "0.0.0.0", normalize: ipv4Value("gateway") },
    { name: "dns-server" },
    { name: "domain" },
    { name: "netmask", default: "0" },
    comment,
  ],
};

export const dhcpLease: MenuSchema = {
  path: "/ip/dhcp-server/lease",
  kind: "list",
  toggle: true,
  properties: [
    { name: "address", required: true, normalize: ipv4Value("address") },
    { ...macAddress, required: true },
    { name: "server", references: "/ip/dhcp-server", alsoAccepts: ["all"], default: "all" },
    { name: "client-id" },
    { name: "lease-time", default: "0s" },
    { name: "address-lists", default: "" },
    { name: "rate-limit" },
    { name: "block-access", boolean: true, default: "false" },
    comment,
    disabled,
    // What the server learnt from the client: RouterOS shows these but never takes them as arguments.
    { name: "host-name", readOnly: true },
    { name: "status", readOnly: true, default: "waiting" },
    { name: "active-address", readOnly: true },
    { name: "active-mac-address", readOnly: true },
    { name: "active-server", readOnly: true },
    { name: "last-seen", readOnly: true, default: "never" },
    dynamic,
  ],
};
