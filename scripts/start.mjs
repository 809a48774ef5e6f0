// `npm start`: Odoo with isp_core and its demo data; see scripts/odoo/serve.mjs for the settings
// (ODOO_HTTP_PORT, ODOO_HTTP_HOST, ODOO_DATABASE).
import { DASHBOARD_PATH, serveIspCore, serveSettings } from "./odoo/serve.mjs";

const settings = serveSettings();
const odoo = await serveIspCore({ ...settings, log: "inherit" });
console.log(
  `\nisp_core is running: ${odoo.shownUrl}${DASHBOARD_PATH}\n` +
    `Database ${settings.database}; log in as admin / admin${odoo.firstRun ? "" : " (unless you changed it)"}. Ctrl+C stops Odoo.\n` +
    "The first page load builds the web assets, which takes about a minute; later loads are quick.\n",
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void odoo.stop());
process.exit(await odoo.exited);
