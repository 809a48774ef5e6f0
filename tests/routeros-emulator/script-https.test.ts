import assert from "node:assert/strict";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";

import { selfSignedCertificate } from "../../tools/routeros-emulator/server/tls-certificate.ts";
import { httpFetch, runScript } from "../../tools/routeros-emulator/script/index.ts";
import { RecordingHost } from "./script-test-host.ts";

describe("/tool fetch over HTTPS with a self-signed certificate", () => {
  let server: Server;
  let url = "";

  before(async () => {
    server = createServer(await selfSignedCertificate(), (_request, response) => response.end("secure"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("connects with check-certificate=no, RouterOS's default", async () => {
    const host = new RecordingHost(httpFetch);
    await runScript(`:put ([/tool fetch url="${url}" output=user as-value]->"data")`, {}, host);
    assert.deepEqual(host.printed, ["secure"]);
  });

  it("refuses the certificate with check-certificate=yes", async () => {
    await assert.rejects(httpFetch({ url, method: "GET", headers: {}, checkCertificate: "yes-without-crl" }), /^Error: failure: SSL: /);
    const host = new RecordingHost(httpFetch);
    await runScript(`:do { /tool fetch url="${url}" check-certificate=yes output=none } on-error={ :log warning "untrusted" }`, {}, host);
    assert.deepEqual(host.logged, [{ topic: "warning", message: "untrusted" }]);
  });
});
