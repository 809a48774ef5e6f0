// `npm run bench:agent`: routers in agent mode (behind CGNAT), which call Odoo instead of being
// called. Odoo serves isp_core with 2 workers. In one run:
//   check-ins: 500 routers check in with nothing to do, against the bare /web/health route (both
//     with X-Odoo-Database); target >= 50 %. Also the share of the workers' time that 500 routers
//     at the default 30 s interval cost (about 17 check-ins/s).
//   lease to hotspot user: an emulated router runs the real lease-script and agent; from a lease
//     bind to the device's hotspot user on the router, over 100 new devices; target p95 < 5 s.
//   catch-up: 1,000 operations queued for that router, applied by its scheduler at the default
//     interval; how many check-ins and seconds they take; target < 60 s.
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import { buildAgentScript } from "../../tools/mikrotik_preloader/agent-script.ts";
import { buildLeaseScript } from "../../tools/mikrotik_preloader/lease-script.ts";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { startEmulator } from "../../tools/routeros-emulator/index.ts";
import { runLoad } from "./load.mjs";
import { callKw, jsonRpc, login } from "../odoo/rpc.mjs";
import { sql, startOdooForBench } from "./odoo-server.mjs";
import { percentile } from "./stats.ts";

const DATABASE = "isp_bench_agent";
const ROUTERS = 500;
const CONCURRENCY = 8;
const CHECKINS = 1500;
const INTERVAL_SECONDS = 30;
const LEASES = 100;
const CATCH_UP_OPERATIONS = 1000;
const TARGETS = { checkins: 0.5, leaseP95Ms: 5000, catchUpSeconds: 60 };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const digest = (key) => createHash("sha256").update(key).digest("hex");
const macOf = (prefix, index) =>
  `${prefix}:${((index >> 8) & 255).toString(16).padStart(2, "0")}:${(index & 255).toString(16).padStart(2, "0")}`.toUpperCase();

