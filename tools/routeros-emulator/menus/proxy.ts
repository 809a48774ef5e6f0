import type { MenuSchema } from "../engine/schema.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import { parseCidr, parseIpv4 } from "../../routeros/ipv4.ts";
import { choice, comment, disabled, dynamic } from "./properties.ts";

/** A TCP port, or a comma-separated list of them (the manual: `port (integer[,integer]: 0..65535)`). */
function portList(value: string): string {
  const ports = value.split(",");
  if (ports.some((port) => !/^\d{1,5}$/.test(port) || Number(port) > 65535)) {
    throw new Trap("invalid value for argument port", TrapCategory.argumentValue);
  }
  return value;
}

/** An IPv4 address or network, as the access list matches a source or destination. */
function addressMatch(name: string): (value: string) => string {
  return (value) => {
    const [address = ""] = value.split("/");
    if (parseIpv4(address) === undefined || parseCidr(value.includes("/") ? value : `${value}/32`) === undefined) {
      throw new Trap(`invalid value for argument ${name}`, TrapCategory.argumentValue);
    }
    return value;
  };
}

/**
 * `/ip/proxy` (manual "IP/Proxy"): the web proxy, off until `enabled=yes`, listening on `port`
 * (8080 by default). The properties are those of `set` in the 7.12.2, 7.19.6 and 7.24 command
 * trees that the emulator keeps.
 */
export const proxy: MenuSchema = {
  path: "/ip/proxy",
  kind: "singleton",
  properties: [
    { name: "enabled", boolean: true, default: "false" },
    { name: "port", default: "8080", normalize: portList },
    { name: "anonymous", boolean: true, default: "false" },
    { name: "cache-on-disk", boolean: true, default: "false" },
    { name: "cache-administrator", default: "webmaster" },
    { name: "max-client-connections", default: "600" },
    { name: "max-server-connections", default: "600" },
  ],
  printArguments: ["as-value", "without-paging"],
};

/**
 * `/ip/proxy/access` (manual "IP/Proxy", "Access List"): rules read from the top, the first match
 * deciding; a request no rule matches is allowed, so a proxy that must not serve the world ends
 * with a rule that denies everything. The 7.x command trees name the redirect's URL `action-data`
 * (RouterOS 6 called it `redirect-to`, which no 7.x tree has). `place-before` puts a new rule in
 * front of the one it names.
 */
export const proxyAccess: MenuSchema = {
  path: "/ip/proxy/access",
  kind: "list",
  toggle: true,
  properties: [
    { name: "src-address", normalize: addressMatch("src-address") },
    { name: "dst-address", normalize: addressMatch("dst-address") },
    { name: "dst-host" },
    { name: "dst-port" },
    { name: "local-port", normalize: portList },
    { name: "method" },
    { name: "path" },
    { name: "action", default: "allow", normalize: choice("action", ["allow", "deny", "redirect"]) },
    { name: "action-data" },
    { name: "hits", readOnly: true, default: "0" },
    { name: "place-before", addOnly: true },
    comment,
    disabled,
    dynamic,
  ],
};
