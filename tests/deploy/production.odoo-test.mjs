/**
 * isp_core as deploy/ installs it (issue 22): two Odoo servers of 2 workers each, configured by
 * deploy/render.py, sharing one database and data folder, behind nginx with the site render.py
 * writes, TLS with a certificate from a CA made here, all on loopback ports. One stack serves
 * every check, in order; the last stops Odoo, drops the database and restores it from a backup.
 * `npm test` runs it in the "deploy" suite, where Odoo, nginx and Chromium are present.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { openBrowser } from "../../scripts/browser/chromium.mjs";
import { runLoad } from "../../scripts/bench/load.mjs";
import { sql } from "../../scripts/bench/odoo-server.mjs";
import { httpsRequest, startProductionStack, TEST_DOMAIN } from "../../scripts/deploy/stack.mjs";
import { databaseExists, findOdooHome, REPO_ROOT } from "../../scripts/odoo/environment.mjs";
import { callKw, jsonRpc, login } from "../../scripts/odoo/rpc.mjs";
import { DASHBOARD_PATH } from "../../scripts/odoo/serve.mjs";

const DATABASE = `isp_production_test_${process.pid}`;
const TOKEN = "production-test-token-0123456789";
// A router's /tool fetch gives up after 10 s (the agent's timeout): "well within" is half of it.
const CHECKIN_ANSWER_LIMIT_MS = 5_000;

let stack;
let browser;
let admin;
let routerKey;
const feedMacs = [];

/** Polls `check` until it gives a value. */
async function until(what, check, timeoutMs = 30_000) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const proxied = (request) => httpsRequest({ port: stack.https.port, caPem: stack.https.caPem, ...request });

const leaseBody = (mac, ip) => JSON.stringify({ mac, ip, bound: 1, server: "dhcp-onu", hostname: `onu-${mac.slice(-2)}` });
const leaseHeaders = { "Content-Type": "application/json", "X-ISP-Token": TOKEN, "X-Odoo-Database": DATABASE };
const checkinBody = JSON.stringify({ agent: "isp_core-agent 1", identity: "MK-PRODUCTION", version: "7.19.6", uptime: "1d", results: [] });
const checkin = (key = routerKey) =>
  proxied({ method: "POST", path: "/isp/router/checkin", headers: { "X-ISP-Router-Key": key, "X-Odoo-Database": DATABASE }, body: checkinBody });

/** The MACs the open dashboard's live feed shows. */
async function shownMacs() {
  const { result } = await browser.send("Runtime.evaluate", {
    expression: "[...document.querySelectorAll('.o_isp_core_feed_mac')].map((element) => element.textContent.trim())",
    returnByValue: true,
  });
  return result.value ?? [];
}

async function openDashboard() {
  const session = await login(stack.odoo[0].url, DATABASE);
  await browser.send("Network.setCookie", { name: "session_id", value: session, url: stack.https.url, secure: true });
  const feedShown = async () => {
    const { result } = await browser.send("Runtime.evaluate", {
      expression: "Boolean(document.querySelector('.o_isp_core_feed_list, .o_isp_core_feed_empty'))",
      returnByValue: true,
    });
    return result.value;
  };
  // A page loaded while freshly started workers still build their registry may stall: staff reload it once.
  for (let attempt = 1; ; attempt++) {
    await browser.send("Page.navigate", { url: `${stack.https.url}${DASHBOARD_PATH}` });
    try {
      await until("the dashboard's live feed", feedShown, 60_000);
      return;
    } catch (error) {
      if (attempt < 2) continue;
      // What the page shows and what Odoo said, so that a failure names its cause.
      const { result } = await browser.send("Runtime.evaluate", {
        expression: "`${location.href}\\n${document.body ? document.body.innerText.slice(0, 600) : '(no body)'}`",
        returnByValue: true,
      });
      const warnings = stack.odoo.map((server) =>
        server
          .log()
          .split("\n")
          .filter((line) => / (WARNING|ERROR|CRITICAL) /.test(line))
          .slice(-15)
          .join("\n"),
      );
      throw new Error(`${error.message}\npage: ${result.value}\nOdoo's warnings:\n${warnings.join("\n")}`);
    }
  }
}

const odooHome = findOdooHome();

