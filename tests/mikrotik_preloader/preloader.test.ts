/** The preloader against emulated routers on 127.0.0.x and a fake Odoo on 127.0.0.1. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { DETAILED_EXIT_CODES, EXIT_CODES } from "../../tools/mikrotik_preloader/errors.ts";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import type { RunningEmulator } from "../../tools/routeros-emulator/index.ts";
import { startFakeOdoo, type FakeOdoo } from "./fake-odoo.ts";
import { adminClient, lineOf, MGMT_PASSWORD, runCli, secretEnv, startRouter, testConfig, writeConfig, type CliRun } from "./harness.ts";

/** Every run's output, grepped for secrets at the end. */
const outputs: CliRun[] = [];

async function run(args: string[], env: Record<string, string>): Promise<CliRun> {
  const result = await runCli(args, env);
  outputs.push(result);
  return result;
}

/** The router's configuration without the export's timestamp line. */
function configuration(router: RunningEmulator): string {
  return router.export().split("\n").slice(1).join("\n");
}

const EMPTY_PLAN = "plan: 0 to add, 0 to change, 0 to remove";

let odoo: FakeOdoo;
before(async () => {
  odoo = await startFakeOdoo();
});
after(async () => {
  await odoo.close();
});

function resetOdoo(): void {
  odoo.sectors.length = 0;
  odoo.routers.length = 0;
  odoo.refusals.clear();
  odoo.requests.length = 0;
}

