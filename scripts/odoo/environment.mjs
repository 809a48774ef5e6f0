// Locates an Odoo 19 tree, checks PostgreSQL for it and installs isp_core. Shared by `npm start`,
// `npm run i18n:export`, the Odoo test suite and the benchmarks, so each finds Odoo and the
// database server the same way.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Debian's interpreter: the one that sees the python3-* packages Odoo depends on. */
export const ODOO_PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

/** Where `npm run setup` clones Odoo 19.0 when it finds no tree (scripts/odoo/fetch-odoo.sh). */
export const ODOO_CACHE_DIR = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "isp-core", "odoo-19.0");

function isOdooTree(candidate) {
  return existsSync(path.join(candidate, "odoo-bin"));
}

/** @returns {string | null} the Odoo tree ($ODOO_HOME, else /opt/odoo, else the one setup cloned), or null. */
export function findOdooHome() {
  if (process.env.ODOO_HOME) return isOdooTree(process.env.ODOO_HOME) ? process.env.ODOO_HOME : null;
  return ["/opt/odoo", ODOO_CACHE_DIR].find(isOdooTree) ?? null;
}

/** Where Odoo was looked for, for the message that says it was not found. */
export function odooHomeSearched() {
  return process.env.ODOO_HOME ? `ODOO_HOME=${process.env.ODOO_HOME}` : `/opt/odoo or ${ODOO_CACHE_DIR} (set ODOO_HOME)`;
}

// `node scripts/odoo/environment.mjs`: prints the Odoo tree found, or nothing, for setup.sh;
// with --cache-dir, where setup clones one.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(process.argv.includes("--cache-dir") ? ODOO_CACHE_DIR : (findOdooHome() ?? ""));
}

/** @returns {string} the Odoo tree; without one, says where to point ODOO_HOME and exits. */
export function requireOdooHome() {
  const odooHome = findOdooHome();
  if (!odooHome) {
    console.error(
      `Odoo 19 was not found at ${odooHomeSearched()}.\n` +
        "Point ODOO_HOME at an Odoo 19.0 tree (the folder that holds odoo-bin), e.g.\n" +
        `  ODOO_HOME=/path/to/odoo npm run ${process.env.npm_lifecycle_event || "start"}`,
    );
    process.exit(1);
  }
  return odooHome;
}

function addonsPath(odooHome) {
  return [path.join(odooHome, "addons"), REPO_ROOT].join(",");
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });
}

function succeeds(command, args) {
  try {
    run(command, args);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks that PostgreSQL accepts connections and that the current OS user may connect; starting
 * the server and creating the role is `npm run setup`'s job (it knows when to use sudo).
 */
export function ensurePostgres() {
  if (!succeeds("pg_isready", ["-q"])) {
    throw new Error("PostgreSQL is not accepting connections: run `npm run setup` (it starts the server).");
  }
  if (!succeeds("psql", ["-d", "postgres", "-tAc", "SELECT 1"])) {
    const role = process.env.PGUSER || run("id", ["-un"]).trim();
    throw new Error(`PostgreSQL refused the role ${role}: run \`npm run setup\` (it creates a role for the current user).`);
  }
}

export function dropDatabase(name) {
  run("dropdb", ["--if-exists", "--force", name]);
}

export function databaseExists(name) {
  return run("psql", ["-d", "postgres", "-tAc", `SELECT 1 FROM pg_database WHERE datname='${name}'`]).trim() === "1";
}

/**
 * Where the Odoo servers of the tests and benches listen: their databases log in as admin/admin,
 * so they are not offered to the network (Odoo's default is every interface).
 */
export const LOOPBACK_INTERFACE = "127.0.0.1";

/** A TCP port that nothing listens on right now, for Odoo's HTTP server in tests and benches. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, LOOPBACK_INTERFACE, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The arguments of ODOO_PYTHON that run odoo-bin with the project's addons path, then `args`. */
export function odooArgs(odooHome, args) {
  return [path.join(odooHome, "odoo-bin"), `--addons-path=${addonsPath(odooHome)}`, ...args];
}

/** Spawns odoo-bin with the project's addons path; the caller adds the rest of the arguments. */
export function spawnOdoo(odooHome, args, options = {}) {
  return spawn(ODOO_PYTHON, odooArgs(odooHome, args), { cwd: REPO_ROOT, ...options });
}

/** @returns {Promise<number>} the child's exit code (1 when a signal ended it). */
export function waitForExit(child) {
  return new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
}

/**
 * Installs `addons` (isp_core by default, or an addon that depends on it), without demo data,
 * into `database` (dropped first) and stops; `extraArgs` go to odoo-bin as they are.
 */
export async function installIspCore(odooHome, database, extraArgs = [], addons = ["isp_core"]) {
  ensurePostgres();
  dropDatabase(database);
  console.error(`installing ${addons.join(", ")} into ${database}...`);
  const install = spawnOdoo(
    odooHome,
    ["-d", database, "-i", addons.join(","), "--stop-after-init", "--no-http", "--max-cron-threads=0", "--log-level=warn", ...extraArgs],
    { stdio: "inherit" },
  );
  if ((await waitForExit(install)) !== 0) throw new Error(`installing ${addons.join(", ")} into ${database} failed`);
}
