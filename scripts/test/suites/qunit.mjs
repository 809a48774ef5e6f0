// tests/**/*.qunit.ts: the OWL components, with real OWL in jsdom and IspService replaced.
import { findFiles } from "../files.mjs";
import { parseTapCounts, runAndCapture } from "../process.mjs";

export default {
  id: "qunit",
  name: "QUnit (OWL)",
  async run() {
    const files = findFiles("tests", ".qunit.ts");
    if (files.length === 0) return { passed: 0, failed: 1, skipped: 0, note: "no tests/**/*.qunit.ts found" };
    const { code, output } = await runAndCapture("node", [
      "--import",
      "tsx",
      "node_modules/qunit/bin/qunit.js",
      "--require",
      "./tests/web_src/setup-dom.ts",
      ...files,
    ]);
    const counts = parseTapCounts(output);
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    return counts;
  },
};
