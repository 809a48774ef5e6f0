/** The fake Odoo answers as Odoo 19 does (the same table holds the real Odoo in the Odoo suite). */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startFakeOdoo, type FakeOdoo } from "./fake-odoo.ts";
import { contractDifferences, PROBES } from "./odoo-contract.ts";

describe("the fake Odoo", () => {
  let odoo: FakeOdoo;
  before(async () => {
    odoo = await startFakeOdoo();
  });
  after(() => odoo.close());

  it("answers every probe of the contract as Odoo 19 does", async () => {
    const target = { url: odoo.url, database: odoo.database, login: "admin", password: odoo.adminPassword, apiKey: odoo.apiKey };
    assert.deepEqual(await contractDifferences(target), []);
    assert.ok(PROBES.some((probe) => probe.expected.outcome === "error builtins.IndexError"));
  });

  it("leaves nothing behind from a create it refused", () => {
    assert.deepEqual(
      odoo.sectors.map((sector) => sector.code),
      ["SEC-990-contract", "SEC-991-contract"],
    );
  });
});
