// `npm start`: Odoo on http://localhost:8069 with isp_core and its demo data in the database isp_demo.
import { databaseExists, ensurePostgres, requireOdooHome, spawnOdoo } from "./odoo/environment.mjs";

const DATABASE = "isp_demo";
const HTTP_PORT = Number(process.env.ODOO_HTTP_PORT || 8069);

const odooHome = requireOdooHome();
ensurePostgres();
const firstRun = !databaseExists(DATABASE);
const installArgs = firstRun ? ["-i", "isp_core", "--with-demo"] : ["-u", "isp_core"];
console.error(firstRun ? `Creating ${DATABASE} with isp_core and demo data...` : `Updating isp_core in ${DATABASE}...`);

const odoo = spawnOdoo(odooHome, ["-d", DATABASE, `--db-filter=^${DATABASE}$`, `--http-port=${HTTP_PORT}`, ...installArgs], {
  stdio: ["ignore", "inherit", "pipe"],
});
let announced = false;
odoo.stderr.on("data", (chunk) => {
  process.stderr.write(chunk);
  if (!announced && /Registry loaded in/.test(chunk.toString())) {
    announced = true;
    console.log(
      `\nisp_core is running: http://localhost:${HTTP_PORT}/odoo/action-isp_core.isp_mac_profile_action_dashboard\n` +
        `Database ${DATABASE}; log in as admin / admin${firstRun ? "" : " (unless you changed it)"}. Ctrl+C stops Odoo.\n`,
    );
  }
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => odoo.kill(signal));
odoo.on("close", (code) => process.exit(code ?? 0));
