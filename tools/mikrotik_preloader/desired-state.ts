/**
 * What a router should hold, derived from the config alone: an ordered list of objects, each
 * with the menu it lives in, how the preloader finds it again, and the properties it must have.
 * The order is the apply order from the product's set-up guide.
 */
import { AGENT_SCRIPT_NAME, COMMENT_PREFIX, ODOO_CA_CERTIFICATE_NAME } from "../contract.ts";
import { buildAgentScript } from "./agent-script.ts";
import type { ConfigPath } from "./config-loader.ts";
import { addressesOf, formatCidr, formatIpv4, normalizeCidrList, parseInterfaceAddress, parseIpv4 } from "./ipv4.ts";
import { buildLeaseScript } from "./lease-script.ts";
import type { OdooCa } from "./odoo-trust.ts";
import { fetchFlavour } from "./router-fetch.ts";
import { releaseTakes, type RouterRelease } from "./router-release.ts";
import type { PreloaderConfig } from "./schema.ts";

/** Every object the preloader creates carries a comment starting with this, so re-runs find it. */
export const MARKER_PREFIX = COMMENT_PREFIX;

/** The set-up steps, in the apply order of the product's guide. */
export type StepName =
  | "identity"
  | "management user"
  | "trust and time"
  | "wan"
  | "lan bridge"
  | "lan addressing and dhcp"
  | "hotspot"
  | "firewall"
  | "agent"
  | "api service"
  | "bootstrap user";

/** The steps that close the router to others, after everything else: a mistake there cannot cut the run off mid-way. */
export const LOCKDOWN_STEPS: readonly StepName[] = ["api service", "bootstrap user"];

/**
 * Menus the preloader may have written to that a config can stop wanting anything in: the
 * agent's, once a router is back in api mode. They are read on every run, so that the rows the
 * preloader marked there are removed rather than left behind.
 */
export const OPTIONAL_MENUS: readonly { menu: string; step: StepName }[] = [
  { menu: "/system/script", step: "agent" },
  { menu: "/system/scheduler", step: "agent" },
];

/** RouterOS script policies the agent needs: read and write the menus, and `/tool fetch` (test). */
const AGENT_POLICY = "read,write,policy,test";
/** Stands for the router's key where it is not known: a plan before Odoo made it, an .rsc export. */
export const ROUTER_KEY_PLACEHOLDER = "{{ISP_ROUTER_KEY}}";

export type Locator =
  /** Nameless objects (rules, ports, addresses): found by their comment marker. */
  | { by: "marker"; marker: string }
  /**
   * Objects the config names: found by name and adopted if they exist. One the preloader created
   * (it carries the marker comment) is renamed when the config names another instead, unless a
   * row of the new name exists: that one is adopted and the marked one removed.
   */
  | { by: "name"; name: string }
  /** `/system/identity`: one item without `.id`. */
  | { by: "singleton" }
  /** `/ip/service` rows: they exist on every router and are only ever `set`. */
  | { by: "row"; name: string };

export type Uniqueness =
  /** Another row with the same values of `props` already does this object's job. */
  | { props: string[] }
  /** Such a row counts as this object only when `equivalentWhen` match too; otherwise it is in the way. */
  | { props: string[]; equivalentWhen: string[]; conflict(row: Record<string, string>): string };

export interface DesiredObject {
  step: StepName;
  menu: string;
  locate: Locator;
  /** Compared with the router's row; a difference is a change. */
  props: Record<string, string>;
  /** Written when the object is added (e.g. the marker comment), never compared. */
  addProps?: Record<string, string>;
  /** Written on add, or when the router says it is stale; never read back nor printed. */
  secretProps?: Record<string, string>;
  unique?: Uniqueness;
  /** Added above the first existing rule of its menu, because rule order decides. */
  placeFirst?: boolean;
  /** Properties RouterOS cannot `set` (a certificate's fingerprint): a difference replaces the row. */
  immutable?: string[];
  /** List-valued properties where the desired value is one member to include, the others kept (7.24's builtin-trust-store). */
  includes?: string[];
  /** The row is made by `/certificate import` of this PEM, through `/file`, instead of by `add`. */
  importPem?: string;
  /** The config key this object comes from, for conflict messages. */
  configPath: ConfigPath;
}

