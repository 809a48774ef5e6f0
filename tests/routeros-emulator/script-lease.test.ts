import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";

import { buildLeaseScript, type LeaseScriptOptions } from "../../tools/mikrotik_preloader/lease-script.ts";
import { httpFetch, runScript, type ScriptHost } from "../../tools/routeros-emulator/script/index.ts";
import { RecordingHost, failureOf } from "./script-test-host.ts";

interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for Odoo's endpoint: records each request and answers with the status the test chose. */
class OnboardingServer {
  readonly received: ReceivedRequest[] = [];
  status = 200;
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      this.received.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(this.status, { "Content-Type": "application/json" });
      response.end('{"result":"created"}');
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const LEASE = {
  leaseBound: "1",
  leaseServerName: "dhcp-lan",
  leaseActMAC: "AA:BB:CC:DD:EE:01",
  leaseActIP: "10.20.0.15",
  "lease-hostname": 'a"b\\c$d',
};

/** The lease-script exactly as the preloader generates it, aimed at the test server. */
function leaseScript(origin: string, overrides: Partial<LeaseScriptOptions> = {}): string {
  return buildLeaseScript({
    odooUrl: origin,
    database: "isp_prod",
    token: "s3cr3t-token",
    routerIdentity: "core-1",
    sectorCode: "SEC-001",
    fetch: { checkCertificate: "no", idleTimeout: false },
    ...overrides,
  });
}

function realFetchHost(): RecordingHost {
  return new RecordingHost(httpFetch);
}

describe("lease-script against a local HTTP server", () => {
  const server = new OnboardingServer();
  before(() => server.start());
  after(() => server.stop());

  it("POSTs the exact JSON body and headers", async () => {
    server.status = 200;
    server.received.length = 0;
    const host = realFetchHost();
    await runScript(leaseScript(server.origin), LEASE, host);

    const expectedBody = JSON.stringify({
      mac: "AA:BB:CC:DD:EE:01",
      ip: "10.20.0.15",
      bound: true,
      server: "dhcp-lan",
      hostname: 'a"b\\c$d',
      router: "core-1",
      sector: "SEC-001",
    });
    assert.equal(server.received.length, 1);
    const [request] = server.received;
    assert.ok(request);
    assert.equal(request.method, "POST");
    assert.equal(request.url, "/isp/mac_onboarding");
    assert.equal(request.body, expectedBody);
    assert.deepEqual(JSON.parse(request.body).hostname, LEASE["lease-hostname"]);
    const { connection: _connection, ...headers } = request.headers;
    assert.deepEqual(headers, {
      host: new URL(server.origin).host,
      "content-type": "application/json",
      "x-isp-token": "s3cr3t-token",
      "x-odoo-database": "isp_prod",
      "content-length": String(Buffer.byteLength(expectedBody)),
    });
    assert.deepEqual(host.logged, []);
  });

  it("reports a released lease with an empty host name", async () => {
    server.status = 200;
    server.received.length = 0;
    await runScript(leaseScript(server.origin), { ...LEASE, leaseBound: "0", "lease-hostname": "" }, realFetchHost());
    assert.deepEqual(JSON.parse(server.received[0]?.body ?? ""), {
      mac: "AA:BB:CC:DD:EE:01",
      ip: "10.20.0.15",
      bound: false,
      server: "dhcp-lan",
      hostname: "",
      router: "core-1",
      sector: "SEC-001",
    });
  });

  it("logs a warning and finishes when Odoo refuses the request", async () => {
    server.status = 403;
    const host = realFetchHost();
    await runScript(leaseScript(server.origin, { token: "wrong" }), LEASE, host);
    assert.deepEqual(host.logged, [{ topic: "warning", message: "isp_core: could not notify Odoo of lease AA:BB:CC:DD:EE:01 10.20.0.15" }]);
  });

  it("aborts with the fetch failure when no :do catches it", async () => {
    server.status = 500;
    const error = await failureOf(`:put "x"\n/tool fetch url="${server.origin}/boom" output=none`, realFetchHost());
    assert.equal(
      error.message,
      `/tool fetch: failure: closing connection: <500 Internal Server Error> ${new URL(server.origin).host} (4) (line 2 column 1)`,
    );
  });

  it("hands the body back with output=user as-value", async () => {
    server.status = 200;
    const host = realFetchHost();
    await runScript(
      `:local result [/tool/fetch url="${server.origin}/isp/mac_onboarding" output=user as-value]
:put ($result->"status"); :put ($result->"data"); :put [:typeof ($result->"downloaded")]`,
      {},
      host,
    );
    assert.deepEqual(host.printed, ["finished", '{"result":"created"}', "num"]);
  });
});

describe("httpFetch failures", () => {
  it("reports a refused connection like RouterOS", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const host: ScriptHost = realFetchHost();
    await assert.rejects(httpFetch({ url: `http://127.0.0.1:${port}/`, method: "GET", headers: {}, checkCertificate: "no" }), {
      message: "failure: connection refused",
    });
    const error = await failureOf(`/tool fetch url="http://127.0.0.1:${port}/" output=none`, host);
    assert.match(error.message, /^\/tool fetch: failure: connection refused \(line 1 column 1\)$/);
  });

  it("turns a header Node refuses to send into a fetch failure", async () => {
    await assert.rejects(
      httpFetch({ url: "http://127.0.0.1:9/", method: "GET", headers: { "Bad Name": "x" }, checkCertificate: "no" }),
      /^Error: failure: Header name must be a valid HTTP token/,
    );
  });

  it("refuses a URL that is not http or https", async () => {
    await assert.rejects(httpFetch({ url: "ftp://127.0.0.1/file", method: "GET", headers: {}, checkCertificate: "no" }), {
      message: 'failure: unsupported protocol "ftp:" (only http and https)',
    });
  });
});
