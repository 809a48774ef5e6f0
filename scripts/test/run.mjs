// `npm test`: runs every suite this machine can run and ends with one total line,
// "N passed, M failed, K skipped". `--only ID` runs one suite: typecheck, lint, bundle, node,
// qunit, python, odoo, odoo-billing, demo or deploy.
import { findOdooHome, odooHomeSearched } from "../odoo/environment.mjs";
import buildDrift from "./suites/build-drift.mjs";
import demo from "./suites/demo.mjs";
import deploy from "./suites/deploy.mjs";
import lint from "./suites/lint.mjs";
import nodeTests from "./suites/node-tests.mjs";
import odoo, { odooBilling } from "./suites/odoo.mjs";
import pythonLib from "./suites/python-lib.mjs";
import qunit from "./suites/qunit.mjs";
import typescript from "./suites/typescript.mjs";

const SUITES = [typescript, lint, buildDrift, nodeTests, qunit, pythonLib, odoo, odooBilling, demo, deploy];

function selectedSuites(argv) {
  const onlyIndex = argv.indexOf("--only");
  if (onlyIndex === -1) return SUITES;
  const wanted = argv[onlyIndex + 1];
  const suite = SUITES.find((candidate) => candidate.id === wanted);
  if (!suite) {
    console.error(`unknown suite "${wanted}"; one of: ${SUITES.map((candidate) => candidate.id).join(", ")}`);
    process.exit(2);
  }
  return [suite];
}

const suites = selectedSuites(process.argv.slice(2));
const odooHome = findOdooHome();
const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
const onlyOdoo = suites.every((suite) => suite.needsOdoo);

for (const suite of suites) {
  console.log(`\n=== ${suite.name} ===`);
  let result;
  if (suite.needsOdoo && !odooHome) {
    console.log(`!!!!! ODOO NOT FOUND at ${odooHomeSearched()}: THE ODOO 19 SUITE IS SKIPPED !!!!!`);
    // Asked for explicitly, a missing Odoo is a failure; inside the full run it is a loud skip.
    result = onlyOdoo ? { passed: 0, failed: 1, skipped: 0, note: "no Odoo 19 tree" } : { passed: 0, failed: 0, skipped: 1, note: "no Odoo 19 tree" };
  } else {
    try {
      result = await suite.run({ odooHome, alone: suites.length === 1 });
    } catch (error) {
      console.log(error.stack ?? String(error));
      result = { passed: 0, failed: 1, skipped: 0, note: error.message };
    }
  }
  for (const key of Object.keys(totals)) totals[key] += result[key];
  summary.push(
    `  ${suite.name}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped${result.note ? ` (${result.note})` : ""}`,
  );
}

console.log("\n=== summary ===");
console.log(summary.join("\n"));
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
