// `npm run bench:dashboard`: the MAC Profiles dashboard on 100,000 profiles in 20 sectors.
//   (a) the dashboard's data call, get_dashboard_kpis           target < 150 ms
//   (b) the first page of the pending queue (web_search_read)   target < 100 ms
//   (c) first render of the dashboard in Chromium               target < 1 s
//   (d) a router's report to the open dashboard, live (bus)     target p95 < 1 s
// Each figure is printed beside a baseline measured in the same run: a JSON-RPC route that does no
// ORM work for (a) and (b), and Odoo's own list view of the same profiles for (c); for (d), the
// time the server takes to answer the report itself.
// package.json runs it with `--experimental-websocket` (Chromium is driven over the DevTools
// protocol, and Node 20 keeps WebSocket behind that flag) and `--import tsx` (the queue's request
// comes from web_src/, in TypeScript).
import http from "node:http";
import net from "node:net";
import { openBrowser } from "../browser/chromium.mjs";
import { callKw, jsonRpc, login } from "../odoo/rpc.mjs";
import { profilePageRequest } from "../../web_src/services/profile_query.ts";
import { sql, startOdooForBench } from "./odoo-server.mjs";
import { median, percentile } from "./stats.ts";

const DATABASE = "isp_bench_dashboard";
const PROFILES = Number(process.env.ISP_BENCH_PROFILES || 100_000); // fewer only to try the bench itself out
const SECTORS = 20;
const PAGE_SIZE = 40; // web_src/dashboard/mac_profile_dashboard.ts
const CALL_RUNS = 30;
const RENDER_RUNS = 5;
const LIVE_RUNS = 20;
const TARGETS = { kpis: 150, page: 100, render: 1000, live: 1000 };

function seed() {
  console.error(`bench: inserting ${PROFILES} profiles in ${SECTORS} sectors...`);
  sql(
    DATABASE,
    `
    INSERT INTO isp_sector (code, name, active, create_uid, write_uid, create_date, write_date)
    SELECT format('SEC-%s-bench', lpad(n::text, 3, '0')), format('Bench sector %s', n), true, 1, 1, now(), now()
    FROM generate_series(1, ${SECTORS}) AS n;
    INSERT INTO isp_service_plan (name, download_mbps, upload_mbps, rate_limit, price, currency_id, active,
                                  create_uid, write_uid, create_date, write_date)
    SELECT 'Bench 20/5', 20, 5, '5M/20M', 1200, currency_id, true, 1, 1, now(), now() FROM res_company LIMIT 1;
    INSERT INTO isp_mac_profile (mac, last_ip, hostname, sector_id, state, online, first_seen, last_seen,
                                 lease_count, sector_missing, feed_changed_at, create_uid, write_uid, create_date, write_date)
    SELECT
      upper(regexp_replace(lpad(to_hex(n), 12, '0'), '(..)(?!$)', '\\1:', 'g')),
      format('10.%s.%s.%s', (n >> 16) & 255, (n >> 8) & 255, n & 255),
      format('onu-%s', n),
      (SELECT id FROM isp_sector WHERE code = format('SEC-%s-bench', lpad((1 + n % ${SECTORS})::text, 3, '0'))),
      CASE WHEN n % 20 = 0 THEN 'pending' WHEN n % 20 = 1 THEN 'rejected' WHEN n % 20 < 4 THEN 'approved' ELSE 'active' END,
      n % 10 < 7,
      seen - interval '30 days', seen, 1 + n % 50, false, seen, 1, 1, seen - interval '30 days', seen
    FROM generate_series(1, ${PROFILES}) AS n, LATERAL (SELECT now() - (n % 43200) * interval '1 minute' AS seen) AS t;
    INSERT INTO isp_subscription (name, partner_id, plan_id, mac_profile_id, sector_id, state, start_date,
                                  create_uid, write_uid, create_date, write_date)
    SELECT format('SUB/%s', p.id), 1, (SELECT max(id) FROM isp_service_plan), p.id, p.sector_id, 'active',
           current_date, 1, 1, now(), now()
    FROM isp_mac_profile p WHERE p.state = 'active';
    UPDATE isp_mac_profile p SET subscription_id = s.id FROM isp_subscription s WHERE s.mac_profile_id = p.id;
  `,
  );
  // A database at rest, as autovacuum keeps it: statistics, and the visibility map that lets the
  // dashboard's counts read their indexes alone. VACUUM cannot run in the statement above's
  // transaction.
  sql(DATABASE, "VACUUM ANALYZE");
}

async function timeCalls(rpc, [route, params]) {
  for (let warmUp = 0; warmUp < 3; warmUp++) await rpc(route, params);
  const durations = [];
  for (let run = 0; run < CALL_RUNS; run++) {
    const start = performance.now();
    await rpc(route, params);
    durations.push(performance.now() - start);
  }
  return durations;
}

