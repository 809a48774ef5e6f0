// `npm run demo`, run headless against this machine's Odoo (tests/demo/demo.odoo-test.mjs).
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensurePostgres } from "../../odoo/environment.mjs";
import { parseTapCounts, runAndCapture } from "../process.mjs";

export default {
  id: "demo",
  name: "npm run demo, headless",
  needsOdoo: true,
  async run() {
    ensurePostgres();
    const tapFile = path.join(mkdtempSync(path.join(os.tmpdir(), "isp-demo-test-")), "results.tap");
    const { code } = await runAndCapture("node", [
      "--import",
      "tsx",
      "--test",
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=tap",
      `--test-reporter-destination=${tapFile}`,
      "tests/demo/demo.odoo-test.mjs",
    ]);
    const counts = parseTapCounts(readFileSync(tapFile, "utf8"));
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    return counts;
  },
};
