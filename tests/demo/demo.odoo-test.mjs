/**
 * `npm run demo`, headless, as a new user runs it: Odoo, the emulated router set up by the real
 * preloader, and simulated ONUs. A device must reach the dashboard (the feed it reads); converted
 * as staff convert it, its hotspot user must reach the router, and suspended, the router must
 * disable it; Ctrl+C must stop everything. It needs
 * Odoo, so `npm test` runs it in its own suite ("demo"), not with the other node tests.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { it } from "node:test";
import { dropDatabase, freePort, REPO_ROOT } from "../../scripts/odoo/environment.mjs";
import { callKw, jsonRpc, login } from "../../scripts/odoo/rpc.mjs";
import { RouterOsClient } from "../../tools/routeros/index.ts";

const FIRST_ONU = "02:D0:00:00:00:01";
const READY_MS = 10 * 60_000;

/** Polls `check` until it gives a value. */
async function until(what, check, timeoutMs) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

it(
  "shows a simulated ONU on the dashboard; converted, then suspended, the router follows; the unpaid customer's phone opens her notice page; Ctrl+C stops everything",
  { timeout: READY_MS + 120_000 },
  async () => {
    const port = await freePort();
    const database = `isp_demo_test_${process.pid}`;
    dropDatabase(database);
    const demo = spawn(process.execPath, ["--import", "tsx", "scripts/demo.mjs"], {
      cwd: REPO_ROOT,
      env: { ...process.env, ODOO_HTTP_PORT: String(port), ODOO_DATABASE: database, ISP_DEMO_ONUS: "2", ISP_DEMO_ONU_INTERVAL_S: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    demo.stdout.on("data", (chunk) => (output += chunk.toString()));
    demo.stderr.on("data", (chunk) => (output += chunk.toString()));
    const exited = new Promise((resolve) => demo.on("close", resolve));
    try {
      const banner = await until("the demo's banner", async () => /isp_core demo is running: (\S+)/.exec(output)?.[1], READY_MS);
      assert.match(banner, new RegExp(`^http://127\\.0\\.0\\.1:${port}/odoo/`), output);
      const routerPort = Number(/emulated on 127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
      // Billing: the unpaid demo customer's phone is redirected by the router to her notice page,
      // which shows what she owes and her invoice's own page.
      const notice = /redirects her phone to her notice page: (\S+)/.exec(output)?.[1];
      assert.ok(notice, output);
      const noticePage = await (await fetch(notice)).text();
      assert.match(noticePage, /Amount due:|Monto adeudado:/);
      assert.match(noticePage, /href="[^"]*\/my\/invoices\/\d+\?access_token=[^"]+"/);

      const url = `http://127.0.0.1:${port}`;
      const rpc = jsonRpc(url, await login(url, database));
      const feed = async () => (await rpc(...callKw("isp.mac.profile", "get_changes_since", [], {}))).changes;
      const onu = await until("the first ONU on the dashboard", async () => (await feed()).find((change) => change.mac === FIRST_ONU), 60_000);
      assert.deepEqual([onu.state, onu.online], ["pending", true], "it waits for staff");
      const addresses = (await rpc(...callKw("isp.mac.profile", "search_read", [[["last_ip", "!=", false]]], { fields: ["last_ip"] }))).map(
        (profile) => profile.last_ip,
      );
      assert.equal(new Set(addresses).size, addresses.length, `the router leased a demo device's address: ${addresses.join(", ")}`);

      // Converted in one click, as on the dashboard; then suspended.
      const { subscription_id: subscriptionId } = await rpc(...callKw("isp.mac.profile", "convert_to_subscription", [[onu.id]], {}));
      const router = await RouterOsClient.connect({ host: "127.0.0.1", port: routerPort, user: "admin", password: "" });
      const hotspotUser = async (disabled) => {
        const [user] = await router.print("/ip/hotspot/user", { query: [`?name=${FIRST_ONU}`] });
        return user?.disabled === disabled ? user : undefined;
      };
      try {
        const user = await until("the ONU's hotspot user on the router", () => hotspotUser("false"), 30_000);
        assert.equal(user["mac-address"], FIRST_ONU);
        await rpc(...callKw("isp.subscription", "action_suspend", [[subscriptionId]], {}));
        await until("the router to disable the suspended customer's user", () => hotspotUser("true"), 30_000);
      } finally {
        await router.close();
      }

      demo.kill("SIGINT");
      assert.equal(await until("the demo to stop", async () => (demo.exitCode === null ? undefined : demo.exitCode), 60_000), 0, output);
      await assert.rejects(fetch(`${url}/web/health`), "Odoo stopped too");
    } finally {
      if (demo.exitCode === null) demo.kill("SIGKILL");
      await exited;
      dropDatabase(database);
    }
  },
);
