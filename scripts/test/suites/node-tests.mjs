// tests/**/*.test.ts: the TypeScript tools (codec, client, emulator, preloader) on node:test.
import { findFiles } from "../files.mjs";
import { runNodeTests } from "../process.mjs";

export default {
  id: "node",
  name: "node:test (tools)",
  async run() {
    const files = findFiles("tests", ".test.ts");
    if (files.length === 0) return { passed: 0, failed: 1, skipped: 0, note: "no tests/**/*.test.ts found" };
    return runNodeTests(files, ["--test-timeout=60000"]);
  },
};