describe("a fresh router", () => {
  let router: RunningEmulator;
  let configFile: string;
  before(async () => {
    resetOdoo();
    router = await startRouter();
    configFile = await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32"));
  });
  after(() => router.close());

  it("dry run prints the plan and writes nothing", async () => {
    const before = configuration(router);
    const result = await run(["--config", configFile, "--dry-run"], secretEnv(odoo));
    assert.equal(result.code, EXIT_CODES.ok, result.stderr);
    assert.match(result.stdout, /\n {2}\+ odoo isp\.router SEC-001-los_cacaos-1 router key=<secret> \(new, then installed in its scripts\)\n/);
    assert.match(result.stdout, /\nplan: 25 to add, 9 to change, 0 to remove\n$/);
    assert.equal(configuration(router), before);
    assert.deepEqual([odoo.sectors, odoo.routers], [[], []]);
  });

  it("is fully configured, and registered in Odoo", async () => {
    const result = await run(["--config", configFile], secretEnv(odoo));
    assert.equal(result.code, EXIT_CODES.ok, result.stderr);
    assert.match(result.stdout, /done: 1 router\(s\) configured: 127\.0\.0\.1 as SEC-001-los_cacaos-1\n$/);
    const steps = result.stderr.split("\n").filter((line) => /^127\.0\.0\.1: [a-z ]+: \d+ added/.test(line));
    assert.deepEqual(
      steps.map((line) => line.split(": ")[1]),
      ["identity", "management user", "trust and time", "wan", "lan bridge", "lan addressing and dhcp", "hotspot", "firewall", "api service"],
    );
    assert.match(result.stderr, /verify: router\(s\) and Odoo match the config/);
    assert.match(result.stderr, /readiness: 127\.0\.0\.1: the router reached Odoo \(http:\/\/127\.0\.0\.1:\d+\/web\/health\)/);
    assert.match(result.stderr, /warning: 127\.0\.0\.1: the factory account "admin" logs in with an empty password/);

    const client = await adminClient(router);
    try {
      const expected: [string, Record<string, string>][] = [
        ["/system/identity", { name: "SEC-001-los_cacaos-1" }],
        ["/interface/bridge/port", { bridge: "bridge-isp", interface: "sfp1", comment: "isp_core:lan-port:sfp1" }],
        ["/interface/bridge/port", { bridge: "bridge-isp", interface: "ether2", comment: "isp_core:lan-port:ether2" }],
        ["/ip/address", { address: "10.10.0.1/24", interface: "bridge-isp" }],
        ["/ip/dhcp-client", { interface: "ether1", disabled: "false" }],
        ["/ip/firewall/nat", { chain: "srcnat", action: "masquerade", "out-interface": "ether1" }],
        ["/ip/firewall/filter", { chain: "forward", action: "drop", "src-address-list": "isp_suspended", comment: "isp_core:suspended-drop" }],
        ["/ip/firewall/filter", { chain: "forward", action: "accept", protocol: "udp", "dst-port": "53", "src-address-list": "isp_suspended" }],
        ["/ip/firewall/filter", { chain: "forward", action: "accept", "dst-address-list": "isp_core-odoo", "src-address-list": "isp_suspended" }],
        ["/ip/firewall/address-list", { list: "isp_core-odoo", address: "127.0.0.1" }],
        [
          "/ip/firewall/nat",
          {
            chain: "dstnat",
            action: "redirect",
            "src-address-list": "isp_suspended",
            "dst-address-list": "!isp_core-odoo",
            "dst-port": "80",
            "to-ports": "8080",
          },
        ],
        ["/ip/proxy", { enabled: "true", port: "8080" }],
        ["/ip/proxy/access", { action: "deny", comment: "isp_core:proxy-deny" }],
        ["/ip/dhcp-server", { name: "isp-lan-dhcp", interface: "bridge-isp", "address-pool": "isp-lan-pool", "lease-time": "1h" }],
        ["/ip/dhcp-server/network", { address: "10.10.0.0/24", gateway: "10.10.0.1", "dns-server": "1.1.1.1,8.8.8.8" }],
        ["/ip/hotspot", { name: "isp-hotspot", interface: "bridge-isp", profile: "isp-hotspot" }],
        ["/ip/hotspot/profile", { name: "isp-hotspot", "dns-name": "portal.getupsoft.com.do", "login-by": "mac,http-chap" }],
        ["/ip/hotspot/walled-garden", { "dst-host": "portal.getupsoft.com.do", action: "allow" }],
        ["/ip/service", { name: "api", address: "127.0.0.1/32,203.0.113.7/32" }],
        ["/user", { name: "isp-core", group: "full" }],
        ["/system/ntp/client", { enabled: "true", servers: "pool.ntp.org,time.cloudflare.com" }],
      ];
      for (const [menu, props] of expected) {
        const rows = await client.print(menu);
        assert.ok(
          rows.some((row) => Object.entries(props).every(([prop, value]) => row[prop] === value)),
          `${menu} has ${JSON.stringify(props)}; it has ${JSON.stringify(rows)}`,
        );
      }
      const [server] = await client.print("/ip/dhcp-server");
      assert.match(server?.["lease-script"] ?? "", /\/tool fetch url="http:\/\/127\.0\.0\.1:\d+\/isp\/mac_onboarding"/);
    } finally {
      await client.close();
    }

    assert.deepEqual(
      odoo.sectors.map(({ code, name }) => ({ code, name })),
      [{ code: "SEC-001-los_cacaos", name: "Los Cacaos" }],
    );
    assert.deepEqual(
      odoo.routers.map(({ router_key: _key, ...record }) => record),
      [
        {
          id: odoo.routers[0]?.id,
          name: "SEC-001-los_cacaos-1",
          host: "127.0.0.1",
          api_port: router.port,
          active: true,
          use_tls: false,
          api_user: "isp-core",
          api_password: MGMT_PASSWORD,
          suspended_address_list: "isp_suspended",
          lan_networks: "10.10.0.0/24",
          connection_mode: "api",
          sector_id: odoo.sectors[0]?.id,
        },
      ],
    );
    assert.deepEqual(
      odoo.requests.filter((request) => request.path.includes("ir.config_parameter") || request.body.includes("ir.config_parameter")),
      [],
      "the router signs with its key: the shared token is neither read nor set",
    );
    // The router's readiness fetch of /web/health is Odoo's one route that needs no database.
    const apiRequests = odoo.requests.filter((request) => request.path !== "/web/health");
    assert.ok(apiRequests.length > 0 && apiRequests.every((request) => request.headers["x-odoo-database"] === "isp"));
  });

  it("plans zero changes on a second run, and writes nothing", async () => {
    const before = configuration(router);
    const requestsBefore = odoo.requests.length;
    const result = await run(["--config", configFile], secretEnv(odoo));
    assert.equal(result.code, EXIT_CODES.ok, result.stderr);
    assert.ok(result.stdout.includes(`\n${EMPTY_PLAN}\n`), result.stdout);
    assert.match(result.stdout, /\nnothing to change: 1 router\(s\) and Odoo already match the config: 127\.0\.0\.1 as SEC-001-los_cacaos-1\n$/);
    assert.equal(configuration(router), before);
    const writes = odoo.requests.slice(requestsBefore).filter((request) => /create|write/.test(request.path + request.body));
    assert.deepEqual(writes, []);
    // Once, before the routers are touched: planning reuses that read, and an empty plan has nothing to verify.
    const sectorReads = odoo.requests.slice(requestsBefore).filter((request) => request.path === "/json/2/isp.sector/search_read");
    assert.equal(sectorReads.length, 1);
  });

  it("sends each lease to Odoo through the installed lease-script", async () => {
    const client = await adminClient(router);
    try {
      await client.command("/simulator/dhcp/bind", { server: "isp-lan-dhcp", "mac-address": "aa:bb:cc:00:00:01", "host-name": 'onu "7" \\ west' });
    } finally {
      await client.close();
    }
    const [received] = odoo.onboardings();
    assert.equal(received?.headers["x-isp-router-key"], odoo.routers[0]?.router_key, "signed with the router's own key");
    assert.equal(received?.headers["x-isp-token"], undefined);
    assert.equal(received?.headers["x-odoo-database"], "isp");
    assert.equal(received?.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(received?.body ?? ""), {
      mac: "AA:BB:CC:00:00:01",
      ip: "10.10.0.10",
      bound: true,
      server: "isp-lan-dhcp",
      hostname: 'onu "7" \\ west',
      router: "SEC-001-los_cacaos-1",
      sector: "SEC-001-los_cacaos",
    });
  });

  it("has Odoo write in its user's language, or in odoo.lang when Odoo has it installed", async () => {
    odoo.callLanguages.length = 0;
    const byDefault = await run(["--config", configFile, "--dry-run"], secretEnv(odoo));
    assert.match(byDefault.stderr, /odoo: connected to database "isp", writing in es_DO\n/);
    // The two calls that find the language carry none; every later one carries it.
    assert.deepEqual([...new Set(odoo.callLanguages.slice(2))], ["es_DO"]);

    odoo.callLanguages.length = 0;
    const english = await writeConfig({ ...testConfig(odoo, router.port, "127.0.0.1/32"), odoo: { url: odoo.url, database: "isp", lang: "en_US" } });
    assert.equal((await run(["--config", english, "--dry-run"], secretEnv(odoo))).code, EXIT_CODES.ok);
    assert.deepEqual([...new Set(odoo.callLanguages.slice(1))], ["en_US"]);

    const french = await writeConfig({ ...testConfig(odoo, router.port, "127.0.0.1/32"), odoo: { url: odoo.url, database: "isp", lang: "fr_FR" } });
    const refused = await run(["--config", french, "--dry-run"], secretEnv(odoo));
    assert.equal(refused.code, EXIT_CODES.odoo);
    assert.match(
      refused.stderr,
      /error: odoo\.lang \(line \d+\): "fr_FR" is not a language installed in Odoo's database "isp" \(installed: en_US, es_DO\)\n/,
    );
  });

  it("masks a password that is also a word as a whole value, never inside another word", async () => {
    const { ODOO_API_KEY: _apiKey, ...env } = secretEnv(odoo, { ODOO_ADMIN_PASS: "admin" });
    const kept = odoo.adminPassword;
    odoo.adminPassword = "admin";
    try {
      const result = await run(["--config", configFile, "--dry-run"], env);
      assert.equal(result.code, EXIT_CODES.ok, result.stderr);
      const output = result.stdout + result.stderr;
      assert.doesNotMatch(output, /[\p{L}\p{N}_]<secret>|<secret>[\p{L}\p{N}_]/u);
      assert.doesNotMatch(output, /(?<![\p{L}\p{N}_])admin(?![\p{L}\p{N}_])/u);
      assert.match(output, /logged in as <secret>/);
    } finally {
      odoo.adminPassword = kept;
    }
  });

  it("registers through /jsonrpc with the admin password too", async () => {
    resetOdoo();
    const { ODOO_API_KEY: _apiKey, ...env } = secretEnv(odoo, { ODOO_ADMIN_PASS: odoo.adminPassword });
    const result = await run(["--config", configFile], env);
    assert.equal(result.code, EXIT_CODES.ok, result.stderr);
    assert.equal(odoo.routers[0]?.name, "SEC-001-los_cacaos-1");
    assert.ok(odoo.requests.some((request) => request.path === "/jsonrpc" && request.headers["x-odoo-database"] === "isp"));

    const wrong = await run(["--config", configFile], { ...env, ODOO_ADMIN_PASS: "wrong-password-123" });
    assert.equal(wrong.code, EXIT_CODES.odoo);
    assert.match(wrong.stderr, /error: Odoo refused the login "admin" \(ODOO_ADMIN_PASS\) for database "isp"/);
  });
});

