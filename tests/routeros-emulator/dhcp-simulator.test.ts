import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { RouterOsClient, RouterOsTrapError } from "../../tools/routeros/index.ts";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";

const LOGGING_SCRIPT =
  ':log info ("lease bound=" . $leaseBound . " mac=" . $leaseActMAC . " ip=" . $leaseActIP . " host=" . $"lease-hostname" . " server=" . $leaseServerName)';

describe("/simulator/dhcp", () => {
  let emulator: RunningEmulator;
  let client: RouterOsClient;
  const scriptLog = async (): Promise<string[]> =>
    (await client.print("/log", { query: ["?topics=script,info"] })).map((entry) => entry.message ?? "");

  before(async () => {
    emulator = await startEmulator();
    client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
    await client.add("/ip/pool", { name: "onu-pool", ranges: "10.50.0.10-10.50.0.11" });
    await client.add("/ip/dhcp-server", { name: "onu", interface: "ether2", "address-pool": "onu-pool", "lease-script": LOGGING_SCRIPT });
  });
  after(async () => {
    await client.close();
    await emulator.close();
  });

  test("bind leases the pool's first free address and runs the lease-script with the lease variables", async () => {
    const { ret } = await client.command("/simulator/dhcp/bind", { server: "onu", "mac-address": "aa-bb-cc-00-00-01", "host-name": 'O"NU\\1' });
    const [lease] = await client.print("/ip/dhcp-server/lease", { query: [`?.id=${ret}`] });
    assert.deepEqual(
      [lease?.address, lease?.["mac-address"], lease?.status, lease?.dynamic, lease?.["host-name"], lease?.["active-address"]],
      ["10.50.0.10", "AA:BB:CC:00:00:01", "bound", "true", 'O"NU\\1', "10.50.0.10"],
    );
    assert.deepEqual(await scriptLog(), ['lease bound=1 mac=AA:BB:CC:00:00:01 ip=10.50.0.10 host=O"NU\\1 server=onu']);
  });

  test("a second bind of the same MAC refreshes its lease", async () => {
    await client.command("/simulator/dhcp/bind", { server: "onu", "mac-address": "AA:BB:CC:00:00:01", "host-name": "onu-1" });
    const leases = await client.print("/ip/dhcp-server/lease", { proplist: ["address", "host-name"] });
    assert.deepEqual(leases, [{ address: "10.50.0.10", "host-name": "onu-1" }]);
  });

  test("an exhausted pool is a trap", async () => {
    await client.command("/simulator/dhcp/bind", { server: "onu", "mac-address": "AA:BB:CC:00:00:02" });
    await assert.rejects(client.command("/simulator/dhcp/bind", { server: "onu", "mac-address": "AA:BB:CC:00:00:03" }), {
      message: "failure: pool onu-pool has no free addresses",
    });
  });

  test("unbind ends a dynamic lease and runs the script with leaseBound=0", async () => {
    await client.command("/simulator/dhcp/unbind", { "mac-address": "AA:BB:CC:00:00:02" });
    assert.deepEqual(await client.print("/ip/dhcp-server/lease", { query: ["?mac-address=AA:BB:CC:00:00:02"] }), []);
    assert.equal((await scriptLog()).at(-1), "lease bound=0 mac=AA:BB:CC:00:00:02 ip=10.50.0.11 host= server=onu");
  });

  test("an unknown server is refused before anything is leased", async () => {
    await assert.rejects(client.command("/simulator/dhcp/bind", { server: "nope", "mac-address": "AA:BB:CC:00:00:09" }), {
      message: "input does not match any value of server",
    });
  });

  test("a script error becomes a category 3 trap and a script,error log line", async () => {
    await client.add("/ip/pool", { name: "spare", ranges: "10.60.0.10-10.60.0.20" });
    await client.add("/ip/dhcp-server", { name: "broken", interface: "ether3", "address-pool": "spare", "lease-script": ":frobnicate now" });
    await assert.rejects(client.command("/simulator/dhcp/bind", { server: "broken", "mac-address": "AA:BB:CC:00:00:04" }), (error: unknown) => {
      assert.ok(error instanceof RouterOsTrapError);
      assert.equal(error.category, 3);
      return true;
    });
    const errors = await client.print("/log", { query: ["?topics=script,error"] });
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? "", /frobnicate/);
  });
});

describe("a lease-script's /tool fetch", () => {
  test("reaches a local HTTP server with the script's body and headers", async () => {
    const received: { method: string; headers: IncomingHttpHeaders; body: string }[] = [];
    const http = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      request.on("end", () => {
        received.push({ method: request.method ?? "", headers: request.headers, body });
        response.end('{"result":"created"}');
      });
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/isp/mac_onboarding`;
    const script = [
      `:local body ("{\\"mac\\":\\"" . $leaseActMAC . "\\",\\"bound\\":\\"" . $leaseBound . "\\"}")`,
      `/tool fetch url="${url}" http-method=post http-header-field="Content-Type: application/json,X-ISP-Token: t0k" http-data=$body output=none`,
    ].join("\n");
    const emulator = await startEmulator();
    const client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
    await client.add("/ip/pool", { name: "p", ranges: "10.70.0.2-10.70.0.9" });
    await client.add("/ip/dhcp-server", { name: "lan", interface: "ether2", "address-pool": "p", "lease-script": script });
    await client.command("/simulator/dhcp/bind", { server: "lan", "mac-address": "02:00:00:AA:BB:CC" });
    await client.close();
    await emulator.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));

    assert.equal(received.length, 1);
    assert.equal(received[0]?.method, "POST");
    assert.equal(received[0]?.headers["content-type"], "application/json");
    assert.equal(received[0]?.headers["x-isp-token"], "t0k");
    assert.equal(received[0]?.body, '{"mac":"02:00:00:AA:BB:CC","bound":"1"}');
  });
});
