import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { connect } from "node:tls";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";

const SCENARIO = fileURLToPath(new URL("./librouteros_real_router.py", import.meta.url));

/** True when a TLS client with Node's default suites completes a handshake with the port. */
function handshakeWithDefaults(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("API-SSL on a router without a certificate", () => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ tlsPort: 0, apiSslCertificate: "none" });
  });
  after(async () => emulator.close());

  // MikroTik's API manual ("API over TLS"): with no certificate set in /ip service, only
  // anonymous Diffie-Hellman suites work; a client offering only authenticated suites fails.
  test("offers only anonymous Diffie-Hellman, and /ip/service says certificate=none", async () => {
    assert.equal(emulator.tlsCertificate, undefined);
    assert.equal(await handshakeWithDefaults(emulator.tlsPort ?? 0), false);
  });

  // Debian's librouteros 3.1, against the emulator as against a RouterOS 7 router.
  test("librouteros: challenge login refused, MultiTrapError, accents, abbreviations, anonymous TLS", async () => {
    const { stdout } = await promisify(execFile)("/usr/bin/python3", [SCENARIO, String(emulator.port), String(emulator.tlsPort)], {
      timeout: 20_000,
    });
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    assert.match(String(seen.token_login), /invalid user name or password \(6\)/);
    assert.deepEqual(seen.unknown_menu, ["no such command or directory (routerboard)", "no such command prefix"]);
    assert.deepEqual(seen.accented, ["Señora Peña, cañón"]);
    assert.deepEqual(seen.abbreviated, ["MikroTik"]);
    assert.deepEqual(seen.api_ssl, [{ name: "api-ssl", certificate: "none" }]);
  });
});

describe("API-SSL with a certificate", () => {
  test("presents it, and /ip/service api-ssl names it", async () => {
    const emulator = await startEmulator({ tlsPort: 0 });
    try {
      assert.equal(await handshakeWithDefaults(emulator.tlsPort ?? 0), true);
      const client = await RouterOsClient.connect({
        host: "127.0.0.1",
        port: emulator.tlsPort ?? 0,
        tls: { ca: emulator.tlsCertificate ?? "" },
        user: "admin",
        password: "",
      });
      const [apiSsl] = await client.print("/ip/service", { query: ["?name=api-ssl"], proplist: ["certificate"] });
      await client.close();
      assert.equal(apiSsl?.certificate, "routeros-emulator");
    } finally {
      await emulator.close();
    }
  });
});
