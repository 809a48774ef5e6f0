import type { MenuSchema } from "../engine/schema.ts";
import { comment, disabled, dynamic, interfaceReference, networkOf, normalizePrefix } from "./properties.ts";

export const address: MenuSchema = {
  path: "/ip/address",
  kind: "list",
  toggle: true,
  properties: [{ name: "address", required: true, normalize: normalizePrefix }, interfaceReference("interface", true), comment, disabled, dynamic],
  computed: (values): Record<string, string> => (values.address === undefined ? {} : { network: networkOf(values.address) }),
};

export const pool: MenuSchema = {
  path: "/ip/pool",
  kind: "list",
  properties: [{ name: "name", unique: true, required: true }, { name: "ranges", required: true }, { name: "next-pool", default: "none" }, comment],
};

export const dhcpClient: MenuSchema = {
  path: "/ip/dhcp-client",
  kind: "list",
  toggle: true,
  properties: [
    interfaceReference("interface", true),
    { name: "add-default-route", default: "yes" },
    { name: "default-route-distance", default: "1" },
    { name: "use-peer-dns", boolean: true, default: "true" },
    { name: "use-peer-ntp", boolean: true, default: "true" },
    { name: "script" },
    comment,
    // A DHCP client is added disabled unless told otherwise, as on RouterOS.
    { ...disabled, default: "true" },
    { name: "status", readOnly: true, default: "searching..." },
    dynamic,
  ],
};

/** `/ip/service` rows exist from the start and are only ever `set`. */
export const service: MenuSchema = {
  path: "/ip/service",
  kind: "fixed",
  rowKey: "name",
  toggle: true,
  properties: [
    { name: "name", readOnly: true },
    { name: "port" },
    { name: "address", default: "" },
    // RouterOS 7.24 renamed the allow-list and kept the old name as an alias.
    { name: "available-from", since: "7.24", aliasOf: "address" },
    { name: "certificate", default: "none" },
    { name: "vrf", default: "main" },
    disabled,
  ],
};

export const SERVICE_SEED: Record<string, string>[] = [
  { name: "telnet", port: "23" },
  { name: "ftp", port: "21" },
  { name: "www", port: "80" },
  { name: "ssh", port: "22" },
  { name: "www-ssl", port: "443", disabled: "true" },
  { name: "api", port: "8728" },
  { name: "winbox", port: "8291" },
  { name: "api-ssl", port: "8729" },
];