export interface DesiredStateInput {
  config: PreloaderConfig;
  identity: string;
  mgmtPassword: string;
  /**
   * The shared onboarding token, for a router set up by hand in api mode (`--export-rsc`): its
   * lease-script has no key. A router the preloader sets up always gets its own key.
   */
  macToken?: string;
  /** allowed_mgmt_ips plus the environment's extra list. */
  allowedMgmtIps: string[];
  /** The router's own key, once Odoo has made it; until then its scripts hold ROUTER_KEY_PLACEHOLDER. */
  routerKey?: string;
  /** What the router runs, which decides the scripts' fetch arguments and the trust settings it offers. */
  release: RouterRelease;
  /** The CA the router's fetch must trust, for an https:// Odoo whose certificate it checks. */
  odooCa?: OdooCa;
}

const marker = (key: string) => `${MARKER_PREFIX}${key}`;

function byMarker(key: string): { locate: Locator; addProps: Record<string, string> } {
  return { locate: { by: "marker", marker: marker(key) }, addProps: { comment: marker(key) } };
}

/** Objects the config names, in menus that take a comment, are marked too, so operators see who made them. */
function byName(name: string, key: string): { locate: Locator; addProps: Record<string, string> } {
  return { locate: { by: "name", name }, addProps: { comment: marker(key) } };
}

function isIpv4Literal(host: string): boolean {
  return parseIpv4(host) !== undefined;
}

/** The hosts the hotspot lets through before login: the portal, Odoo, and the configured extras. */
function walledGardenHosts(config: PreloaderConfig): string[] {
  const hosts = [config.hotspot_dns_name, new URL(config.odoo.url).hostname, ...config.hotspot.walled_garden_hosts];
  return [...new Set(hosts.map((host) => host.toLowerCase()))];
}

/** The LAN interface address and its network (lan.address, already validated). */
function lanAddress(config: PreloaderConfig) {
  const lan = parseInterfaceAddress(config.lan.address);
  if (lan === undefined) throw new Error("lan.address was validated by the schema");
  return lan;
}

/** The networks the router's customers are on, as Odoo's record of the router and the agent hold them. */
export function lanNetworks(config: PreloaderConfig): string[] {
  return [formatCidr(lanAddress(config).network)];
}

function identityObjects(input: DesiredStateInput): DesiredObject[] {
  const { config } = input;
  return [
    {
      step: "identity",
      menu: "/system/identity",
      locate: { by: "singleton" },
      props: { name: input.identity },
      configPath: ["routeros", "identity"],
    },
    {
      step: "management user",
      menu: "/user",
      ...byName(config.routeros.mgmt_user, "mgmt-user"),
      props: { group: config.routeros.mgmt_group },
      secretProps: { password: input.mgmtPassword },
      configPath: ["routeros", "mgmt_user"],
    },
  ];
}

function wanObjects(config: PreloaderConfig): DesiredObject[] {
  const wan = config.wan_interface;
  return [
    {
      step: "wan",
      menu: "/ip/dhcp-client",
      ...byMarker("wan-dhcp-client"),
      props: { interface: wan, disabled: "no" },
      unique: { props: ["interface"] },
      configPath: ["wan_interface"],
    },
    {
      step: "wan",
      menu: "/ip/firewall/nat",
      ...byMarker("wan-masquerade"),
      props: { chain: "srcnat", action: "masquerade", "out-interface": wan },
      unique: { props: ["chain", "action", "out-interface"] },
      configPath: ["wan_interface"],
    },
  ];
}

