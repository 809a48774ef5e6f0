// What the emulated router accepts and refuses when it runs scripts, as RouterOS does; each case
// names its source (the manual, the command trees, or reports from real routers).
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";
import { printedBy } from "./script-test-host.ts";

async function router(version: string): Promise<{ emulator: RunningEmulator; client: RouterOsClient }> {
  const emulator = await startEmulator({ version });
  const client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
  await client.add("/ip/pool", { name: "lan", ranges: "10.9.0.10-10.9.0.250" });
  await client.add("/ip/dhcp-server", { name: "lan", interface: "ether2", "address-pool": "lan" });
  return { emulator, client };
}

let macs = 0;
/** Runs `source` as the lease-script of one new lease: undefined when it succeeds, else the router's error. */
async function asLeaseScript(client: RouterOsClient, source: string): Promise<string | undefined> {
  await client.set("/ip/dhcp-server", "lan", { "lease-script": source });
  try {
    await client.command("/simulator/dhcp/bind", { server: "lan", "mac-address": `02:00:00:00:20:${(macs++ % 250).toString(16).padStart(2, "0")}` });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

async function scriptLog(client: RouterOsClient): Promise<string[]> {
  return (await client.print("/log", { query: ["?topics=script,info"] })).map((entry) => entry.message ?? "");
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe("IP address and time literals, as RouterOS's scripting reads them (manual, Scripting: data types ip and time)", () => {
  test("an IP address is an ip value, a time a time value printed as RouterOS prints times", async () => {
    assert.deepEqual(await printedBy(":put [:typeof 192.0.2.3]; :put [:typeof 10s]; :put 1d2h; :put 90s; :put 1w3d00:00:05"), [
      "ip",
      "time",
      "1d02:00:00",
      "00:01:30",
      "1w3d00:00:05",
    ]);
    assert.deepEqual(await printedBy(":put (10s < 1m); :put (192.0.2.3 = 192.0.2.3); :put (10.0.0.2 > 10.0.0.10)"), ["true", "true", "false"]);
  });

  test("a script adds an address-list entry with address=192.0.2.3 and a scheduler item with interval=10s", async () => {
    const { emulator, client } = await router("7.19.6");
    try {
      const error = await asLeaseScript(
        client,
        '/ip firewall address-list add list=blocked address=192.0.2.3; /system scheduler add name=later interval=10s on-event=":log info tick"',
      );
      assert.equal(error, undefined);
      assert.equal((await client.print("/ip/firewall/address-list"))[0]?.address, "192.0.2.3");
      assert.equal((await client.print("/system/scheduler"))[0]?.interval, "00:00:10");
    } finally {
      await client.close();
      await emulator.close();
    }
  });
});

describe("stored scripts and the scheduler", () => {
  let emulator: RunningEmulator;
  let client: RouterOsClient;
  before(async () => ({ emulator, client } = await router("7.19.6")));
  after(async () => {
    await client.close();
    await emulator.close();
  });

  test("/system/script/run runs a stored script over the API (its command tree: run number=), by name or .id", async () => {
    const id = await client.add("/system/script", { name: "hello", source: ':log info "hello ran"' });
    await client.command("/system/script/run", { number: "hello" });
    await client.command("/system/script/run", { ".id": id });
    assert.deepEqual((await scriptLog(client)).filter((line) => line === "hello ran").length, 2);
    await assert.rejects(client.command("/system/script/run", { number: "nope" }), { message: "no such item" });
    await client.add("/system/script", { name: "broken", source: ':error "it broke"' });
    await assert.rejects(client.command("/system/script/run", { number: "broken" }), (error: Error & { category?: number }) => {
      assert.match(error.message, /it broke/);
      return true;
    });
  });

  test("a scheduler on-event that names a stored script runs that script (manual, Scheduler: on-event is the script's name)", async () => {
    await client.add("/system/script", { name: "tick", source: ':log info "tick ran"' });
    await client.add("/system/scheduler", { name: "every-second", interval: "1s", "on-event": "tick" });
    const deadline = Date.now() + 5000;
    while (!(await scriptLog(client)).includes("tick ran") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok((await scriptLog(client)).includes("tick ran"), "the scheduler did not run the stored script");
    const errors = (await client.print("/log", { query: ["?topics=script,error"] })).map((entry) => entry.message ?? "");
    assert.deepEqual(
      errors.filter((message) => message.includes("tick")),
      [],
    );
    await client.remove("/system/scheduler", (await client.print("/system/scheduler"))[0]?.[".id"] ?? "");
  });

  test("the scheduler starts a run on time while the last one still runs, as RouterOS does", async () => {
    let open = 0;
    let mostAtOnce = 0;
    const slow = await listen((_request, response) => {
      open++;
      mostAtOnce = Math.max(mostAtOnce, open);
      setTimeout(() => {
        open--;
        response.end("ok");
      }, 2500);
    });
    try {
      await client.add("/system/script", { name: "slow", source: `/tool fetch url="${slow.url}" output=none` });
      const id = await client.add("/system/scheduler", { name: "slow-every-second", interval: "1s", "on-event": "slow" });
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await client.remove("/system/scheduler", id);
      assert.ok(mostAtOnce >= 2, `runs overlapped ${mostAtOnce} at most`);
    } finally {
      await stop(slow.server);
    }
  });

  test("a test hook can remove an entry between a script's find and its get; the script's guard sees it vanish", async () => {
    await client.add("/ip/hotspot/user", { name: "first" });
    await client.add("/ip/hotspot/user", { name: "second" });
    emulator.scriptHooks.afterFind = async (path, ids) => {
      if (path === "/ip/hotspot/user" && ids[0]) await client.remove("/ip/hotspot/user", ids[0]);
    };
    try {
      await client.add("/system/script", {
        name: "walk",
        source:
          ':foreach u in=[/ip hotspot user find] do={ :do { :log info ("user " . [/ip hotspot user get $u name]) } on-error={ :log info "user vanished" } }',
      });
      await client.command("/system/script/run", { number: "walk" });
    } finally {
      emulator.scriptHooks.afterFind = undefined;
    }
    assert.deepEqual(
      (await scriptLog(client)).filter((line) => line.startsWith("user ")),
      ["user vanished", "user second"],
    );
  });
});

describe("/tool fetch takes only its version's arguments, and RouterOS's limits", () => {
  test("idle-timeout= (7.19.6's tree on) stops a 7.12.2 script before anything in it runs", async () => {
    const old = await router("7.12.2");
    try {
      const error = await asLeaseScript(old.client, ':log info "ran"; /tool fetch url="http://127.0.0.1:9/" idle-timeout=5s output=none');
      assert.match(error ?? "", /expected end of command \(line 1 column \d+\)/);
      assert.deepEqual(await scriptLog(old.client), []);
    } finally {
      await old.client.close();
      await old.emulator.close();
    }
  });

  test("7.19.6 honours idle-timeout=1s against a server that never answers", async () => {
    const silent = await listen(() => undefined);
    const newer = await router("7.19.6");
    try {
      const started = Date.now();
      const error = await asLeaseScript(newer.client, `/tool fetch url="${silent.url}" idle-timeout=1s output=none`);
      assert.match(error ?? "", /failure: connection timeout/);
      assert.ok(Date.now() - started < 5000);
    } finally {
      await newer.client.close();
      await newer.emulator.close();
      await stop(silent.server);
    }
  });

  test("without idle-timeout, fetch gives up after the manual's default of 10 s without data", async () => {
    const silent = await listen(() => undefined);
    const old = await router("7.12.2");
    try {
      const started = Date.now();
      const error = await asLeaseScript(old.client, `/tool fetch url="${silent.url}" output=none`);
      assert.match(error ?? "", /failure: connection timeout/);
      assert.ok(Date.now() - started >= 9500, "gave up before 10 s");
    } finally {
      await old.client.close();
      await old.emulator.close();
      await stop(silent.server);
    }
  });

  test("http-data and the output=user answer are limited to 64 KiB", async () => {
    const big = await listen((request, response) => {
      request.resume();
      response.end("x".repeat(64 * 1024 + 1));
    });
    const { emulator, client } = await router("7.24");
    try {
      const send = (size: number): string =>
        `:local body ""; :for i from=1 to=${size / 1024} do={ :set body ($body . "${"y".repeat(1024)}") }; :set body ($body . "z"); /tool fetch url="${big.url}" http-method=post http-data=$body output=none`;
      assert.match((await asLeaseScript(client, send(64 * 1024))) ?? "", /http-data larger than 65536 bytes/);
      assert.equal(await asLeaseScript(client, send(63 * 1024)), undefined);
      assert.match(
        (await asLeaseScript(client, `:local r [/tool fetch url="${big.url}" output=user as-value]`)) ?? "",
        /answer larger than 65536 bytes/,
      );
    } finally {
      await client.close();
      await emulator.close();
      await stop(big.server);
    }
  });
});

describe("scripts run under their policies; globals belong to a user (manual, Scripting: policy, owner, dont-require-permissions)", () => {
  let emulator: RunningEmulator;
  let admin: RouterOsClient;
  let operator: RouterOsClient;
  before(async () => {
    ({ emulator, client: admin } = await router("7.24"));
    await admin.add("/user", { name: "ops", group: "write", password: "ops-secret" });
    operator = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "ops", password: "ops-secret" });
  });
  after(async () => {
    await operator.close();
    await admin.close();
    await emulator.close();
  });

  test("a change needs write, a fetch needs test; a refused script changes nothing", async () => {
    await admin.add("/system/script", { name: "adds-user", policy: "read,test", source: "/ip hotspot user add name=sneaky" });
    await assert.rejects(admin.command("/system/script/run", { number: "adds-user" }), { message: /not enough permissions \(9\)/ });
    assert.deepEqual(await admin.print("/ip/hotspot/user", { query: ["?name=sneaky"] }), []);
    await admin.add("/system/script", { name: "fetches", policy: "read,write", source: '/tool fetch url="http://127.0.0.1:9/" output=none' });
    await assert.rejects(admin.command("/system/script/run", { number: "fetches" }), { message: /\/tool fetch: not enough permissions \(9\)/ });
  });

  test("the caller must hold the script's policies, unless the script has dont-require-permissions=yes", async () => {
    await admin.add("/system/script", { name: "full-rights", source: ':log info "full ran"' });
    await assert.rejects(operator.command("/system/script/run", { number: "full-rights" }), { message: /not enough permissions \(9\)/ });
    await admin.add("/system/script", { name: "bypass", "dont-require-permissions": "yes", source: ':log info "bypass ran"' });
    await operator.command("/system/script/run", { number: "bypass" });
    assert.ok((await scriptLog(admin)).includes("bypass ran"));
  });

  test("a script added over the API belongs to its user, and uses that user's globals; another user's need the policy policy", async () => {
    await admin.add("/system/script", { name: "admin-sets", source: ':global shared "from admin"' });
    const id = await operator.add("/system/script", {
      name: "ops-reads",
      policy: "read,write,test",
      source: ':global shared; :log info ("ops sees [" . $shared . "]")',
    });
    assert.equal((await admin.print("/system/script", { query: [`?.id=${id}`] }))[0]?.owner, "ops");
    await admin.command("/system/script/run", { number: "admin-sets" });
    await operator.command("/system/script/run", { number: "ops-reads" });
    assert.ok((await scriptLog(admin)).includes("ops sees []"), "ops read admin's global");
    await admin.add("/system/script", { name: "admin-reads", policy: "read", source: ':global shared; :log info ("admin sees [" . $shared . "]")' });
    // ops holds read, but the script is admin's: its globals are another user's.
    await assert.rejects(operator.command("/system/script/run", { number: "admin-reads" }), { message: /not enough permissions \(9\)/ });
    await admin.command("/system/script/run", { number: "admin-reads" });
    assert.ok((await scriptLog(admin)).includes("admin sees [from admin]"));
  });

  test("a scheduler item runs as the user who added it, with its own policy", async () => {
    const id = await operator.add("/system/scheduler", {
      name: "no-test",
      interval: "1s",
      policy: "read,write",
      "on-event": '/tool fetch url="http://127.0.0.1:9/" output=none',
    });
    assert.equal((await admin.print("/system/scheduler", { query: [`?.id=${id}`] }))[0]?.owner, "ops");
    const errors = async (): Promise<string[]> =>
      (await admin.print("/log", { query: ["?topics=script,error"] })).map((entry) => entry.message ?? "");
    const deadline = Date.now() + 5000;
    while (!(await errors()).some((line) => line.startsWith("/tool fetch: not enough permissions (9)")) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await admin.remove("/system/scheduler", id);
    assert.ok((await errors()).some((line) => line.startsWith("/tool fetch: not enough permissions (9)")));
  });
});
