// The built OWL bundle is committed so the addon installs without Node; it must match a fresh build.
import { runAndCapture } from "../process.mjs";

export default {
  id: "bundle",
  name: "web bundle matches a fresh build",
  async run() {
    const { code } = await runAndCapture("node", ["esbuild.config.mjs", "--check"]);
    return code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  },
};
