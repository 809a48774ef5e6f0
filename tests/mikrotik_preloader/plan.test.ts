import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { parseConfig } from "../../tools/mikrotik_preloader/config-loader.ts";
import { buildDesiredState, type DesiredObject } from "../../tools/mikrotik_preloader/desired-state.ts";
import { computePlan, formatPlanItem, objectKey, sameValue, type PlanItem, type Row } from "../../tools/mikrotik_preloader/plan.ts";
import type { OdooCa } from "../../tools/mikrotik_preloader/odoo-trust.ts";
import { routerRelease } from "../../tools/mikrotik_preloader/router-release.ts";
import { lockoutProblem, missingInterfaces, summarizeNames } from "../../tools/mikrotik_preloader/preflight.ts";

const EXAMPLE_TEXT = await readFile(new URL("../../tools/mikrotik_preloader/config.example.yaml", import.meta.url), "utf8");
const exampleLine = (needle: string) => EXAMPLE_TEXT.split("\n").findIndex((line) => line.startsWith(needle)) + 1;
const PASSWORD = "plan-test-password";

async function desiredState(text = EXAMPLE_TEXT): Promise<{
  desired: DesiredObject[];
  describeKey: (path: readonly (string | number)[]) => string;
  config: ReturnType<typeof parseConfig>["config"];
}> {
  const loaded = parseConfig(text, "config.yaml");
  const desired = buildDesiredState({
    config: loaded.config,
    identity: "R1",
    mgmtPassword: PASSWORD,
    allowedMgmtIps: ["127.0.0.1/32"],
    release: routerRelease("7.19.6"),
  });
  return { desired, describeKey: loaded.describeKey, config: loaded.config };
}

/** A router as the plan would leave it: every add applied, with ids. */
function applied(items: PlanItem[], menus: Record<string, Row[]>): Record<string, Row[]> {
  const result = structuredClone(menus);
  let nextId = 100;
  for (const item of items) {
    const rows = (result[item.menu] ??= []);
    if (item.action === "add") {
      const { password: _password, "place-before": _placement, ...visible } = item.props;
      rows.push({ ".id": `*${(nextId++).toString(16).toUpperCase()}`, ...visible });
    } else if (item.action === "change") {
      const row = item.id === null ? rows[0] : rows.find((candidate) => candidate[".id"] === item.id);
      const { password: _password, ...visible } = item.props;
      Object.assign(row ?? {}, visible);
    } else {
      result[item.menu] = rows.filter((row) => row[".id"] !== item.id);
    }
  }
  return result;
}

const FACTORY: Record<string, Row[]> = {
  "/system/identity": [{ name: "MikroTik" }],
  "/user": [{ ".id": "*1", name: "admin", group: "full" }],
  "/ip/service": [
    { ".id": "*6", name: "api", address: "" },
    { ".id": "*8", name: "api-ssl", address: "" },
  ],
  "/ip/hotspot/profile": [{ ".id": "*1", name: "default" }],
  "/system/ntp/client": [{ enabled: "false", servers: "" }],
  "/ip/proxy": [{ enabled: "false", port: "8080" }],
};

function plan(desired: DesiredObject[], menus: Record<string, Row[]>, staleSecrets: DesiredObject[] = []) {
  return computePlan(desired, { menus, staleSecrets: new Set(staleSecrets.map(objectKey)) });
}

