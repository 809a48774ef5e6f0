import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RouterOsClient, RouterOsTrapError } from "../../tools/routeros/index.ts";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";
import { withAdminClient } from "./admin-client.ts";

function trap(message: string, category: number) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof RouterOsTrapError, String(error));
    assert.deepEqual({ message: error.message, category: error.category }, { message, category });
    return true;
  };
}

describe("emulated menus", () => {
  let emulator: RunningEmulator;
  let client: RouterOsClient;
  withAdminClient((connected, started) => {
    client = connected;
    emulator = started;
  });

  // The web proxy a suspended customer's plain HTTP is sent to. Manual "IP/Proxy": it is off until
  // enabled, listens on port 8080 by default, reads its access list from the top, and allows a
  // request no rule matches. The 7.12.2, 7.19.6 and 7.24 command trees name a redirect's URL
  // `action-data`; RouterOS 6's `redirect-to` is in none of them.
  test("the web proxy keeps its settings and an ordered access list, as RouterOS 7 names them", async () => {
    const [factory] = await client.print("/ip/proxy");
    assert.deepEqual([factory?.enabled, factory?.port], ["false", "8080"]);
    await client.set("/ip/proxy", null, { enabled: "yes", port: "8081" });
    await assert.rejects(client.set("/ip/proxy", null, { port: "70000" }), trap("invalid value for argument port", 1));
    const [proxy] = await client.print("/ip/proxy");
    assert.deepEqual([proxy?.enabled, proxy?.port], ["true", "8081"]);

    const deny = await client.add("/ip/proxy/access", { action: "deny", comment: "last" });
    const url = "http://odoo.example.com/isp/notice/7-0123456789abcdef-" + "a".repeat(40);
    await client.add("/ip/proxy/access", { "src-address": "10.10.0.20", action: "redirect", "action-data": url, "place-before": deny });
    const rules = await client.print("/ip/proxy/access");
    assert.deepEqual(
      rules.map((rule) => [rule["src-address"], rule.action, rule["action-data"], rule.hits]),
      [
        ["10.10.0.20", "redirect", url, "0"],
        [undefined, "deny", undefined, "0"],
      ],
    );
    await assert.rejects(
      client.add("/ip/proxy/access", { "src-address": "10.10.0.21", action: "deny", "redirect-to": url }),
      trap("unknown parameter redirect-to", 1),
    );
    await assert.rejects(client.add("/ip/proxy/access", { action: "forward" }), trap("input does not match any value of action", 1));
    await assert.rejects(
      client.add("/ip/proxy/access", { "src-address": "odoo", action: "deny" }),
      trap("invalid value for argument src-address", 1),
    );
    for (const rule of await client.print("/ip/proxy/access")) await client.remove("/ip/proxy/access", rule[".id"] ?? "");
  });

  // Manual "IP/Firewall/NAT": action=redirect sends a packet to the router itself, on to-ports; an
  // address-list entry may be a DNS name, which the router resolves (manual "IP/Firewall/Address list").
  test("a dst-nat redirect to the proxy and an address list entry with a host name are kept as given", async () => {
    const nat = await client.add("/ip/firewall/nat", {
      chain: "dstnat",
      "src-address-list": "isp_suspended",
      "dst-address-list": "!isp_core-odoo",
      protocol: "tcp",
      "dst-port": "80",
      action: "redirect",
      "to-ports": "8080",
    });
    const entry = await client.add("/ip/firewall/address-list", { list: "isp_core-odoo", address: "odoo.example.com" });
    const [rule] = await client.print("/ip/firewall/nat", { query: [`?.id=${nat}`] });
    assert.deepEqual([rule?.action, rule?.["to-ports"], rule?.["dst-address-list"]], ["redirect", "8080", "!isp_core-odoo"]);
    const [listed] = await client.print("/ip/firewall/address-list", { query: [`?.id=${entry}`] });
    assert.equal(listed?.address, "odoo.example.com");
    await client.remove("/ip/firewall/nat", nat);
    await client.remove("/ip/firewall/address-list", entry);
  });

  test("a missing required property is refused", async () => {
    await assert.rejects(client.add("/ip/address", { address: "10.1.1.1/24" }), trap("missing value(s) of argument(s) interface", 1));
  });

  test("an address with more than one prefix length is refused", async () => {
    await assert.rejects(client.add("/ip/address", { address: "10.1.1.1/24/8", interface: "ether2" }), trap("invalid value for argument address", 1));
  });

  test("an argument the menu does not have is refused", async () => {
    await assert.rejects(client.add("/ip/pool", { name: "p", ranges: "10.0.0.2-10.0.0.9", colour: "red" }), trap("unknown parameter colour", 1));
  });

  test("a read-only property cannot be set", async () => {
    const id = await client.add("/ip/dhcp-server/lease", { address: "10.0.0.50", "mac-address": "02:11:22:33:44:55" });
    await assert.rejects(client.set("/ip/dhcp-server/lease", id, { status: "bound" }), trap("unknown parameter status", 1));
    const [lease] = await client.print("/ip/dhcp-server/lease", { query: [`?.id=${id}`], proplist: ["status", "dynamic"] });
    assert.deepEqual(lease, { status: "waiting", dynamic: "false" });
  });

  test("a reference to an item that does not exist is refused", async () => {
    await assert.rejects(
      client.add("/interface/bridge/port", { bridge: "bridge9", interface: "ether2" }),
      trap("input does not match any value of bridge", 1),
    );
  });

  test("a bridge is an interface: it shares the interface .id counter and can be referenced", async () => {
    const bridge = await client.add("/interface/bridge", {});
    assert.equal(bridge, "*7", "six ethernet interfaces come first");
    assert.deepEqual(await client.print("/interface", { query: ["?type=bridge"], proplist: [".id", "name"] }), [{ ".id": "*7", name: "bridge1" }]);
    await client.add("/interface/bridge/port", { bridge: "bridge1", interface: "ether2" });
    await client.add("/ip/address", { address: "192.168.88.1/24", interface: "bridge1" });
  });

  test("/system/resource reports the emulated version, without an .id", async () => {
    assert.deepEqual(await client.print("/system/resource", { proplist: [".id", "version"] }), [{ version: "7.19.6 (stable)" }]);
  });

  test("names must be unique", async () => {
    await client.add("/ip/hotspot/user/profile", { name: "plan-10", "rate-limit": "5M/10M" });
    await assert.rejects(client.add("/ip/hotspot/user/profile", { name: "plan-10" }), trap("failure: already have item with such name", 1));
  });

  test("booleans are normalised to true/false, and enable/disable toggle them", async () => {
    const id = await client.add("/ip/firewall/nat", { chain: "srcnat", action: "masquerade", "out-interface": "ether1", disabled: "yes" });
    const disabled = async (): Promise<string | undefined> => (await client.print("/ip/firewall/nat", { query: [`?.id=${id}`] }))[0]?.disabled;
    assert.equal(await disabled(), "true");
    await client.command("/ip/firewall/nat/enable", { ".id": id });
    assert.equal(await disabled(), "false");
    await client.command("/ip/firewall/nat/disable", { numbers: id });
    assert.equal(await disabled(), "true");
  });

  test("remove takes a comma-separated list of .ids and refuses unknown ones", async () => {
    const ids = await Promise.all(["a", "b", "c"].map((list) => client.add("/ip/firewall/address-list", { list, address: "10.0.0.1" })));
    await assert.rejects(client.remove("/ip/firewall/address-list", [ids[0] ?? "", "*FFFF"]), trap("no such item", 0));
    await client.remove("/ip/firewall/address-list", ids);
    assert.deepEqual(await client.print("/ip/firewall/address-list"), []);
  });

  test("count-only answers with the number of matching items", async () => {
    const { items, ret } = await client.command("/interface/print", { "count-only": "" }, { query: ["?type=ether"] });
    assert.deepEqual({ items, ret }, { items: [], ret: "6" });
  });

  test("/ip/service rows are set by name, never added", async () => {
    await client.command("/ip/service/set", { numbers: "api", address: "10.0.0.0/8" });
    assert.deepEqual(await client.print("/ip/service", { query: ["?name=api"], proplist: ["port", "address"] }), [
      { port: "8728", address: "10.0.0.0/8" },
    ]);
    await assert.rejects(client.add("/ip/service", { name: "extra" }), trap("no such command", 0));
    await assert.rejects(
      client.command("/ip/service/set", { numbers: "api", "available-from": "10.0.0.0/8" }),
      trap("unknown parameter available-from", 1),
    );
  });

  test("servers, hotspots and queues get RouterOS's automatic names", async () => {
    await client.add("/ip/pool", { name: "lan-pool", ranges: "192.168.88.10-192.168.88.254" });
    await client.add("/ip/dhcp-server", { interface: "bridge1", "address-pool": "lan-pool" });
    await client.add("/queue/simple", { target: "192.168.88.10/32", "max-limit": "5M/20M" });
    assert.deepEqual(await client.print("/ip/dhcp-server", { proplist: ["name", "lease-time"] }), [{ name: "dhcp1", "lease-time": "30m" }]);
    assert.deepEqual(await client.print("/queue/simple", { proplist: ["name", "max-limit"] }), [{ name: "queue1", "max-limit": "5M/20M" }]);
  });

  test("a user added over the API can log in, and passwords are never printed", async () => {
    await client.add("/user", { name: "preloader", password: "pw", group: "full" });
    assert.deepEqual(Object.keys((await client.print("/user", { query: ["?name=preloader"] }))[0] ?? {}).includes("password"), false);
    const second = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "preloader", password: "pw" });
    const sessions = await second.print("/user/active", { proplist: ["name", "address", "via"] });
    assert.deepEqual(sessions, [
      { name: "admin", address: "127.0.0.1", via: "api" },
      { name: "preloader", address: "127.0.0.1", via: "api" },
    ]);
    await second.close();
  });

  test("a singleton takes no numbers, as its set in RouterOS's command tree has none", async () => {
    await assert.rejects(client.command("/system/identity/set", { numbers: "x", name: "y" }), trap("unknown parameter numbers", 1));
    assert.deepEqual(await client.print("/system/identity"), [{ name: "MikroTik" }]);
  });

  test("a set on several rows that one of them refuses changes none of them", async () => {
    await client.add("/ip/hotspot/user", { name: "alice" });
    await client.add("/ip/hotspot/user", { name: "bob" });
    await assert.rejects(
      client.command("/ip/hotspot/user/set", { numbers: "alice,bob", name: "carol" }),
      trap("failure: already have item with such name", 1),
    );
    assert.deepEqual(await client.print("/ip/hotspot/user", { proplist: ["name"] }), [{ name: "alice" }, { name: "bob" }]);
    await client.command("/ip/hotspot/user/set", { numbers: "alice,bob", "limit-uptime": "1h" });
    assert.deepEqual(await client.print("/ip/hotspot/user", { query: ["?limit-uptime=1h"], proplist: ["name"] }), [
      { name: "alice" },
      { name: "bob" },
    ]);
  });
});

describe("emulated menus on other versions and settings", () => {
  test("7.24 calls the service allow-list available-from and keeps address as its alias", async () => {
    const emulator = await startEmulator({ version: "7.24" });
    const client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
    await client.command("/ip/service/set", { numbers: "api", "available-from": "192.168.0.0/16" });
    assert.deepEqual(await client.print("/ip/service", { query: ["?name=api"], proplist: ["address", "available-from"] }), [
      { address: "192.168.0.0/16", "available-from": "192.168.0.0/16" },
    ]);
    await client.close();
    await emulator.close();
  });

  test("the ethernet interface names are configurable", async () => {
    const emulator = await startEmulator({ interfaces: ["wan", "lan1"] });
    const client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
    assert.deepEqual(await client.print("/interface", { proplist: ["name"] }), [{ name: "wan" }, { name: "lan1" }]);
    await client.close();
    await emulator.close();
  });
});