describe("closing the router to others", () => {
  it("restricts the other management services, and disables the factory account when asked, last", async () => {
    resetOdoo();
    const router = await startRouter();
    try {
      const config = testConfig(odoo, router.port, "127.0.0.1/32");
      const configFile = await writeConfig({
        ...config,
        routeros: { ...(config.routeros as Record<string, unknown>), disable_bootstrap_user: true },
      });
      const first = await run(["--config", configFile], secretEnv(odoo));
      assert.equal(first.code, EXIT_CODES.ok, first.stderr);
      assert.match(first.stderr, /127\.0\.0\.1: api service: 0 added, 6 changed, 0 removed\n127\.0\.0\.1: bootstrap user: 0 added, 1 changed/);
      assert.doesNotMatch(first.stderr, /empty password/, "no warning about an account this run disables");
      await assert.rejects(adminClient(router), /invalid user name or password/, "the factory account no longer logs in");
      const client = await RouterOsClient.connect({ host: router.host, port: router.port, user: "isp-core", password: MGMT_PASSWORD });
      try {
        const services = Object.fromEntries((await client.print("/ip/service")).map((row) => [row.name, row.address]));
        for (const name of ["api", "api-ssl", "winbox", "ssh", "telnet", "ftp"]) assert.equal(services[name], "127.0.0.1/32,203.0.113.7/32", name);
        assert.equal(services.www, "", "www is left as it was");
        const [admin] = await client.print("/user", { query: ["?name=admin"] });
        assert.equal(admin?.disabled, "true");
      } finally {
        await client.close();
      }
      const second = await run(["--config", configFile], secretEnv(odoo));
      assert.equal(second.code, EXIT_CODES.ok, second.stderr);
      assert.match(second.stdout, /nothing to change/);
      assert.doesNotMatch(second.stderr, /empty password/);
    } finally {
      await router.close();
    }
  });
});

