/**
 * A router reaching an HTTPS Odoo as a real one would: Odoo behind a TLS-terminating proxy on
 * loopback, with a certificate from a CA made here, and the strict emulator, whose fetch trusts
 * only its own certificate store and checks certificates against its own clock, which starts in
 * 1970 until NTP runs (manual "Certificates", "Fetch", System/Time; tools/routeros-emulator).
 * For RouterOS 7.12.2 (no built-in anchors, no idle-timeout), 7.19.6 and 7.24.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AGENT_PROTOCOL_HEADER, CHECKIN_PATH } from "../../tools/contract.ts";
import { EXIT_CODES } from "../../tools/mikrotik_preloader/errors.ts";
import { buildLeaseScript } from "../../tools/mikrotik_preloader/lease-script.ts";
import type { RunningEmulator } from "../../tools/routeros-emulator/index.ts";
import { GRAMMAR_VERSIONS } from "../../tools/routeros/grammar.ts";
import { TestCa } from "../routeros-emulator/test-ca.ts";
import { startFakeOdoo, type FakeOdoo } from "./fake-odoo.ts";
import { adminClient, runCli, secretEnv, startRouter, testConfig, writeConfig } from "./harness.ts";

/** Odoo over HTTPS: the proxy forwards to the fake Odoo and answers the agent's check-ins with nothing to do. */
interface HttpsOdoo {
  url: string;
  checkins: string[];
  close(): Promise<void>;
}

