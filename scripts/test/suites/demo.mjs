// `npm run demo`, run headless against this machine's Odoo (tests/demo/demo.odoo-test.mjs).
import { ensurePostgres } from "../../odoo/environment.mjs";
import { runNodeTests } from "../process.mjs";

export default {
  id: "demo",
  name: "npm run demo, headless",
  needsOdoo: true,
  async run() {
    ensurePostgres();
    return runNodeTests(["tests/demo/demo.odoo-test.mjs"]);
  },
};
