/**
 * Upgrading a production database (issue 22): a database made by the previous release
 * (deploy/releases.txt names its commit, so a clone without tags runs this too), with its demo
 * data and a few devices, subscriptions, captive users, provisioning jobs and a router key, is
 * updated to the working tree with `-u isp_core`: no error, and nothing lost.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, it } from "node:test";
import { sql } from "../../scripts/bench/odoo-server.mjs";
import { dropDatabase, findOdooHome, ODOO_PYTHON, REPO_ROOT, spawnOdoo, waitForExit } from "../../scripts/odoo/environment.mjs";

const DATABASE = `isp_upgrade_test_${process.pid}`;
const odooHome = findOdooHome();
const directory = mkdtempSync(path.join(os.tmpdir(), "isp-upgrade-"));

/** The last release deploy/releases.txt names: `{ version, commit }`. */
function previousRelease() {
  const lines = readFileSync(path.join(REPO_ROOT, "deploy", "releases.txt"), "utf8")
    .split("\n")
    .filter((line) => line && !line.startsWith("#"));
  const [version, commit] = lines.at(-1).split(/\s+/);
  return { version, commit };
}

/** Runs odoo-bin to the end, keeping its log; fails on a non-zero exit or an ERROR line. */
async function runOdoo(child, what) {
  let log = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk) => (log += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk) => (log += chunk));
  const code = await waitForExit(child);
  const errors = log.split("\n").filter((line) => / (ERROR|CRITICAL) /.test(line) || line.startsWith("Traceback"));
  assert.equal(code, 0, `${what} exited with ${code}:\n${log.slice(-4000)}`);
  assert.deepEqual(errors, [], `${what} logged errors`);
  return log;
}

// What a release leaves in isp_core's tables, row by row: each table's rows as JSON objects.
const TABLES_QUERY = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'isp\\_%' ORDER BY tablename";
function rowsByTable() {
  const tables = sql(DATABASE, TABLES_QUERY).split("\n").filter(Boolean);
  return Object.fromEntries(
    tables.map((table) => [table, JSON.parse(sql(DATABASE, `SELECT coalesce(json_agg(row_to_json(t) ORDER BY t.id), '[]') FROM ${table} t`))]),
  );
}

// Columns an update rewrites by design: the ORM stamps what it writes.
const REWRITTEN = new Set(["write_date", "write_uid"]);
// Fields renamed since the release, and the migration that carries their values:
// isp_core/migrations/19.0.1.3.0/pre-migrate.py.
const RENAMED = { isp_router: { agent_key_digest: "key_digest" } };

after(() => {
  dropDatabase(DATABASE);
  rmSync(directory, { recursive: true, force: true });
});

