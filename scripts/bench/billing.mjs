// `npm run bench:billing`: isp_billing's billing run against Odoo's own invoicing, in one
// database and one run:
//   - bill ISP_BENCH_SUBSCRIPTIONS (10,000) active subscriptions for one period: invoices/s as a
//     ratio of a bare loop of Odoo's account.move creation and posting of the same invoices
//     (target >= 80 % of that ceiling);
//   - run it again at once: 0 new invoices, in under 5 % of the first run's time;
//   - payment to router: from a payment's registration and reconciliation to the customer's
//     hotspot user enabled on the emulated router, p50 and p95 over ISP_BENCH_PAYMENTS (100)
//     payments, api mode (target p95 < 2 s), beside staff's own reactivation
//     (scripts/bench/payment-to-router.mjs).
// The billing runs in `odoo-bin shell` on a scratch database (scripts/bench/billing_shell.py);
// ISP_BENCH_PARTS=billing or =payment runs one half alone.
import { createReadStream } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { dropDatabase, installIspCore, REPO_ROOT, requireOdooHome, spawnOdoo, waitForExit } from "../odoo/environment.mjs";
import { measurePaymentToRouter, reportPaymentToRouter } from "./payment-to-router.mjs";

const DATABASE = "isp_bench_billing";
const SHELL_SCRIPT = path.join(REPO_ROOT, "scripts/bench/billing_shell.py");
const TARGETS = { shareOfCeiling: 0.8, rerunShare: 0.05 };

async function runShell(odooHome) {
  const shell = spawnOdoo(odooHome, ["shell", "-d", DATABASE, "--no-http", "--log-level=warn"], { stdio: ["pipe", "pipe", "inherit"] });
  createReadStream(SHELL_SCRIPT).pipe(shell.stdin);
  let results = null;
  for await (const line of readline.createInterface({ input: shell.stdout })) {
    if (line.startsWith("BENCH_RESULT ")) results = JSON.parse(line.slice("BENCH_RESULT ".length));
  }
  const code = await waitForExit(shell);
  if (code !== 0 || !results) throw new Error(`the Odoo shell failed (exit ${code})`);
  return results;
}

function report({ subscriptions, baseline, billing, rerun }) {
  const rate = (run) => run.count / run.seconds;
  console.log(`subscriptions: ${subscriptions}`);
  for (const [label, run] of [
    ["bare account.move create + post", baseline],
    ["billing run", billing],
    ["billing run again", rerun],
  ]) {
    console.log(
      `${label.padEnd(32)} ${String(run.count).padStart(6)} invoices ${run.seconds.toFixed(2).padStart(8)} s ${rate(run).toFixed(1).padStart(8)}/s`,
    );
  }
  const share = rate(billing) / rate(baseline);
  const rerunShare = rerun.seconds / billing.seconds;
  const checks = [
    [`every subscription billed once: ${billing.count} of ${subscriptions}`, billing.count === subscriptions],
    [
      `billing at ${(share * 100).toFixed(0)} % of Odoo's own invoicing (target >= ${TARGETS.shareOfCeiling * 100} %)`,
      share >= TARGETS.shareOfCeiling,
    ],
    [
      `rerun: ${rerun.count} new invoices in ${(rerunShare * 100).toFixed(2)} % of the first run's time (target 0, < ${TARGETS.rerunShare * 100} %)`,
      rerun.count === 0 && rerunShare < TARGETS.rerunShare,
    ],
  ];
  for (const [text, ok] of checks) console.log(`${ok ? "ok  " : "MISS"} ${text}`);
  return checks.every(([, ok]) => ok);
}

const parts = (process.env.ISP_BENCH_PARTS ?? "billing,payment").split(",");
const met = [];
if (parts.includes("billing")) {
  const odooHome = requireOdooHome();
  await installIspCore(odooHome, DATABASE, [], ["isp_billing"]);
  try {
    met.push(report(await runShell(odooHome)));
  } finally {
    dropDatabase(DATABASE);
  }
}
if (parts.includes("payment")) met.push(reportPaymentToRouter(await measurePaymentToRouter()));
process.exit(met.length > 0 && met.every(Boolean) ? 0 : 1);
