// What a router's `/tool fetch check-certificate=...` trusts: its own /certificate store and its
// own clock, never the host's CA bundle. Each case states RouterOS's behaviour and its source; the
// emulator's modules (tls/peer-verification.ts, clock.ts, menus/certificate.ts) cite them too.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { RouterClock } from "../../tools/routeros-emulator/clock.ts";
import { RouterState } from "../../tools/routeros-emulator/engine/state.ts";
import { startEmulator, type RunningEmulator } from "../../tools/routeros-emulator/index.ts";
import { certificateSettings } from "../../tools/routeros-emulator/menus/certificate.ts";
import { routerTrust } from "../../tools/routeros-emulator/tls/router-trust.ts";
import { TestCa } from "./test-ca.ts";

const VERSIONS = ["7.12.2", "7.19.6", "7.24"] as const;
const DAY_MS = 86_400_000;

interface Site {
  server: Server;
  port: number;
}

async function serve(pair: { key: string; cert: string }): Promise<Site> {
  const server = createServer(pair, (_request, response) => response.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function close(site: Site): Promise<void> {
  site.server.closeAllConnections();
  await new Promise<void>((resolve) => site.server.close(() => resolve()));
}

/** A router on `version` with a DHCP server whose lease-script is the fetch under test. */
class Router {
  private macIndex = 0;

  private constructor(
    readonly emulator: RunningEmulator,
    readonly client: RouterOsClient,
  ) {}

  static async start(version: string, options: { ntpAnswers?: boolean } = {}): Promise<Router> {
    const emulator = await startEmulator({ version, ...options });
    const client = await RouterOsClient.connect({ host: "127.0.0.1", port: emulator.port, user: "admin", password: "" });
    await client.add("/ip/pool", { name: "lan", ranges: "10.9.0.10-10.9.0.250" });
    await client.add("/ip/dhcp-server", { name: "lan", interface: "ether2", "address-pool": "lan" });
    return new Router(emulator, client);
  }

  /** Runs `/tool fetch url=... check-certificate=mode` in a lease-script: undefined when it succeeds, else the router's error. */
  async fetch(url: string, mode: "yes" | "yes-without-crl" | "no"): Promise<string | undefined> {
    await this.client.set("/ip/dhcp-server", "lan", { "lease-script": `/tool fetch url="${url}" check-certificate=${mode} output=none` });
    const mac = `02:00:00:00:10:${(this.macIndex++).toString(16).padStart(2, "0")}`;
    try {
      await this.client.command("/simulator/dhcp/bind", { server: "lan", "mac-address": mac });
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  async importCa(pem: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
    await this.client.add("/file", { name: "odoo-ca.pem", contents: pem });
    const { items } = await this.client.command("/certificate/import", { "file-name": "odoo-ca.pem", passphrase: "", ...extra });
    return items[0] ?? {};
  }

  async enableNtp(): Promise<void> {
    await this.client.set("/system/ntp/client", null, { enabled: "yes", servers: "pool.ntp.org" });
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.emulator.close();
  }
}

describe("the router's clock", () => {
  for (const version of VERSIONS) {
    test(`${version}: starts at 1970-01-02 without NTP, as a router without a battery (manual, System/Time), and takes the real time once NTP runs`, async () => {
      const router = await Router.start(version);
      try {
        const [before] = await router.client.print("/system/clock");
        assert.equal(before?.date, "1970-01-02");
        assert.equal((await router.client.print("/system/ntp/client"))[0]?.status, "stopped");
        await router.enableNtp();
        const [after] = await router.client.print("/system/clock");
        assert.equal(after?.date, new Date().toISOString().slice(0, 10));
        assert.equal((await router.client.print("/system/ntp/client"))[0]?.status, "synchronized");
      } finally {
        await router.close();
      }
    });
  }

  test("NTP servers that never answer leave the clock in 1970 and the client waiting (manual, NTP: status waiting)", async () => {
    const router = await Router.start("7.19.6", { ntpAnswers: false });
    try {
      await router.enableNtp();
      assert.equal((await router.client.print("/system/clock"))[0]?.date, "1970-01-02");
      assert.equal((await router.client.print("/system/ntp/client"))[0]?.status, "waiting");
    } finally {
      await router.close();
    }
  });

  test("/system/clock set moves the clock; an enabled NTP client keeps the real time", async () => {
    const router = await Router.start("7.24");
    try {
      await router.client.command("/system/clock/set", { date: "2031-05-04", time: "10:20:30" });
      assert.deepEqual((await router.client.print("/system/clock", { proplist: ["date"] }))[0], { date: "2031-05-04" });
      await assert.rejects(router.client.command("/system/clock/set", { date: "may/04/2031" }), {
        message: "input does not match any value of date",
      });
      await router.enableNtp();
      assert.equal((await router.client.print("/system/clock"))[0]?.date, new Date().toISOString().slice(0, 10));
    } finally {
      await router.close();
    }
  });
});

describe("/certificate/import, as the command trees have it", () => {
  let ca: TestCa;
  before(async () => {
    ca = await TestCa.create();
  });

  for (const version of VERSIONS) {
    test(`${version}: a PEM uploaded with /file add is imported as <file>_0, trusted`, async () => {
      const router = await Router.start(version);
      try {
        assert.equal((await router.importCa(ca.certificate))["certificates-imported"], "1");
        const [imported] = await router.client.print("/certificate");
        assert.equal(imported?.name, "odoo-ca.pem_0");
        assert.equal(imported?.["common-name"], "isp_core test CA");
        assert.equal(imported?.trusted, "true");
        assert.match(imported?.fingerprint ?? "", /^[0-9a-f]{64}$/);
        // Importing the same certificate again adds nothing.
        const again = await router.client.command("/certificate/import", { "file-name": "odoo-ca.pem" });
        assert.equal(again.items[0]?.["certificates-imported"], "0");
        assert.equal((await router.client.print("/certificate")).length, 1);
        // RouterOS exports neither certificates nor files.
        assert.doesNotMatch(router.emulator.export(), /certificate|odoo-ca/);
      } finally {
        await router.close();
      }
    });
  }

  test("7.12.2's import has no trusted= argument; 7.19.6's has", async () => {
    const old = await Router.start("7.12.2");
    const newer = await Router.start("7.19.6");
    try {
      await assert.rejects(old.importCa(ca.certificate, { trusted: "no" }), { message: "unknown parameter trusted" });
      await newer.importCa(ca.certificate, { trusted: "no" });
      assert.equal((await newer.client.print("/certificate"))[0]?.trusted, "false");
    } finally {
      await old.close();
      await newer.close();
    }
  });

  test("a file that does not exist is refused", async () => {
    const router = await Router.start("7.24");
    try {
      await assert.rejects(router.client.command("/certificate/import", { "file-name": "missing.pem" }), { message: "failure: no such file" });
    } finally {
      await router.close();
    }
  });
});

describe("built-in trust anchors exist only where the version's command tree has them", () => {
  test("7.12.2 has no /certificate/settings builtin-trust-anchors; 7.19.6 has it; 7.24 has builtin-trust-store instead", async () => {
    const routers = await Promise.all(VERSIONS.map((version) => Router.start(version)));
    const [v7122, v7196, v724] = routers;
    try {
      await assert.rejects(v7122!.client.set("/certificate/settings", null, { "builtin-trust-anchors": "trusted" }), {
        message: "unknown parameter builtin-trust-anchors",
      });
      await v7196!.client.set("/certificate/settings", null, { "builtin-trust-anchors": "trusted" });
      await assert.rejects(v724!.client.set("/certificate/settings", null, { "builtin-trust-anchors": "trusted" }), {
        message: "unknown parameter builtin-trust-anchors",
      });
      await v724!.client.set("/certificate/settings", null, { "builtin-trust-store": "fetch" });
    } finally {
      await Promise.all(routers.map((router) => router.close()));
    }
  });

  test("the built-in anchors (the emulator's: Node's CA bundle) count only once enabled", () => {
    const state = new RouterState(new RouterClock());
    assert.equal(routerTrust(state).anchors.length, 0);
    state.insert(certificateSettings.path, { "builtin-trust-store": "fetch" });
    assert.ok(routerTrust(state).anchors.length > 50);
  });
});

describe("/tool fetch check-certificate against an HTTPS server of a private CA", () => {
  let ca: TestCa;
  let site: Site;
  let wrongName: Site;
  before(async () => {
    ca = await TestCa.create();
    site = await serve(await ca.issue(["127.0.0.1", "localhost"]));
    wrongName = await serve(await ca.issue(["odoo.example"]));
  });
  after(async () => {
    await close(site);
    await close(wrongName);
  });
  const url = (target: Site): string => `https://127.0.0.1:${target.port}/`;

  for (const version of VERSIONS) {
    test(`${version}: refused with an empty store, then by the clock, then accepted once the CA is imported and NTP runs`, async () => {
      const router = await Router.start(version);
      try {
        // eworm-de/routeros-scripts#67: a store without the CA.
        assert.match((await router.fetch(url(site), "yes-without-crl")) ?? "", /failure: SSL: ssl: no trusted CA certificate found \(6\)/);
        await router.importCa(ca.certificate);
        // The router still believes it is 1970.
        assert.match((await router.fetch(url(site), "yes-without-crl")) ?? "", /failure: SSL: ssl: certificate is not yet valid \(6\)/);
        await router.enableNtp();
        assert.equal(await router.fetch(url(site), "yes-without-crl"), undefined);
        // check-certificate=yes also needs the CRL, which the router cannot get (Druvis-Timma/Mikrotik#8).
        assert.match((await router.fetch(url(site), "yes")) ?? "", /failure: SSL: ssl: crl not found for: "CN=127\.0\.0\.1" \(6\)/);
        // madsbacha/routeros-vpn#3: the URL's host is not the certificate's.
        assert.match(
          (await router.fetch(url(wrongName), "yes-without-crl")) ?? "",
          /failure: SSL: ssl: name verification failed for: "CN=odoo\.example" \(6\)/,
        );
        // check-certificate=no (the default) checks nothing.
        assert.equal(await router.fetch(url(wrongName), "no"), undefined);
      } finally {
        await router.close();
      }
    });
  }

  test("/tool/fetch over the API checks as a script's fetch does, and takes only its version's arguments", async () => {
    const old = await Router.start("7.12.2");
    const newer = await Router.start("7.19.6");
    try {
      await assert.rejects(old.client.command("/tool/fetch", { url: url(site), output: "user", "idle-timeout": "5s" }), {
        message: "unknown parameter idle-timeout",
      });
      const fetch = (): Promise<unknown> =>
        newer.client.command("/tool/fetch", { url: url(site), output: "user", "check-certificate": "yes-without-crl", "idle-timeout": "5s" });
      await assert.rejects(fetch(), { message: "failure: SSL: ssl: no trusted CA certificate found (6)" });
      await newer.importCa(ca.certificate);
      await assert.rejects(fetch(), { message: "failure: SSL: ssl: certificate is not yet valid (6)" });
      await newer.enableNtp();
      const { items } = (await fetch()) as { items: Record<string, string>[] };
      assert.equal(items[0]?.status, "finished");
      assert.equal(items[0]?.data, "ok");
    } finally {
      await old.close();
      await newer.close();
    }
  });

  test("a clock set past the certificate's end refuses it as expired", async () => {
    const router = await Router.start("7.19.6");
    try {
      await router.importCa(ca.certificate);
      router.emulator.setClock(new Date(Date.now() + 400 * DAY_MS));
      assert.match((await router.fetch(url(site), "yes-without-crl")) ?? "", /failure: SSL: ssl: certificate has expired \(6\)/);
    } finally {
      await router.close();
    }
  });

  test("a CA imported with trusted=no is named as not trusted", async () => {
    const router = await Router.start("7.24");
    try {
      await router.enableNtp();
      await router.importCa(ca.certificate, { trusted: "no" });
      assert.match((await router.fetch(url(site), "yes-without-crl")) ?? "", /failure: SSL: ssl: certificate not trusted \(6\)/);
      await router.client.set("/certificate", "odoo-ca.pem_0", { trusted: "yes" });
      assert.equal(await router.fetch(url(site), "yes-without-crl"), undefined);
    } finally {
      await router.close();
    }
  });

  test("the host's own CA bundle is never used: enabling the built-in anchors does not trust a private CA", async () => {
    const router = await Router.start("7.19.6");
    try {
      await router.enableNtp();
      await router.client.set("/certificate/settings", null, { "builtin-trust-anchors": "trusted" });
      assert.match((await router.fetch(url(site), "yes-without-crl")) ?? "", /no trusted CA certificate found/);
    } finally {
      await router.close();
    }
  });
});
