// An addon's Odoo tests: install it into a fresh database, run its tests, drop the database. isp_core
// runs alone, so that it keeps working without accounting; isp_billing gets its own database.
// Any skipped Odoo test counts as a failure: a skipped browser test (no Chromium, no
// python3-websocket) would otherwise let a broken UI pass.
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { dropDatabase, ensurePostgres, freePort, LOOPBACK_INTERFACE, ODOO_PYTHON, odooArgs, REPO_ROOT } from "../../odoo/environment.mjs";
import { runAndCapture } from "../process.mjs";

const RESULT_LINE = /(\d+) failed, (\d+) error\(s\) of (\d+) tests/;
const SKIP_LINE = / skipped (\S+) : (.*)$/;
const ODOO_TIME_LIMIT_MINUTES = 40;
const NOTEWORTHY = / (WARNING|ERROR|CRITICAL) |odoo\.tests\.(result|stats)|^(FAIL|ERROR):|Traceback/;

/**
 * @param {{ id: string, addon: string, logName: string }} options the suite's id for `--only`, the
 *   addon to install and test, and its log file under .tmp/
 */
export function odooSuite({ id, addon, logName }) {
  return {
    id,
    name: `Odoo 19 (${addon})`,
    needsOdoo: true,
    async run({ odooHome }) {
      ensurePostgres();
      const database = `${addon}_test_${process.pid}`;
      const logDirectory = path.join(REPO_ROOT, ".tmp");
      mkdirSync(logDirectory, { recursive: true });
      const logPath = path.join(logDirectory, logName);
      dropDatabase(database);
      const httpPort = await freePort();
      const args = odooArgs(odooHome, [
        "-d",
        database,
        "-i",
        addon,
        "--test-enable",
        "--test-tags",
        `/${addon}`,
        "--stop-after-init",
        "--max-cron-threads=0",
        `--http-interface=${LOOPBACK_INTERFACE}`,
        `--http-port=${httpPort}`,
        "--log-level=info",
      ]);

      const log = createWriteStream(logPath);
      let resultLine = null;
      const skipped = [];
      let pending = "";
      const inspect = (chunk) => {
        log.write(chunk);
        pending += chunk;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
          if (NOTEWORTHY.test(line)) console.log(line);
          const result = line.match(RESULT_LINE);
          if (result && line.includes("when loading database")) resultLine = result;
          const skip = line.match(SKIP_LINE);
          if (skip && line.includes(`odoo.addons.${addon}`)) skipped.push(`${skip[1]}: ${skip[2]}`);
        }
      };
      // Only the noteworthy lines reach the console; the log file gets everything.
      const { code: exitCode } = await runAndCapture(ODOO_PYTHON, args, { timeoutMinutes: ODOO_TIME_LIMIT_MINUTES, onOutput: inspect });
      log.end();
      try {
        dropDatabase(database);
      } catch (error) {
        console.log(`could not drop ${database}: ${error.message}`);
      }

      console.log(`full Odoo log: ${path.relative(REPO_ROOT, logPath)}`);
      if (!resultLine) {
        return { passed: 0, failed: 1, skipped: 0, note: `Odoo ran no test (exit ${exitCode}); see the log` };
      }
      const [, failures, errors, total] = resultLine.map(Number);
      for (const reason of skipped) console.log(`skipped Odoo test counted as a failure: ${reason}`);
      const failed = failures + errors + skipped.length;
      const passed = total - failures - errors - skipped.length;
      if (exitCode !== 0 && failed === 0) {
        return { passed, failed: 1, skipped: 0, note: `odoo-bin exited with ${exitCode}` };
      }
      if (total === 0) return { passed: 0, failed: 1, skipped: 0, note: `Odoo found no ${addon} tests` };
      return { passed, failed, skipped: 0 };
    },
  };
}

export default odooSuite({ id: "odoo", addon: "isp_core", logName: "odoo-tests.log" });

export const odooBilling = odooSuite({ id: "odoo-billing", addon: "isp_billing", logName: "odoo-billing-tests.log" });
