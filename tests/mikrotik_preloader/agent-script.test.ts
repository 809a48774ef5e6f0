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
import { buildAgentScript } from "../../tools/mikrotik_preloader/agent-script.ts";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";

const KEY = "agent-key-for-the-test-0123456789abcdef";
const HEADER = "isp_core-agent 1\nmore|no\nsync|no\nlist|isp_suspended\n";

interface CheckIn {
  key: string | undefined;
  body: { results: { id: number; outcome?: string; error?: string }[]; leases?: string[][] };
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
    const odooUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const source = buildAgentScript({ odooUrl, database: "isp", key: KEY, suspendedAddressList: "isp_suspended", checkCertificate: false });
    await client.add("/system/script", { name: "isp_core-agent", source });
    await client.add("/ip/pool", { name: "lan-pool", ranges: "10.80.0.10-10.80.0.99" });
    await client.add("/ip/dhcp-server", {
      name: "lan",
      interface: "ether2",
      "address-pool": "lan-pool",
      "lease-script": "/system script run isp_core-agent",
    });
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
      { id: 6, error: "not a profile of isp_core: default" },
      { id: 7, error: "unknown operation reboot" },
    ]);
    assert.equal((await client.print("/ip/hotspot/user")).length, 1);
    const [profile] = await client.print("/ip/hotspot/user/profile", { query: ["?name=default"] });
    assert.equal(profile?.["rate-limit"], undefined, "the factory profile is never changed");
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
        "op|21|user-upsert|operator-own|pw||default|no|isp_core:x\n" +
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
      { id: 22, error: "the comment does not mark it as isp_core's" },
      { id: 23, error: "not isp_core's queue: uplink" },
      { id: 24, error: "not isp_core's address list entry: trusted" },
      { id: 25, error: "not isp_core's address list entry: isp_suspended" },
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
});