it("updates a database of the previous release to the working tree: no error, every record and value kept", { timeout: 20 * 60_000 }, async () => {
  assert.ok(odooHome, "an Odoo 19 tree");
  const release = previousRelease();
  const oldAddons = path.join(directory, "release");
  try {
    execFileSync("bash", ["-c", `mkdir -p "$2" && git -C "$1" archive "$3" isp_core | tar -x -C "$2"`, "-", REPO_ROOT, oldAddons, release.commit]);
  } catch (error) {
    throw new Error(
      `release ${release.version} (${release.commit}) is not in this clone's history: fetch it (git fetch --unshallow) (${error.message})`,
    );
  }
  // `command` (shell) comes before every option, as odoo-bin reads it.
  const oldOdoo = (command, args) =>
    spawn(
      ODOO_PYTHON,
      [
        path.join(odooHome, "odoo-bin"),
        ...command,
        `--addons-path=${path.join(odooHome, "addons")},${oldAddons}`,
        "-d",
        DATABASE,
        "--data-dir",
        directory,
        ...args,
      ],
      { cwd: oldAddons, stdio: ["pipe", "pipe", "pipe"] },
    );

  dropDatabase(DATABASE);
  const install = oldOdoo([], ["-i", "isp_core", "--with-demo", "--stop-after-init", "--no-http", "--max-cron-threads=0", "--log-level=warn"]);
  install.stdin.end();
  await runOdoo(install, `installing release ${release.version}`);

  // A few devices, subscriptions (with their captive users and provisioning jobs) and a router
  // key, made by the release's own code.
  const seed = oldOdoo(["shell"], ["--no-http", "--log-level=warn"]);
  seed.stdin.end(`
sector = env["isp.sector"].create({"code": "SEC-UPG", "name": "Upgrade"})
api_router = env["isp.router"].create({"name": "MK-UPG-API", "sector_id": sector.id, "host": "192.0.2.1", "api_user": "isp", "api_password": "router-secret"})
agent_router = env["isp.router"].create({"name": "MK-UPG-AGENT", "sector_id": sector.id, "connection_mode": "agent"})
agent_router.rotate_agent_key()
plan = env["isp.service.plan"].create({"name": "Upgrade 20/5", "download_mbps": 20, "upload_mbps": 5, "hotspot_profile": "upgrade-20"})
for index in range(3):
    profile = env["isp.mac.profile"].create({"mac": "02:EE:00:00:00:0%d" % index, "last_ip": "10.40.0.%d" % (index + 1), "router_id": api_router.id, "sector_id": sector.id})
    partner = env["res.partner"].create({"name": "Upgrade customer %d" % index})
    subscription = env["isp.subscription"].create({"partner_id": partner.id, "plan_id": plan.id, "mac_profile_id": profile.id, "router_id": api_router.id})
    subscription.action_activate()
    env["isp.captive.user"].create({"login": profile.mac, "password": "captive-%d" % index, "mac": profile.mac, "subscription_id": subscription.id, "router_id": api_router.id})
    if index == 2:
        subscription.action_suspend()
env.cr.commit()
`);
  await runOdoo(seed, `adding devices with release ${release.version}`);

  const before = rowsByTable();
  for (const table of ["isp_mac_profile", "isp_subscription", "isp_captive_user", "isp_provisioning_job", "isp_router"]) {
    assert.ok(before[table]?.length > 0, `the release's database holds ${table} rows`);
  }
  assert.ok(
    before.isp_router.some((router) => router.agent_key_digest),
    "a router key",
  );
  const version = () => sql(DATABASE, "SELECT latest_version FROM ir_module_module WHERE name = 'isp_core'");
  assert.equal(version(), release.version);

  const update = spawnOdoo(
    odooHome,
    ["-d", DATABASE, "--data-dir", directory, "-u", "isp_core", "--stop-after-init", "--no-http", "--max-cron-threads=0", "--log-level=warn"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  await runOdoo(update, "updating isp_core to the working tree");

  const manifest = readFileSync(path.join(REPO_ROOT, "isp_core", "__manifest__.py"), "utf8");
  assert.equal(version(), /"version": "([^"]+)"/.exec(manifest)[1], "the database records the new version");
  const afterUpdate = rowsByTable();
  const lost = [];
  for (const [table, rows] of Object.entries(before)) {
    const rowsAfter = new Map((afterUpdate[table] ?? []).map((row) => [row.id, row]));
    for (const row of rows) {
      const kept = rowsAfter.get(row.id);
      if (!kept) {
        lost.push(`${table} ${row.id}: gone`);
        continue;
      }
      for (const [column, value] of Object.entries(row)) {
        if (REWRITTEN.has(column)) continue;
        const columnAfter = RENAMED[table]?.[column] ?? column;
        if (!(columnAfter in kept)) lost.push(`${table}.${column}: no such column any more`);
        else if (JSON.stringify(kept[columnAfter]) !== JSON.stringify(value)) {
          lost.push(`${table} ${row.id}: ${column} was ${JSON.stringify(value)}, is ${JSON.stringify(kept[columnAfter])}`);
        }
      }
    }
  }
  assert.deepEqual([...new Set(lost)], [], "every record and value of the release is kept");
});
