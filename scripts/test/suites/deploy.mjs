// The production recipe (deploy/): Odoo configured by deploy/render.py behind nginx with TLS,
// backups that restore, and the update from the previous release (tests/deploy/). It needs
// Odoo, nginx, openssl and Chromium; without nginx or openssl it is skipped loudly, and a skip
// is never a pass (asked for alone, it fails).
import { ensurePostgres } from "../../odoo/environment.mjs";
import { productionStackMissing } from "../../deploy/stack.mjs";
import { runNodeTests } from "../process.mjs";

export default {
  id: "deploy",
  name: "production recipe (deploy/)",
  needsOdoo: true,
  async run({ alone }) {
    const missing = productionStackMissing();
    if (missing.length > 0) {
      console.log(
        `!!!!! ${missing.join(" and ").toUpperCase()} NOT FOUND: THE PRODUCTION RECIPE'S TESTS ARE SKIPPED (npm run setup installs them) !!!!!`,
      );
      const note = `no ${missing.join(", ")}`;
      return alone ? { passed: 0, failed: 1, skipped: 0, note } : { passed: 0, failed: 0, skipped: 1, note };
    }
    ensurePostgres();
    // Chromium is driven over the DevTools protocol; Node 20 keeps WebSocket behind a flag.
    return runNodeTests(
      ["tests/deploy/production.odoo-test.mjs", "tests/deploy/upgrade.odoo-test.mjs"],
      ["--experimental-websocket", "--test-timeout=1800000"],
    );
  },
};