function bridgeObjects(config: PreloaderConfig): DesiredObject[] {
  const bridge = config.lan.bridge;
  return [
    { step: "lan bridge", menu: "/interface/bridge", ...byName(bridge, "lan-bridge"), props: {}, configPath: ["lan", "bridge"] },
    ...config.lan_ports.map((port, index): DesiredObject => ({
      step: "lan bridge",
      menu: "/interface/bridge/port",
      ...byMarker(`lan-port:${port}`),
      props: { bridge, interface: port },
      unique: {
        props: ["interface"],
        equivalentWhen: ["bridge"],
        conflict: (row) => `interface "${port}" is already a port of bridge "${row.bridge}" (take it out there, or name that bridge as lan.bridge)`,
      },
      configPath: ["lan_ports", index],
    })),
  ];
}

function addressingObjects(input: DesiredStateInput): DesiredObject[] {
  const { config } = input;
  const lan = lanAddress(config);
  const gateway = formatIpv4(lan.address);
  const step = "lan addressing and dhcp";
  return [
    {
      step,
      menu: "/ip/address",
      ...byMarker("lan-address"),
      props: { address: config.lan.address, interface: config.lan.bridge },
      unique: {
        props: ["address"],
        equivalentWhen: ["interface"],
        conflict: (row) => `address ${config.lan.address} is already on interface "${row.interface}"`,
      },
      configPath: ["lan", "address"],
    },
    {
      step,
      menu: "/ip/pool",
      ...byName(config.lan.pool_name, "lan-pool"),
      props: { ranges: config.lan.pool_range },
      configPath: ["lan", "pool_name"],
    },
    {
      step,
      menu: "/ip/dhcp-server",
      ...byName(config.lan.dhcp_server_name, "lan-dhcp-server"),
      props: {
        interface: config.lan.bridge,
        "address-pool": config.lan.pool_name,
        "lease-time": config.lan.lease_time,
        "lease-script": buildLeaseScript({
          odooUrl: config.odoo.url,
          database: config.odoo.database,
          token: input.macToken ?? "",
          routerIdentity: input.identity,
          sectorCode: config.sector.code,
          fetch: fetchFlavour(config, input.release),
          // Only a router set up by hand in api mode signs with the shared token.
          routerKey:
            input.routerKey ?? (config.routeros.connection_mode === "agent" || input.macToken === undefined ? ROUTER_KEY_PLACEHOLDER : undefined),
          runAgent: config.routeros.connection_mode === "agent",
        }),
        disabled: "no",
      },
      unique: {
        props: ["interface"],
        equivalentWhen: ["name"],
        conflict: (row) => `DHCP server "${row.name}" already serves interface "${config.lan.bridge}"`,
      },
      configPath: ["lan", "dhcp_server_name"],
    },
    {
      step,
      menu: "/ip/dhcp-server/network",
      ...byMarker("lan-dhcp-network"),
      props: { address: formatCidr(lan.network), gateway, "dns-server": config.lan.dns_servers.join(",") },
      unique: {
        props: ["address"],
        equivalentWhen: ["gateway"],
        conflict: (row) => `DHCP network ${formatCidr(lan.network)} already exists with gateway ${row.gateway}`,
      },
      configPath: ["lan", "address"],
    },
  ];
}