before(async () => {
  assert.ok(odooHome, "an Odoo 19 tree");
  const directory = mkdtempSync(path.join(os.tmpdir(), "isp-production-"));
  stack = await startProductionStack({ odooHome, database: DATABASE, directory, servers: 2, workers: 2 });
  sql(
    DATABASE,
    `INSERT INTO ir_config_parameter (key, value, create_date, write_date) VALUES ('isp_core.mac_onboarding_token', '${TOKEN}', now(), now())`,
  );
  admin = jsonRpc(stack.odoo[0].url, await login(stack.odoo[0].url, DATABASE));
  const sectorId = await admin(...callKw("isp.sector", "create", [{ code: "SEC-PROD", name: "Production" }]));
  const routerId = await admin(...callKw("isp.router", "create", [{ name: "MK-PRODUCTION", sector_id: sectorId, connection_mode: "agent" }]));
  routerKey = await admin(...callKw("isp.router", "rotate_key", [[routerId]]));

  // Chromium knows isp.test as 127.0.0.1 and trusts the site's key alone, as a staff browser
  // trusts a Let's Encrypt certificate.
  browser = await openBrowser({
    // No back-forward cache: a page left for about:blank must go, and its bus websocket with it.
    args: [
      `--host-resolver-rules=MAP ${TEST_DOMAIN} 127.0.0.1`,
      `--ignore-certificate-errors-spki-list=${stack.https.spkiSha256}`,
      "--disable-features=BackForwardCache",
    ],
  });
  await openDashboard();
});

after(async () => {
  await browser?.close();
  if (stack) {
    await stack.stop();
    rmSync(stack.directory, { recursive: true, force: true });
  }
});

it("shows a lease reported to the HTTPS URL live on the open dashboard, through the proxied websocket", async () => {
  const mac = "02:AA:00:00:00:01";
  const answer = await proxied({ method: "POST", path: "/isp/mac_onboarding", headers: leaseHeaders, body: leaseBody(mac, "10.30.0.1") });
  assert.equal(answer.status, 200, answer.body);
  await until(`${mac} in the live feed`, async () => (await shownMacs()).includes(mac));
  feedMacs.push(mac);
  // The feed has no other way in than the bus: Odoo's bus runs its websocket in a shared
  // worker, which nginx logs once it closes, when the page goes.
  await browser.send("Page.navigate", { url: "about:blank" });
  await until("nginx's log of the page's websocket", () => / "GET \/websocket\S* HTTP\/1\.1" 101 /.test(stack.nginx.accessLog()));
  await openDashboard();
});

it("answers the webhook and the agent's check-in over HTTPS, a check-in well within 10 s under the onboarding bench's load", async () => {
  const first = await checkin();
  assert.equal(first.status, 200, first.body);
  assert.match(first.headers["content-type"], /^text\/plain/);
  assert.equal((await checkin("not-the-key-of-any-router-0000")).status, 403);

  // The bench's load: 8 keep-alive clients reporting new devices, through the proxy.
  let next = 0;
  const load = runLoad({
    port: stack.https.port,
    concurrency: 8,
    requests: 400,
    tls: { caPem: stack.https.caPem, servername: TEST_DOMAIN },
    request: () => {
      next += 1;
      const hex = next.toString(16).padStart(4, "0");
      return {
        method: "POST",
        path: "/isp/mac_onboarding",
        headers: leaseHeaders,
        body: leaseBody(`02:BB:00:00:${hex.slice(0, 2)}:${hex.slice(2)}`, `10.31.${next >> 8}.${next & 255}`),
      };
    },
  });
  let loading = true;
  void load.finally(() => (loading = false));
  const durations = [];
  while (loading) {
    const started = performance.now();
    const answer = await checkin();
    durations.push(performance.now() - started);
    assert.equal(answer.status, 200, answer.body);
  }
  const result = await load;
  assert.equal(result.errorCount, 0, JSON.stringify(result.errors));
  assert.ok(durations.length >= 3, `${durations.length} check-ins during the load`);
  const slowest = Math.max(...durations);
  console.log(
    `  ${durations.length} check-ins during ${result.requests} leases at ${result.perSecond.toFixed(0)}/s: slowest ${slowest.toFixed(0)} ms`,
  );
  assert.ok(slowest < CHECKIN_ANSWER_LIMIT_MS, `the slowest check-in took ${slowest.toFixed(0)} ms`);
  assert.equal(Number(sql(DATABASE, "SELECT count(*) FROM isp_mac_profile WHERE mac LIKE '02:BB:%'")), 400, "every lease is recorded");
});

