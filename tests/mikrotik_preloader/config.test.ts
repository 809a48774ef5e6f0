import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { parseConfig } from "../../tools/mikrotik_preloader/config-loader.ts";
import { ConfigError } from "../../tools/mikrotik_preloader/errors.ts";
import { readExtraAllowedMgmtIps, readSecrets } from "../../tools/mikrotik_preloader/secrets.ts";
import { lineOf } from "./harness.ts";

const EXAMPLE = new URL("../../tools/mikrotik_preloader/config.example.yaml", import.meta.url);

/** The example with one line replaced, so each error is at a known line. */
async function exampleWith(find: string, replace: string): Promise<string> {
  const text = await readFile(EXAMPLE, "utf8");
  assert.ok(text.includes(find), `example holds ${find}`);
  return text.replace(find, replace);
}

function configError(text: string): string {
  try {
    parseConfig(text, "config.yaml");
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail("the config was accepted");
}

describe("config", () => {
  it("accepts the example, with the seed's topology", async () => {
    const { config } = parseConfig(await readFile(EXAMPLE, "utf8"), "config.example.yaml");
    assert.equal(config.wan_interface, "ether1");
    assert.deepEqual(config.lan_ports, ["sfp1", "ether2"]);
    assert.equal(config.hotspot_dns_name, "portal.getupsoft.com.do");
    assert.equal(config.mgmt_subnet, "127.0.0.1/32");
    assert.deepEqual(config.sector, { code: "SEC-001-los_cacaos", name: "Los Cacaos" });
    assert.equal(config.routeros.api_port, 8728);
  });

  it("names an unknown key and its line", async () => {
    const text = await exampleWith("  mgmt_group: full", "  mgmt_grup: full");
    assert.match(configError(text), new RegExp(`routeros\\.mgmt_grup \\(line ${lineOf(text, "mgmt_grup")}\\): unknown key`));
  });

  it("names a missing key at its section's line", async () => {
    const text = await exampleWith("  database: isp\n", "");
    assert.match(configError(text), new RegExp(`odoo\\.database \\(line ${lineOf(text, "odoo:")}\\): is required`));
  });

  it("names a bad list item by index and line", async () => {
    const text = await exampleWith("  - ether2", "  - ether 2");
    assert.match(configError(text), new RegExp(`lan_ports\\[1\\] \\(line ${lineOf(text, "ether 2")}\\): must be 1-63 letters`));
  });

  it("refuses to disable the factory account when it is the management user", async () => {
    const text = (await exampleWith("  disable_bootstrap_user: false", "  disable_bootstrap_user: true")).replace(
      "  mgmt_user: isp-core",
      "  mgmt_user: admin",
    );
    assert.match(
      configError(text),
      new RegExp(
        `routeros\\.disable_bootstrap_user \\(line ${lineOf(text, "disable_bootstrap_user: true")}\\): would disable "admin", the management user`,
      ),
    );
  });

  it("refuses plain http to a remote Odoo in agent mode", async () => {
    const text = (await exampleWith("  connection_mode: api", "  connection_mode: agent")).replace(
      /url: https:\/\/\S+/,
      "url: http://odoo.example.com",
    );
    assert.match(
      configError(text),
      new RegExp(`odoo\\.url \\(line ${lineOf(text, "url: http://odoo.example.com")}\\): must be https:// in agent mode`),
    );
  });

  it("refuses a service it cannot restrict, naming it", async () => {
    const text = await exampleWith("  restricted_services: [winbox, ssh, telnet, ftp]", "  restricted_services: [winbox, sssh]");
    assert.match(configError(text), new RegExp(`routeros\\.restricted_services\\[1\\] \\(line ${lineOf(text, "sssh")}\\)`));
  });

  it("refuses the WAN port as a LAN port", async () => {
    const text = await exampleWith("  - sfp1", "  - ether1");
    assert.match(configError(text), new RegExp(`lan_ports\\[0\\] \\(line ${lineOf(text, "  - ether1")}\\): "ether1" is the wan_interface`));
  });

  it("refuses a pool outside the LAN network", async () => {
    const text = await exampleWith("pool_range: 10.10.0.10-10.10.0.250", "pool_range: 10.20.0.10-10.20.0.250");
    assert.match(configError(text), new RegExp(`lan\\.pool_range \\(line ${lineOf(text, "pool_range")}\\): must lie inside`));
  });

  it("refuses a LAN without room for clients: a /31 holds the router and one address more", async () => {
    const narrow = await exampleWith("  address: 10.10.0.1/24", "  address: 10.10.0.1/31");
    const withPool = narrow.replace("pool_range: 10.10.0.10-10.10.0.250", "pool_range: 10.10.0.0-10.10.0.0");
    assert.match(
      configError(withPool),
      new RegExp(`lan\\.address \\(line ${lineOf(withPool, "10.10.0.1/31")}\\): must be a network with room for clients`),
    );
  });

  it("takes a wide LAN without listing its two billion hosts", async () => {
    const wide = await exampleWith("  address: 10.10.0.1/24", "  address: 10.10.0.1/1");
    assert.equal(parseConfig(wide, "config.yaml").config.lan.address, "10.10.0.1/1");
  });

  it("takes every RouterOS duration the plan can compare", async () => {
    const text = await exampleWith("lease_time: 1h", "lease_time: 100:00:00");
    assert.equal(parseConfig(text, "config.yaml").config.lan.lease_time, "100:00:00");
  });

  it("refuses a management subnet that would be a scan", async () => {
    for (const subnet of ["127.0.0.0/21", "0.0.0.0/0", "127.0.0.0-127.0.255.255"]) {
      const text = await exampleWith("mgmt_subnet: 127.0.0.1/32", `mgmt_subnet: ${subnet}`);
      assert.match(configError(text), new RegExp(`mgmt_subnet \\(line ${lineOf(text, "mgmt_subnet")}\\): must hold at most 1022`));
    }
  });

  it("refuses a bad allowed address and a non-http Odoo URL in one report", async () => {
    const text = (await exampleWith("    - 127.0.0.1/32", "    - 127.0.0.300")).replace("url: https://erp", "url: ftp://erp");
    const message = configError(text);
    assert.match(message, /2 problem\(s\)/);
    assert.match(message, new RegExp(`routeros\\.allowed_mgmt_ips\\[0\\] \\(line ${lineOf(text, "127.0.0.300")}\\): must be an IPv4 address`));
    assert.match(message, new RegExp(`odoo\\.url \\(line ${lineOf(text, "ftp://")}\\): must be an http`));
  });

  it("reports invalid YAML with its line", () => {
    assert.match(configError("wan_interface: ether1\nlan_ports: [sfp1\n"), /invalid YAML\n {2}line \d+: /);
    assert.match(configError("wan_interface: ether1\nwan_interface: ether2\n"), /line 2: Map keys must be unique/);
  });
});

describe("secrets", () => {
  const complete = { MIKROTIK_MGMT_PASS: "mgmt-pass", ODOO_API_KEY: "api-key-0123" };

  it("names every missing variable", () => {
    assert.throws(() => readSecrets({}), {
      message: "missing environment variable(s): MIKROTIK_MGMT_PASS, ODOO_API_KEY or ODOO_ADMIN_PASS",
    });
  });

  it("prefers the API key and falls back to the admin password", () => {
    assert.equal(readSecrets(complete).odoo.kind, "api_key");
    const { ODOO_API_KEY: _unused, ...withoutKey } = complete;
    assert.deepEqual(readSecrets({ ...withoutKey, ODOO_ADMIN_PASS: "admin" }).odoo, { kind: "password", password: "admin" });
  });

  it("refuses a secret too short to mask in output, naming its variable and not echoing it", () => {
    assert.throws(() => readSecrets({ ...complete, MIKROTIK_MGMT_PASS: "4711", MIKROTIK_BOOTSTRAP_PASS: "x" }), {
      message:
        "MIKROTIK_MGMT_PASS, MIKROTIK_BOOTSTRAP_PASS: must be at least 5 characters, so that the preloader's output can mask it without masking ordinary words",
    });
    assert.equal(readSecrets({ ...complete, MIKROTIK_BOOTSTRAP_PASS: "" }).bootstrapPassword, "");
  });

  it("reads and checks the extra allowed addresses", () => {
    assert.deepEqual(readExtraAllowedMgmtIps({ ISP_ALLOWED_MGMT_IPS: "203.0.113.7, 198.51.100.0/24" }), ["203.0.113.7", "198.51.100.0/24"]);
    assert.throws(() => readExtraAllowedMgmtIps({ ISP_ALLOWED_MGMT_IPS: "203.0.113.7,nope" }), {
      message: 'ISP_ALLOWED_MGMT_IPS[1]: "nope" is not an IPv4 address or network',
    });
  });
});