function hotspotObjects(config: PreloaderConfig): DesiredObject[] {
  if (!config.hotspot.enabled) return [];
  const lan = lanAddress(config);
  const step = "hotspot";
  const hosts = walledGardenHosts(config);
  // Odoo's URL may name an address walled_garden_ips lists too: one object per marker.
  const gardenIps = [...new Set([...hosts.filter(isIpv4Literal), ...config.hotspot.walled_garden_ips])];
  return [
    {
      step,
      menu: "/ip/hotspot/profile",
      locate: { by: "name", name: config.hotspot.profile },
      props: {
        "hotspot-address": formatIpv4(lan.address),
        "dns-name": config.hotspot_dns_name,
        "login-by": config.hotspot.login_by.join(","),
        "mac-auth-mode": "mac-as-username-and-password",
      },
      configPath: ["hotspot", "profile"],
    },
    {
      step,
      menu: "/ip/hotspot",
      locate: { by: "name", name: config.hotspot.server_name },
      props: { interface: config.lan.bridge, "address-pool": config.lan.pool_name, profile: config.hotspot.profile, disabled: "no" },
      unique: {
        props: ["interface"],
        equivalentWhen: ["name"],
        conflict: (row) => `hotspot server "${row.name}" already runs on interface "${config.lan.bridge}"`,
      },
      configPath: ["hotspot", "server_name"],
    },
    ...hosts
      .filter((host) => !isIpv4Literal(host))
      .flatMap((host): DesiredObject[] => [
        {
          step,
          menu: "/ip/hotspot/walled-garden",
          ...byMarker(`walled-garden:${host}`),
          props: { "dst-host": host, action: "allow" },
          unique: { props: ["dst-host"] },
          configPath: ["hotspot", "walled_garden_hosts"],
        },
        // HTTPS never reaches the hotspot's HTTP proxy, so the host's addresses must be let through too.
        {
          step,
          menu: "/ip/hotspot/walled-garden/ip",
          ...byMarker(`walled-garden-ip:${host}`),
          props: { "dst-host": host, action: "accept" },
          unique: { props: ["dst-host"] },
          configPath: ["hotspot", "walled_garden_hosts"],
        },
      ]),
    ...gardenIps.map((address): DesiredObject => ({
      step,
      menu: "/ip/hotspot/walled-garden/ip",
      ...byMarker(`walled-garden-ip:${address}`),
      props: { "dst-address": address, action: "accept" },
      unique: { props: ["dst-address"] },
      configPath: ["hotspot", "walled_garden_ips"],
    })),
  ];
}

/**
 * The address list that holds Odoo's address, which suspended customers still reach (their
 * notice page). Where odoo.url names a host, the entry holds the name and RouterOS resolves it,
 * adding the addresses as dynamic entries of the list (manual "IP/Firewall/Address list").
 */
export const ODOO_ADDRESS_LIST = "isp_core-odoo";

/**
 * What suspended customers meet. Their forwarded traffic is dropped, but for DNS (port 53) and
 * Odoo's own address; their plain-HTTP requests to anywhere else go to the router's web proxy,
 * where the rule Odoo adds per suspended address (the customer-access job) redirects them to their
 * notice page, and a last rule denies everything else, so that the proxy serves nobody (a request
 * no access rule matches is allowed: manual "IP/Proxy", "Access List"). HTTPS cannot be redirected.
 */
function firewallObjects(config: PreloaderConfig): DesiredObject[] {
  const suspended = config.firewall.suspended_address_list;
  const proxyPort = String(config.firewall.notice_proxy_port);
  const configPath: ConfigPath = ["firewall", "suspended_address_list"];
  // Rules placed first all go in front of the router's first static rule as it was before the run,
  // in this order: the accept rules before the drop. On a router that has the drop already (an
  // earlier release), they go in front of it.
  const accept = (key: string, match: Record<string, string>): DesiredObject => ({
    step: "firewall",
    menu: "/ip/firewall/filter",
    ...byMarker(key),
    props: { chain: "forward", "src-address-list": suspended, ...match, action: "accept" },
    placeFirst: true,
    unique: { props: ["chain", "src-address-list", ...Object.keys(match), "action"] },
    configPath,
  });
  return [
    accept("suspended-dns-udp", { protocol: "udp", "dst-port": "53" }),
    accept("suspended-dns-tcp", { protocol: "tcp", "dst-port": "53" }),
    accept("suspended-odoo", { "dst-address-list": ODOO_ADDRESS_LIST }),
    {
      step: "firewall",
      menu: "/ip/firewall/filter",
      ...byMarker("suspended-drop"),
      props: { chain: "forward", "src-address-list": suspended, action: "drop" },
      placeFirst: true,
      unique: { props: ["chain", "src-address-list", "action"] },
      configPath,
    },
    {
      step: "firewall",
      menu: "/ip/firewall/address-list",
      ...byMarker("odoo-address"),
      props: { list: ODOO_ADDRESS_LIST, address: new URL(config.odoo.url).hostname },
      configPath: ["odoo", "url"],
    },
    {
      step: "firewall",
      menu: "/ip/proxy",
      locate: { by: "singleton" },
      props: { enabled: "yes", port: proxyPort },
      configPath: ["firewall", "notice_proxy_port"],
    },
    {
      step: "firewall",
      menu: "/ip/proxy/access",
      ...byMarker("proxy-deny"),
      props: { action: "deny" },
      configPath: ["firewall", "notice_proxy_port"],
    },
    {
      step: "firewall",
      menu: "/ip/firewall/nat",
      ...byMarker("suspended-to-proxy"),
      props: {
        chain: "dstnat",
        "src-address-list": suspended,
        "dst-address-list": `!${ODOO_ADDRESS_LIST}`,
        protocol: "tcp",
        "dst-port": "80",
        action: "redirect",
        "to-ports": proxyPort,
      },
      placeFirst: true,
      unique: { props: ["chain", "src-address-list", "protocol", "dst-port", "action"] },
      configPath,
    },
  ];
}

