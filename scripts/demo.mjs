// `npm run demo`: the whole chain on this machine, to watch it work.
//   - Odoo with isp_core and its demo data, as `npm start` serves it (same settings:
//     ODOO_HTTP_PORT, ODOO_HTTP_HOST, ODOO_DATABASE); its own log goes to .tmp/demo-odoo.log;
//   - an emulated router on a loopback port, set up by the real preloader as the demo's router
//     MK-LOS-CACAOS, in agent mode: it checks in every 5 s, as a router behind Starlink would;
//   - Settings as a careful ISP keeps them: new devices wait for staff, and a conversion gives the
//     device a subscription on the demo plan and a captive user, provisioned on the router;
//   - simulated ONUs arriving on the router, ISP_DEMO_ONUS of them (default 5), one every
//     ISP_DEMO_ONU_INTERVAL_S seconds (default 12): each lease runs the real lease-script, which
//     calls the real webhook. Staff convert one on the dashboard, suspend it, and the router
//     follows at the agent's next check-in;
//   - billing (isp_billing): the demo customer María Rodríguez, whose service started a month
//     ago, is invoiced and has not paid; the collections run suspends her for non-payment, and
//     once the agent has checked in, the router redirects her phone's plain-HTTP requests to her
//     notice page, whose address the demo prints (the amount due, her invoice, how to pay).
// Ctrl+C stops everything.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { RouterOsClient } from "../tools/routeros/index.ts";
import { startEmulator } from "../tools/routeros-emulator/index.ts";
import { REPO_ROOT } from "./odoo/environment.mjs";
import { callKw, jsonRpc, login } from "./odoo/rpc.mjs";
import { DASHBOARD_PATH, serveIspCore, serveSettings } from "./odoo/serve.mjs";

const ROUTER = "MK-LOS-CACAOS";
const SECTOR = { code: "SEC-001-los_cacaos", name: "Los Cacaos" };
const MGMT_USER = "isp-core";
const ONUS = Number(process.env.ISP_DEMO_ONUS || 5);
const ONU_INTERVAL_MS = Number(process.env.ISP_DEMO_ONU_INTERVAL_S || 12) * 1000;
const HOST_NAMES = ["ONU-Familia-Perez", "ONU-Colmado-Rosa", "ONU-Escuela-Basica", "ONU-Taller-Jose", "ONU-Casa-Marte"];
// The demo data's customer who has not paid, and the address her device holds (isp_core/demo).
const UNPAID = { xmlid: "demo_subscription_maria", name: "María Rodríguez", address: "10.10.0.14" };
// What a phone fetches over plain HTTP to find a captive portal.
const CAPTIVE_CHECK_URL = "http://connectivitycheck.gstatic.com/generate_204";
const REDIRECT_TIMEOUT_MS = 60_000;

const settings = serveSettings();
mkdirSync(path.join(REPO_ROOT, ".tmp"), { recursive: true });
const odooLog = path.join(REPO_ROOT, ".tmp", "demo-odoo.log");
const odoo = await serveIspCore({ ...settings, addons: ["isp_billing"], log: createWriteStream(odooLog) });
const emulator = await startEmulator({ port: 0 });
const scratch = mkdtempSync(path.join(tmpdir(), "isp-demo-"));
const timers = [];
let router;
let stopping = false;

async function stop(code) {
  stopping = true;
  timers.forEach(clearTimeout);
  await router?.close().catch(() => undefined);
  await emulator.close();
  rmSync(scratch, { recursive: true, force: true });
  await odoo.stop();
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => void stop(0));
void odoo.exited.then((code) => {
  if (stopping) return;
  console.error(`Odoo stopped (exit ${code}); see ${path.relative(REPO_ROOT, odooLog)}`);
  void stop(code || 1);
});

/**
 * The demo company bills its subscriptions: the unpaid customer's month is invoiced, due at once,
 * and the collections run, past the grace days, suspends her for non-payment. The wire transfer
 * is offered on her invoice and her notice page. Done once per database.
 */
async function billUnpaidCustomer(rpc) {
  const recordId = async (module, name) =>
    (
      await rpc(
        "ir.model.data",
        "search_read",
        [
          [
            ["module", "=", module],
            ["name", "=", name],
          ],
        ],
        { fields: ["res_id"] },
      )
    )[0].res_id;
  const subscriptionId = await recordId("isp_core", UNPAID.xmlid);
  const [subscription] = await rpc("isp.subscription", "read", [[subscriptionId], ["invoice_count", "start_date"]]);
  if (subscription.invoice_count) return;
  const transfer = await recordId("payment", "payment_provider_transfer");
  await rpc("payment.provider", "write", [[transfer], { state: "enabled", pending_msg: "<p>Banco Demo, cuenta corriente 000-000000-0</p>" }]);
  const immediate = await recordId("account", "account_payment_term_immediate");
  // Installed after the demo data, billing starts on its install day: hers goes back to her start.
  await rpc("isp.subscription", "write", [
    [subscriptionId],
    { payment_term_id: immediate, billing_day: Number(subscription.start_date.slice(8, 10)), next_period_start: subscription.start_date },
  ]);
  await rpc("isp.subscription", "action_bill_now", [[subscriptionId]]);
  const [collections] = await rpc("ir.cron", "search", [[["code", "=", "model._cron_run_collections()"]]]);
  await rpc("ir.cron", "method_direct_trigger", [[collections]]);
}

