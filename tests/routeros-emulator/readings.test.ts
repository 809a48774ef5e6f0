import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type RouterOsClient } from "../../tools/routeros/index.ts";
import { withAdminClient } from "./admin-client.ts";

describe("readings that monitoring clients read", () => {
  let client: RouterOsClient;
  withAdminClient((connected) => (client = connected));

  // MikroTik's manual, "Resource"; Home Assistant and Mikhmon read these from /system/resource.
  test("/system/resource has the load, memory, disk and platform", async () => {
    const [resource] = await client.print("/system/resource");
    for (const name of ["cpu-load", "free-memory", "total-memory", "cpu-count", "free-hdd-space", "total-hdd-space"]) {
      assert.match(resource?.[name] ?? "", /^\d+$/, name);
    }
    assert.ok(Number(resource?.["free-memory"]) < Number(resource?.["total-memory"]));
    assert.equal(resource?.platform, "MikroTik");
    assert.match(resource?.uptime ?? "", /^(\d+[wdhms])+$/);
  });

  // MikroTik's manual, "Interface stats": the byte counters of a live link keep growing.
  test("/interface counts bytes both ways", async () => {
    const read = async (): Promise<number> =>
      Number((await client.print("/interface", { query: ["?name=ether1"], proplist: ["rx-byte", "tx-byte"] }))[0]?.["rx-byte"]);
    const first = await read();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.ok((await read()) > first);
  });

  // MikroTik's manual, "HotSpot": users have byte quotas and usage counters; Host lists the
  // devices behind the hotspot, Active those logged in (here by MAC, as the product provisions).
  test("hotspot users, hosts and active sessions", async () => {
    await client.add("/ip/pool", { name: "hs-pool", ranges: "10.60.0.10-10.60.0.20" });
    await client.add("/ip/dhcp-server", { name: "hs-dhcp", interface: "ether2", "address-pool": "hs-pool" });
    await client.add("/ip/hotspot", { name: "hs", interface: "ether2", "address-pool": "hs-pool" });
    await client.add("/ip/hotspot/user", { name: "02:00:00:60:00:01", "mac-address": "02:00:00:60:00:01", "limit-bytes-total": "1073741824" });
    const [user] = await client.print("/ip/hotspot/user", { proplist: ["limit-bytes-total", "limit-bytes-in", "uptime", "bytes-in", "bytes-out"] });
    assert.deepEqual(user, { "limit-bytes-total": "1073741824", "limit-bytes-in": "0", uptime: "0s", "bytes-in": "0", "bytes-out": "0" });
    assert.deepEqual(await client.print("/ip/hotspot/active"), []);

    await client.command("/simulator/dhcp/bind", { server: "hs-dhcp", "mac-address": "02:00:00:60:00:01" });
    await client.command("/simulator/dhcp/bind", { server: "hs-dhcp", "mac-address": "02:00:00:60:00:02" });
    const hosts = await client.print("/ip/hotspot/host", { proplist: ["mac-address", "address", "authorized"] });
    assert.deepEqual(hosts, [
      { "mac-address": "02:00:00:60:00:01", address: "10.60.0.10", authorized: "true" },
      { "mac-address": "02:00:00:60:00:02", address: "10.60.0.11", authorized: "false" },
    ]);
    const active = await client.print("/ip/hotspot/active", { proplist: ["user", "address", "login-by", "server"] });
    assert.deepEqual(active, [{ user: "02:00:00:60:00:01", address: "10.60.0.10", "login-by": "mac", server: "hs" }]);

    // A disabled user is cut off at once.
    await client.command("/ip/hotspot/user/disable", { numbers: "02:00:00:60:00:01" });
    assert.deepEqual(await client.print("/ip/hotspot/active"), []);
  });
});
