// Locates an Odoo 19 tree and prepares PostgreSQL for it. Shared by `npm start`, the Odoo test
// suite and the benchmarks, so each finds Odoo and the database server the same way.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Debian's interpreter: the one that sees the python3-* packages Odoo depends on. */
export const ODOO_PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

/** @returns {string | null} the Odoo tree ($ODOO_HOME, else /opt/odoo), or null when absent. */
export function findOdooHome() {
  const candidate = process.env.ODOO_HOME || "/opt/odoo";
  return existsSync(path.join(candidate, "odoo-bin")) ? candidate : null;
}

function addonsPath(odooHome) {
  return [path.join(odooHome, "addons"), REPO_ROOT].join(",");
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });
}

function postgresAcceptsConnections() {
  try {
    run("pg_isready", ["-q"]);
    return true;
  } catch {
    return false;
  }
}

/** Starts the local PostgreSQL cluster if needed and makes sure the current OS user has a role. */
export function ensurePostgres() {
  if (!postgresAcceptsConnections()) {
    try {
      run("service", ["postgresql", "start"]);
    } catch (error) {
      throw new Error(`PostgreSQL is not running and could not be started: ${error.stderr || error.message}`);
    }
    for (let attempt = 0; attempt < 30 && !postgresAcceptsConnections(); attempt++) {
      execFileSync("sleep", ["0.5"]);
    }
  }
  const role = process.env.PGUSER || run("id", ["-un"]).trim();
  const exists = run("su", ["postgres", "-c", `psql -tAc "SELECT 1 FROM pg_roles WHERE rolname='${role}'"`]).trim();
  if (exists !== "1") {
    run("su", ["postgres", "-c", `createuser --superuser ${role}`]);
  }
}

export function dropDatabase(name) {
  run("dropdb", ["--if-exists", "--force", name]);
}

export function databaseExists(name) {
  return run("psql", ["-d", "postgres", "-tAc", `SELECT 1 FROM pg_database WHERE datname='${name}'`]).trim() === "1";
}

/** A TCP port that nothing listens on right now, for Odoo's HTTP server in tests and benches. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Spawns odoo-bin with the project's addons path; the caller adds the rest of the arguments. */
export function spawnOdoo(odooHome, args, options = {}) {
  return spawn(ODOO_PYTHON, [path.join(odooHome, "odoo-bin"), `--addons-path=${addonsPath(odooHome)}`, ...args], {
    cwd: REPO_ROOT,
    ...options,
  });
}
