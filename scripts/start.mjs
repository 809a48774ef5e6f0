// `npm start`: Odoo with isp_core and its demo data.
//   ODOO_HTTP_PORT   the port (default 8069)
//   ODOO_HTTP_HOST   the address Odoo listens on (default 127.0.0.1: the demo database's login is
//                    admin / admin, so it is not offered to the network unless asked, e.g. 0.0.0.0)
//   ODOO_DATABASE    the database (default isp_demo)
import net from "node:net";
import { databaseExists, ensurePostgres, requireOdooHome, spawnOdoo } from "./odoo/environment.mjs";

const DATABASE = process.env.ODOO_DATABASE || "isp_demo";
const HTTP_PORT = Number(process.env.ODOO_HTTP_PORT || 8069);
const HTTP_HOST = process.env.ODOO_HTTP_HOST || "127.0.0.1";

/** Whether something already listens on the port: Odoo would fail with a traceback. */
function portIsFree(host, port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

const odooHome = requireOdooHome();
ensurePostgres();
if (!(await portIsFree(HTTP_HOST, HTTP_PORT))) {
  console.error(`Port ${HTTP_PORT} on ${HTTP_HOST} is busy: stop what uses it, or choose another with ODOO_HTTP_PORT=8070 npm start`);
  process.exit(1);
}
const firstRun = !databaseExists(DATABASE);
const installArgs = firstRun ? ["-i", "isp_core", "--with-demo"] : ["-u", "isp_core"];
console.error(firstRun ? `Creating ${DATABASE} with isp_core and demo data...` : `Updating isp_core in ${DATABASE}...`);

const odoo = spawnOdoo(
  odooHome,
  ["-d", DATABASE, `--db-filter=^${DATABASE}$`, `--http-interface=${HTTP_HOST}`, `--http-port=${HTTP_PORT}`, ...installArgs],
  { stdio: ["ignore", "inherit", "pipe"] },
);
let announced = false;
odoo.stderr.on("data", (chunk) => {
  process.stderr.write(chunk);
  if (!announced && /Registry loaded in/.test(chunk.toString())) {
    announced = true;
    const shownHost = HTTP_HOST === "0.0.0.0" ? "localhost" : HTTP_HOST;
    console.log(
      `\nisp_core is running: http://${shownHost}:${HTTP_PORT}/odoo/action-isp_core.isp_mac_profile_action_dashboard\n` +
        `Database ${DATABASE}; log in as admin / admin${firstRun ? "" : " (unless you changed it)"}. Ctrl+C stops Odoo.\n` +
        "The first page load builds the web assets, which takes about a minute; later loads are quick.\n",
    );
  }
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => odoo.kill(signal));
odoo.on("close", (code) => process.exit(code ?? 0));
