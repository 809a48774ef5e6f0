import assert from "node:assert/strict";
import { describe, it } from "node:test";

import fc from "fast-check";

import { buildLeaseScript } from "../../tools/mikrotik_preloader/lease-script.ts";
import { scriptString } from "../../tools/routeros/index.ts";
import { runScript } from "../../tools/routeros-emulator/script/index.ts";
import { RecordingHost, printedBy } from "./script-test-host.ts";

/** Any text at all, including quotes, backslashes, `$`, control characters and lone surrogates. */
const anyText = fc.string({ unit: "binary", maxLength: 40 });

describe("script strings, property-based", () => {
  it("keeps any variable's value unchanged through every way of concatenating it", async () => {
    await fc.assert(
      fc.asyncProperty(anyText, fc.string({ maxLength: 5 }), async (value, side) => {
        const script = [
          ':put "$v"',
          ':put ("" . $v)',
          ":put ($v . $side . $v)",
          ':put "[$side$v$side]"',
          ":local copy $v; :put [:tostr $copy]",
          ":put [:pick $v 0 [:len $v]]",
        ].join("\n");
        const printed = await printedBy(script, { v: value, side });
        assert.deepEqual(printed, [value, value, value + side + value, `[${side}${value}${side}]`, value, value]);
      }),
    );
  });

  it("reads back any text written as an escaped string literal", async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (value) => {
        assert.deepEqual(await printedBy(`:put ${scriptString(value)}`), [value]);
      }),
    );
  });

  it("gets any printable host name into the preloader's JSON body intact", async () => {
    const script = buildLeaseScript({
      odooUrl: "http://127.0.0.1:8069",
      database: "isp",
      token: "token",
      routerIdentity: "core-1",
      sectorCode: "SEC-001",
      fetch: { checkCertificate: "no", idleTimeout: false },
    });
    // eslint-disable-next-line no-control-regex -- control characters are what this filter is about
    const printable = anyText.filter((text) => !/[\u0000-\u001f]/.test(text));
    await fc.assert(
      fc.asyncProperty(printable, async (hostname) => {
        const host = new RecordingHost();
        const lease = { leaseBound: "1", leaseServerName: "lan", leaseActMAC: "AA:BB:CC:DD:EE:FF", leaseActIP: "10.0.0.2" };
        await runScript(script, { ...lease, "lease-hostname": hostname }, host);
        assert.equal(JSON.parse(host.requests[0]?.body ?? "").hostname, hostname);
      }),
    );
  });
});
