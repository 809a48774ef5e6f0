import { DEFAULT_PRINT_ARGUMENTS, type MenuSchema, type PropertySchema } from "../engine/schema.ts";
import { comment, disabled, dynamic, interfaceReference } from "./properties.ts";

/** Firewall tables have no `brief` print layout. */
const RULE_PRINT_ARGUMENTS = DEFAULT_PRINT_ARGUMENTS.filter((name) => name !== "brief");

/** What NAT and filter rules have in common: where they sit, what they match, how they log. */
function ruleProperties(specific: PropertySchema[]): PropertySchema[] {
  return [
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
    { name: "hotspot" },
    ...specific,
    { name: "log", boolean: true, default: "false" },
    { name: "log-prefix", default: "" },
    // Puts the new rule in front of the one it names (MikroTik's manual, "Filter": rules are
    // processed in order, so where a drop sits is what it means).
    { name: "place-before", addOnly: true },
    comment,
    disabled,
    dynamic,
  ];
}

export const nat: MenuSchema = {
  path: "/ip/firewall/nat",
  kind: "list",
  toggle: true,
  printArguments: RULE_PRINT_ARGUMENTS,
  properties: ruleProperties([{ name: "to-addresses" }, { name: "to-ports" }]),
};

export const filter: MenuSchema = {
  path: "/ip/firewall/filter",
  kind: "list",
  toggle: true,
  printArguments: RULE_PRINT_ARGUMENTS,
  properties: ruleProperties([{ name: "connection-state" }]),
};

/** Marks connections, packets and routes for queues and routing; ordered like the other tables. */
export const mangle: MenuSchema = {
  path: "/ip/firewall/mangle",
  kind: "list",
  toggle: true,
  printArguments: RULE_PRINT_ARGUMENTS,
  properties: ruleProperties([
    { name: "connection-state" },
    { name: "connection-mark" },
    { name: "packet-mark" },
    { name: "routing-mark" },
    { name: "new-connection-mark" },
    { name: "new-packet-mark" },
    { name: "new-routing-mark" },
    { name: "passthrough", boolean: true, default: "true" },
  ]),
};

export const addressList: MenuSchema = {
  path: "/ip/firewall/address-list",
  kind: "list",
  toggle: true,
  properties: [{ name: "list", required: true }, { name: "address", required: true }, { name: "timeout" }, comment, disabled, dynamic],
};
