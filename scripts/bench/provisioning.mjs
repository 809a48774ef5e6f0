// `npm run bench:provisioning`: Odoo's provisioning against the RouterOS emulator.
//   - lease sync of a router with 5,000 leases: time and API round trips, against a baseline of
//     50 leases in the same run (the round trips must not grow with the lease count);
//   - 1,000 queued captive-user jobs: jobs/s, against a baseline of 100.
// Targets: 5,000 leases synced in under 10 s; jobs at >= 50/s.
// Odoo runs as `odoo-bin shell` on a scratch database (scripts/bench/provisioning_shell.py); the
// emulator runs in this process (package.json runs the bench through tsx).
import { createReadStream } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { startEmulator } from "../../tools/routeros-emulator/index.ts";
import { dropDatabase, installIspCore, REPO_ROOT, requireOdooHome, spawnOdoo, waitForExit } from "../odoo/environment.mjs";

const DATABASE = "isp_bench_provisioning";
const SHELL_SCRIPT = path.join(REPO_ROOT, "scripts/bench/provisioning_shell.py");
const TARGETS = { syncSeconds: 10, jobsPerSecond: 50 };

async function runShell(odooHome, routerPort) {
  const shell = spawnOdoo(odooHome, ["shell", "-d", DATABASE, "--no-http", "--log-level=warn"], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, ISP_BENCH_ROUTER_PORT: String(routerPort) },
  });
  createReadStream(SHELL_SCRIPT).pipe(shell.stdin);
  let results = null;
  for await (const line of readline.createInterface({ input: shell.stdout })) {
    if (line.startsWith("BENCH_RESULT ")) results = JSON.parse(line.slice("BENCH_RESULT ".length));
  }
  const code = await waitForExit(shell);
  if (code !== 0 || !results) throw new Error(`the Odoo shell failed (exit ${code})`);
  return results;
}

function report(results) {
  const byLabel = Object.fromEntries(results.map((result) => [result.label, result]));
  console.log("case                             count   seconds  per second  round trips  details");
  for (const result of results) {
    const { label, count, seconds, round_trips: roundTrips, ...details } = result;
    console.log(
      `${label.padEnd(32)} ${String(count).padStart(5)} ${seconds.toFixed(2).padStart(9)} ${(count / seconds).toFixed(0).padStart(11)}` +
        `  ${String(roundTrips).padStart(11)}  ${JSON.stringify(details)}`,
    );
  }
  const baselineSync = byLabel["sync, new leases (baseline)"];
  const sync = byLabel["sync, new leases"];
  const knownSync = byLabel["sync, known leases"];
  const baselineJobs = byLabel["captive-user jobs (baseline)"];
  const jobs = byLabel["captive-user jobs"];
  const jobsPerSecond = jobs.count / jobs.seconds;
  const checks = [
    [
      `round trips, ${sync.count} vs ${baselineSync.count} leases: ${sync.round_trips} vs ${baselineSync.round_trips}`,
      sync.round_trips === baselineSync.round_trips,
    ],
    [`sync of ${sync.count} new leases: ${sync.seconds.toFixed(2)} s (target < ${TARGETS.syncSeconds} s)`, sync.seconds < TARGETS.syncSeconds],
    [
      `sync of ${knownSync.count} known leases: ${knownSync.seconds.toFixed(2)} s (target < ${TARGETS.syncSeconds} s)`,
      knownSync.seconds < TARGETS.syncSeconds,
    ],
    [`per-lease time vs baseline: x${(sync.seconds / sync.count / (baselineSync.seconds / baselineSync.count)).toFixed(2)}`, true],
    [
      `captive-user jobs: ${jobsPerSecond.toFixed(0)}/s, x${(jobsPerSecond / (baselineJobs.count / baselineJobs.seconds)).toFixed(2)} of the baseline (target >= ${TARGETS.jobsPerSecond}/s)`,
      jobsPerSecond >= TARGETS.jobsPerSecond,
    ],
    [`failed jobs: ${jobs.failed}`, jobs.failed === 0],
  ];
  for (const [text, ok] of checks) console.log(`${ok ? "ok  " : "MISS"} ${text}`);
  return checks.every(([, ok]) => ok);
}

const odooHome = requireOdooHome();
await installIspCore(odooHome, DATABASE);

const emulator = await startEmulator();
let allMet = false;
try {
  console.error(`bench: emulator on ${emulator.host}:${emulator.port}; binding leases and running the cases...`);
  allMet = report(await runShell(odooHome, emulator.port));
} finally {
  await emulator.close();
  dropDatabase(DATABASE);
}
process.exit(allMet ? 0 : 1);
