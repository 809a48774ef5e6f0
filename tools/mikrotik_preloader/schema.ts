/**
 * The preloader's configuration: validated here and only here. `PreloaderConfig` is inferred
 * from the schema, so the type and the checks never drift apart. Secrets are not part of it;
 * they come from the environment (see secrets.ts).
 */
import { SUSPENDED_ADDRESS_LIST } from "../contract.ts";
import { z } from "zod";
import { DURATION_PATTERN } from "../routeros/duration.ts";
import { addressesOf, networkContains, parseCidr, parseInterfaceAddress, parseIpv4 } from "./ipv4.ts";

/** Hosts that never leave the machine, where plain http carries no secret over a network. */
const LOOPBACK_HOSTS = new Set(["localhost", "[::1]"]);

/** Discovery probes every address of mgmt_subnet; more would be a scan, not a discovery. */
const MAX_MGMT_ADDRESSES = 1022;

/** RouterOS names that are safe inside API words, scripts and the lease-script's JSON. */
const routerName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");

const ipv4Address = z.string().refine((text) => parseIpv4(text) !== undefined, "must be an IPv4 address such as 1.1.1.1");
const ipv4Cidr = z
  .string()
  .refine((text) => parseCidr(text) !== undefined, "must be an IPv4 address or network such as 203.0.113.7 or 203.0.113.0/24");
const hostName = z
  .string()
  .regex(
    /^(?=.{1,253}$)[A-Za-z0-9*]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
    "must be a DNS host name such as portal.example.com",
  );
const duration = z.string().regex(DURATION_PATTERN, "must be a RouterOS duration such as 30m, 1h or 1d");
/** Safe to embed in the lease-script's header list, which RouterOS splits on commas. */
const headerSafe = z.string().regex(/^[A-Za-z0-9._-]+$/, "may hold only letters, digits, '.', '_' and '-'");

const routerosSchema = z.strictObject({
  api_port: z.number().int().min(1).max(65535).default(8728),
  use_tls: z.boolean().default(false),
  tls_verify_certificate: z.boolean().default(false),
  bootstrap_user: routerName.default("admin"),
  mgmt_user: routerName.default("isp-core"),
  mgmt_group: z.enum(["full", "write", "read"]).default("full"),
  allowed_mgmt_ips: z.array(ipv4Cidr).min(1, "must list at least one address: the API is restricted to it"),
  odoo_hosts: z.record(ipv4Address, z.string().min(1)).default({}),
  identity: z
    .string()
    .regex(/^[A-Za-z0-9{}._-]+$/, "may hold letters, digits, '.', '_', '-' and the placeholders {sector}, {n}, {ip}")
    .default("{sector}-{n}"),
  probe_timeout_ms: z.number().int().min(100).max(30_000).default(1500),
  /**
   * api: Odoo connects to the router's API. agent: the router runs isp_core's agent, which calls
   * Odoo, for a router Odoo cannot reach (behind Starlink's CGNAT).
   */
  connection_mode: z.enum(["api", "agent"]).default("api"),
  /** Management services other than the API that get the same allow-list. */
  restricted_services: z.array(z.enum(["winbox", "ssh", "telnet", "ftp", "www", "www-ssl"])).default(["winbox", "ssh", "telnet", "ftp"]),
  /** Disable the factory account once the management user exists. */
  disable_bootstrap_user: z.boolean().default(false),
  /** How often the agent checks in, and how often it sends its leases. */
  agent_interval: duration.default("30s"),
  agent_sync_interval: duration.default("5m"),
  /**
   * Let the router's fetch also trust RouterOS's built-in CA anchors (7.19's
   * builtin-trust-anchors, 7.24's builtin-trust-store), on releases whose command tree has them.
   */
  builtin_trust_anchors: z.boolean().default(false),
});

const sectorSchema = z.strictObject({
  code: routerName,
  name: z.string().min(1),
});

const lanSchema = z.strictObject({
  bridge: routerName.default("bridge-isp"),
  address: z.string().refine((text) => parseInterfaceAddress(text) !== undefined, "must be an address with its prefix, such as 10.10.0.1/24"),
  pool_name: routerName.default("isp-lan-pool"),
  pool_range: z.string().regex(/^\d+\.\d+\.\d+\.\d+-\d+\.\d+\.\d+\.\d+$/, "must be a range such as 10.10.0.10-10.10.0.250"),
  dhcp_server_name: routerName.default("isp-lan-dhcp"),
  lease_time: duration.default("1h"),
  dns_servers: z.array(ipv4Address).min(1),
});

const hotspotSchema = z.strictObject({
  enabled: z.boolean().default(true),
  server_name: routerName.default("isp-hotspot"),
  profile: routerName.default("isp-hotspot"),
  login_by: z
    .array(z.enum(["mac", "http-chap", "http-pap", "cookie", "https", "trial", "mac-cookie"]))
    .min(1)
    .default(["mac", "http-chap"]),
  walled_garden_hosts: z.array(hostName).default([]),
  walled_garden_ips: z.array(ipv4Cidr).default([]),
});

const odooSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }),
  api_url: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  database: headerSafe,
  login: z.string().min(1).default("admin"),
  /** Odoo's code of the language Odoo writes in for the preloader's calls (es_DO, en_US). */
  lang: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?(@[a-z]+)?$/, "must be an Odoo language code such as es_DO or en_US")
    .optional(),
  check_certificate: z.boolean().default(true),
  /** Also check revocation lists (check-certificate=yes), which the router must then be able to download. */
  check_revocation: z.boolean().default(false),
  /** The PEM of the CA that signs Odoo's certificate; without it, the top of the chain Odoo's TLS handshake presents. */
  ca_file: z.string().min(1).optional(),
});

const clockSchema = z.strictObject({
  /** Another system sets the router's clock (GPS, a management NTP policy): the preloader leaves NTP alone. */
  managed_elsewhere: z.boolean().default(false),
  /** The NTP servers of the router's NTP client: addresses or host names. */
  ntp_servers: z.array(hostName).min(1).default(["pool.ntp.org", "time.cloudflare.com"]),
});

const firewallSchema = z.strictObject({
  suspended_address_list: routerName.default(SUSPENDED_ADDRESS_LIST),
  notice_proxy_port: z.number().int().min(1).max(65535).default(8080),
});

export const configSchema = z
  .strictObject({
    wan_interface: routerName,
    lan_ports: z.array(routerName).min(1),
    hotspot_dns_name: hostName,
    mgmt_subnet: z
      .string()
      .refine((text) => addressesOf(text) !== undefined, "must be an IPv4 network such as 127.0.0.1/32 or a range such as 127.0.0.2-127.0.0.5")
      .refine((text) => (addressesOf(text)?.length ?? 0) <= MAX_MGMT_ADDRESSES, `must hold at most ${MAX_MGMT_ADDRESSES} addresses (a /22)`),
    routeros: routerosSchema,
    sector: sectorSchema,
    lan: lanSchema,
    hotspot: hotspotSchema.prefault({}),
    odoo: odooSchema,
    firewall: firewallSchema.prefault({}),
    clock: clockSchema.prefault({}),
  })
  .superRefine((config, context) => {
    const odooHost = new URL(config.odoo.url).hostname;
    if (
      config.routeros.connection_mode === "agent" &&
      config.odoo.url.startsWith("http:") &&
      !LOOPBACK_HOSTS.has(odooHost) &&
      !odooHost.startsWith("127.")
    ) {
      context.addIssue({
        code: "custom",
        path: ["odoo", "url"],
        message:
          "must be https:// in agent mode: the router sends its key and receives customers' passwords over it (http is accepted for an Odoo on the same machine only)",
      });
    }
    if (config.routeros.disable_bootstrap_user && config.routeros.bootstrap_user === config.routeros.mgmt_user) {
      context.addIssue({
        code: "custom",
        path: ["routeros", "disable_bootstrap_user"],
        message: `would disable "${config.routeros.mgmt_user}", the management user Odoo logs in with: name another bootstrap_user or mgmt_user`,
      });
    }
    config.lan_ports.forEach((port, index) => {
      if (port === config.wan_interface) {
        context.addIssue({ code: "custom", path: ["lan_ports", index], message: `"${port}" is the wan_interface; a port cannot be both` });
      } else if (config.lan_ports.indexOf(port) !== index) {
        context.addIssue({ code: "custom", path: ["lan_ports", index], message: `"${port}" is listed twice` });
      }
    });
    const lan = parseInterfaceAddress(config.lan.address);
    if (lan === undefined) return;
    const [first, last] = config.lan.pool_range.split("-").map(parseIpv4);
    if (first === undefined || last === undefined || first > last) {
      context.addIssue({ code: "custom", path: ["lan", "pool_range"], message: "must be two IPv4 addresses, the lower first" });
    } else if (!networkContains(lan.network, first) || !networkContains(lan.network, last)) {
      context.addIssue({ code: "custom", path: ["lan", "pool_range"], message: `must lie inside lan.address's network ${config.lan.address}` });
    } else if (lan.address >= first && lan.address <= last) {
      context.addIssue({ code: "custom", path: ["lan", "pool_range"], message: "must not contain the router's own lan.address" });
    }
    // The prefix, not a count of the hosts: listing a /8's 16 million hosts would exhaust memory.
    if (lan.network.prefix > 30) {
      context.addIssue({ code: "custom", path: ["lan", "address"], message: "must be a network with room for clients (a /30 or wider)" });
    }
  });

export type PreloaderConfig = z.infer<typeof configSchema>;