describe("plan", () => {
  it("configures a factory router in the guide's order, the API restriction last", async () => {
    const { desired } = await desiredState();
    const { items, conflicts } = plan(desired, FACTORY);
    assert.deepEqual(conflicts, []);
    assert.deepEqual(
      [...new Set(items.map((item) => item.step))],
      ["identity", "management user", "trust and time", "wan", "lan bridge", "lan addressing and dhcp", "hotspot", "firewall", "api service"],
    );
    assert.equal(items.filter((item) => item.action === "remove").length, 0);
    const service = items.filter((item) => item.menu === "/ip/service");
    assert.deepEqual(
      service.map((item) => item.action === "change" && [item.id, item.props.address]),
      [
        ["*6", "127.0.0.1/32"],
        ["*8", "127.0.0.1/32"],
      ],
    );
  });

  it("plans nothing on a converged router, whatever RouterOS's spelling of values", async () => {
    const { desired } = await desiredState();
    const converged = applied(plan(desired, FACTORY).items, FACTORY);
    const dhcp = converged["/ip/dhcp-server"]?.[0];
    Object.assign(dhcp ?? {}, { "lease-time": "01:00:00", disabled: "false", "lease-script": dhcp?.["lease-script"]?.replaceAll("\n", "\r\n") });
    Object.assign(converged["/ip/service"]?.[0] ?? {}, { address: "127.0.0.1" });
    Object.assign(converged["/ip/hotspot/profile"]?.[1] ?? {}, { "login-by": "http-chap,mac" });
    assert.deepEqual(plan(desired, converged).items, []);
  });

  it("changes only what differs, and a stale password when the router proved it stale", async () => {
    const { desired } = await desiredState();
    const converged = applied(plan(desired, FACTORY).items, FACTORY);
    Object.assign(converged["/ip/pool"]?.[0] ?? {}, { ranges: "10.10.0.10-10.10.0.99" });
    const user = desired.find((object) => object.menu === "/user");
    const items = plan(desired, converged, user ? [user] : []).items;
    assert.deepEqual(
      items.map((item) => formatPlanItem(item).replace(/\*[0-9A-F]+ /, "")),
      [
        "~ /user (isp-core) password=<secret>  !! PASSWORD CHANGE: MIKROTIK_MGMT_PASS does not log in as this user",
        "~ /ip/pool (isp-lan-pool) ranges=10.10.0.10-10.10.0.250",
      ],
    );
  });

  it("adopts what the config names and leaves everything else alone", async () => {
    const { desired } = await desiredState();
    const live: Record<string, Row[]> = {
      ...FACTORY,
      "/interface/bridge": [{ ".id": "*A", name: "bridge-isp", comment: "defconf" }],
      "/interface/bridge/port": [
        { ".id": "*B", bridge: "bridge-isp", interface: "sfp1", comment: "defconf" },
        { ".id": "*C", bridge: "bridge-isp", interface: "ether3", comment: "defconf" },
      ],
      "/ip/dhcp-client": [{ ".id": "*D", interface: "ether1", disabled: "false", comment: "defconf" }],
      "/ip/firewall/filter": [{ ".id": "*E", chain: "input", action: "accept", comment: "operator rule" }],
    };
    const { items, conflicts } = plan(desired, live);
    assert.deepEqual(conflicts, []);
    const touched = items.filter((item) => item.action !== "add");
    assert.deepEqual(
      touched.map((item) => item.menu),
      ["/system/identity", "/system/ntp/client", "/ip/proxy", "/ip/service", "/ip/service"],
    );
    const adds = items.filter((item) => item.action === "add");
    assert.ok(!adds.some((item) => item.menu === "/interface/bridge" || item.menu === "/ip/dhcp-client"));
    assert.deepEqual(
      adds.filter((item) => item.menu === "/interface/bridge/port").map((item) => item.props.interface),
      ["ether2"],
    );
    const drop = adds.find((item) => item.menu === "/ip/firewall/filter");
    assert.equal(drop?.props["place-before"], "*E");
  });

  it("removes its own leftovers before the API restriction, never someone else's", async () => {
    const { desired } = await desiredState();
    const converged = applied(plan(desired, FACTORY).items, FACTORY);
    converged["/interface/bridge/port"]?.push(
      { ".id": "*F1", bridge: "bridge-isp", interface: "ether4", comment: "isp_core:lan-port:ether4" },
      { ".id": "*F2", bridge: "bridge-isp", interface: "ether5", comment: "installer's port" },
    );
    Object.assign(converged["/ip/service"]?.[0] ?? {}, { address: "0.0.0.0/0" });
    // What Odoo's customer-access jobs made in the preloader's menus is Odoo's.
    converged["/ip/firewall/address-list"]?.push({
      ".id": "*F3",
      list: "isp_suspended",
      address: "10.10.0.20",
      comment: "isp_core:subscription:SUB/1",
    });
    converged["/ip/proxy/access"]?.unshift({ ".id": "*F4", "src-address": "10.10.0.20", action: "redirect", comment: "isp_core:subscription:SUB/1" });
    assert.deepEqual(plan(desired, converged).items.map(formatPlanItem), [
      "- /interface/bridge/port *F1 (isp_core:lan-port:ether4)",
      "~ /ip/service *6 (api) address=127.0.0.1/32",
    ]);
  });

  it("lets suspended customers reach DNS and Odoo above the rule that drops the rest, and sends their plain HTTP to a proxy that serves nobody else", async () => {
    const { desired } = await desiredState();
    const operatorRule = { ".id": "*E", chain: "forward", action: "accept", comment: "operator rule" };
    const firewall = (menus: Record<string, Row[]>) =>
      plan(desired, menus)
        .items.filter((item) => item.step === "firewall")
        .map(formatPlanItem);
    assert.deepEqual(firewall({ ...FACTORY, "/ip/firewall/filter": [operatorRule] }), [
      "+ /ip/firewall/filter chain=forward src-address-list=isp_suspended protocol=udp dst-port=53 action=accept comment=isp_core:suspended-dns-udp place-before=*E",
      "+ /ip/firewall/filter chain=forward src-address-list=isp_suspended protocol=tcp dst-port=53 action=accept comment=isp_core:suspended-dns-tcp place-before=*E",
      "+ /ip/firewall/filter chain=forward src-address-list=isp_suspended dst-address-list=isp_core-odoo action=accept comment=isp_core:suspended-odoo place-before=*E",
      "+ /ip/firewall/filter chain=forward src-address-list=isp_suspended action=drop comment=isp_core:suspended-drop place-before=*E",
      "+ /ip/firewall/address-list list=isp_core-odoo address=erp.getupsoft.com.do comment=isp_core:odoo-address",
      "~ /ip/proxy enabled=yes",
      "+ /ip/proxy/access action=deny comment=isp_core:proxy-deny",
      "+ /ip/firewall/nat chain=dstnat src-address-list=isp_suspended dst-address-list=!isp_core-odoo protocol=tcp dst-port=80 action=redirect to-ports=8080 comment=isp_core:suspended-to-proxy",
    ]);
    // A router the previous release set up has the drop first: the new accept rules go above it.
    const dropRule = { ".id": "*D", chain: "forward", "src-address-list": "isp_suspended", action: "drop", comment: "isp_core:suspended-drop" };
    const upgraded = firewall({ ...FACTORY, "/ip/firewall/filter": [dropRule, operatorRule] });
    assert.deepEqual(
      upgraded.filter((line) => line.startsWith("+ /ip/firewall/filter")).map((line) => line.split(" ").at(-1)),
      ["place-before=*D", "place-before=*D", "place-before=*D"],
    );
  });

  it("reports a port in another bridge and an address on another interface as conflicts", async () => {
    const { desired, describeKey } = await desiredState();
    const live = {
      ...FACTORY,
      "/interface/bridge/port": [{ ".id": "*1", bridge: "bridge", interface: "ether2" }],
      "/ip/address": [{ ".id": "*2", address: "10.10.0.1/24", interface: "ether3" }],
    };
    const messages = plan(desired, live).conflicts.map((conflict) => `${describeKey(conflict.object.configPath)}: ${conflict.message}`);
    assert.deepEqual(messages, [
      `lan_ports[1] (line ${exampleLine("  - ether2")}): interface "ether2" is already a port of bridge "bridge" (take it out there, or name that bridge as lan.bridge)`,
      `lan.address (line ${exampleLine("  address:")}): address 10.10.0.1/24 is already on interface "ether3"`,
    ]);
  });

  it("reads the API allow-list under the name RouterOS 7.24 prints", async () => {
    const { desired } = await desiredState();
    const converged = applied(plan(desired, FACTORY).items, FACTORY);
    for (const row of converged["/ip/service"] ?? []) {
      const { address, ...rest } = row;
      Object.keys(row).forEach((key) => delete row[key]);
      Object.assign(row, rest, { "available-from": address ?? "" });
    }
    assert.deepEqual(plan(desired, converged).items, []);
  });

  it("renames the DHCP server and the management user it created when the config names them anew", async () => {
    const { desired } = await desiredState();
    const converged = applied(plan(desired, FACTORY).items, FACTORY);
    const text = EXAMPLE_TEXT.replace("mgmt_user: isp-core", "mgmt_user: isp-core-2").replace(
      "dhcp_server_name: isp-lan-dhcp",
      "dhcp_server_name: isp-dhcp-2",
    );
    const { items, conflicts } = plan((await desiredState(text)).desired, converged);
    assert.deepEqual(conflicts, []);
    assert.deepEqual(
      items.map((item) => formatPlanItem(item).replace(/\*[0-9A-F]+ /, "")),
      ["~ /user (isp-core-2) name=isp-core-2 password=<secret>", "~ /ip/dhcp-server (isp-dhcp-2) name=isp-dhcp-2"],
    );
  });

  it("removes its leftovers dependents first: ports before their bridge, the DHCP server before its pool", async () => {
    const { desired } = await desiredState();
    const converged = applied(plan(desired, FACTORY).items, FACTORY);
    converged["/interface/bridge"]?.push({ ".id": "*B1", name: "old-bridge", comment: "isp_core:lan-bridge" });
    converged["/interface/bridge/port"]?.push({ ".id": "*B2", bridge: "old-bridge", interface: "ether4", comment: "isp_core:lan-port:ether4" });
    converged["/ip/pool"]?.push({ ".id": "*B3", name: "old-pool", ranges: "192.0.2.10-192.0.2.20", comment: "isp_core:lan-pool" });
    converged["/ip/dhcp-server"]?.push({
      ".id": "*B4",
      name: "old-dhcp",
      interface: "ether5",
      "address-pool": "old-pool",
      comment: "isp_core:lan-dhcp-server",
    });
    assert.deepEqual(plan(desired, converged).items.map(formatPlanItem), [
      "- /ip/dhcp-server *B4 (isp_core:lan-dhcp-server)",
      "- /ip/pool *B3 (isp_core:lan-pool)",
      "- /interface/bridge/port *B2 (isp_core:lan-port:ether4)",
      "- /interface/bridge *B1 (isp_core:lan-bridge)",
    ]);
  });

  it("lists an address that Odoo's URL and walled_garden_ips both name once", async () => {
    const text = EXAMPLE_TEXT.replace("url: https://erp.getupsoft.com.do", "url: http://203.0.113.9:8069").replace(
      "walled_garden_ips: []",
      "walled_garden_ips: [203.0.113.9]",
    );
    const { desired } = await desiredState(text);
    const markers = desired.flatMap((object) => (object.locate.by === "marker" ? [object.locate.marker] : []));
    assert.ok(markers.includes("isp_core:walled-garden-ip:203.0.113.9"));
    assert.deepEqual(markers, [...new Set(markers)]);
    const converged = applied(plan(desired, FACTORY).items, FACTORY);
    assert.deepEqual(plan(desired, converged).items, []);
  });

  it("does not call an API allow-list converged while it holds an IPv6 network too", async () => {
    const { desired } = await desiredState();
    const converged = applied(plan(desired, FACTORY).items, FACTORY);
    Object.assign(converged["/ip/service"]?.[0] ?? {}, { address: "127.0.0.1/32,2001:db8::/32" });
    assert.deepEqual(plan(desired, converged).items.map(formatPlanItem), ["~ /ip/service *6 (api) address=127.0.0.1/32"]);
  });

  it("compares values the way RouterOS prints them", () => {
    assert.ok(sameValue("/ip/dhcp-server", "disabled", "no", "false"));
    assert.ok(sameValue("/ip/dhcp-server", "lease-time", "1d", "24:00:00"));
    assert.ok(sameValue("/ip/service", "address", "127.0.0.1,10.0.0.0/8", "10.0.0.0/8,127.0.0.1/32"));
    assert.ok(!sameValue("/ip/service", "address", "127.0.0.1", "127.0.0.2/32"));
    assert.ok(!sameValue("/ip/service", "address", "127.0.0.1/32", "127.0.0.1/32,::/0"));
    assert.ok(sameValue("/ip/dhcp-server", "lease-time", "100:00:00", "4d4h"));
    assert.ok(!sameValue("/ip/pool", "ranges", "a", "b"));
  });
});

