import type { MenuSchema } from "../engine/schema.ts";
import { comment, disabled, interfaceReference, macAddress } from "./properties.ts";

export const hotspotProfile: MenuSchema = {
  path: "/ip/hotspot/profile",
  kind: "list",
  properties: [
    { name: "name", unique: true, required: true },
    { name: "hotspot-address" },
    { name: "dns-name", default: "" },
    { name: "html-directory", default: "hotspot" },
    { name: "login-by", default: "cookie,http-chap" },
    { name: "mac-auth-mode", default: "mac-as-username" },
    { name: "http-cookie-lifetime", default: "3d" },
    { name: "rate-limit" },
    { name: "use-radius", boolean: true, default: "false" },
  ],
};

export const hotspotServer: MenuSchema = {
  path: "/ip/hotspot",
  kind: "list",
  toggle: true,
  properties: [
    { name: "name", unique: true, autoName: "hotspot" },
    interfaceReference("interface", true),
    { name: "address-pool", references: "/ip/pool", alsoAccepts: ["none"], default: "none" },
    { name: "profile", references: "/ip/hotspot/profile", default: "default" },
    { name: "addresses-per-mac", default: "unlimited" },
    { name: "idle-timeout", default: "5m" },
    disabled,
  ],
};

export const hotspotUserProfile: MenuSchema = {
  path: "/ip/hotspot/user/profile",
  kind: "list",
  properties: [
    { name: "name", unique: true, required: true },
    { name: "rate-limit" },
    { name: "shared-users", default: "1" },
    { name: "address-list", default: "" },
    { name: "address-pool", references: "/ip/pool", alsoAccepts: ["none"], default: "none" },
    { name: "idle-timeout", default: "none" },
    { name: "session-timeout", default: "0s" },
  ],
};

export const hotspotUser: MenuSchema = {
  path: "/ip/hotspot/user",
  kind: "list",
  toggle: true,
  properties: [
    { name: "name", unique: true, required: true },
    { name: "password", writeOnly: true },
    { name: "profile", references: "/ip/hotspot/user/profile", default: "default" },
    macAddress,
    { name: "server", references: "/ip/hotspot", alsoAccepts: ["all"], default: "all" },
    { name: "email" },
    { name: "limit-uptime" },
    // Quotas, in bytes; 0 is none (MikroTik's manual, "HotSpot", Users).
    { name: "limit-bytes-in", default: "0" },
    { name: "limit-bytes-out", default: "0" },
    { name: "limit-bytes-total", default: "0" },
    comment,
    disabled,
    // What the user has used; the emulator moves no traffic.
    { name: "uptime", readOnly: true, default: "0s" },
    { name: "bytes-in", readOnly: true, default: "0" },
    { name: "bytes-out", readOnly: true, default: "0" },
    { name: "packets-in", readOnly: true, default: "0" },
    { name: "packets-out", readOnly: true, default: "0" },
  ],
};

export const walledGarden: MenuSchema = {
  path: "/ip/hotspot/walled-garden",
  kind: "list",
  toggle: true,
  properties: [
    { name: "dst-host", default: "" },
    { name: "dst-port" },
    { name: "path" },
    { name: "method" },
    { name: "src-address" },
    { name: "server" },
    { name: "action", default: "allow" },
    comment,
    disabled,
  ],
};

export const walledGardenIp: MenuSchema = {
  path: "/ip/hotspot/walled-garden/ip",
  kind: "list",
  toggle: true,
  properties: [
    { name: "dst-address" },
    { name: "dst-host" },
    { name: "dst-port" },
    { name: "protocol" },
    { name: "src-address" },
    { name: "server" },
    { name: "action", default: "accept" },
    comment,
    disabled,
  ],
};

/** RouterOS ships a "default" server profile and a "default" user profile. */
export const HOTSPOT_PROFILE_SEED: Record<string, string>[] = [{ name: "default" }];
export const HOTSPOT_USER_PROFILE_SEED: Record<string, string>[] = [{ name: "default" }];