/** In agent mode: the agent script, and the scheduler that runs it every agent_interval. */
function agentObjects(input: DesiredStateInput): DesiredObject[] {
  const { config } = input;
  if (config.routeros.connection_mode !== "agent") return [];
  const source = buildAgentScript({
    odooUrl: config.odoo.url,
    database: config.odoo.database,
    key: input.routerKey ?? ROUTER_KEY_PLACEHOLDER,
    suspendedAddressList: config.firewall.suspended_address_list,
    lanNetworks: lanNetworks(config),
    fetch: fetchFlavour(config, input.release),
  });
  return [
    {
      step: "agent",
      menu: "/system/script",
      ...byName(AGENT_SCRIPT_NAME, "agent-script"),
      props: { source, policy: AGENT_POLICY },
      configPath: ["routeros", "connection_mode"],
    },
    {
      step: "agent",
      menu: "/system/scheduler",
      ...byName(AGENT_SCRIPT_NAME, "agent-scheduler"),
      props: {
        interval: config.routeros.agent_interval,
        "on-event": `/system script run ${AGENT_SCRIPT_NAME}`,
        policy: AGENT_POLICY,
        disabled: "no",
      },
      configPath: ["routeros", "agent_interval"],
    },
  ];
}

/**
 * What the router's fetch needs to trust Odoo (RouterOS's certificate store starts empty before
 * 7.19, and validation reads the router's clock, which without a battery starts near 1970):
 * Odoo's CA, imported and trusted; the built-in anchors where the config asks and the release has
 * them; and the NTP client, unless the clock is managed elsewhere.
 */
function trustObjects(input: DesiredStateInput): DesiredObject[] {
  const { config, odooCa, release } = input;
  const step = "trust and time";
  const objects: DesiredObject[] = [];
  if (odooCa !== undefined) {
    objects.push({
      step,
      menu: "/certificate",
      locate: { by: "name", name: ODOO_CA_CERTIFICATE_NAME },
      props: { fingerprint: odooCa.fingerprint, trusted: "yes" },
      immutable: ["fingerprint"],
      importPem: odooCa.pem,
      unique: {
        props: ["fingerprint"],
        equivalentWhen: ["trusted"],
        conflict: (row) =>
          `the router already holds Odoo's CA as "${row.name}", not trusted: trust it (/certificate set ${row.name} trusted=yes) or remove it; the preloader changes no certificate it did not import`,
      },
      configPath: ["odoo", config.odoo.ca_file === undefined ? "url" : "ca_file"],
    });
  }
  if (config.routeros.builtin_trust_anchors) {
    const setting = BUILTIN_TRUST_SETTINGS.find((candidate) => releaseTakes(release, "/certificate/settings/set", candidate.prop));
    if (setting !== undefined) {
      objects.push({
        step,
        menu: "/certificate/settings",
        locate: { by: "singleton" },
        props: { [setting.prop]: setting.value },
        ...(setting.includes ? { includes: [setting.prop] } : {}),
        configPath: ["routeros", "builtin_trust_anchors"],
      });
    }
  }
  if (!config.clock.managed_elsewhere) {
    objects.push({
      step,
      menu: "/system/ntp/client",
      locate: { by: "singleton" },
      props: { enabled: "yes", servers: config.clock.ntp_servers.join(",") },
      configPath: ["clock", "ntp_servers"],
    });
  }
  return objects;
}

