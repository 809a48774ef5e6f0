/**
 * The agent script on the emulator, against a stand-in for Odoo's check-in that answers what each
 * test scripts: what the agent does with answers the real Odoo never gives (a hostile or spoofed
 * one), and with a check-in that never arrives. The real Odoo is held to the same protocol by
 * isp_core/tests/test_agent_chain.py.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { AGENT_MAX_CHECKINS, AGENT_MAX_OPERATIONS } from "../../tools/contract.ts";
import { buildAgentScript } from "../../tools/mikrotik_preloader/agent-script.ts";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";

const KEY = "agent-key-for-the-test-0123456789abcdef";
const HEADER = "isp_core-agent 1\nmore|no\nsync|no\nlist|isp_suspended\n";
/** The header a spoofed Odoo sends: more operations always, a sync, and the operator's management allow-list as the suspended list. */
const SPOOFED_HEADER = "isp_core-agent 1\nmore|yes\nsync|yes\nlist|mgmt-allow\n";

interface CheckIn {
  key: string | undefined;
  body: { results: { id: number; outcome?: string; error?: string }[]; leases?: string[][]; suspended?: string[][]; clock?: string };
}

describe("the agent script", () => {
  let emulator: RunningEmulator;
  let client: RouterOsClient;
  let server: Server;
  let checkins: CheckIn[] = [];
  /** What the stand-in answers to each check-in, in order; an empty answer list means "nothing to do". */
  let answers: { status: number; text: string }[] = [];
  let mac = 0;
  /** Runs while a check-in waits for its answer. */
  let beforeAnswer: (() => Promise<void>) | undefined;
  /** The stand-in's URL, which the agent was installed with. */
  let odooUrl = "";
  const TOKEN = `7-${"0123456789abcdef"}-${"a".repeat(40)}`;

  const runAgent = async (): Promise<void> => {
    mac += 1;
    await client.command("/simulator/dhcp/bind", { server: "lan", "mac-address": `AA:BB:CC:00:02:${mac.toString(16).padStart(2, "0")}` });
  };

  before(async () => {
    server = createServer((request, response) => {
      let data = "";
      request.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
      request.on("end", async () => {
        checkins.push({ key: request.headers["x-isp-router-key"] as string | undefined, body: JSON.parse(data) as CheckIn["body"] });
        await beforeAnswer?.();
        const answer = answers.shift() ?? { status: 200, text: `${HEADER}end\n` };
        response.writeHead(answer.status, { "Content-Type": "text/plain" });
        response.end(answer.text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    emulator = await startEmulator();
    client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
    odooUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const source = buildAgentScript({
      odooUrl,
      database: "isp",
      key: KEY,
      suspendedAddressList: "isp_suspended",
      lanNetworks: ["10.80.0.0/24"],
      fetch: { checkCertificate: "no", idleTimeout: false },
    });
    await client.add("/system/script", { name: "isp_core-agent", source });
    await client.add("/ip/pool", { name: "lan-pool", ranges: "10.80.0.10-10.80.0.99" });
    await client.add("/ip/dhcp-server", {
      name: "lan",
      interface: "ether2",
      "address-pool": "lan-pool",
      "lease-script": "/system script run isp_core-agent",
    });
    // The preloader's last proxy rule: a request no rule redirects is denied.
    await client.add("/ip/proxy/access", { action: "deny", comment: "isp_core:proxy-deny" });
  });
  after(async () => {
    await client.close();
    await emulator.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    checkins = [];
    answers = [];
  });

  it("checks in with its key, sends its bound leases on the first run, applies the operations and reports them at once", async () => {
    answers.push({
      status: 200,
      text:
        HEADER +
        "op|1|profile-rate|isp_core-basic|5M/20M\n" +
        "op|2|user-upsert|AA:BB:CC:00:02:01|pw|AA:BB:CC:00:02:01|isp_core-basic|no|isp_core:isp.captive.user:1 http://odoo/x\n" +
        "op|3|list-upsert|isp_suspended|isp_core:subscription:SUB-1|10.80.0.10\n" +
        "op|4|queue-remove|isp_core:SUB-1\n" +
        "end\n",
    });
    await runAgent();
    assert.equal(checkins.length, 2, "the results go back in a second check-in, not at the next tick");
    assert.equal(checkins[0]?.key, KEY);
    // The emulated router has no NTP: its clock counts from 1970-01-02, as a router without a battery does (manual, System/Time).
    assert.match(String(checkins[0]?.body.clock), /^1970-01-0\d \d\d:\d\d:\d\d \+00:00$/);
    assert.deepEqual(checkins[0]?.body.leases, [["AA:BB:CC:00:02:01", "10.80.0.10", "lan", ""]]);
    assert.deepEqual(checkins[1]?.body.results, [
      { id: 1, outcome: "created" },
      { id: 2, outcome: "created" },
      { id: 3, outcome: "created" },
      { id: 4, outcome: "absent" },
    ]);
    assert.equal(checkins[1]?.body.leases, undefined, "Odoo said no sync");
    const [user] = await client.print("/ip/hotspot/user", { query: ["?name=AA:BB:CC:00:02:01"] });
    assert.deepEqual([user?.profile, user?.disabled, user?.comment], ["isp_core-basic", "false", "isp_core:isp.captive.user:1 http://odoo/x"]);
  });

  it("applies an operation sent again with the same effect, and reports failures in its own words", async () => {
    answers.push({
      status: 200,
      text:
        HEADER +
        "op|2|user-upsert|AA:BB:CC:00:02:01|pw|AA:BB:CC:00:02:01|isp_core-basic|yes|isp_core:isp.captive.user:1 http://odoo/x\n" +
        "op|5|user-upsert|AA:BB:CC:00:02:09|pw||isp_core-missing|no|isp_core:x\n" +
        "op|6|profile-rate|default|1M/1M\n" +
        "op|7|reboot|now\n" +
        "end\n",
    });
    await runAgent();
    assert.deepEqual(checkins[1]?.body.results, [
      { id: 2, outcome: "applied" },
      { id: 5, error: "no hotspot user profile isp_core-missing" },
      { id: 6, error: "name: not a profile of isp_core (isp_core-)" },
      { id: 7, error: "unknown operation reboot" },
    ]);
    assert.equal((await client.print("/ip/hotspot/user")).length, 1);
    const [profile] = await client.print("/ip/hotspot/user/profile", { query: ["?name=default"] });
    assert.equal(profile?.["rate-limit"], undefined, "the factory profile is never changed");
  });

  it("redirects a suspended address to its notice page above the proxy's deny rule, and removes the redirect", async () => {
    const notice = `${odooUrl}/isp/notice/${TOKEN}`;
    const upsert = (id: number, address: string) => `op|${id}|redirect-upsert|isp_core:subscription:SUB-1|${address}|${notice}\n`;
    answers.push(
      { status: 200, text: `${HEADER}${upsert(60, "10.80.0.10")}end\n` },
      { status: 200, text: `${HEADER}${upsert(61, "10.80.0.11")}end\n` },
    );
    await runAgent();
    await runAgent();
    assert.deepEqual(
      checkins.flatMap((checkin) => checkin.body.results),
      [
        { id: 60, outcome: "created" },
        { id: 61, outcome: "applied" },
      ],
    );
    const rules = await client.print("/ip/proxy/access");
    assert.deepEqual(
      rules.map((rule) => [rule["src-address"], rule.action, rule["action-data"], rule.comment]),
      [
        ["10.80.0.11", "redirect", notice, "isp_core:subscription:SUB-1"],
        [undefined, "deny", undefined, "isp_core:proxy-deny"],
      ],
      "one rule per customer, above the deny rule",
    );
    checkins = [];
    const remove = (id: number) => `op|${id}|redirect-remove|isp_core:subscription:SUB-1\n`;
    answers.push({ status: 200, text: `${HEADER}${remove(62)}${remove(63)}end\n` });
    await runAgent();
    assert.deepEqual(checkins[1]?.body.results, [
      { id: 62, outcome: "removed" },
      { id: 63, outcome: "absent" },
    ]);
    assert.deepEqual(
      (await client.print("/ip/proxy/access")).map((rule) => rule.comment),
      ["isp_core:proxy-deny"],
    );
  });

  it("touches nothing isp_core did not make, whatever Odoo sends", async () => {
    await client.add("/ip/hotspot/user", { name: "operator-own", password: "x" });
    await client.add("/queue/simple", { name: "uplink", target: "10.80.0.0/24" });
    await client.add("/ip/firewall/address-list", { list: "trusted", address: "10.80.0.5", comment: "isp_core:subscription:X" });
    answers.push({
      status: 200,
      text:
        HEADER +
        "op|20|user-remove|operator-own\n" +
        "op|21|user-upsert|operator-own|pw||isp_core-basic|no|isp_core:x\n" +
        "op|22|user-upsert|new-user|pw||default|no|an operator comment\n" +
        "op|23|queue-remove|uplink\n" +
        "op|24|list-remove|trusted|isp_core:subscription:X\n" +
        "op|25|list-upsert|isp_suspended|no-prefix|10.80.0.6\n" +
        "end\n",
    });
    await runAgent();
    assert.deepEqual(checkins[1]?.body.results, [
      { id: 20, error: "not isp_core's: operator-own" },
      { id: 21, error: "not isp_core's: operator-own" },
      { id: 22, error: "comment: not marked as isp_core's (isp_core:)" },
      { id: 23, error: "name: not marked as isp_core's (isp_core:)" },
      { id: 24, error: "list: not the suspended list installed on this router" },
      { id: 25, error: "comment: not marked as isp_core's (isp_core:)" },
    ]);
    assert.equal((await client.print("/ip/hotspot/user", { query: ["?name=operator-own"] }))[0]?.password === undefined, true);
    assert.equal((await client.print("/queue/simple", { query: ["?name=uplink"] })).length, 1);
    assert.equal((await client.print("/ip/firewall/address-list", { query: ["?list=trusted"] })).length, 1);
    assert.equal((await client.print("/ip/hotspot/user", { query: ["?name=new-user"] })).length, 0);
  });

  it("runs alone: a run started while another one checks in leaves the check-in to that one", async () => {
    // While the first run's check-in waits for its answer, a second lease starts the agent again.
    const second = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
    beforeAnswer = async () => {
      beforeAnswer = undefined;
      await second.command("/simulator/dhcp/bind", { server: "lan", "mac-address": "AA:BB:CC:00:02:F0" });
    };
    try {
      await runAgent();
    } finally {
      await second.close();
    }
    assert.equal(beforeAnswer, undefined, "the second run started during the first check-in");
    assert.equal(checkins.length, 1, "the second run did not check in");
  });

  it("refuses values script could expand, whatever Odoo sends", async () => {
    answers.push({
      status: 200,
      text: HEADER + 'op|8|user-upsert|$[/system reset-configuration]|pw||isp_core-basic|no|c\nop|9|queue-remove|a"b\nend\n',
    });
    await runAgent();
    assert.deepEqual(checkins[1]?.body.results, [
      { id: 8, error: "a value outside the safe alphabet in user-upsert: not applied" },
      { id: 9, error: "a value outside the safe alphabet in queue-remove: not applied" },
    ]);
    assert.deepEqual(
      (await client.print("/ip/hotspot/user")).map((user) => user.name),
      ["AA:BB:CC:00:02:01", "operator-own"],
      "nothing was added",
    );
  });

  it("keeps its results when a check-in fails, and reports them at the next one", async () => {
    answers.push({ status: 200, text: `${HEADER}op|10|queue-remove|isp_core:SUB-2\nend\n` }, { status: 503, text: "busy" });
    await runAgent();
    assert.equal(checkins.length, 2);
    await runAgent();
    assert.deepEqual(checkins[2]?.body.results, [{ id: 10, outcome: "absent" }], "the lost report is sent again");
  });

  it("ignores an answer in a form it does not read", async () => {
    answers.push({ status: 200, text: "<html>a captive portal</html>\nop|11|queue-remove|isp_core:SUB-3\n" });
    await runAgent();
    assert.equal(checkins.length, 1);
    const log = await client.print("/log", { query: ["?topics=script,error"] });
    assert.ok(log.some((line) => line.message?.includes("does not read")));
  });

  describe("behind a spoofed Odoo (odoo.check_certificate off, or a hijacked URL)", () => {
    /** What the router holds of the menus a hostile answer aims at. */
    const routerState = async () => ({
      lists: (await client.print("/ip/firewall/address-list")).map((entry) => `${entry.list} ${entry.address} ${entry.comment ?? ""}`),
      queues: (await client.print("/queue/simple")).map((queue) => `${queue.name} ${queue.target}`),
      users: (await client.print("/ip/hotspot/user")).map((user) => `${user.name} ${user.profile ?? ""}`),
    });

    before(async () => {
      await client.add("/ip/firewall/address-list", { list: "mgmt-allow", address: "192.168.88.10", comment: "office" });
      await client.add("/ip/firewall/address-list", { list: "isp_suspended", address: "10.80.0.66", comment: "blocked by hand" });
      await client.add("/ip/hotspot/user/profile", { name: "unlimited" });
    });

    it("cannot add to another list, suspend or throttle everyone, nor put a user on the operator's profile", async () => {
      const before = await routerState();
      const suspend = (id: number, address: string) => `op|${id}|list-upsert|isp_suspended|isp_core:subscription:ALL-${id}|${address}\n`;
      const throttle = (id: number, target: string) => `op|${id}|queue-upsert|isp_core:ALL-${id}|${target}|1k/1k|isp_core:subscription:ALL-${id}\n`;
      answers.push({
        status: 200,
        text:
          SPOOFED_HEADER +
          "op|30|list-upsert|mgmt-allow|isp_core:subscription:X|203.0.113.5\n" +
          // Everyone, networks, ranges, lists, the network's own addresses, outside the LAN, a leading zero.
          [
            "0.0.0.0/0",
            "0.0.0.0",
            "10.80.0.0/24",
            "10.80.0.10-10.80.0.20",
            "10.80.0.10,10.80.0.11",
            "10.80.0.0",
            "10.80.0.255",
            "10.81.0.5",
            "010.80.0.5",
          ]
            .map((address, index) => suspend(31 + index, address))
            .join("") +
          ["0.0.0.0/0", "ether2", "10.80.0.10,10.80.0.11", "10.80.0.0/24", "bridge-isp"]
            .map((target, index) => throttle(41 + index, target))
            .join("") +
          "op|50|user-upsert|AA:BB:CC:00:03:01|pw|AA:BB:CC:00:03:01|unlimited|no|isp_core:isp.captive.user:9\n" +
          "op|51|user-upsert|AA:BB:CC:00:02:01|pw|AA:BB:CC:00:02:01|unlimited|no|isp_core:isp.captive.user:1 http://odoo/x\n" +
          "op|52|user-upsert|AA:BB:CC:00:03:02|pw|0.0.0.0/0|isp_core-basic|no|isp_core:isp.captive.user:10\n" +
          "end\n",
      });
      await runAgent();
      const refusals = new Map(checkins[1]?.body.results.map((result) => [result.id, result.error]));
      assert.equal(refusals.get(30), "list: not the suspended list installed on this router");
      for (const id of [31, 32, 33, 34, 35, 36, 37, 38, 39]) {
        assert.equal(refusals.get(id), "address: not one host address of the router's LAN networks", `operation ${id}`);
      }
      for (const id of [41, 42, 43, 44, 45])
        assert.equal(refusals.get(id), "target: not one host address of the router's LAN networks", `operation ${id}`);
      assert.equal(refusals.get(50), "profile: not a profile of isp_core (isp_core-)");
      assert.equal(refusals.get(51), "profile: not a profile of isp_core (isp_core-)");
      assert.equal(refusals.get(52), "mac-address: not one MAC address");
      assert.equal(checkins[1]?.body.results.length, 18, "every refusal is reported");
      assert.ok(
        checkins[1]?.body.results.every((result) => !/0\.0\.0\.0|ether2|bridge-isp|mgmt-allow|unlimited|203\.0/.test(result.error ?? "")),
        "no refusal echoes the value it refused",
      );
      assert.deepEqual(await routerState(), before, "the router holds exactly what it held before");
    });

    it("redirects only to a notice page of the Odoo it was installed with, and only one host of its LAN", async () => {
      await client.add("/ip/proxy/access", { "src-address": "10.80.0.0/24", action: "deny", comment: "office", "place-before": "*1" });
      const before = (await client.print("/ip/proxy/access")).map((rule) => `${rule["src-address"] ?? ""} ${rule.action} ${rule.comment ?? ""}`);
      const redirect = (id: number, address: string, url: string, comment = `isp_core:subscription:R-${id}`) =>
        `op|${id}|redirect-upsert|${comment}|${address}|${url}\n`;
      const notice = `${odooUrl}/isp/notice/${TOKEN}`;
      answers.push({
        status: 200,
        text:
          SPOOFED_HEADER +
          redirect(70, "10.80.0.12", `http://evil.example.com/isp/notice/${TOKEN}`) +
          redirect(71, "10.80.0.12", `${odooUrl}/web/login`) +
          redirect(72, "10.80.0.12", `${notice}/x`) +
          redirect(73, "10.80.0.12", `${odooUrl}.evil.example.com/isp/notice/${TOKEN}`) +
          redirect(74, "10.80.0.0/24", notice) +
          redirect(75, "0.0.0.0/0", notice) +
          redirect(76, "10.80.0.12", notice, "office") +
          "op|77|redirect-remove|office\n" +
          // The proxy's last rule is the preloader's: neither turned into a redirect nor removed.
          redirect(78, "10.80.0.12", notice, "isp_core:proxy-deny") +
          "op|79|redirect-remove|isp_core:proxy-deny\n" +
          "end\n",
      });
      await runAgent();
      const refusals = new Map(checkins[1]?.body.results.map((result) => [result.id, result.error]));
      for (const id of [70, 71, 72, 73]) {
        assert.equal(refusals.get(id), "action-data: not a notice page of the Odoo this router was set up with", `operation ${id}`);
      }
      for (const id of [74, 75]) assert.equal(refusals.get(id), "src-address: not one host address of the router's LAN networks", `operation ${id}`);
      for (const id of [76, 77, 78, 79]) assert.equal(refusals.get(id), "comment: not a customer's (isp_core:subscription:)", `operation ${id}`);
      assert.deepEqual(
        (await client.print("/ip/proxy/access")).map((rule) => `${rule["src-address"] ?? ""} ${rule.action} ${rule.comment ?? ""}`),
        before,
        "the proxy's rules are as they were",
      );
    });

    it("reports only isp_core's own entries of the installed list at a sync, whatever list an answer names", async () => {
      answers.push({ status: 200, text: `${SPOOFED_HEADER}end\n` });
      await runAgent();
      await runAgent();
      const sync = checkins.at(-1)?.body.suspended;
      assert.deepEqual(sync, [["isp_core:subscription:SUB-1", "10.80.0.10"]], "neither mgmt-allow nor the entry blocked by hand");
    });

    it(`checks in at most ${AGENT_MAX_CHECKINS} times a run, and applies at most ${AGENT_MAX_OPERATIONS} operations of an answer`, async () => {
      const queue = (id: number) => `op|${id}|queue-upsert|isp_core:FLOOD-${id}|10.80.0.${(id % 80) + 10}|1M/1M|isp_core:subscription:FLOOD-${id}\n`;
      // An answer with more operations than Odoo ever sends, then 99 more asking for more, each with one operation.
      answers.push({ status: 200, text: `${SPOOFED_HEADER}${Array.from({ length: 60 }, (_unused, index) => queue(100 + index)).join("")}end\n` });
      for (let round = 1; round < 100; round++) answers.push({ status: 200, text: `${SPOOFED_HEADER}${queue(1000 + round)}end\n` });
      await runAgent();
      assert.equal(checkins.length, AGENT_MAX_CHECKINS);
      const flood = (await client.print("/queue/simple")).filter((item) => item.name?.startsWith("isp_core:FLOOD-"));
      assert.equal(flood.length, AGENT_MAX_OPERATIONS + AGENT_MAX_CHECKINS - 1, "the first answer's first 50, then one an answer");
      assert.equal(
        flood.filter((item) => Number(item.name?.split("-")[1]) >= 100 + AGENT_MAX_OPERATIONS && Number(item.name?.split("-")[1]) < 160).length,
        0,
      );
      assert.equal(checkins[1]?.body.results.length, AGENT_MAX_OPERATIONS);
      const log = await client.print("/log", { query: ["?topics=script,warning"] });
      assert.ok(log.some((line) => line.message?.includes(`more than ${AGENT_MAX_OPERATIONS} operations`)));
    });

    it("does not check in again for an answer that asks for more but carries nothing", async () => {
      for (let round = 0; round < 100; round++) answers.push({ status: 200, text: `${SPOOFED_HEADER}end\n` });
      await runAgent();
      assert.equal(checkins.length, 1);
    });
  });
});
