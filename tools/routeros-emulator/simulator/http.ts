import { rejectUnknown, type CommandReply, type MenuContext } from "../engine/menu-engine.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import { addressList, filter, nat } from "../menus/firewall.ts";
import { proxy, proxyAccess } from "../menus/proxy.ts";
import { maskOf, parseCidr, parseIpv4 } from "../../routeros/ipv4.ts";

const GET_ARGUMENTS = ["src-address", "url"];

/** What a rule of each table matches on that this simulation reads; a rule that sets any other matcher is refused, never guessed. */
const FIREWALL_MATCHERS = new Set(["src-address", "dst-address", "src-address-list", "dst-address-list", "protocol", "dst-port"]);
const PROXY_MATCHERS = new Set(["src-address", "dst-host", "dst-port", "local-port", "method", "path"]);
/** Properties of a rule that say what it does or describe it, not what it matches. */
const NOT_MATCHERS = new Set([
  "chain",
  "action",
  "action-data",
  "to-addresses",
  "to-ports",
  "log",
  "log-prefix",
  "comment",
  "disabled",
  "dynamic",
  "hits",
  "passthrough",
]);

interface HttpRequest {
  source: string;
  host: string;
  port: number;
  path: string;
}

type Rule = Record<string, string>;

function parseRequest(args: Map<string, string>): HttpRequest {
  rejectUnknown(args, GET_ARGUMENTS);
  const source = args.get("src-address") ?? "";
  if (parseIpv4(source) === undefined) throw new Trap("invalid value for argument src-address", TrapCategory.argumentValue);
  let url: URL;
  try {
    url = new URL(args.get("url") ?? "");
  } catch {
    throw new Trap("invalid value for argument url", TrapCategory.argumentValue);
  }
  // The router sees plain HTTP only: an https:// request is a TLS stream it cannot read or redirect.
  if (url.protocol !== "http:") throw new Trap("invalid value for argument url: plain http:// only", TrapCategory.argumentValue);
  return { source, host: url.hostname, port: Number(url.port || 80), path: `${url.pathname}${url.search}` };
}

/** A rule's value that may be negated with a leading `!`, as RouterOS writes it (`dst-address-list=!odoo`). */
function holds(value: string, test: (text: string) => boolean): boolean {
  return value.startsWith("!") ? !test(value.slice(1)) : test(value);
}

function inNetwork(address: string, network: string): boolean {
  const value = parseIpv4(address);
  const parsed = parseCidr(network);
  return value !== undefined && parsed !== undefined && (value & maskOf(parsed.prefix)) >>> 0 === parsed.base;
}

/**
 * Whether `address` (an IPv4 address, or a host name as the request names it) is in the address
 * list. An entry may hold an address, a network or a host name: RouterOS resolves a name into
 * dynamic entries (manual "IP/Firewall/Address list"); the emulator resolves nothing, so a name
 * matches a request for that same name.
 */
function listed(context: MenuContext, list: string, address: string): boolean {
  return context.state
    .table(addressList.path)
    .rows.some(
      (row) =>
        row.values.list === list &&
        row.values.disabled !== "true" &&
        (row.values.address === address || inNetwork(address, row.values.address ?? "")),
    );
}

function portIn(ports: string, port: number): boolean {
  return ports.split(",").some((part) => {
    const [low = "", high = low] = part.split("-");
    return port >= Number(low) && port <= Number(high);
  });
}

/** A wildcard of the proxy's access list: `*` any characters, `?` one (manual "IP/Proxy"). */
function wildcard(pattern: string, text: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replaceAll("*", ".*")
    .replaceAll("?", ".");
  return new RegExp(`^${source}$`, "i").test(text);
}

function checkMatchers(rule: Rule, known: Set<string>, menu: string): void {
  const unknown = Object.keys(rule).filter((name) => !known.has(name) && !NOT_MATCHERS.has(name) && rule[name] !== "");
  if (unknown.length > 0)
    throw new Trap(`simulator: ${menu} rule matches on ${unknown.join(", ")}, which it does not evaluate`, TrapCategory.general);
}

