// tests/python: the addon's pure-Python helpers (isp_core/lib), which need no Odoo.
import { ODOO_PYTHON } from "../../odoo/environment.mjs";
import { runAndCapture } from "../process.mjs";

/** unittest ends with "Ran N tests" and "OK (skipped=S)" or "FAILED (failures=F, errors=E, skipped=S)". */
function parseUnittest(output) {
  const ran = Number(output.match(/^Ran (\d+) tests?/m)?.[1] ?? 0);
  const field = (name) => Number(output.match(new RegExp(`${name}=(\\d+)`))?.[1] ?? 0);
  const failed = field("failures") + field("errors") + field("unexpected successes");
  const skipped = field("skipped") + field("expected failures");
  return { passed: ran - failed - skipped, failed, skipped };
}

export default {
  id: "python",
  name: "Python lib (no Odoo)",
  async run() {
    const { code, output } = await runAndCapture(ODOO_PYTHON, ["-m", "unittest", "discover", "-s", "tests/python", "-t", "tests/python"]);
    const counts = parseUnittest(output);
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    if (counts.passed + counts.failed + counts.skipped === 0) counts.failed = 1;
    return counts;
  },
};
