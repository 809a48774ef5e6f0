import assert from "node:assert/strict";
import { spawn, execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { startEmulator } from "../../tools/routeros-emulator/index.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = ["--import", "tsx", join(ROOT, "tools/routeros-emulator/cli.ts")];

async function configure(port: number): Promise<void> {
  const client = await RouterOsClient.connect({ host: "127.0.0.1", port, user: "admin", password: "" });
  await client.set("/system/identity", null, { name: "Los Cacaos" });
  await client.set("/interface/ethernet", "ether1", { name: "wan" });
  await client.add("/interface/bridge", { name: "lan" });
  await client.add("/ip/address", { address: "192.168.88.1/24", interface: "lan" });
  await client.add("/ip/dhcp-client", { interface: "wan", disabled: "no" });
  await client.add("/ip/pool", { name: "onu", ranges: "192.168.88.10-192.168.88.250" });
  await client.add("/ip/dhcp-server", { name: "onu", interface: "lan", "address-pool": "onu", "lease-script": ':log info "bound $leaseActMAC"' });
  await client.command("/ip/service/set", { numbers: "api", address: "10.0.0.0/8" });
  await client.command("/simulator/dhcp/bind", { server: "onu", "mac-address": "02:00:00:00:00:99" });
  await client.close();
}

describe("state file and export", () => {
  let directory: string;
  let stateFile: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "routeros-emulator-test-"));
    stateFile = join(directory, "router.json");
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  test("the configuration survives a restart with the same state file", async () => {
    const first = await startEmulator({ stateFile });
    await configure(first.port);
    await first.close();

    const second = await startEmulator({ stateFile });
    const client = await RouterOsClient.connect({ host: "127.0.0.1", port: second.port, user: "admin", password: "" });
    assert.deepEqual(await client.print("/system/identity"), [{ name: "Los Cacaos" }]);
    assert.deepEqual(await client.print("/ip/address", { proplist: ["address", "interface"] }), [{ address: "192.168.88.1/24", interface: "lan" }]);
    assert.equal(await client.add("/interface/bridge", { name: "spare" }), "*8", ".id counters continue where they stopped");
    await client.close();
    await second.close();
  });

  test("export writes the static configuration as a .rsc script", async () => {
    const emulator = await startEmulator();
    await configure(emulator.port);
    const script = emulator.export();
    await emulator.close();
    const body = script.split("\n").filter((line) => !line.startsWith("#"));
    assert.deepEqual(body, [
      "/interface bridge",
      "add name=lan",
      "/interface ethernet",
      "set [ find default-name=ether1 ] name=wan",
      "/ip address",
      "add address=192.168.88.1/24 interface=lan",
      "/ip pool",
      "add name=onu ranges=192.168.88.10-192.168.88.250",
      "/ip dhcp-server",
      'add name=onu interface=lan address-pool=onu lease-script=":log info \\"bound \\$leaseActMAC\\""',
      "/ip dhcp-client",
      "add interface=wan disabled=no",
      "/ip service",
      "set [ find name=api ] address=10.0.0.0/8",
      "/system identity",
      'set name="Los Cacaos"',
      "",
    ]);
  });

  test("export writes the changes to the default hotspot profiles as RouterOS does", async () => {
    const emulator = await startEmulator();
    const client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
    await client.set("/ip/hotspot/user/profile", "default", { "rate-limit": "5M/10M" });
    await client.add("/ip/hotspot/user/profile", { name: "plan-20", "rate-limit": "10M/20M" });
    await client.close();
    const script = emulator.export();
    await emulator.close();
    const body = script.split("\n").filter((line) => !line.startsWith("#"));
    assert.deepEqual(body, ["/ip hotspot user profile", "set [ find default=yes ] rate-limit=5M/10M", "add name=plan-20 rate-limit=10M/20M", ""]);
  });

  test("the CLI prints its ready line, serves the API, and --export prints the state file's script", async () => {
    const child = spawn(process.execPath, [...CLI, "--port", "0", "--state", stateFile], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    const [line] = await new Promise<string[]>((resolve) => createInterface({ input: child.stdout }).once("line", (text) => resolve([text])));
    const match = /^routeros-emulator listening api=127\.0\.0\.1:(\d+) version=7\.19\.6$/.exec(line ?? "");
    assert.ok(match, `unexpected ready line: ${line}`);
    const client = await RouterOsClient.connect({ host: "127.0.0.1", port: Number(match[1]), user: "admin", password: "" });
    assert.deepEqual(await client.print("/system/identity"), [{ name: "Los Cacaos" }]);
    await client.close();
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;

    const { stdout } = await promisify(execFile)(process.execPath, [...CLI, "--export", "--state", stateFile], { cwd: ROOT });
    assert.match(stdout, /^\/system identity\nset name="Los Cacaos"$/m);
  });
});
