import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";
import { RawConnection } from "./raw-connection.ts";
import { withAdminClient } from "./admin-client.ts";

const words = (replies: string[][]): string[] => replies.map((sentence) => sentence.join(" "));

describe("item commands, as RouterOS's command trees list them", () => {
  let emulator: RunningEmulator;
  let client: RouterOsClient;
  withAdminClient((connected, started) => {
    client = connected;
    emulator = started;
  });

  const chains = async (): Promise<string[]> =>
    (await client.print("/ip/firewall/filter", { proplist: ["comment"] })).map((rule) => rule.comment ?? "");

  // MikroTik's manual, "Filter": rules are processed top to bottom; `place-before` (add) and
  // `move` (the command tree's /ip/firewall/filter/move numbers= destination=) set their order.
  test("place-before puts a rule in front of the one it names, and move reorders", async () => {
    const first = await client.add("/ip/firewall/filter", { chain: "forward", action: "accept", comment: "first" });
    await client.add("/ip/firewall/filter", { chain: "forward", action: "accept", comment: "second" });
    const drop = await client.add("/ip/firewall/filter", { chain: "forward", action: "drop", comment: "suspended", "place-before": first });
    assert.deepEqual(await chains(), ["suspended", "first", "second"]);
    await client.command("/ip/firewall/filter/move", { numbers: drop });
    assert.deepEqual(await chains(), ["first", "second", "suspended"]);
    await client.command("/ip/firewall/filter/move", { numbers: drop, destination: first });
    assert.deepEqual(await chains(), ["suspended", "first", "second"]);
    await assert.rejects(client.add("/ip/firewall/filter", { chain: "forward", comment: "lost", "place-before": "*FFFF" }), {
      message: "no such item",
    });
    assert.deepEqual(await chains(), ["suspended", "first", "second"], "a refused place-before adds nothing");
  });

  test("get, find, unset and comment", async () => {
    const id = await client.add("/ip/dhcp-server/network", { address: "10.9.0.0/24", gateway: "10.9.0.1", domain: "lan", comment: "old" });
    assert.equal((await client.command("/ip/dhcp-server/network/get", { number: id, "value-name": "gateway" })).ret, "10.9.0.1");
    assert.equal((await client.command("/system/identity/get", { "value-name": "name" })).ret, "MikroTik");
    assert.equal((await client.command("/ip/dhcp-server/network/find", {}, { query: ["?gateway=10.9.0.1"] })).ret, id);
    await client.command("/ip/dhcp-server/network/comment", { numbers: id, comment: "Peña" });
    await client.command("/ip/dhcp-server/network/unset", { numbers: id, "value-name": "domain" });
    const [network] = await client.print("/ip/dhcp-server/network", { query: [`?.id=${id}`] });
    assert.equal(network?.comment, "Peña");
    assert.equal(network?.domain, undefined);
  });

  test("a dynamic lease is made static", async () => {
    await client.add("/ip/pool", { name: "p", ranges: "10.8.0.10-10.8.0.20" });
    await client.add("/ip/dhcp-server", { name: "d", interface: "ether5", "address-pool": "p" });
    const { ret: lease } = await client.command("/simulator/dhcp/bind", { server: "d", "mac-address": "02:00:00:08:00:01" });
    await client.command("/ip/dhcp-server/lease/make-static", { numbers: lease ?? "" });
    const [made] = await client.print("/ip/dhcp-server/lease", { query: [`?.id=${lease}`], proplist: ["dynamic", "address", "status"] });
    assert.deepEqual(made, { dynamic: "false", address: "10.8.0.10", status: "bound" });
    assert.match(emulator.export(), /add address=10\.8\.0\.10 mac-address=02:00:00:08:00:01 server=d/);
  });

  test("/interface set, disable and enable change the interface where it is kept", async () => {
    await client.command("/interface/set", { numbers: "ether3", comment: "OLT", mtu: "1600" });
    await client.command("/interface/disable", { numbers: "ether3" });
    const [port] = await client.print("/interface/ethernet", { query: ["?name=ether3"], proplist: ["comment", "mtu", "disabled"] });
    assert.deepEqual(port, { comment: "OLT", mtu: "1600", disabled: "true" });
    await client.command("/interface/enable", { numbers: "ether3" });
    const [shown] = await client.print("/interface", { query: ["?name=ether3"], proplist: ["disabled", "running"] });
    assert.deepEqual(shown, { disabled: "false", running: "true" });
    await assert.rejects(client.command("/interface/set", { numbers: "ether3", type: "vlan" }), { message: "unknown parameter type" });
  });

  // Home Assistant's MikroTik integration reads these with getall, print's old API name.
  test("getall is print", async () => {
    const [identity] = await client.command("/system/identity/getall").then((result) => result.items);
    assert.equal(identity?.name, "MikroTik");
    const [resource] = (await client.command("/system/resource/getall")).items;
    assert.match(resource?.version ?? "", /^7\.19\.6/);
    assert.ok((await client.command("/ip/dhcp-server/lease/getall")).items.length > 0);
  });
});