function firewallMatches(rule: Rule, request: HttpRequest, destination: string, context: MenuContext, menu: string): boolean {
  checkMatchers(rule, FIREWALL_MATCHERS, menu);
  const tests: [string, (text: string) => boolean][] = [
    ["src-address", (text) => inNetwork(request.source, text)],
    ["dst-address", (text) => inNetwork(destination, text)],
    ["src-address-list", (text) => listed(context, text, request.source)],
    ["dst-address-list", (text) => listed(context, text, destination)],
    ["protocol", (text) => text === "tcp" || text === "6"],
    ["dst-port", (text) => portIn(text, request.port)],
  ];
  return tests.every(([name, test]) => rule[name] === undefined || holds(rule[name] ?? "", test));
}

function proxyMatches(rule: Rule, request: HttpRequest, proxyPort: number): boolean {
  checkMatchers(rule, PROXY_MATCHERS, proxyAccess.path);
  const tests: [string, (text: string) => boolean][] = [
    ["src-address", (text) => inNetwork(request.source, text)],
    ["dst-host", (text) => wildcard(text, request.host)],
    ["dst-port", (text) => portIn(text, request.port)],
    ["local-port", (text) => portIn(text, proxyPort)],
    ["method", (text) => text.toLowerCase() === "get"],
    ["path", (text) => wildcard(text, request.path)],
  ];
  return tests.every(([name, test]) => rule[name] === undefined || holds(rule[name] ?? "", test));
}

function enabledRows(context: MenuContext, path: string): Rule[] {
  return context.state
    .table(path)
    .rows.map((row) => row.values)
    .filter((values) => values.disabled !== "true");
}

/**
 * `/simulator/http/get src-address= url=`: what the router does with a plain-HTTP GET that a host
 * of its LAN sends through it, read from its own configuration, as a phone's captive-portal check
 * (`http://connectivitycheck.gstatic.com/generate_204`) would meet it. The emulator carries no
 * traffic; it names the verdict:
 * 1. the dstnat chain of `/ip/firewall/nat`, in order: the first enabled rule that matches decides,
 *    and `action=redirect` sends the request to the router itself, on `to-ports` (manual
 *    "IP/Firewall/NAT");
 * 2. sent to the port of the enabled web proxy: its access list, in order, the first match deciding,
 *    and a request no rule matches allowed (manual "IP/Proxy", "Access List"): `redirect` (with
 *    `location`, the rule's `action-data`), `denied`, or `forwarded` by the proxy;
 * 3. otherwise the forward chain of `/ip/firewall/filter`: `dropped` by the first matching drop (or
 *    reject), `forwarded` by an accept or when no rule matches.
 * The request's host is matched against address lists by its text: a host name matches an entry of
 * that name (the emulator resolves no names). A rule that matches on anything this simulation does
 * not evaluate (an interface, a connection state) is refused rather than guessed.
 */
export function httpGet(args: Map<string, string>, context: MenuContext): CommandReply {
  const request = parseRequest(args);
  const destination = request.host;
  const redirect = enabledRows(context, nat.path).find(
    (rule) => rule.chain === "dstnat" && firewallMatches(rule, request, destination, context, nat.path),
  );
  const settings = context.state.table(proxy.path).rows[0]?.values ?? {};
  const proxyPorts = (settings.port ?? "8080").split(",").map(Number);
  const toPort = Number(redirect?.["to-ports"] ?? request.port);
  if (redirect?.action === "redirect" && settings.enabled === "true" && proxyPorts.includes(toPort)) {
    const rule = enabledRows(context, proxyAccess.path).find((candidate) => proxyMatches(candidate, request, toPort));
    if (rule?.action === "redirect") return { items: [{ verdict: "redirect", location: rule["action-data"] ?? "" }] };
    return { items: [{ verdict: rule?.action === "deny" ? "denied" : "forwarded", by: "proxy" }] };
  }
  if (redirect !== undefined && redirect.action !== "accept") {
    throw new Trap(`simulator: a dstnat ${redirect.action ?? ""} to port ${toPort} that no enabled web proxy serves`, TrapCategory.general);
  }
  const verdict = enabledRows(context, filter.path).find(
    (rule) => rule.chain === "forward" && firewallMatches(rule, request, destination, context, filter.path),
  );
  const dropped = verdict?.action === "drop" || verdict?.action === "reject";
  return { items: [{ verdict: dropped ? "dropped" : "forwarded", by: "firewall" }] };
}