/** Where the router redirects the unpaid customer's phone, once the agent has checked in; null if it does not in time. */
async function noticeRedirect(router) {
  const started = Date.now();
  while (Date.now() - started < REDIRECT_TIMEOUT_MS) {
    const {
      items: [answer],
    } = await router.command("/simulator/http/get", { "src-address": UNPAID.address, url: CAPTIVE_CHECK_URL });
    if (answer?.verdict === "redirect") return answer.location;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return null;
}

try {
  // New devices wait for staff; a conversion provisions a captive user. No shared token: the
  // preloader gives the router its own key.
  const call = jsonRpc(odoo.url, await login(odoo.url, settings.database));
  const rpc = (model, method, args, kwargs) => call(...callKw(model, method, args, kwargs));
  const [plan] = await rpc("isp.service.plan", "search_read", [[["hotspot_profile", "!=", false]]], { fields: ["id"], limit: 1 });
  const parameters = {
    "isp_core.mac_default_plan_id": String(plan.id),
    "isp_core.mac_auto_create": "0",
    "isp_core.mac_auto_create_captive_user": "1",
    "isp_core.mac_auto_provision_captive": "1",
  };
  for (const [key, value] of Object.entries(parameters)) await rpc("ir.config_parameter", "set_param", [key, value]);

  // The preloader sets the emulated router up, and Odoo's record of it, as for a real one.
  const config = {
    wan_interface: "ether1",
    lan_ports: ["ether2"],
    hotspot_dns_name: "portal.isp-demo.example",
    mgmt_subnet: `${emulator.host}/32`,
    routeros: {
      api_port: emulator.port,
      allowed_mgmt_ips: ["127.0.0.1/32"],
      identity: ROUTER,
      connection_mode: "agent",
      agent_interval: "5s",
      agent_sync_interval: "1m",
    },
    sector: SECTOR,
    // The demo data's devices hold 10.10.0.11-.15 (isp_core/demo): the pool starts above them,
    // so no ONU arriving on the router is leased an address a demo customer already has.
    lan: { address: "10.10.0.1/24", pool_range: "10.10.0.100-10.10.0.250", dns_servers: ["1.1.1.1"] },
    odoo: { url: odoo.url, database: settings.database, login: "admin", check_certificate: false },
  };
  const configFile = path.join(scratch, "config.yaml");
  writeFileSync(configFile, stringify(config));
  const mgmtPassword = randomBytes(18).toString("base64url");
  const env = { ...process.env, MIKROTIK_MGMT_PASS: mgmtPassword, ODOO_ADMIN_PASS: "admin" };
  delete env.ODOO_API_KEY;
  try {
    await promisify(execFile)(process.execPath, ["--import", "tsx", "tools/mikrotik_preloader/cli.ts", "--config", configFile], {
      cwd: REPO_ROOT,
      env,
    });
  } catch (error) {
    throw new Error(`the preloader failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  }
  router = await RouterOsClient.connect({ host: emulator.host, port: emulator.port, user: MGMT_USER, password: mgmtPassword });
  await billUnpaidCustomer(rpc);
  const notice = await noticeRedirect(router);

  console.log(
    [
      "",
      `isp_core demo is running: ${odoo.shownUrl}${DASHBOARD_PATH}`,
      `  Log in as admin / admin (database ${settings.database}). The first page load builds the web assets, which takes about a minute.`,
      `  Router ${ROUTER} is emulated on ${emulator.host}:${emulator.port}, in agent mode: it checks in with Odoo every 5 s.`,
      `  ${ONUS} ONUs arrive on it, one every ${ONU_INTERVAL_MS / 1000} s, and wait on the dashboard: convert one in one click, suspend it, and the router follows at its next check-in.`,
      `  Another device: npm run routeros-emulator -- bind --port ${emulator.port} --mac 02:D0:00:00:00:99 --host-name ONU-Mine`,
      notice
        ? `  ${UNPAID.name} (${UNPAID.address}) is suspended for non-payment; the router redirects her phone to her notice page: ${notice}`
        : `  ${UNPAID.name} is suspended for non-payment; the router did not redirect her within ${REDIRECT_TIMEOUT_MS / 1000} s (see ${path.relative(REPO_ROOT, odooLog)}).`,
      "  Ctrl+C stops everything.",
      "",
    ].join("\n"),
  );
  for (let index = 0; index < ONUS; index++) {
    timers.push(
      setTimeout(
        async () => {
          const mac = `02:D0:00:00:00:${(index + 1).toString(16).padStart(2, "0").toUpperCase()}`;
          const hostName = HOST_NAMES[index % HOST_NAMES.length];
          try {
            await router.command("/simulator/dhcp/bind", { server: "isp-lan-dhcp", "mac-address": mac, "host-name": hostName });
            console.log(`ONU ${mac} (${hostName}) took a lease and waits on the dashboard`);
          } catch (error) {
            console.log(`ONU ${mac} could not take a lease: ${error.message}`);
          }
        },
        ONU_INTERVAL_MS * (index + 1),
      ),
    );
  }
} catch (error) {
  console.error(`demo: ${error.message}`);
  await stop(1);
}