/** Forwards the agent's calls to Odoo, counting the check-ins. */
async function countingProxy(odooPort) {
  const counts = { checkins: 0 };
  const server = http.createServer((request, response) => {
    if (request.url?.startsWith("/isp/router/checkin")) counts.checkins++;
    const upstream = http.request(
      { host: "127.0.0.1", port: odooPort, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => response.writeHead(502).end());
    request.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: server.address().port, counts, close: () => new Promise((resolve) => server.close(resolve)) };
}

const odoo = await startOdooForBench({ database: DATABASE, workers: 2 });
const proxy = await countingProxy(odoo.port);
const emulator = await startEmulator();
const router = await RouterOsClient.connect({ host: emulator.host, port: emulator.port, user: "admin", password: "" });
const checks = [];
try {
  const base = `http://127.0.0.1:${odoo.port}`;
  const rpc = jsonRpc(base, await login(base, DATABASE));
  const call = (model, method, args, kwargs) => rpc(...callKw(model, method, args, kwargs));
  await call("isp.router", "write", [await call("isp.router", "search", [[]]), { active: false }]);

  // Check-ins: 500 routers, each with its key, synced a moment ago, with nothing queued.
  const keys = Array.from({ length: ROUTERS }, () => randomBytes(32).toString("base64url"));
  const routerIds = await call("isp.router", "create", [
    keys.map((_key, index) => ({ name: `MK-AGENT-${index}`, connection_mode: "agent", checkin_interval: INTERVAL_SECONDS })),
  ]);
  sql(
    DATABASE,
    `UPDATE isp_router AS r SET key_digest = k.digest, last_sync_at = now() + interval '1 day'
       FROM (VALUES ${routerIds.map((id, index) => `(${id}, '${digest(keys[index])}')`).join(",")}) AS k(id, digest)
      WHERE r.id = k.id`,
  );
  const body = JSON.stringify({ agent: "isp_core-agent 1", identity: "MK", version: "7.19.6 (stable)", uptime: "1d00:00:00", results: [] });
  const health = () => ({ method: "GET", path: "/web/health", headers: { "X-Odoo-Database": DATABASE } });
  const checkin = (index) => ({
    method: "POST",
    path: "/isp/router/checkin",
    headers: { "Content-Type": "application/json", "X-Odoo-Database": DATABASE, "X-ISP-Router-Key": keys[index % ROUTERS] },
    body,
  });
  // Every router checks in once first: the steady state, where a check-in has nothing new to write.
  await runLoad({ port: odoo.port, concurrency: CONCURRENCY, requests: ROUTERS, request: checkin });
  await runLoad({ port: odoo.port, concurrency: CONCURRENCY, requests: 50, request: health });
  const bare = await runLoad({ port: odoo.port, concurrency: CONCURRENCY, requests: CHECKINS, request: health });
  const checkins = await runLoad({ port: odoo.port, concurrency: CONCURRENCY, requests: CHECKINS, request: checkin });
  const ratio = checkins.perSecond / bare.perSecond;
  const needed = ROUTERS / INTERVAL_SECONDS;
  console.log(
    `check-ins: bare /web/health ${bare.perSecond.toFixed(0)}/s, check-ins ${checkins.perSecond.toFixed(0)}/s (p50 ${checkins.p50.toFixed(1)} ms, p99 ${checkins.p99.toFixed(1)} ms), errors ${checkins.errorCount}`,
  );
  console.log(
    `check-ins: ${ROUTERS} routers every ${INTERVAL_SECONDS} s need ${needed.toFixed(1)}/s: ${((100 * needed) / checkins.perSecond).toFixed(1)} % of the 2 workers' time`,
  );
  checks.push([
    `check-ins at ${(100 * ratio).toFixed(0)} % of the bare route (target >= ${100 * TARGETS.checkins} %), 0 errors`,
    ratio >= TARGETS.checkins && checkins.errorCount === 0,
  ]);

  // Lease to hotspot user: one emulated router in agent mode, with the real scripts, behind the proxy.
  await call("isp.router", "write", [routerIds, { active: false }]);
  const [benchRouterId] = await call("isp.router", "create", [[{ name: "MK-BENCH-AGENT", connection_mode: "agent" }]]);
  const key = await call("isp.router", "rotate_key", [[benchRouterId]]);
  const [planId] = await call("isp.service.plan", "create", [[{ name: "Agent 20/5", download_mbps: 20, upload_mbps: 5, hotspot_profile: "agent" }]]);
  const settings = {
    "isp_core.mac_default_plan_id": String(planId),
    "isp_core.mac_auto_create": "1",
    "isp_core.mac_auto_create_captive_user": "1",
    "isp_core.mac_auto_provision_captive": "1",
  };
  for (const [name, value] of Object.entries(settings)) await call("ir.config_parameter", "set_param", [name, value]);
  const odooUrl = `http://127.0.0.1:${proxy.port}`;
  // Plain HTTP to the local proxy: no certificate to check, and no idle-timeout, which RouterOS
  // before 7.19 lacks.
  const common = { odooUrl, database: DATABASE, fetch: { checkCertificate: "no", idleTimeout: false } };
  await router.add("/system/script", {
    name: "isp_core-agent",
    source: buildAgentScript({ ...common, key, suspendedAddressList: "isp_suspended", lanNetworks: ["10.90.0.0/22"] }),
  });
  await router.add("/ip/pool", { name: "lan-pool", ranges: "10.90.0.10-10.90.3.250" });
  const leaseScript = buildLeaseScript({ ...common, token: "", routerKey: key, routerIdentity: "MK-BENCH-AGENT", sectorCode: "", runAgent: true });
  await router.add("/ip/dhcp-server", { name: "lan", interface: "ether2", "address-pool": "lan-pool", "lease-script": leaseScript });
  const delays = [];
  let missing = 0;
  for (let index = 0; index < LEASES; index++) {
    const mac = macOf("02:AA:00:00", index);
    const started = performance.now();
    await router.command("/simulator/dhcp/bind", { server: "lan", "mac-address": mac });
    const [user] = await router.print("/ip/hotspot/user", { query: [`?name=${mac}`], proplist: ["name"] });
    if (user) delays.push(performance.now() - started);
    else missing++;
  }
  const p95 = percentile(delays, 95);
  console.log(
    `lease to hotspot user: p50 ${percentile(delays, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, worst ${Math.max(...delays).toFixed(0)} ms over ${LEASES} leases, ${missing} without their user`,
  );
  checks.push([
    `lease to hotspot user p95 ${(p95 / 1000).toFixed(2)} s (target < ${TARGETS.leaseP95Ms / 1000} s), none missing`,
    p95 < TARGETS.leaseP95Ms && missing === 0,
  ]);

  // Catch-up: 1,000 hotspot users queued at once, applied by the scheduler at the default interval.
  const users = Array.from({ length: CATCH_UP_OPERATIONS }, (_unused, index) => {
    const mac = macOf("06:BB:00:00", index);
    // The plan's profile, which the leases above made on the router: the agent takes no other.
    return { login: mac, password: "x", mac, router_id: benchRouterId, hotspot_profile: "isp_core-agent", provisioning_state: "to_provision" };
  });
  const openJobs = () =>
    call("isp.provisioning.job", "search_count", [
      [
        ["state", "!=", "done"],
        ["router_id", "=", benchRouterId],
      ],
    ]);
  await call("isp.captive.user", "create", [users]);
  const queued = await openJobs();
  const checkinsBefore = proxy.counts.checkins;
  const started = performance.now();
  await router.add("/system/scheduler", {
    name: "isp_core-agent",
    interval: `${INTERVAL_SECONDS}s`,
    "on-event": "/system script run isp_core-agent",
  });
  while ((await openJobs()) > 0 && performance.now() - started < 300_000) await sleep(250);
  const seconds = (performance.now() - started) / 1000;
  const left = await openJobs();
  console.log(
    `catch-up: ${queued} jobs of one operation each, done in ${seconds.toFixed(1)} s (the first check-in comes one ${INTERVAL_SECONDS} s interval after the scheduler starts), ${proxy.counts.checkins - checkinsBefore} check-ins, ${left} left`,
  );
  checks.push([
    `catch-up of ${CATCH_UP_OPERATIONS} operations in ${seconds.toFixed(1)} s (target < ${TARGETS.catchUpSeconds} s)`,
    left === 0 && seconds < TARGETS.catchUpSeconds,
  ]);
  const errors = odoo.errorLines();
  checks.push([`ERROR lines in Odoo's log: ${errors.length} (target 0)`, errors.length === 0]);
} finally {
  await router.close();
  await emulator.close();
  await proxy.close();
  await odoo.stop();
}
for (const [text, ok] of checks) console.log(`${ok ? "ok  " : "MISS"} ${text}`);
process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