describe("a management password that does not log in", () => {
  it("is marked in the plan, refused on apply, and changed only with --rotate-mgmt-password", async () => {
    resetOdoo();
    const router = await startRouter();
    try {
      const configFile = await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32"));
      assert.equal((await run(["--config", configFile], secretEnv(odoo))).code, EXIT_CODES.ok);
      const mistyped = secretEnv(odoo, { MIKROTIK_MGMT_PASS: "mgmt-pass-Secret-4712" });

      const dryRun = await run(["--config", configFile, "--dry-run"], mistyped);
      assert.equal(dryRun.code, EXIT_CODES.ok, dryRun.stderr);
      assert.match(dryRun.stdout, /~ \/user .* password=<secret> {2}!! PASSWORD CHANGE: MIKROTIK_MGMT_PASS does not log in as this user\n/);

      const before = configuration(router);
      const refused = await run(["--config", configFile], mistyped);
      assert.equal(refused.code, EXIT_CODES.conflict);
      assert.match(refused.stderr, /error: 127\.0\.0\.1: MIKROTIK_MGMT_PASS does not log in as isp-core, .*--rotate-mgmt-password/);
      assert.equal(configuration(router), before, "nothing was written");

      const rotated = await run(["--config", configFile, "--rotate-mgmt-password"], mistyped);
      assert.equal(rotated.code, EXIT_CODES.ok, rotated.stderr);
      const client = await RouterOsClient.connect({ host: router.host, port: router.port, user: "isp-core", password: "mgmt-pass-Secret-4712" });
      await client.close();
    } finally {
      await router.close();
    }
  });
});

describe("--dry-run --detailed-exitcode", () => {
  it("exits 2 while changes are pending, 0 once applied, and 1 on any failure", async () => {
    resetOdoo();
    const router = await startRouter();
    try {
      const configFile = await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32"));
      const pending = await run(["--config", configFile, "--dry-run", "--detailed-exitcode"], secretEnv(odoo));
      assert.equal(pending.code, DETAILED_EXIT_CODES.changesPending, pending.stderr);
      assert.match(pending.stdout, /\nplan: [1-9]\d* to add, /);
      assert.equal(router.export().includes("isp_core:"), false, "a dry run writes nothing");

      assert.equal((await run(["--config", configFile], secretEnv(odoo))).code, EXIT_CODES.ok);
      const settled = await run(["--config", configFile, "--dry-run", "--detailed-exitcode"], secretEnv(odoo));
      assert.equal(settled.code, DETAILED_EXIT_CODES.noChanges, settled.stderr);
      assert.match(settled.stdout, /\nplan: 0 to add, 0 to change, 0 to remove\n/);

      const { ODOO_API_KEY: _apiKey, ...env } = secretEnv(odoo, { ODOO_ADMIN_PASS: "wrong-password-123" });
      const failed = await run(["--config", configFile, "--dry-run", "--detailed-exitcode"], env);
      assert.equal(failed.code, DETAILED_EXIT_CODES.failed);
      assert.match(failed.stderr, /error: Odoo refused the login "admin"/);

      const applying = await run(["--config", configFile, "--detailed-exitcode"], secretEnv(odoo));
      assert.equal(applying.code, DETAILED_EXIT_CODES.failed);
      assert.match(applying.stderr, /error: --detailed-exitcode needs --dry-run/);
    } finally {
      await router.close();
    }
  });
});