/**
 * The built-in anchors, by what each release's command tree offers: 7.19's
 * `builtin-trust-anchors=trusted`; 7.24's `builtin-trust-store`, a list of the services that may
 * use them, to which fetch is added. 7.12.2's tree has neither.
 */
const BUILTIN_TRUST_SETTINGS: readonly { prop: string; value: string; includes: boolean }[] = [
  { prop: "builtin-trust-store", value: "fetch", includes: true },
  { prop: "builtin-trust-anchors", value: "trusted", includes: false },
];

/** The plan's note when the config asks for built-in anchors the router's release does not have. */
export function builtinTrustWarning(config: PreloaderConfig, release: RouterRelease): string | undefined {
  if (!config.routeros.builtin_trust_anchors) return undefined;
  if (BUILTIN_TRUST_SETTINGS.some((setting) => releaseTakes(release, "/certificate/settings/set", setting.prop))) return undefined;
  return `routeros.builtin_trust_anchors: RouterOS ${release.version} has no built-in trust anchors; the router trusts only the CA the preloader imports`;
}

/** The key in an agent script as the preloader wrote it, or undefined. */
export function routerKeyOf(source: string | undefined): string | undefined {
  return /X-ISP-Router-Key: ([A-Za-z0-9_-]+)/.exec(source ?? "")?.[1];
}

/** The API, and the other management services the config names, only from allowed_mgmt_ips. */
function apiServiceObjects(input: DesiredStateInput): DesiredObject[] {
  const address = normalizeCidrList(input.allowedMgmtIps).join(",");
  // `address` is the allow-list's name on every RouterOS 7 release; `available-from` exists only from 7.24.
  return ["api", "api-ssl", ...input.config.routeros.restricted_services].map((name) => ({
    step: "api service",
    menu: "/ip/service",
    locate: { by: "row", name },
    props: { address },
    configPath: ["routeros", name.startsWith("api") ? "allowed_mgmt_ips" : "restricted_services"],
  }));
}

/** The factory account, disabled when the config asks: anyone who reaches the router could use it. */
function bootstrapUserObjects(config: PreloaderConfig): DesiredObject[] {
  if (!config.routeros.disable_bootstrap_user) return [];
  return [
    {
      step: "bootstrap user",
      menu: "/user",
      locate: { by: "row", name: config.routeros.bootstrap_user },
      props: { disabled: "yes" },
      configPath: ["routeros", "disable_bootstrap_user"],
    },
  ];
}

export function buildDesiredState(input: DesiredStateInput): DesiredObject[] {
  return [
    ...identityObjects(input),
    ...trustObjects(input),
    ...wanObjects(input.config),
    ...bridgeObjects(input.config),
    ...addressingObjects(input),
    ...hotspotObjects(input.config),
    ...firewallObjects(input.config),
    ...agentObjects(input),
    ...apiServiceObjects(input),
    ...bootstrapUserObjects(input.config),
  ];
}

/** The properties an add writes: the name the object is found by, its compared, add-only and secret ones. */
export function addProperties(object: DesiredObject): Record<string, string> {
  const name: Record<string, string> = object.locate.by === "name" ? { name: object.locate.name } : {};
  return { ...name, ...object.props, ...object.addProps, ...object.secretProps };
}

/**
 * `{sector}-{n}` → `SEC-001-los_cacaos-1`, where `{n}` is the address's position in mgmt_subnet:
 * a router that does not answer must not renumber the others, whose Odoo records carry the name.
 * `{ip}` gives the router's address with dashes.
 */
export function routerIdentity(config: PreloaderConfig, address: string): string {
  const position = addressesOf(config.mgmt_subnet)?.indexOf(address) ?? -1;
  if (position === -1) throw new Error(`${address} is not an address of mgmt_subnet ${config.mgmt_subnet}`);
  return config.routeros.identity
    .replaceAll("{sector}", config.sector.code)
    .replaceAll("{n}", String(position + 1))
    .replaceAll("{ip}", address.replaceAll(".", "-"));
}