async function startHttpsOdoo(odoo: FakeOdoo, credentials: { key: string; cert: string }, host: string): Promise<HttpsOdoo> {
  const checkins: string[] = [];
  const backend = new URL(odoo.url);
  const server: Server = createServer(credentials, (incoming, outgoing) => {
    if (incoming.url === CHECKIN_PATH) {
      let body = "";
      incoming.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      incoming.on("end", () => {
        checkins.push(body);
        outgoing.end(`${AGENT_PROTOCOL_HEADER}\nmore|no\nsync|no\nend\n`);
      });
      return;
    }
    const forwarded = httpRequest(
      { host: backend.hostname, port: backend.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `https://${host}:${(server.address() as AddressInfo).port}`,
    checkins,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The config for a router on `port` and an HTTPS Odoo at `url`, its API reached directly by the preloader. */
function httpsConfig(odoo: FakeOdoo, port: number, url: string, odooOverrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base = testConfig(odoo, port, "127.0.0.1/32");
  return { ...base, odoo: { ...(base.odoo as object), url, api_url: odoo.url, check_certificate: true, ...odooOverrides } };
}

async function bindLease(router: RunningEmulator, mac: string): Promise<void> {
  const client = await adminClient(router);
  try {
    await client.command("/simulator/dhcp/bind", { server: "isp-lan-dhcp", "mac-address": mac, "host-name": "onu" });
  } finally {
    await client.close();
  }
}

/** The router's log, one message a line. */
async function routerLog(router: RunningEmulator): Promise<string> {
  const client = await adminClient(router);
  try {
    return (await client.print("/log")).map((row) => row.message).join("\n");
  } finally {
    await client.close();
  }
}

describe("a router and an HTTPS Odoo", () => {
  let ca: TestCa;
  let otherCa: TestCa;
  let odoo: FakeOdoo;
  let https: HttpsOdoo;
  /** The same Odoo, with a certificate of the right CA for another host name. */
  let misnamed: HttpsOdoo;
  let caFile: string;
  let otherCaFile: string;

  before(async () => {
    ca = await TestCa.create("isp_core test CA");
    otherCa = await TestCa.create("someone else's CA");
    odoo = await startFakeOdoo();
    // As a well-configured server does, the proxy presents its chain up to the root.
    const chain = async (names: string[]) => {
      const issued = await ca.issue(names);
      return { key: issued.key, cert: `${issued.cert}${ca.certificate}` };
    };
    https = await startHttpsOdoo(odoo, await chain(["localhost", "127.0.0.1"]), "localhost");
    misnamed = await startHttpsOdoo(odoo, await chain(["odoo.example"]), "localhost");
    caFile = join(dirname(await writeConfig("{}")), "odoo-ca.pem");
    await writeFile(caFile, ca.certificate);
    otherCaFile = join(dirname(caFile), "other-ca.pem");
    await writeFile(otherCaFile, otherCa.certificate);
  });
  after(async () => {
    await https.close();
    await misnamed.close();
    await odoo.close();
  });

  for (const version of GRAMMAR_VERSIONS) {
    describe(`RouterOS ${version}`, () => {
      it("with the lease-script alone, as before the preloader installed trust, a lease never reaches Odoo: the router logs its certificate error", async () => {
        const router = await startRouter({ version, ntpAnswers: true });
        const client = await adminClient(router);
        try {
          await client.add("/ip/pool", { name: "lan-pool", ranges: "10.10.0.10-10.10.0.99" });
          const leaseScript = buildLeaseScript({
            odooUrl: https.url,
            database: odoo.database,
            token: "onboarding-token-Secret-0815",
            routerIdentity: "R1",
            sectorCode: "S1",
            fetch: { checkCertificate: "yes-without-crl", idleTimeout: false },
          });
          await client.add("/ip/dhcp-server", {
            name: "isp-lan-dhcp",
            interface: "ether2",
            "address-pool": "lan-pool",
            "lease-script": leaseScript,
            disabled: "no",
          });
          await client.set("/system/ntp/client", null, { enabled: "yes", servers: "pool.ntp.org" });
        } finally {
          await client.close();
        }
        const before = odoo.onboardings().length;
        await bindLease(router, "AA:BB:CC:00:00:01");
        assert.equal(odoo.onboardings().length, before, "nothing reached Odoo");
        assert.match(await routerLog(router), /isp_core: could not notify Odoo of lease AA:BB:CC:00:00:01/);
        // on-error gives the script no words: the router's own fetch of the same URL, with the same arguments, has them.
        const asked = await adminClient(router);
        try {
          await assert.rejects(
            asked.command("/tool/fetch", {
              url: `${https.url}/isp/mac_onboarding`,
              "http-method": "post",
              "http-data": "{}",
              output: "user",
              "check-certificate": "yes-without-crl",
            }),
            /failure: SSL: ssl: no trusted CA certificate found/,
          );
        } finally {
          await asked.close();
          await router.close();
        }
      });

      it("after the preloader's run, in api mode, the router reaches Odoo, a lease gets there, and a second run plans nothing", async () => {
        const router = await startRouter({ version });
        try {
          const file = await writeConfig(httpsConfig(odoo, router.port, https.url, { ca_file: caFile }));
          const first = await runCli(["--config", file], secretEnv(odoo));
          assert.equal(first.code, EXIT_CODES.ok, first.stderr);
          assert.match(first.stdout, /\+ \/certificate import name=isp_core-odoo-ca fingerprint=[0-9a-f]{64} trusted=yes\n/);
          assert.match(first.stdout, /# Odoo's CA CN=isp_core test CA, from odoo\.ca_file \(line \d+\): SHA-256 [0-9a-f]{64}\n/);
          assert.match(first.stderr, /readiness: 127\.0\.0\.1: the router reached Odoo \(https:\/\/localhost:\d+\/web\/health\)/);
          const before = odoo.onboardings().length;
          await bindLease(router, "AA:BB:CC:00:00:02");
          assert.equal(odoo.onboardings().length, before + 1);
          const second = await runCli(["--config", file], secretEnv(odoo));
          assert.equal(second.code, EXIT_CODES.ok, second.stderr);
          assert.match(second.stdout, /nothing to change/);
        } finally {
          await router.close();
        }
      });

      it("in agent mode, trusting the chain Odoo's handshake presents, the agent checks in", async () => {
        const router = await startRouter({ version });
        try {
          const agent = { connection_mode: "agent", agent_interval: "1h" };
          const config = httpsConfig(odoo, router.port, https.url);
          const file = await writeConfig({ ...config, routeros: { ...(config.routeros as object), ...agent } });
          const checkinsBefore = https.checkins.length;
          const first = await runCli(["--config", file], secretEnv(odoo));
          assert.equal(first.code, EXIT_CODES.ok, first.stderr);
          assert.match(first.stdout, /# Odoo's CA CN=isp_core test CA, from the TLS handshake of localhost:\d+: SHA-256 [0-9a-f]{64}\n/);
          await bindLease(router, "AA:BB:CC:00:00:03");
          assert.ok(https.checkins.length > checkinsBefore, "the agent checked in over HTTPS");
          const body = JSON.parse(https.checkins.at(-1) ?? "{}") as { clock?: string };
          assert.match(body.clock ?? "", /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+00:00$/);
          assert.doesNotMatch(body.clock ?? "", /^1970/, "NTP set the clock");
          const second = await runCli(["--config", file], secretEnv(odoo));
          assert.equal(second.code, EXIT_CODES.ok, second.stderr);
          assert.match(second.stdout, /nothing to change/);
        } finally {
          await router.close();
        }
      });

      it("a router whose clock stays wrong (NTP unanswered) fails with a clock error, which the preloader reports and Odoo keeps", async () => {
        const router = await startRouter({ version, ntpAnswers: false });
        try {
          const file = await writeConfig(httpsConfig(odoo, router.port, https.url, { ca_file: caFile }));
          const result = await runCli(["--config", file], secretEnv(odoo));
          assert.equal(result.code, EXIT_CODES.notReady, result.stderr);
          assert.match(
            result.stderr,
            /could not reach Odoo \(https:\/\/localhost:\d+\/web\/health\): "failure: SSL: ssl: certificate is not yet valid[^"]*": the router's clock/,
          );
          const record = odoo.routers.find((candidate) => candidate.name === "SEC-001-los_cacaos-1");
          assert.match(String(record?.reach_error), /certificate is not yet valid/);
        } finally {
          await router.close();
        }
      });

      it("the router's own readiness fetch names a wrong CA, a wrong host name and an unreachable Odoo", async () => {
        const router = await startRouter({ version });
        try {
          const cases: [Record<string, unknown>, RegExp][] = [
            [{ ca_file: otherCaFile }, /"failure: SSL: ssl: no trusted CA certificate found[^"]*": the router does not trust the CA/],
            [
              { url: misnamed.url, ca_file: caFile },
              /"failure: SSL: ssl: name verification failed for: .*": Odoo's certificate does not name the host of odoo\.url/,
            ],
            [{ url: "https://localhost:1", ca_file: caFile }, /"failure: connection refused": the router cannot reach Odoo at odoo\.url/],
          ];
          for (const [odooOverrides, expected] of cases) {
            const file = await writeConfig(httpsConfig(odoo, router.port, https.url, odooOverrides));
            const result = await runCli(["--config", file], secretEnv(odoo));
            assert.equal(result.code, EXIT_CODES.notReady, result.stderr);
            assert.match(result.stderr, expected);
          }
        } finally {
          await router.close();
        }
      });
    });
  }
});
