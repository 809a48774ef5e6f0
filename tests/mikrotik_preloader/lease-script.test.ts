import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildLeaseScript, type LeaseScriptOptions } from "../../tools/mikrotik_preloader/lease-script.ts";
import { runScript, type FetchRequest, type LogTopic } from "../../tools/routeros-emulator/script/index.ts";

const OPTIONS: LeaseScriptOptions = {
  odooUrl: "https://erp.getupsoft.com.do/",
  database: "isp",
  token: "lease-token-0123456789",
  routerIdentity: "SEC-001-los_cacaos-1",
  sectorCode: "SEC-001-los_cacaos",
  fetch: { checkCertificate: "yes-without-crl", idleTimeout: false },
};

/** Runs the generated script in the emulator's interpreter with a lease's variables. */
async function runLease(variables: Record<string, string>, fail = false): Promise<{ requests: FetchRequest[]; logs: [LogTopic, string][] }> {
  const requests: FetchRequest[] = [];
  const logs: [LogTopic, string][] = [];
  await runScript(
    buildLeaseScript(OPTIONS),
    {
      leaseBound: "1",
      leaseServerName: "isp-lan-dhcp",
      leaseActMAC: "AA:BB:CC:00:00:01",
      leaseActIP: "10.10.0.20",
      "lease-hostname": "",
      ...variables,
    },
    {
      log: (topic, message) => void logs.push([topic, message]),
      put: () => undefined,
      fetch: async (request) => {
        requests.push(request);
        if (fail) throw new Error("failure: connection refused");
        return { status: 200, body: "{}" };
      },
    },
  );
  return { requests, logs };
}

describe("lease-script", () => {
  it("POSTs the lease as JSON with the token and database headers", async () => {
    const { requests } = await runLease({ "lease-hostname": "onu-1" });
    assert.equal(requests.length, 1);
    const [request] = requests;
    assert.equal(request?.url, "https://erp.getupsoft.com.do/isp/mac_onboarding");
    assert.equal(request?.method, "POST");
    assert.equal(request?.checkCertificate, "yes-without-crl");
    assert.deepEqual(request?.headers, { "Content-Type": "application/json", "X-ISP-Token": OPTIONS.token, "X-Odoo-Database": "isp" });
    assert.deepEqual(JSON.parse(request?.body ?? ""), {
      mac: "AA:BB:CC:00:00:01",
      ip: "10.10.0.20",
      bound: true,
      server: "isp-lan-dhcp",
      hostname: "onu-1",
      router: "SEC-001-los_cacaos-1",
      sector: "SEC-001-los_cacaos",
    });
  });

  it("keeps quotes and backslashes of the client's host name inside valid JSON", async () => {
    const hostname = 'a"b\\c"\\\\';
    const { requests } = await runLease({ "lease-hostname": hostname });
    assert.equal(JSON.parse(requests[0]?.body ?? "").hostname, hostname);
  });

  it("reports a released lease as unbound, with an empty host name", async () => {
    const { requests } = await runLease({ leaseBound: "0" });
    const body = JSON.parse(requests[0]?.body ?? "");
    assert.equal(body.bound, false);
    assert.equal(body.hostname, "");
  });

  it("logs a warning on the router when Odoo cannot be reached, and does not fail", async () => {
    const { logs } = await runLease({}, true);
    assert.deepEqual(logs, [["warning", "isp_core: could not notify Odoo of lease AA:BB:CC:00:00:01 10.10.0.20"]]);
  });

  it("checks Odoo's certificate chain without revocation lists by default, and names the idle timeout only where the release has it", () => {
    assert.match(buildLeaseScript(OPTIONS), / check-certificate=yes-without-crl\n/);
    const withIdleTimeout = buildLeaseScript({ ...OPTIONS, fetch: { checkCertificate: "yes", idleTimeout: true } });
    assert.match(withIdleTimeout, / check-certificate=yes idle-timeout=10s\n/);
  });

  it("uses check-certificate=no when the config says so", () => {
    assert.match(buildLeaseScript({ ...OPTIONS, fetch: { checkCertificate: "no", idleTimeout: false } }), / check-certificate=no\n/);
  });
});
