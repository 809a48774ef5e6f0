import type { MenuSchema } from "../engine/schema.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import { comment, disabled } from "./properties.ts";

const ALL_POLICIES = "ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon";

export const identity: MenuSchema = {
  path: "/system/identity",
  kind: "singleton",
  properties: [{ name: "name", default: "MikroTik" }],
  printArguments: ["as-value", "interval", "without-paging"],
};

/** What the router is and runs; clients read `version` from it (e.g. a "Test connection" button). */
export const resource: MenuSchema = {
  path: "/system/resource",
  kind: "view",
  unnumbered: true,
  properties: ["version", "board-name", "architecture-name", "uptime"].map((name) => ({ name, readOnly: true })),
  rows: (_state, version) => [
    { id: 0, values: { version: `${version} (stable)`, "board-name": "CHR", "architecture-name": "x86_64", uptime: "1d00:00:00" } },
  ],
  printArguments: ["as-value", "interval", "without-paging"],
};

export const script: MenuSchema = {
  path: "/system/script",
  kind: "list",
  properties: [
    { name: "name", unique: true, autoName: "script" },
    { name: "source", default: "" },
    { name: "owner", default: "admin" },
    { name: "policy", default: ALL_POLICIES },
    { name: "dont-require-permissions", boolean: true, default: "false" },
    comment,
  ],
};

/** The scripts running now, each while `/system script run` runs it (scripts use it to run alone). */
export const scriptJob: MenuSchema = {
  path: "/system/script/job",
  kind: "view",
  properties: ["script", "type", "started"].map((name) => ({ name, readOnly: true })),
  rows: (state) => state.scriptJobRows,
};

export const scheduler: MenuSchema = {
  path: "/system/scheduler",
  kind: "list",
  toggle: true,
  properties: [
    { name: "name", unique: true, required: true },
    { name: "on-event", default: "" },
    { name: "start-date" },
    { name: "start-time", default: "startup" },
    { name: "interval", default: "0s" },
    { name: "policy", default: ALL_POLICIES },
    // The user who added the item: its on-event runs as that user (manual, Scheduler).
    { name: "owner", readOnly: true, default: "admin" },
    comment,
    disabled,
  ],
};

/** The emulator has RouterOS's three built-in groups and no `/user/group` menu. */
function builtInGroup(value: string): string {
  if (!["full", "read", "write"].includes(value)) throw new Trap("input does not match any value of group", TrapCategory.argumentValue);
  return value;
}

export const user: MenuSchema = {
  path: "/user",
  kind: "list",
  toggle: true,
  notExported: true,
  properties: [
    { name: "name", unique: true, required: true },
    { name: "group", required: true, normalize: builtInGroup },
    { name: "password", writeOnly: true },
    { name: "address", default: "" },
    comment,
    disabled,
  ],
};

export const activeUsers: MenuSchema = {
  path: "/user/active",
  kind: "view",
  properties: ["when", "name", "address", "via"].map((name) => ({ name, readOnly: true })),
  rows: (state) => state.sessionRows,
};

export const log: MenuSchema = {
  path: "/log",
  kind: "view",
  properties: ["time", "topics", "message"].map((name) => ({ name, readOnly: true })),
  rows: (state) => [...state.logRows],
};
