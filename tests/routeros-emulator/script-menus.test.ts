import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RouterOsClient, RouterOsTrapError } from "../../tools/routeros/index.ts";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";

/** Scripts reach the router's menus through the same router as the API, run by a lease or the scheduler. */
describe("menu commands in scripts", () => {
  let emulator: RunningEmulator;
  let client: RouterOsClient;
  let macs = 0;
  const scriptLog = async (): Promise<string[]> =>
    (await client.print("/log", { query: ["?topics=script,info"] })).map((entry) => entry.message ?? "");
  /** Runs `source` as a stored script, from a lease-script, as the agent is run. */
  const runStored = async (source: string): Promise<void> => {
    for (const row of await client.print("/system/script", { query: ["?name=under-test"] })) await client.remove("/system/script", row[".id"] ?? "");
    await client.add("/system/script", { name: "under-test", source });
    macs += 1;
    await client.command("/simulator/dhcp/bind", { server: "lan", "mac-address": `AA:BB:CC:00:01:${macs.toString(16).padStart(2, "0")}` });
  };

  before(async () => {
    emulator = await startEmulator();
    client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
    await client.add("/ip/pool", { name: "lan-pool", ranges: "10.70.0.10-10.70.0.99" });
    await client.add("/ip/dhcp-server", {
      name: "lan",
      interface: "ether2",
      "address-pool": "lan-pool",
      "lease-script": "/system script run under-test",
    });
  });
  after(async () => {
    await client.close();
    await emulator.close();
  });

  it("adds, finds, reads, changes and removes items", async () => {
    await runStored(
      [
        '/ip hotspot user add name="ana" password="pw" comment="isp_core:x"',
        ':local found [/ip hotspot user find name="ana"]',
        ':log info ("found " . [:len $found] . " profile " . [/ip hotspot user get $found profile])',
        "/ip hotspot user set $found disabled=yes",
        ':log info ("disabled " . [/ip hotspot user get $found disabled])',
        ':if ([:len [/ip hotspot user find name="nobody"]] = 0) do={ :log info "nobody found" }',
        "/ip hotspot user remove [/ip hotspot user find name=nobody]",
        ':log info ("identity " . [/system identity get name])',
      ].join("\n"),
    );
    assert.deepEqual(await scriptLog(), ["found 1 profile default", "disabled true", "nobody found", "identity MikroTik"]);
    const [user] = await client.print("/ip/hotspot/user", { query: ["?name=ana"] });
    assert.equal(user?.disabled, "true");
    await runStored('/ip hotspot user remove [/ip hotspot user find name="ana"]');
    assert.deepEqual(await client.print("/ip/hotspot/user"), []);
  });

  it("loops over found items with :foreach and matches text with ~", async () => {
    await runStored(
      [
        ':local names ""',
        ":foreach lease in=[/ip dhcp-server lease find] do={",
        "  :local mac [/ip dhcp-server lease get $lease mac-address]",
        '  :if ($mac ~ "^AA:BB:CC:00:01:0[0-9A-F]\\$") do={ :set names ($names . $mac . " ") }',
        "}",
        ':log info ("leases " . $names)',
      ].join("\n"),
    );
    const lines = await scriptLog();
    assert.match(lines.at(-1) ?? "", /^leases (AA:BB:CC:00:01:0\d ){3}$/);
  });

  // Manual "Scripting", :pick: "return range of elements or substring. If end position is not
  // specified, will return only one element from an array."
  it("picks the first found item with :pick, to place a new rule in front of it", async () => {
    await client.add("/ip/proxy/access", { action: "deny", comment: "last" });
    await runStored(
      [
        ":local rules [/ip proxy access find]",
        ':log info ("first " . [:pick $rules 0] . ", none " . [:typeof [:pick $rules 5]] . ", range " . [:len [:pick $rules 0 9]])',
        '/ip proxy access add src-address=10.70.0.10 action=redirect action-data="http://odoo.example/isp/notice" place-before=[:pick $rules 0]',
      ].join("\n"),
    );
    const [deny] = await client.print("/ip/proxy/access", { query: ["?comment=last"] });
    assert.equal((await scriptLog()).at(-1), `first ${deny?.[".id"] ?? ""}, none nil, range 1`);
    assert.deepEqual(
      (await client.print("/ip/proxy/access")).map((rule) => rule.action),
      ["redirect", "deny"],
    );
  });

  // A yes/no property takes either spelling in a script's find, as --export-rsc's
  // `[find dynamic=no]` relies on (the rows print dynamic=false).
  it("finds by a yes/no property in either spelling", async () => {
    await runStored(
      ':log info ("static " . [:len [/ip proxy access find dynamic=no]] . " " . [:len [/ip proxy access find dynamic=false]] . " dynamic " . [:len [/ip proxy access find dynamic=yes]])',
    );
    const count = (await client.print("/ip/proxy/access")).length;
    assert.equal((await scriptLog()).at(-1), `static ${count} ${count} dynamic 0`);
  });

  it("stops on what the router refuses, with the router's words, which on-error catches", async () => {
    await assert.rejects(runStored('/ip hotspot user add name="x" colour=red'), (error: unknown) => {
      assert.ok(error instanceof RouterOsTrapError);
      assert.equal(error.category, 3);
      assert.match(error.message, /\/ip hotspot user add: unknown parameter colour/);
      return true;
    });
    await runStored(':do { /ip hotspot user add name="x" colour=red } on-error={ :log info "refused" }');
    assert.equal((await scriptLog()).at(-1), "refused");
  });

  it("runs a scheduler item every interval", async () => {
    await client.add("/system/scheduler", { name: "tick", interval: "1s", "on-event": ':log info "tick"' });
    const deadline = Date.now() + 10_000;
    while (!(await scriptLog()).includes("tick") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok((await scriptLog()).includes("tick"), "the scheduler ran its item");
    const [item] = await client.print("/system/scheduler", { query: ["?name=tick"] });
    await client.command("/system/scheduler/disable", { ".id": item?.[".id"] ?? "" });
  });
});