/** Streams a chunked body of up to `megabytes` MB; resolves with the answer and what was sent. */
function streamChunked(requestPath, megabytes, contentType) {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(1024 * 1024, "a");
    let sent = 0;
    let answered = null;
    const request = https.request(
      {
        host: "127.0.0.1",
        port: stack.https.port,
        servername: TEST_DOMAIN,
        ca: stack.https.caPem,
        method: "POST",
        path: requestPath,
        headers: { Host: TEST_DOMAIN, "Content-Type": contentType, "Transfer-Encoding": "chunked", "X-Odoo-Database": DATABASE },
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8").on("data", (text) => (body += text));
        response.on("end", () => {
          answered = { status: response.statusCode, body, sentMegabytes: sent };
          resolve(answered);
        });
      },
    );
    // nginx closes the connection after its answer: a write that fails then is expected.
    request.on("error", (error) => (answered ? undefined : reject(error)));
    const pump = () => {
      while (!answered && sent < megabytes) {
        sent += 1;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!answered) request.end();
    };
    pump();
  });
}

it("refuses a 300 MB chunked body at the proxy, and bodies past the routers' endpoints' caps", async () => {
  const form = await streamChunked("/web/login", 300, "application/x-www-form-urlencoded");
  assert.equal(form.status, 413);
  assert.match(form.body, /413 Request Entity Too Large[\s\S]*nginx/, "nginx answered, not Odoo");
  assert.ok(form.sentMegabytes < 100, `the proxy stopped the upload after ${form.sentMegabytes} MB`);

  const webhook = await streamChunked("/isp/mac_onboarding", 1, "application/json");
  assert.equal(webhook.status, 413, "a lease report is 16 KB at most, chunked or not");
  assert.match(webhook.body, /nginx/);
  const big = await proxied({ method: "POST", path: "/isp/router/checkin", headers: { "X-ISP-Router-Key": routerKey }, body: "x".repeat(65 * 1024) });
  assert.equal(big.status, 413, "a check-in is 64 KB at most");
  assert.equal((await checkin()).status, 200, "the router's next check-in is answered");
});

it("keeps the database manager out of reach", async () => {
  for (const route of ["/web/database/manager", "/web/database/selector", "/web/database/backup", "/web/database"]) {
    assert.equal((await proxied({ path: route })).status, 404, route);
  }
  const listing = await proxied({ method: "POST", path: "/web/database/list", headers: { "Content-Type": "application/json" }, body: "{}" });
  assert.equal(listing.status, 404);
  // Behind the proxy too, Odoo itself lists no database (list_db = False).
  const direct = await fetch(`${stack.odoo[0].url}/web/database/list`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", params: {} }),
  });
  assert.match(JSON.stringify(await direct.json()), /AccessDenied|Access Denied/);
});

it("throttles refused calls by the client's real address; an X-Forwarded-For sent by the client changes nothing", async () => {
  const refused = (localAddress, forwardedFor) =>
    proxied({
      method: "POST",
      path: "/isp/mac_onboarding",
      localAddress,
      headers: { ...leaseHeaders, "X-ISP-Token": "a-wrong-token-0123456789", "X-Forwarded-For": forwardedFor },
      body: leaseBody("02:CC:00:00:00:01", "10.32.0.1"),
    });
  // Each call claims another source; the throttle must still see one client and stop it.
  let statuses = [];
  for (let call = 0; call < 150 && !statuses.includes(429); call++) statuses.push((await refused("127.1.0.2", `198.51.100.${call % 250}`)).status);
  assert.ok(statuses.includes(429), `never throttled: ${statuses.join(",")}`);
  assert.equal(statuses[0], 403);

  // Another client is not throttled, even when it claims to be the throttled one.
  statuses = [await refused("127.2.0.3", "127.1.0.2"), await refused("127.2.0.3", "127.1.0.2, 127.1.0.2")].map((answer) => answer.status);
  assert.deepEqual(statuses, [403, 403]);
  const claimed = Number(sql(DATABASE, "SELECT count(*) FROM isp_onboarding_event WHERE source_ip LIKE '198.51.100.%'"));
  assert.equal(claimed, 0, "no refused call is counted under the address its client claimed");
  assert.ok(Number(sql(DATABASE, "SELECT count(*) FROM isp_onboarding_event WHERE source_ip LIKE '127.1.0.%'")) > 0, "the real source is counted");
});

it("two Odoo servers behind one proxy: a lease taken by either shows live on the dashboard served through the proxy", async () => {
  assert.equal(stack.odoo.length, 2);
  const macs = ["02:DD:00:00:00:01", "02:DD:00:00:00:02"];
  for (const [index, server] of stack.odoo.entries()) {
    // Straight to one server, as a router that reaches only that one would.
    const answer = await fetch(`${server.url}/isp/mac_onboarding`, {
      method: "POST",
      headers: leaseHeaders,
      body: leaseBody(macs[index], `10.33.0.${index + 1}`),
    });
    assert.equal(answer.status, 200, await answer.text());
  }
  // The page's websocket is held by one of the two servers, so one of these leases was taken by the other.
  await until("both leases in the live feed", async () => {
    const shown = await shownMacs();
    return macs.every((mac) => shown.includes(mac));
  });
  feedMacs.push(...macs);
});

