// Serves Odoo with isp_core and its demo data, as `npm start` and `npm run demo` do:
//   ODOO_HTTP_PORT   the port (default 8069)
//   ODOO_HTTP_HOST   the address Odoo listens on (default 127.0.0.1: the demo database's login is
//                    admin / admin, so it is not offered to the network unless asked, e.g. 0.0.0.0)
//   ODOO_DATABASE    the database (default isp_demo), created with the demo data on the first run
import net from "node:net";
import { databaseExists, ensurePostgres, requireOdooHome, spawnOdoo, waitForExit } from "./environment.mjs";

export const DASHBOARD_PATH = "/odoo/action-isp_core.isp_mac_profile_action_dashboard";
const READY_TIMEOUT_MS = 10 * 60_000;

/** Whether something already listens on the port: Odoo would fail with a traceback. */
function portIsFree(host, port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function healthy(url) {
  try {
    return (await fetch(`${url}/web/health`)).ok;
  } catch {
    return false;
  }
}

/** The settings of the environment, with their defaults. */
export function serveSettings(env = process.env) {
  return {
    database: env.ODOO_DATABASE || "isp_demo",
    port: Number(env.ODOO_HTTP_PORT || 8069),
    host: env.ODOO_HTTP_HOST || "127.0.0.1",
  };
}

/**
 * Starts Odoo (installing isp_core, and the addons of the project named by `addons`, with their
 * demo data on the first run; updating isp_core and what depends on it after, and installing an
 * addon the database lacks) and resolves once it answers. A busy port ends the process with one
 * line naming ODOO_HTTP_PORT.
 * @param {{ database: string, port: number, host: string, log: "inherit" | import("node:stream").Writable, addons?: string[] }} options
 *   `log` receives Odoo's own log.
 * @returns {Promise<{ url: string, shownUrl: string, firstRun: boolean, stop: () => Promise<number>, exited: Promise<number> }>}
 */
export async function serveIspCore({ database, port, host, log, addons = [] }) {
  const odooHome = requireOdooHome();
  ensurePostgres();
  if (!(await portIsFree(host, port))) {
    console.error(`Port ${port} on ${host} is busy: stop what uses it, or choose another with ODOO_HTTP_PORT=${port + 1}`);
    process.exit(1);
  }
  const firstRun = !databaseExists(database);
  const modules = ["isp_core", ...addons];
  const installArgs = firstRun ? ["-i", modules.join(","), "--with-demo"] : ["-u", "isp_core", ...(addons.length ? ["-i", addons.join(",")] : [])];
  console.error(firstRun ? `Creating ${database} with ${modules.join(", ")} and demo data...` : `Updating ${modules.join(", ")} in ${database}...`);
  const spawnWithLog = (args) => {
    const child = spawnOdoo(odooHome, ["-d", database, ...args], {
      stdio: ["ignore", log === "inherit" ? "inherit" : "pipe", log === "inherit" ? "inherit" : "pipe"],
    });
    if (log !== "inherit") {
      child.stdout.pipe(log, { end: false });
      child.stderr.pipe(log, { end: false });
    }
    return child;
  };
  // Installed before serving: a request that waits for the registry past Odoo's time limit (two
  // minutes, which installing accounting can take) would make the server reload itself.
  const installed = await waitForExit(spawnWithLog([...installArgs, "--stop-after-init", "--no-http"]));
  if (installed !== 0) throw new Error(`installing into ${database} failed (exit ${installed})`);
  const odoo = spawnWithLog([`--db-filter=^${database}$`, `--http-interface=${host}`, `--http-port=${port}`]);
  const exited = waitForExit(odoo);
  let running = true;
  void exited.then(() => (running = false));
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
  const started = Date.now();
  while (!(await healthy(url))) {
    if (!running) throw new Error(`Odoo stopped before answering (exit ${await exited})`);
    if (Date.now() - started > READY_TIMEOUT_MS) throw new Error(`Odoo did not answer on ${url} within ${READY_TIMEOUT_MS / 60_000} minutes`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const stop = () => {
    if (running) odoo.kill("SIGINT");
    return exited;
  };
  const shownUrl = `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`;
  return { url, shownUrl, firstRun, stop, exited };
}
