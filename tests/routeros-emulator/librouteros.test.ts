import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, test } from "node:test";
import { startEmulator } from "../../tools/routeros-emulator/index.ts";

const SCENARIO = fileURLToPath(new URL("./librouteros_scenario.py", import.meta.url));

/** Runs the Python scenario against a fresh emulator and returns what librouteros reported. */
async function runScenario(options: { version: string; legacyLogin: boolean }): Promise<Record<string, unknown>> {
  const emulator = await startEmulator(options);
  try {
    const args = [SCENARIO, String(emulator.port), ...(options.legacyLogin ? ["legacy"] : [])];
    const { stdout } = await promisify(execFile)("/usr/bin/python3", args, { timeout: 20_000 });
    return JSON.parse(stdout) as Record<string, unknown>;
  } finally {
    await emulator.close();
  }
}

describe("librouteros (untagged) against the emulator", () => {
  for (const options of [
    { version: "7.19.6", legacyLogin: false },
    { version: "7.12.2", legacyLogin: false },
    { version: "7.19.6", legacyLogin: true },
  ]) {
    test(`RouterOS ${options.version}, ${options.legacyLogin ? "legacy challenge" : "plain"} login`, async () => {
      const seen = await runScenario(options);
      assert.deepEqual(seen.query, [
        { name: "ether2", type: "ether" },
        { name: "sfp1", type: "ether" },
      ]);
      const [changed] = seen.after_set as Record<string, unknown>[];
      assert.equal(changed?.comment, "lan side");
      assert.equal(changed?.network, "10.7.0.0");
      assert.equal(changed?.disabled, false, "librouteros parses RouterOS booleans");
      assert.deepEqual(seen.after_remove, []);
      assert.deepEqual(seen.trap, { message: "input does not match any value of interface", category: 1 });
      assert.deepEqual(seen.identity, [{ name: "MikroTik" }]);
      assert.deepEqual(
        (seen.active as Record<string, unknown>[]).map((session) => [session.name, session.address]),
        [["admin", "127.0.0.1"]],
      );
    });
  }
});
