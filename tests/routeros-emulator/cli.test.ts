import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";

const run = promisify(execFile);
const CLI = ["--import", "tsx", "tools/routeros-emulator/cli.ts"];

/** `npm run routeros-emulator -- bind|unbind ...` against a running emulator, as a user simulates a device. */
describe("the emulator's bind and unbind commands", () => {
  let emulator: RunningEmulator;
  let client: RouterOsClient;
  before(async () => {
    emulator = await startEmulator();
    client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
    await client.add("/ip/pool", { name: "onu-pool", ranges: "10.55.0.10-10.55.0.20" });
    await client.add("/ip/dhcp-server", {
      name: "onu",
      interface: "ether2",
      "address-pool": "onu-pool",
      "lease-script": ':log info ("lease " . $leaseBound . " " . $leaseActMAC . " " . $"lease-hostname")',
    });
  });
  after(async () => {
    await client.close();
    await emulator.close();
  });
  const scriptLog = async (): Promise<string[]> => (await client.print("/log", { query: ["?topics=script,info"] })).map((line) => line.message ?? "");

  it("binds a lease on the router's DHCP server, which runs its lease-script", async () => {
    const { stdout } = await run("node", [...CLI, "bind", "--port", String(emulator.port), "--mac", "aa:bb:cc:00:09:01", "--host-name", "ONU-Perez"]);
    assert.equal(stdout, "AA:BB:CC:00:09:01 bound to 10.55.0.10 on onu\n");
    assert.deepEqual(await scriptLog(), ["lease 1 AA:BB:CC:00:09:01 ONU-Perez"]);
  });

  it("unbinds it", async () => {
    const { stdout } = await run("node", [...CLI, "unbind", "--port", String(emulator.port), "--mac", "aa:bb:cc:00:09:01"]);
    assert.equal(stdout, "AA:BB:CC:00:09:01 released\n");
    assert.equal((await scriptLog()).at(-1), "lease 0 AA:BB:CC:00:09:01 ONU-Perez");
  });

  it("names what is missing", async () => {
    await assert.rejects(run("node", [...CLI, "bind", "--port", String(emulator.port)]), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.equal(error.stderr, "routeros-emulator: bind: --mac is required\n");
      return true;
    });
  });
});
