import { DEFAULT_PRINT_ARGUMENTS, type MenuSchema } from "../engine/schema.ts";
import { comment, disabled, dynamic, interfaceReference } from "./properties.ts";

/** Firewall tables have no `brief` print layout. */
const RULE_PRINT_ARGUMENTS = DEFAULT_PRINT_ARGUMENTS.filter((name) => name !== "brief");

export const nat: MenuSchema = {
  path: "/ip/firewall/nat",
  kind: "list",
  toggle: true,
  printArguments: RULE_PRINT_ARGUMENTS,
  properties: [
    { name: "chain", required: true },
    { name: "action", default: "accept" },
    { name: "src-address" },
    { name: "dst-address" },
    { name: "src-address-list" },
    { name: "dst-address-list" },
    { name: "protocol" },
    { name: "dst-port" },
    interfaceReference("in-interface"),
    interfaceReference("out-interface"),
    { name: "to-addresses" },
    { name: "to-ports" },
    { name: "hotspot" },
    { name: "log", boolean: true, default: "false" },
    { name: "log-prefix", default: "" },
    comment,
    disabled,
    dynamic,
  ],
};

export const filter: MenuSchema = {
  path: "/ip/firewall/filter",
  kind: "list",
  toggle: true,
  printArguments: RULE_PRINT_ARGUMENTS,
  properties: [
    { name: "chain", required: true },
    { name: "action", default: "accept" },
    { name: "src-address" },
    { name: "dst-address" },
    { name: "src-address-list" },
    { name: "dst-address-list" },
    { name: "connection-state" },
    { name: "protocol" },
    { name: "dst-port" },
    interfaceReference("in-interface"),
    interfaceReference("out-interface"),
    { name: "hotspot" },
    { name: "log", boolean: true, default: "false" },
    { name: "log-prefix", default: "" },
    // Accepted so that callers may position a rule; the emulator keeps rules in insertion order.
    { name: "place-before", addOnly: true },
    comment,
    disabled,
    dynamic,
  ],
};

export const addressList: MenuSchema = {
  path: "/ip/firewall/address-list",
  kind: "list",
  toggle: true,
  properties: [{ name: "list", required: true }, { name: "address", required: true }, { name: "timeout" }, comment, disabled, dynamic],
};