// Runs in each new document: when the navbar, then the first row of the dashboard's queue or of
// a list view, appear, in ms since navigation start.
const RENDER_PROBE = `
  window.__ispRender = new Promise((resolve) => {
    const seen = {};
    const check = () => {
      if (!seen.navbar && document.querySelector(".o_main_navbar")) seen.navbar = performance.now();
      if (!seen.rows && document.querySelector(".o_isp_core_queue_row, .o_data_row")) seen.rows = performance.now();
      if (seen.navbar && seen.rows) resolve(seen);
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
  });
`;

/** Loads `url` RENDER_RUNS times after a first load that may build assets; returns the warm timings. */
async function timeLoads(browser, url) {
  const timings = [];
  for (let run = 0; run <= RENDER_RUNS; run++) {
    await browser.send("Page.navigate", { url });
    let result = null;
    for (let attempt = 0; attempt < 600 && !result; attempt++) {
      const evaluation = await browser.send("Runtime.evaluate", {
        expression: "window.__ispRender",
        awaitPromise: true,
        returnByValue: true,
      });
      result = evaluation.result?.value ?? null;
      if (!result) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!result) throw new Error(`${url} never rendered a row`);
    timings.push(result);
  }
  return { cold: timings[0], warm: timings.slice(1) };
}

/** The dashboard, and Odoo's own list view of the same 100,000 profiles as the baseline. */
async function timeFirstRender(baseUrl, session) {
  const browser = await openBrowser();
  try {
    await browser.send("Network.setCookie", { name: "session_id", value: session, url: baseUrl });
    await browser.send("Page.enable");
    await browser.send("Page.addScriptToEvaluateOnNewDocument", { source: RENDER_PROBE });
    return {
      dashboard: await timeLoads(browser, `${baseUrl}/odoo/action-isp_core.isp_mac_profile_action_dashboard`),
      list: await timeLoads(browser, `${baseUrl}/odoo/action-isp_core.isp_mac_profile_action`),
    };
  } finally {
    await browser.close();
  }
}

/**
 * Odoo with workers serves the bus's websocket on its gevent port, which a browser reaches
 * through the same origin as the pages: this is the reverse proxy a deployment puts in front.
 * @returns {Promise<{ port: number, close: () => Promise<void> }>}
 */
