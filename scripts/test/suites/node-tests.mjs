// tests/**/*.test.ts: the TypeScript tools (codec, client, emulator, preloader) on node:test.
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findFiles } from "../files.mjs";
import { parseTapCounts, runAndCapture } from "../process.mjs";

export default {
  id: "node",
  name: "node:test (tools)",
  async run() {
    const files = findFiles("tests", ".test.ts");
    if (files.length === 0) return { passed: 0, failed: 1, skipped: 0, note: "no tests/**/*.test.ts found" };
    const tapFile = path.join(mkdtempSync(path.join(os.tmpdir(), "isp-node-tests-")), "results.tap");
    const { code } = await runAndCapture("node", [
      "--import",
      "tsx",
      "--test",
      "--test-timeout=60000",
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=tap",
      `--test-reporter-destination=${tapFile}`,
      ...files,
    ]);
    const counts = parseTapCounts(readFileSync(tapFile, "utf8"));
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    return counts;
  },
};