it("backs up, and restores after the database is dropped: profiles, subscriptions, router keys and attachments are back and Odoo serves the dashboard", async () => {
  const planId = await admin(...callKw("isp.service.plan", "create", [{ name: "Backup 20/5", download_mbps: 20, upload_mbps: 5, price: 1200 }]));
  const partnerId = await admin(...callKw("res.partner", "create", [{ name: "Backup customer" }]));
  const [profileId] = await admin(...callKw("isp.mac.profile", "search", [[["mac", "=", feedMacs[0]]]]));
  await admin(...callKw("isp.subscription", "create", [{ partner_id: partnerId, plan_id: planId, mac_profile_id: profileId }]));
  const scanned = Buffer.from("a signed contract, scanned").toString("base64");
  const attachmentId = await admin(
    ...callKw("ir.attachment", "create", [{ name: "contract.txt", datas: scanned, res_model: "isp.mac.profile", res_id: profileId }]),
  );

  const snapshot = () => ({
    profiles: sql(DATABASE, "SELECT string_agg(mac || ' ' || state || ' ' || coalesce(last_ip, ''), ',' ORDER BY mac) FROM isp_mac_profile"),
    subscriptions: sql(
      DATABASE,
      "SELECT string_agg(id || ' ' || state || ' ' || mac_profile_id || ' ' || plan_id, ',' ORDER BY id) FROM isp_subscription",
    ),
    keys: sql(DATABASE, "SELECT string_agg(name || ' ' || key_digest, ',' ORDER BY id) FROM isp_router WHERE key_digest IS NOT NULL"),
    attachments: sql(DATABASE, "SELECT count(*) FROM ir_attachment"),
  });
  const before = snapshot();
  assert.match(before.subscriptions, /\d/);
  assert.match(before.keys, /MK-PRODUCTION/);

  const backupRoot = path.join(stack.directory, "backups");
  const backup = (...args) =>
    execFileSync(
      "bash",
      [path.join(REPO_ROOT, "deploy", "backup.sh"), "--database", DATABASE, "--data-dir", stack.dataDir, "--to", backupRoot, ...args],
      { encoding: "utf8" },
    ).trim();
  // Retention: a run older than --keep-days goes, the one just made stays.
  const stale = path.join(backupRoot, `${DATABASE}-20260101T000000Z`);
  mkdirSync(stale, { recursive: true });
  const twentyDaysAgo = new Date(Date.now() - 20 * 86_400_000);
  utimesSync(stale, twentyDaysAgo, twentyDaysAgo);
  const made = backup("--keep-days", "14");
  assert.equal(path.dirname(made), backupRoot);
  assert.deepEqual(execFileSync("ls", [backupRoot], { encoding: "utf8" }).trim().split("\n"), [path.basename(made)]);

  const restore = (...args) =>
    execFileSync(
      "bash",
      [path.join(REPO_ROOT, "deploy", "restore.sh"), "--from", made, "--database", DATABASE, "--data-dir", stack.dataDir, ...args],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
  assert.throws(() => restore(), /--database: .* exists; add --replace/, "an existing database is never overwritten unasked");

  // What an operator does: stop Odoo, lose everything, restore, start Odoo.
  await stack.stopOdoo();
  execFileSync("dropdb", ["--force", DATABASE]);
  rmSync(path.join(stack.dataDir, "filestore", DATABASE), { recursive: true, force: true });
  assert.equal(databaseExists(DATABASE), false);
  restore();
  await stack.startOdoo();

  assert.deepEqual(snapshot(), before);
  admin = jsonRpc(stack.odoo[0].url, await login(stack.odoo[0].url, DATABASE));
  const [attachment] = await admin(...callKw("ir.attachment", "read", [[attachmentId], ["datas"]]));
  assert.equal(attachment.datas, scanned, "the attachment's file is back in the filestore");
  assert.equal((await checkin()).status, 200, "the router's key still opens its check-in");
  await openDashboard();
  const queued = await until("the restored pending devices in the dashboard's queue", async () => {
    const { result } = await browser.send("Runtime.evaluate", {
      expression: "[...document.querySelectorAll('.o_isp_core_queue_row')].map((row) => row.innerText).join(' ')",
      returnByValue: true,
    });
    return result.value || undefined;
  });
  assert.match(queued, /02:BB:00:00/);
});