describe("command words as RouterOS reads them", () => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  // MikroTik's manual, "Command Line Interface": names can be shortened where unambiguous; Mikhmon
  // and mikronode-ng send such paths over the API.
  test("an unambiguous abbreviation is the full path; an ambiguous one is unknown", async () => {
    const connection = await RawConnection.open(emulator.port);
    await connection.login();
    assert.deepEqual(words(await connection.request(["/sys/ident/pr"])), ["!re =name=MikroTik", "!done"]);
    assert.equal((await connection.request(["/int/eth/print", "?name=sfp1", "=.proplist=name"]))[0]?.join(" "), "!re =name=sfp1");
    // /ip/d is ambiguous: dhcp-client, dhcp-relay, dhcp-server, dns...
    assert.deepEqual(words(await connection.request(["/ip/d/print"])), [
      "!trap =category=0 =message=no such command or directory (d)",
      "!trap =category=0 =message=no such command prefix",
      "!done",
    ]);
    connection.close();
  });

  test("a command without a slash is named whole", async () => {
    const connection = await RawConnection.open(emulator.port);
    await connection.login();
    assert.deepEqual(words(await connection.request(["print"])), [
      "!trap =category=0 =message=no such command or directory (print)",
      "!trap =category=0 =message=no such command prefix",
      "!done",
    ]);
    connection.close();
  });
});

describe("streaming commands end with /cancel as on a router", () => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  // MikroTik's API manual, "/cancel": the cancelled command's `!trap =category=2
  // =message=interrupted` comes first, then the /cancel's `!done`, then the cancelled one's.
  const cancelled = (tag: string): string[] => [`!trap .tag=${tag} =category=2 =message=interrupted`, "!done .tag=c", `!done .tag=${tag}`];

  test("listen streams another session's changes, a removal as .dead", async () => {
    const watcher = await RawConnection.open(emulator.port);
    const other = await RawConnection.open(emulator.port);
    await watcher.login();
    await other.login();
    watcher.send(["/ip/firewall/address-list/listen", ".tag=l", "=.proplist=.id,list,address"]);
    const [added] = await other.request(["/ip/firewall/address-list/add", "=list=isp_suspended", "=address=10.0.0.9"]);
    const id = added?.[1]?.slice("=ret=".length) ?? "";
    await other.request(["/ip/firewall/address-list/remove", `=.id=${id}`]);
    watcher.send(["/cancel", "=tag=l", ".tag=c"]);
    assert.deepEqual(words(await watcher.collect(2)), [
      `!re .tag=l =.id=${id} =list=isp_suspended =address=10.0.0.9`,
      `!re .tag=l =.id=${id} =.dead=true`,
      ...cancelled("l"),
    ]);
    watcher.close();
    other.close();
  });

  test("print follow prints, then follows; follow-only only follows", async () => {
    const connection = await RawConnection.open(emulator.port);
    await connection.login();
    connection.send(["/system/script/print", "=follow=", ".tag=f", "=.proplist=name"]);
    connection.send(["/system/script/print", "=follow-only=", ".tag=o", "=.proplist=name"]);
    const added = words(await connection.request(["/system/script/add", "=name=hello", ".tag=a"]));
    assert.deepEqual(
      added.map((reply) => reply.replace(/=ret=\S+/, "=ret=ID")),
      ["!re .tag=f =name=hello", "!re .tag=o =name=hello", "!done .tag=a =ret=ID"],
    );
    connection.send(["/cancel", "=tag=f", ".tag=c"]);
    assert.deepEqual(words(await connection.collect(2)), cancelled("f"));
    connection.send(["/cancel", "=tag=o", ".tag=c"]);
    assert.deepEqual(words(await connection.collect(2)), cancelled("o"));
    connection.close();
  });

  test("print interval prints again every interval", async () => {
    const connection = await RawConnection.open(emulator.port);
    await connection.login();
    connection.send(["/system/identity/print", "=interval=100ms", ".tag=i"]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    connection.send(["/cancel", "=tag=i", ".tag=c"]);
    const replies = words(await connection.collect(2));
    assert.ok(replies.filter((reply) => reply === "!re .tag=i =name=MikroTik").length >= 3, replies.join("\n"));
    assert.deepEqual(replies.slice(-3), cancelled("i"));
    connection.close();
  });

  test("monitor-traffic reads once with =once=, and every interval without", async () => {
    const connection = await RawConnection.open(emulator.port);
    await connection.login();
    const once = await connection.request(["/interface/monitor-traffic", "=interface=ether1", "=once=", "=.proplist=name,rx-bits-per-second"]);
    assert.equal(once.length, 2);
    assert.equal(once[0]?.[0], "!re");
    assert.ok(once[0]?.includes("=name=ether1"));
    assert.match(once[0]?.find((word) => word.startsWith("=rx-bits-per-second="))?.slice(20) ?? "", /^[1-9]\d*$/);
    assert.deepEqual(once[1], ["!done"]);
    connection.send(["/interface/monitor-traffic", "=interface=ether1,ether2", "=interval=100ms", ".tag=m"]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    connection.send(["/cancel", "=tag=m", ".tag=c"]);
    const replies = await connection.collect(2);
    assert.ok(replies.filter(([type]) => type === "!re").length >= 4);
    assert.deepEqual(words(replies).slice(-3), cancelled("m"));
    connection.close();
  });
});

describe("mangle rules keep their order too", () => {
  test("place-before in /ip/firewall/mangle", async () => {
    const emulator = await startEmulator();
    const client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
    try {
      const first = await client.add("/ip/firewall/mangle", { chain: "prerouting", action: "mark-connection", comment: "first" });
      await client.add("/ip/firewall/mangle", { chain: "prerouting", action: "accept", comment: "top", "place-before": first });
      const rules = await client.print("/ip/firewall/mangle", { proplist: ["comment", "passthrough"] });
      assert.deepEqual(rules, [
        { comment: "top", passthrough: "true" },
        { comment: "first", passthrough: "true" },
      ]);
    } finally {
      await client.close();
      await emulator.close();
    }
  });
});