async function startFrontProxy(httpPort, geventPort) {
  const server = http.createServer((request, response) => {
    const upstream = http.request(
      { host: "127.0.0.1", port: httpPort, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => response.destroy());
    request.pipe(upstream);
  });
  server.on("upgrade", (request, socket, head) => {
    const upstream = net.connect(geventPort, "127.0.0.1", () => {
      const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`);
      upstream.write(`${request.method} ${request.url} HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    close: () => new Promise((resolve) => server.close(resolve).closeAllConnections()),
  };
}

/**
 * (d) A router in agent mode reports, and the open dashboard follows without a reload: a check-in
 * Odoo refuses puts the router among those that do not answer (an attention line appears), the
 * next good one takes it off (the line goes). Each is timed from the report's sending to the
 * change on the page; the report's own answer time is the baseline.
 */
async function timeLiveUpdates(baseUrl, session, rpc) {
  const [routerId] = await rpc(...callKw("isp.router", "create", [[{ name: "MK-BENCH-LIVE", connection_mode: "agent", checkin_interval: 30 }]], {}));
  const key = await rpc(...callKw("isp.router", "rotate_key", [[routerId]], {}));
  const report = { agent: "isp_core-agent 1", identity: "MK-BENCH-LIVE", version: "7.19.6 (stable)", uptime: "1d00:00:00", results: [] };
  const checkIn = async (body) => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/isp/router/checkin`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Odoo-Database": DATABASE, "X-ISP-Router-Key": key },
      body: JSON.stringify(body),
    });
    await response.text();
    return { status: response.status, ms: performance.now() - started };
  };
  await checkIn(report); // it checks in: not silent any more
  const browser = await openBrowser();
  const line = ".o_isp_core_attention_routers_down";
  // Resolves when the routers-down line is (or is not) on the page, watching the DOM.
  const until = (present) =>
    browser.send("Runtime.evaluate", {
      expression: `new Promise((resolve) => {
        const check = () => { if (!!document.querySelector("${line}") === ${present}) { observer.disconnect(); resolve(true); } };
        const observer = new MutationObserver(check);
        observer.observe(document, { childList: true, subtree: true });
        check();
        setTimeout(() => resolve(false), 10000);
      })`,
      awaitPromise: true,
      returnByValue: true,
    });
  try {
    await browser.send("Network.setCookie", { name: "session_id", value: session, url: baseUrl });
    await browser.send("Page.navigate", { url: `${baseUrl}/odoo/action-isp_core.isp_mac_profile_action_dashboard` });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const ready = await browser.send("Runtime.evaluate", {
      expression: `new Promise((resolve) => { const check = () => document.querySelector(".o_isp_core_kpi_value") ? resolve(true) : setTimeout(check, 50); check(); })`,
      awaitPromise: true,
      returnByValue: true,
    });
    if (!ready.result?.value) throw new Error("the dashboard did not load");
    if (!(await until(false)).result?.value) throw new Error("the router still reads as not answering");
    // Let the bus connect before the first report.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const timings = { appear: [], disappear: [], answer: [] };
    for (let run = 0; run < LIVE_RUNS; run++) {
      for (const [body, present, kind] of [
        [{ ...report, results: "refused" }, true, "appear"],
        [report, false, "disappear"],
      ]) {
        const started = performance.now();
        const shown = until(present);
        const answer = await checkIn(body);
        const seen = (await shown).result?.value;
        if (!seen) throw new Error(`run ${run}: the page never followed a check-in answered ${answer.status}`);
        timings[kind].push(performance.now() - started);
        timings.answer.push(answer.ms);
      }
    }
    return timings;
  } finally {
    await browser.close();
  }
}

const format = (ms) => `${ms.toFixed(1)} ms`;
const verdict = (value, target) => (value < target ? `ok (target < ${target} ms)` : `OVER the ${target} ms target`);

const odoo = await startOdooForBench({ database: DATABASE });
let failed = false;
try {
  seed();
  const baseUrl = `http://127.0.0.1:${odoo.port}`;
  const session = await login(baseUrl, DATABASE);
  const rpc = jsonRpc(baseUrl, session);
  const pending = profilePageRequest({ sectorId: null, state: "pending", search: "" }, 0, PAGE_SIZE);

  const baseline = await timeCalls(rpc, ["/web/webclient/version_info", {}]);
  const kpis = await timeCalls(rpc, callKw("isp.mac.profile", "get_dashboard_kpis", [], { domain: [] }));
  const page = await timeCalls(rpc, callKw("isp.mac.profile", "web_search_read", [pending.domain], pending.kwargs));
  const firstPage = await rpc(...callKw("isp.mac.profile", "web_search_read", [pending.domain], pending.kwargs));
  if (firstPage.records.length !== PAGE_SIZE) throw new Error(`the first page holds ${firstPage.records.length} rows`);
  const render = await timeFirstRender(baseUrl, session);
  const front = await startFrontProxy(odoo.port, odoo.geventPort);
  let live;
  try {
    const frontUrl = `http://127.0.0.1:${front.port}`;
    live = await timeLiveUpdates(frontUrl, session, jsonRpc(frontUrl, session));
  } finally {
    await front.close();
  }

  const base = median(baseline);
  console.log(`dashboard bench: ${PROFILES} profiles, ${SECTORS} sectors; median of ${CALL_RUNS} calls (p95), round trip on 127.0.0.1`);
  console.log(`  baseline JSON-RPC (no ORM)      ${format(base)} (${format(percentile(baseline, 95))})`);
  for (const [label, durations, target] of [
    ["(a) get_dashboard_kpis".padEnd(32), kpis, TARGETS.kpis],
    [`(b) first pending page (${PAGE_SIZE} rows)`.padEnd(32), page, TARGETS.page],
  ]) {
    const value = median(durations);
    console.log(
      `  ${label} ${format(value)} (${format(percentile(durations, 95))}), ${(value / base).toFixed(1)}× baseline, ${verdict(value, target)}`,
    );
    failed ||= value >= target;
  }
  const rows = (loads) => median(loads.warm.map(({ rows: at }) => at));
  const afterNavbar = (loads) => median(loads.warm.map(({ rows: at, navbar }) => at - navbar));
  console.log(`  (c) first render in Chromium, ms from navigation start, median of ${RENDER_RUNS} warm loads:`);
  console.log(
    `      Odoo list view of the profiles (baseline)  rows at ${format(rows(render.list))}, ${format(afterNavbar(render.list))} after the navbar`,
  );
  console.log(
    `      MAC Profiles dashboard                     rows at ${format(rows(render.dashboard))}, ${format(afterNavbar(render.dashboard))} after the navbar, ${(rows(render.dashboard) / rows(render.list)).toFixed(2)}× baseline, ${verdict(rows(render.dashboard), TARGETS.render)}`,
  );
  console.log(`      first load, building assets                ${format(render.dashboard.cold.rows)}`);
  failed ||= rows(render.dashboard) >= TARGETS.render;
  console.log(`  (d) a router's check-in to the open dashboard, live, ${LIVE_RUNS} of each (p50, p95):`);
  console.log(`      the check-in's own answer (baseline)       ${format(median(live.answer))}, ${format(percentile(live.answer, 95))}`);
  for (const [label, durations] of [
    ["refused: the routers-down line appears ", live.appear],
    ["answers again: the line goes          ", live.disappear],
  ]) {
    const p95 = percentile(durations, 95);
    console.log(`      ${label}    ${format(median(durations))}, ${format(p95)}, ${verdict(p95, TARGETS.live)}`);
    failed ||= p95 >= TARGETS.live;
  }
} finally {
  await odoo.stop();
}
process.exitCode = failed ? 1 : 0;
