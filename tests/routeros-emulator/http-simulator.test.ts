/**
 * `/simulator/http/get`: what the router does with a LAN host's plain-HTTP request, read from its
 * NAT, web proxy and filter rules as RouterOS reads them (manual "IP/Firewall/NAT": the first
 * matching dstnat rule decides, `action=redirect` sends the packet to the router itself on
 * `to-ports`; manual "IP/Proxy", "Access List": read from the top, a request no rule matches is
 * allowed; manual "IP/Firewall/Filter": the first matching rule of the chain decides).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { RouterOsClient, RouterOsTrapError } from "../../tools/routeros/index.ts";
import { withAdminClient } from "./admin-client.ts";

const NOTICE = `http://odoo.example.com/isp/notice/7-0123456789abcdef-${"a".repeat(40)}`;
const CAPTIVE_CHECKS = ["http://connectivitycheck.gstatic.com/generate_204", "http://captive.apple.com/hotspot-detect.html"];

describe("a LAN host's plain-HTTP request, as the router's rules decide it", () => {
  let client: RouterOsClient;
  withAdminClient((connected) => {
    client = connected;
  });
  const get = async (source: string, url: string): Promise<Record<string, string>> => {
    const {
      items: [answer],
    } = await client.command("/simulator/http/get", { "src-address": source, url });
    return answer ?? {};
  };

  before(async () => {
    // What the preloader installs for suspended customers, and one customer's redirect.
    await client.add("/ip/firewall/address-list", { list: "isp_suspended", address: "10.10.0.20" });
    await client.add("/ip/firewall/address-list", { list: "isp_suspended", address: "10.10.0.21" });
    await client.add("/ip/firewall/address-list", { list: "isp_core-odoo", address: "odoo.example.com" });
    await client.add("/ip/firewall/filter", { chain: "input", "in-interface": "ether1", action: "drop" });
    await client.add("/ip/firewall/filter", {
      chain: "forward",
      "src-address-list": "isp_suspended",
      "dst-address-list": "isp_core-odoo",
      action: "accept",
    });
    await client.add("/ip/firewall/filter", { chain: "forward", "src-address-list": "isp_suspended", action: "drop" });
    await client.add("/ip/firewall/nat", { chain: "srcnat", action: "masquerade", "out-interface": "ether1" });
    await client.add("/ip/firewall/nat", {
      chain: "dstnat",
      "src-address-list": "isp_suspended",
      "dst-address-list": "!isp_core-odoo",
      protocol: "tcp",
      "dst-port": "80",
      action: "redirect",
      "to-ports": "8080",
    });
    await client.set("/ip/proxy", null, { enabled: "yes", port: "8080" });
    await client.add("/ip/proxy/access", { "src-address": "10.10.0.20", action: "redirect", "action-data": NOTICE });
    await client.add("/ip/proxy/access", { action: "deny" });
  });

  it("redirects a suspended customer's captive-portal check to their notice page", async () => {
    for (const url of CAPTIVE_CHECKS) assert.deepEqual(await get("10.10.0.20", url), { verdict: "redirect", location: NOTICE });
  });

  it("lets a suspended customer reach Odoo, and drops the rest of their traffic", async () => {
    assert.deepEqual(await get("10.10.0.20", `${NOTICE}`), { verdict: "forwarded", by: "firewall" });
    assert.deepEqual(await get("10.10.0.20", "http://example.com:8081/"), { verdict: "dropped", by: "firewall" });
  });

  it("denies at the proxy a suspended address that has no redirect, and serves nobody else", async () => {
    assert.deepEqual(await get("10.10.0.21", CAPTIVE_CHECKS[0] ?? ""), { verdict: "denied", by: "proxy" });
    assert.deepEqual(await get("10.10.0.30", CAPTIVE_CHECKS[0] ?? ""), { verdict: "forwarded", by: "firewall" });
  });

  it("follows the rules as they change: without the drop, the dstnat or the proxy", async () => {
    const [nat] = await client.print("/ip/firewall/nat", { query: ["?chain=dstnat"] });
    await client.command("/ip/firewall/nat/disable", { numbers: nat?.[".id"] ?? "" });
    assert.deepEqual(await get("10.10.0.20", CAPTIVE_CHECKS[1] ?? ""), { verdict: "dropped", by: "firewall" });
    await client.command("/ip/firewall/nat/enable", { numbers: nat?.[".id"] ?? "" });
    await client.set("/ip/proxy", null, { enabled: "no" });
    await assert.rejects(get("10.10.0.20", CAPTIVE_CHECKS[1] ?? ""), /a dstnat redirect to port 8080 that no enabled web proxy serves/);
    await client.set("/ip/proxy", null, { enabled: "yes" });
  });

  it("refuses what it cannot read: HTTPS, a bad address, a rule matching on what it does not evaluate", async () => {
    await assert.rejects(
      get("10.10.0.20", "https://example.com/"),
      (error: unknown) => error instanceof RouterOsTrapError && /plain http/.test(error.message),
    );
    await assert.rejects(get("10.10.0.300", "http://example.com/"), /invalid value for argument src-address/);
    const id = await client.add("/ip/firewall/filter", { chain: "forward", "in-interface": "ether2", action: "accept", "place-before": "*1" });
    await assert.rejects(get("10.10.0.30", "http://example.com/"), /matches on in-interface, which it does not evaluate/);
    await client.remove("/ip/firewall/filter", id);
  });
});
