import type { MenuSchema } from "../engine/schema.ts";
import type { RouterState } from "../engine/state.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import { comment, disabled } from "./properties.ts";

const ALL_POLICIES = "ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon";

export const identity: MenuSchema = {
  path: "/system/identity",
  kind: "singleton",
  properties: [{ name: "name", default: "MikroTik" }],
  printArguments: ["as-value", "interval", "without-paging"],
};

/** When each emulated router started, for its `uptime`. */
const BOOTED = new WeakMap<RouterState, number>();

/**
 * What the router is and runs; clients read `version` from it (e.g. a "Test connection" button),
 * and monitoring (Home Assistant, Mikhmon) the load, memory and disk: the readings of a small
 * CHR with 1 GiB of memory and a 128 MiB disk (MikroTik's manual, "Resource").
 */
export const resource: MenuSchema = {
  path: "/system/resource",
  kind: "view",
  unnumbered: true,
  properties: [
    "uptime",
    "version",
    "build-time",
    "factory-software",
    "free-memory",
    "total-memory",
    "cpu",
    "cpu-count",
    "cpu-frequency",
    "cpu-load",
    "free-hdd-space",
    "total-hdd-space",
    "architecture-name",
    "board-name",
    "platform",
  ].map((name) => ({ name, readOnly: true })),
  rows: (state, version) => {
    if (!BOOTED.has(state)) BOOTED.set(state, Date.now());
    const seconds = Math.floor((Date.now() - (BOOTED.get(state) ?? Date.now())) / 1000);
    return [
      {
        id: 0,
        values: {
          uptime: routerDuration(seconds),
          version: `${version} (stable)`,
          "build-time": "2025-01-01 00:00:00",
          "factory-software": "7.1",
          "free-memory": "912261120",
          "total-memory": "1073741824",
          cpu: "QEMU Virtual CPU",
          "cpu-count": "1",
          "cpu-frequency": "2400",
          "cpu-load": "2",
          "free-hdd-space": "100777984",
          "total-hdd-space": "134217728",
          "architecture-name": "x86_64",
          "board-name": "CHR",
          platform: "MikroTik",
        },
      },
    ];
  },
  printArguments: ["as-value", "interval", "without-paging"],
};

/** A duration as RouterOS 7 prints it over the API: `1w2d3h4m5s`, zero units left out, `0s` for none. */
export function routerDuration(totalSeconds: number): string {
  const units: [string, number][] = [
    ["w", 604_800],
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
    ["s", 1],
  ];
  let left = totalSeconds;
  const text = units
    .map(([unit, size]) => {
      const count = Math.floor(left / size);
      left -= count * size;
      return count > 0 ? `${count}${unit}` : "";
    })
    .join("");
  return text || "0s";
}

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
