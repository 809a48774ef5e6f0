// Strict type-check of every TypeScript file: tools, web_src, tests and scripts.
import { runAndCapture } from "../process.mjs";

export default {
  id: "typecheck",
  name: "typecheck",
  async run() {
    const { code } = await runAndCapture("npx", ["tsc", "--noEmit", "-p", "tsconfig.json"]);
    return code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  },
};