describe("trust and time", () => {
  /** The example config's clock section, saying another system sets the router's clock. */
  const CLOCK_ELSEWHERE = "  managed_elsewhere: true";
  const CA: OdooCa = {
    pem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    fingerprint: "ab".repeat(32),
    subject: "CN=isp_core test CA",
    origin: "odoo.ca_file (line 3)",
    warnings: [],
  };

  async function trustState(version: string, yaml = "", ca: OdooCa | null = CA): Promise<DesiredObject[]> {
    const loaded = parseConfig(yaml === "" ? EXAMPLE_TEXT : EXAMPLE_TEXT.replace("  managed_elsewhere: false", yaml), "config.yaml");
    const desired = buildDesiredState({
      config: loaded.config,
      identity: "R1",
      mgmtPassword: PASSWORD,
      allowedMgmtIps: ["127.0.0.1/32"],
      release: routerRelease(version),
      odooCa: ca ?? undefined,
    });
    return desired.filter((object) => object.step === "trust and time");
  }

  const lines = (desired: DesiredObject[], menus: Record<string, Row[]>) => plan(desired, menus).items.map(formatPlanItem);

  it("imports Odoo's CA under isp_core's name, trusted, and enables NTP; a router that has them plans nothing", async () => {
    const desired = await trustState("7.12.2");
    const factory = { "/system/ntp/client": [{ enabled: "false", servers: "" }] };
    assert.deepEqual(lines(desired, factory), [
      `+ /certificate import name=isp_core-odoo-ca fingerprint=${"ab".repeat(32)} trusted=yes`,
      "~ /system/ntp/client enabled=yes servers=pool.ntp.org,time.cloudflare.com",
    ]);
    const converged = {
      "/certificate": [{ ".id": "*1", name: "isp_core-odoo-ca", fingerprint: "AB".repeat(32), trusted: "true" }],
      "/system/ntp/client": [{ enabled: "true", servers: "time.cloudflare.com,pool.ntp.org" }],
    };
    assert.deepEqual(lines(desired, converged), []);
  });

  it("never touches a certificate it did not import: one that already is Odoo's CA and trusted does the job, an untrusted one is a conflict", async () => {
    const desired = await trustState("7.19.6", CLOCK_ELSEWHERE);
    const foreign = { ".id": "*7", name: "operators-ca", fingerprint: "ab".repeat(32), trusted: "true" };
    const other = { ".id": "*8", name: "vpn-ca", fingerprint: "cd".repeat(32), trusted: "true" };
    assert.deepEqual(lines(desired, { "/certificate": [foreign, other] }), []);
    const { conflicts } = plan(desired, { "/certificate": [{ ...foreign, trusted: "false" }, other] });
    assert.match(conflicts[0]?.message ?? "", /already holds Odoo's CA as "operators-ca", not trusted/);
  });

  it("replaces its own CA when Odoo's changed, and trusts it again when someone untrusted it", async () => {
    const desired = await trustState("7.24", CLOCK_ELSEWHERE);
    const old = { ".id": "*3", name: "isp_core-odoo-ca", fingerprint: "ef".repeat(32), trusted: "true" };
    assert.deepEqual(lines(desired, { "/certificate": [old] }), [
      `+ /certificate import name=isp_core-odoo-ca fingerprint=${"ab".repeat(32)} trusted=yes (replaces *3, another CA under that name)`,
    ]);
    const untrusted = { ...old, fingerprint: "ab".repeat(32), trusted: "false" };
    assert.deepEqual(lines(desired, { "/certificate": [untrusted] }), ["~ /certificate *3 (isp_core-odoo-ca) trusted=yes"]);
  });

  it("enables the built-in anchors only where the config asks, by what each release's command tree offers", async () => {
    const ask = CLOCK_ELSEWHERE;
    const builtin = (text: string) => text.replace("  builtin_trust_anchors: false", "  builtin_trust_anchors: true");
    const withAnchors = async (version: string) => {
      const loaded = parseConfig(builtin(EXAMPLE_TEXT.replace("  managed_elsewhere: false", ask)), "config.yaml");
      return buildDesiredState({
        config: loaded.config,
        identity: "R1",
        mgmtPassword: PASSWORD,
        allowedMgmtIps: ["127.0.0.1/32"],
        release: routerRelease(version),
      }).filter((object) => object.step === "trust and time");
    };
    assert.deepEqual(await trustState("7.19.6", ask, null), []);
    assert.deepEqual(await withAnchors("7.12.2"), []);
    assert.deepEqual(lines(await withAnchors("7.19.6"), { "/certificate/settings": [{ "builtin-trust-anchors": "not-trusted" }] }), [
      "~ /certificate/settings builtin-trust-anchors=trusted",
    ]);
    const settings724 = (store: string) => ({ "/certificate/settings": [{ "builtin-trust-store": store }] });
    assert.deepEqual(lines(await withAnchors("7.24"), settings724("none")), ["~ /certificate/settings builtin-trust-store=fetch"]);
    assert.deepEqual(lines(await withAnchors("7.24"), settings724("dns")), ["~ /certificate/settings builtin-trust-store=dns,fetch"]);
    assert.deepEqual(lines(await withAnchors("7.24"), settings724("all")), []);
  });
});

describe("preflight", () => {
  it("names a missing interface with the router's own list", async () => {
    const { config, describeKey } = await desiredState();
    const interfaces = ["ether1", "ether3", "ether4", "ether5", "ether2", "sfp2"].map((name) => ({ name, type: "ether" }));
    assert.deepEqual(missingInterfaces(config, interfaces, describeKey), [
      `lan_ports[0] (line ${exampleLine("  - sfp1")}): interface "sfp1" does not exist on the router (it has ether1…ether5, sfp2)`,
    ]);
  });

  it("summarizes interface names", () => {
    assert.equal(summarizeNames(["sfp1", "ether2", "ether1", "wlan1", "ether3"]), "ether1…ether3, sfp1, wlan1");
    assert.equal(summarizeNames(["ether1", "ether2"]), "ether1, ether2");
  });

  it("stops a restriction that would lock out the preloader's own session", () => {
    const sessions = [
      { name: "admin", address: "198.51.100.20", via: "api" },
      { name: "admin", address: "192.0.2.1", via: "winbox" },
    ];
    assert.equal(lockoutProblem(sessions, "admin", ["198.51.100.0/24"]), undefined);
    assert.match(
      lockoutProblem(sessions, "admin", ["127.0.0.1/32"]) ?? "",
      /^the router sees this session coming from 198\.51\.100\.20, which is outside/,
    );
    assert.match(lockoutProblem(sessions, "isp-core", ["0.0.0.0/0"]) ?? "", /cannot see the preloader's own session/);
  });
});