describe("Odoo errors name the config key or variable to check", () => {
  it("a wrong database names odoo.database, a refused login names odoo.login", async () => {
    resetOdoo();
    const router = await startRouter();
    try {
      const wrongDatabase = await writeConfig(
        testConfig(odoo, router.port, "127.0.0.1/32", { odoo: { url: odoo.url, database: "nope", check_certificate: false } }),
      );
      const noDatabase = await run(["--config", wrongDatabase], secretEnv(odoo));
      assert.equal(noDatabase.code, EXIT_CODES.odoo);
      assert.match(
        noDatabase.stderr,
        /error: Odoo at http:\/\/127\.0\.0\.1:\d+ answered 404 for .*: is "nope" \(odoo\.database \(line \d+\)\) a database of this Odoo/,
      );

      const { ODOO_API_KEY: _apiKey, ...env } = secretEnv(odoo, { ODOO_ADMIN_PASS: "wrong-password-123" });
      const refused = await run(["--config", await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32"))], env);
      assert.equal(refused.code, EXIT_CODES.odoo);
      assert.match(refused.stderr, /check ODOO_ADMIN_PASS, odoo\.login( \(line \d+\))? and odoo\.database \(line \d+\)/);
      assert.equal(router.export().includes("isp_core:"), false, "nothing was written on the router");
    } finally {
      await router.close();
    }
  });
});

describe("a run whose Odoo side fails", () => {
  it("on a router's first run, writes nothing on the router: its key comes from Odoo first", async () => {
    resetOdoo();
    const router = await startRouter();
    try {
      const configFile = await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32"));
      const before = configuration(router);
      odoo.refusals.add("isp.router.create");
      const refused = await run(["--config", configFile], secretEnv(odoo));
      odoo.refusals.clear();
      assert.equal(refused.code, EXIT_CODES.odoo);
      assert.match(refused.stderr, /error: Odoo isp\.router\.create failed \(403\): You are not allowed to create 'isp\.router' records\./);
      assert.equal(configuration(router), before, "nothing was written on the router");
      const completed = await run(["--config", configFile], secretEnv(odoo));
      assert.equal(completed.code, EXIT_CODES.ok, completed.stderr);
      assert.equal(odoo.routers[0]?.name, "SEC-001-los_cacaos-1");
    } finally {
      await router.close();
    }
  });

  it("after the router was written, says what Odoo lacks, and the next run completes it", async () => {
    resetOdoo();
    const router = await startRouter();
    try {
      assert.equal((await run(["--config", await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32"))], secretEnv(odoo))).code, EXIT_CODES.ok);
      const renamed = await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32", { firewall: { suspended_address_list: "isp_cut_off" } }));
      odoo.refusals.add("isp.router.write");
      const partial = await run(["--config", renamed], secretEnv(odoo));
      odoo.refusals.clear();
      assert.equal(partial.code, EXIT_CODES.odoo);
      assert.doesNotMatch(partial.stdout, /done:/);
      assert.match(
        partial.stdout,
        /\npartial: 1 router\(s\) configured, but Odoo was not updated: 1 of 1 change\(s\) not written:\n {2}~ odoo isp\.router SEC-001-los_cacaos-1 #\d+ suspended_address_list=isp_cut_off\nrun the preloader again/,
      );
      assert.match(partial.stderr, /error: Odoo isp\.router\.write failed \(403\): .*\nthe router\(s\) were configured/);
      assert.equal(odoo.routers[0]?.suspended_address_list, "isp_suspended");

      const configured = configuration(router);
      const completed = await run(["--config", renamed], secretEnv(odoo));
      assert.equal(completed.code, EXIT_CODES.ok, completed.stderr);
      assert.match(completed.stdout, /\nplan: 0 to add, 1 to change, 0 to remove\n/);
      assert.equal(configuration(router), configured);
      assert.equal(odoo.routers[0]?.suspended_address_list, "isp_cut_off");
    } finally {
      await router.close();
    }
  });
});

describe("other RouterOS versions", () => {
  for (const version of ["7.12.2", "7.24"]) {
    it(`configures a ${version} router, and a second run plans nothing`, async () => {
      const router = await startRouter({ version });
      try {
        const configFile = await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32"));
        const first = await run(["--config", configFile], secretEnv(odoo));
        assert.equal(first.code, EXIT_CODES.ok, first.stderr);
        const second = await run(["--config", configFile], secretEnv(odoo));
        assert.equal(second.code, EXIT_CODES.ok, second.stderr);
        assert.ok(second.stdout.includes(`\n${EMPTY_PLAN}\n`), second.stdout);
      } finally {
        await router.close();
      }
    });
  }
});

describe("adopting a router with existing config", () => {
  it("changes nothing the preloader does not own", async () => {
    resetOdoo();
    const router = await startRouter({
      users: [
        { name: "admin", password: "" },
        { name: "operator", password: "op-pass" },
      ],
    });
    try {
      const client = await adminClient(router);
      await client.add("/interface/bridge", { name: "bridge-isp", comment: "installer" });
      await client.add("/interface/bridge/port", { bridge: "bridge-isp", interface: "ether3", comment: "installer" });
      await client.add("/ip/pool", { name: "office", ranges: "192.0.2.10-192.0.2.20" });
      await client.add("/ip/address", { address: "192.0.2.1/24", interface: "ether5" });
      await client.add("/ip/dhcp-server", { name: "office", interface: "ether5", "address-pool": "office", disabled: "no" });
      await client.add("/ip/dhcp-server/lease", { address: "192.0.2.15", "mac-address": "AA:BB:CC:00:00:99", server: "office", comment: "printer" });
      await client.add("/ip/firewall/filter", { chain: "input", action: "accept", protocol: "icmp", comment: "installer rule" });
      await client.add("/ip/firewall/nat", { chain: "dstnat", action: "dst-nat", protocol: "tcp", "dst-port": "8080", "to-addresses": "192.0.2.50" });
      const foreignMenus = [
        "/ip/dhcp-server/lease",
        "/user",
        "/ip/firewall/filter",
        "/ip/firewall/nat",
        "/ip/pool",
        "/ip/dhcp-server",
        "/interface/bridge/port",
        "/interface/bridge",
      ];
      const foreign = async () =>
        Object.fromEntries(
          await Promise.all(
            foreignMenus.map(
              async (menu) =>
                [
                  menu,
                  (await client.print(menu)).filter(
                    (row) =>
                      !row.comment?.startsWith("isp_core:") && row.name !== "isp-core" && !["isp-lan-pool", "isp-lan-dhcp"].includes(row.name ?? ""),
                  ),
                ] as const,
            ),
          ),
        );
      const before = await foreign();
      const configFile = await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32"));
      const result = await run(["--config", configFile], secretEnv(odoo));
      assert.equal(result.code, EXIT_CODES.ok, result.stderr);
      assert.deepEqual(await foreign(), before);
      const ports = await client.print("/interface/bridge/port");
      assert.deepEqual(
        ports.map((port) => [port.bridge, port.interface]),
        [
          ["bridge-isp", "ether3"],
          ["bridge-isp", "sfp1"],
          ["bridge-isp", "ether2"],
        ],
      );
      // The drop of suspended customers goes above the router's own first rule (place-before),
      // or an accept rule above it would let them through; only DNS and Odoo go above the drop.
      const filters = await client.print("/ip/firewall/filter");
      assert.deepEqual(
        filters.map((rule) => rule.comment),
        ["isp_core:suspended-dns-udp", "isp_core:suspended-dns-tcp", "isp_core:suspended-odoo", "isp_core:suspended-drop", "installer rule"],
      );
      const again = await run(["--config", configFile], secretEnv(odoo));
      assert.ok(again.stdout.includes(`\n${EMPTY_PLAN}\n`), again.stdout);
      await client.close();
    } finally {
      await router.close();
    }
  });
});

describe("renaming what the preloader created", () => {
  it("renames its DHCP server and management user instead of refusing them as conflicts", async () => {
    resetOdoo();
    const router = await startRouter();
    try {
      const first = await run(["--config", await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32"))], secretEnv(odoo));
      assert.equal(first.code, EXIT_CODES.ok, first.stderr);
      const renamed = testConfig(odoo, router.port, "127.0.0.1/32", {
        lan: { address: "10.10.0.1/24", pool_range: "10.10.0.10-10.10.0.250", dns_servers: ["1.1.1.1"], dhcp_server_name: "isp-dhcp-2" },
        routeros: { api_port: router.port, allowed_mgmt_ips: ["127.0.0.1/32"], mgmt_user: "isp-core-2" },
      });
      const second = await run(["--config", await writeConfig(renamed)], secretEnv(odoo));
      assert.equal(second.code, EXIT_CODES.ok, second.stderr);
      const client = await adminClient(router);
      try {
        assert.deepEqual(
          (await client.print("/ip/dhcp-server")).map((server) => [server.name, server.comment]),
          [["isp-dhcp-2", "isp_core:lan-dhcp-server"]],
        );
        assert.deepEqual(
          (await client.print("/user")).map((user) => user.name),
          ["admin", "isp-core-2"],
        );
      } finally {
        await client.close();
      }
      await (await RouterOsClient.connect({ host: router.host, port: router.port, user: "isp-core-2", password: MGMT_PASSWORD })).close();
    } finally {
      await router.close();
    }
  });
});

describe("stops before any write", () => {
  let router: RunningEmulator;
  before(async () => {
    resetOdoo();
    router = await startRouter();
  });
  after(() => router.close());

  it("when a LAN port is already in another bridge", async () => {
    const client = await adminClient(router);
    await client.add("/interface/bridge", { name: "bridge" });
    await client.add("/interface/bridge/port", { bridge: "bridge", interface: "ether2" });
    await client.close();
    const before = configuration(router);
    const configFile = await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32"));
    const result = await run(["--config", configFile], secretEnv(odoo));
    assert.equal(result.code, EXIT_CODES.conflict);
    assert.match(
      result.stderr,
      /error: 127\.0\.0\.1: nothing was written, because:\n {2}lan_ports\[1\] \(line \d+\): interface "ether2" is already a port of bridge "bridge"/,
    );
    assert.equal(configuration(router), before);
    assert.deepEqual(odoo.routers, []);
  });

  it("when an interface the config names does not exist", async () => {
    const before = configuration(router);
    const configFile = await writeConfig(
      `${"# a comment line\n".repeat(3)}${JSON.stringify(testConfig(odoo, router.port, "127.0.0.1/32", { lan_ports: ["ether3", "sfp9"] }), null, 1)}`,
    );
    const result = await run(["--config", configFile], secretEnv(odoo));
    assert.equal(result.code, EXIT_CODES.config);
    const line = result.stderr.match(/lan_ports\[1\] \(line (\d+)\)/)?.[1];
    assert.equal(line, String(lineOf(readFileSync(configFile, "utf8"), '"sfp9"')));
    assert.match(result.stderr, /lan_ports\[1\] \(line \d+\): interface "sfp9" does not exist on the router \(it has ether1…ether5, sfp1\)/);
    assert.equal(configuration(router), before);
  });

  it("when restricting the API would lock the preloader out", async () => {
    const client = await adminClient(router);
    await client.remove(
      "/interface/bridge/port",
      (await client.print("/interface/bridge/port")).map((port) => port[".id"] ?? ""),
    );
    await client.close();
    const before = configuration(router);
    const configFile = await writeConfig(
      testConfig(odoo, router.port, "127.0.0.1/32", { routeros: { api_port: router.port, allowed_mgmt_ips: ["203.0.113.7/32"] } }),
    );
    const result = await run(["--config", configFile], secretEnv(odoo));
    assert.equal(result.code, EXIT_CODES.conflict);
    assert.match(
      result.stderr,
      /nothing was written: the router sees this session coming from 127\.0\.0\.1, which is outside routeros\.allowed_mgmt_ips \(203\.0\.113\.7\/32\)/,
    );
    assert.equal(configuration(router), before);

    const allowedByEnv = await run(["--config", configFile, "--dry-run"], secretEnv(odoo, { ISP_ALLOWED_MGMT_IPS: "127.0.0.0/8" }));
    assert.equal(allowedByEnv.code, EXIT_CODES.ok, allowedByEnv.stderr);
  });
});

describe("discovery over 127.0.0.2-127.0.0.5", () => {
  it("configures each router that accepts the login and says why it skipped the others", async () => {
    resetOdoo();
    const first = await startRouter({ host: "127.0.0.2" });
    const routers = [
      first,
      await startRouter({ host: "127.0.0.3", port: first.port, users: [{ name: "admin", password: "not-the-bootstrap-one" }] }),
      await startRouter({ host: "127.0.0.5", port: first.port }),
    ];
    try {
      const configFile = await writeConfig(
        testConfig(odoo, first.port, "127.0.0.2-127.0.0.5", {
          routeros: { api_port: first.port, allowed_mgmt_ips: ["127.0.0.0/8"], probe_timeout_ms: 2000 },
        }),
      );
      const result = await run(["--config", configFile], secretEnv(odoo));
      assert.equal(result.code, EXIT_CODES.ok, result.stderr);
      const discovery = result.stderr.split("\n").filter((line) => line.startsWith("discovery: 127."));
      assert.deepEqual(discovery, [
        "discovery: 127.0.0.2: router found (logged in as admin)",
        'discovery: 127.0.0.3: skipped, login refused for "admin" and "isp-core"',
        `discovery: 127.0.0.4: skipped, nothing listening on port ${first.port} (connection refused)`,
        "discovery: 127.0.0.5: router found (logged in as admin)",
      ]);
      // {n} is the position in mgmt_subnet: 127.0.0.5 stays 4 whether or not 127.0.0.3 and .4 answer.
      assert.deepEqual(
        odoo.routers.map((record) => [record.name, record.host]),
        [
          ["SEC-001-los_cacaos-1", "127.0.0.2"],
          ["SEC-001-los_cacaos-4", "127.0.0.5"],
        ],
      );
      assert.match(configuration(routers[1] as RunningEmulator), /^(?!.*isp_core)/s);
    } finally {
      await Promise.all(routers.map((router) => router.close()));
    }
  });

  it("exits with distinct codes when nothing answers, or nothing accepts the login", async () => {
    const lonely = await startRouter({ host: "127.0.0.6", users: [{ name: "admin", password: "not-the-bootstrap-one" }] });
    try {
      const refused = await run(["--config", await writeConfig(testConfig(odoo, lonely.port, "127.0.0.6/32"))], secretEnv(odoo));
      assert.equal(refused.code, EXIT_CODES.loginRefused);
      assert.match(refused.stderr, /error: mgmt_subnet \(line \d+\): 1 router\(s\) answered, none accepted the login/);
      const nobody = await run(["--config", await writeConfig(testConfig(odoo, lonely.port, "127.0.0.7/32"))], secretEnv(odoo));
      assert.equal(nobody.code, EXIT_CODES.unreachable);
      assert.match(nobody.stderr, new RegExp(`error: mgmt_subnet \\(line \\d+\\): no RouterOS API answered on port ${lonely.port}`));
    } finally {
      await lonely.close();
    }
  });
});

describe("a router in agent mode (behind CGNAT)", () => {
  let router: RunningEmulator;
  let configFile: string;
  const routerKeys: string[] = [];
  const agentScript = async (): Promise<Record<string, string>[]> => {
    const client = await adminClient(router);
    try {
      return [...(await client.print("/system/script")), ...(await client.print("/system/scheduler"))];
    } finally {
      await client.close();
    }
  };
  before(async () => {
    resetOdoo();
    router = await startRouter();
    const config = testConfig(odoo, router.port, "127.0.0.1/32");
    const routeros = { ...(config.routeros as Record<string, unknown>), connection_mode: "agent", agent_interval: "20s" };
    configFile = await writeConfig({ ...config, routeros });
  });
  after(() => router.close());

  it("plans a new key from Odoo without asking Odoo for one on a dry run", async () => {
    const result = await run(["--config", configFile, "--dry-run"], secretEnv(odoo));
    assert.equal(result.code, EXIT_CODES.ok, result.stderr);
    assert.match(result.stdout, /\+ \/system\/script name=isp_core-agent source=<generated script> policy=read,write,policy,test/);
    assert.match(result.stdout, /\+ \/system\/scheduler name=isp_core-agent interval=20s on-event="\/system script run isp_core-agent"/);
    assert.match(result.stdout, /\+ odoo isp\.router SEC-001-los_cacaos-1 router key=<secret> \(new, then installed in its scripts\)/);
    assert.deepEqual(odoo.routers, []);
  });

  it("registers the router in agent mode, then installs the key Odoo made in the agent script and its scheduler", async () => {
    const result = await run(["--config", configFile], secretEnv(odoo));
    assert.equal(result.code, EXIT_CODES.ok, result.stderr);
    const [record] = odoo.routers;
    assert.equal(record?.connection_mode, "agent");
    assert.equal(record?.host, false, "Odoo is given no address to try");
    assert.deepEqual([record?.checkin_interval, record?.sync_interval], [20, 300]);
    const key = String(record?.router_key);
    routerKeys.push(key);
    const [script, scheduler] = await agentScript();
    assert.ok(script?.source?.includes(`X-ISP-Router-Key: ${key}`), "the script carries Odoo's key");
    assert.ok(script?.source?.includes(`${odoo.url}/isp/router/checkin`));
    assert.deepEqual([scheduler?.interval, scheduler?.["on-event"]], ["20s", "/system script run isp_core-agent"]);
    const client = await adminClient(router);
    const [server] = await client.print("/ip/dhcp-server");
    await client.close();
    assert.match(server?.["lease-script"] ?? "", /\/system script run isp_core-agent/, "a lease runs the agent at once");
  });

  it("keeps a key Odoo still accepts: a second run has nothing to change", async () => {
    const result = await run(["--config", configFile], secretEnv(odoo));
    assert.equal(result.code, EXIT_CODES.ok, result.stderr);
    assert.match(result.stdout, /nothing to change/);
    assert.equal(odoo.routers[0]?.router_key, routerKeys[0]);
  });

  it("replaces a key Odoo no longer accepts (rotated from the router form)", async () => {
    const record = odoo.routers[0];
    if (record) record.router_key = "rotated-from-the-form-0123456789";
    const result = await run(["--config", configFile], secretEnv(odoo));
    assert.equal(result.code, EXIT_CODES.ok, result.stderr);
    const key = String(odoo.routers[0]?.router_key);
    routerKeys.push(key);
    assert.notEqual(key, "rotated-from-the-form-0123456789");
    const [script] = await agentScript();
    assert.ok(script?.source?.includes(`X-ISP-Router-Key: ${key}`));
  });

  it("goes back to api mode without leaving the agent behind, and to agent mode again", async () => {
    const apiConfig = await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32"));
    const back = await run(["--config", apiConfig], secretEnv(odoo));
    assert.equal(back.code, EXIT_CODES.ok, back.stderr);
    assert.match(back.stdout, /- \/system\/scheduler \*\w+ \(isp_core:agent-scheduler\)\n {2}- \/system\/script \*\w+ \(isp_core:agent-script\)/);
    assert.deepEqual(await agentScript(), []);
    assert.deepEqual([odoo.routers[0]?.connection_mode, odoo.routers[0]?.host], ["api", "127.0.0.1"]);
    const client = await adminClient(router);
    const [server] = await client.print("/ip/dhcp-server");
    await client.close();
    assert.doesNotMatch(server?.["lease-script"] ?? "", /isp_core-agent/);
    assert.match((await run(["--config", apiConfig], secretEnv(odoo))).stdout, /nothing to change/);

    const again = await run(["--config", configFile], secretEnv(odoo));
    assert.equal(again.code, EXIT_CODES.ok, again.stderr);
    routerKeys.push(String(odoo.routers[0]?.router_key));
    assert.equal((await agentScript()).length, 2);
    assert.match((await run(["--config", configFile], secretEnv(odoo))).stdout, /nothing to change/);
  });

  it("never prints a key", () => {
    for (const key of routerKeys) {
      for (const output of outputs) assert.ok(!output.stdout.includes(key) && !output.stderr.includes(key), `a run printed a router key`);
    }
  });
});

describe("secrets", () => {
  it("appear in no output of any run above", () => {
    assert.ok(outputs.length >= 10);
    for (const secret of [MGMT_PASSWORD, odoo.apiKey, odoo.adminPassword, "not-the-bootstrap-one"]) {
      for (const output of outputs) {
        assert.ok(!output.stdout.includes(secret) && !output.stderr.includes(secret), `a run printed a secret:\n${output.stdout}${output.stderr}`);
      }
    }
  });
});
