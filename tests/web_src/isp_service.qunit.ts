// IspService over stand-ins for Odoo's orm and bus_service: the calls it makes and the
// subscriptions it keeps.
import type { DashboardExtension } from "../../web_src/dashboard/dashboard_extensions.ts";
import { createIspService } from "../../web_src/services/isp_service.ts";
import type { OdooServices } from "../../web_src/services/isp_service.ts";
import type { ProfileChange } from "../../web_src/services/isp_types.ts";

function odooStandIns(
  answers: { searchRead?: unknown[]; webSearchRead?: { length: number; records: unknown[] }; extensions?: DashboardExtension[] } = {},
) {
  const calls: unknown[][] = [];
  const listeners = new Map<string, Set<(payload?: ProfileChange) => void>>();
  const listen = (type: string) => listeners.get(type) ?? listeners.set(type, new Set()).get(type)!;
  const services: OdooServices = {
    orm: {
      call: async <T>(...args: unknown[]) => {
        calls.push(["call", ...args]);
        return { changes: [], cursor: "c" } as T;
      },
      searchRead: async <T>(...args: unknown[]) => {
        calls.push(["searchRead", ...args]);
        return (answers.searchRead ?? []) as T[];
      },
      webSearchRead: async <T>(...args: unknown[]) => {
        calls.push(["webSearchRead", ...args]);
        return (answers.webSearchRead ?? { length: 0, records: [] }) as { length: number; records: T[] };
      },
    },
    bus: {
      subscribe: (type, callback) => listen(type).add(callback as (payload?: ProfileChange) => void),
      unsubscribe: (type, callback) => listen(type).delete(callback as (payload?: ProfileChange) => void),
      addEventListener: (type, callback) => listen(type).add(callback),
      removeEventListener: (type, callback) => listen(type).delete(callback),
    },
    action: { doAction: async (...args) => calls.push(["doAction", ...args]) },
    notification: { add: (message, options) => calls.push(["notify", message, options]) },
    database: "isp",
    timeZone: "America/Santo_Domingo",
    origin: "http://127.0.0.1:8069",
    fetch: async () => new Response('{"result": "ready"}\n', { status: 200 }),
    clipboard: { writeText: async () => {} },
    dashboardExtensions: () => answers.extensions ?? [],
  };
  return { services, calls, listeners };
}

QUnit.module("IspService", () => {
  QUnit.test("listens to profile updates and reconnections until told to stop", (assert) => {
    const { services, listeners } = odooStandIns();
    const isp = createIspService(services);
    const received: string[] = [];
    const stopChanges = isp.onProfileChange((change) => received.push(change.mac));
    const stopReconnect = isp.onReconnect(() => received.push("reconnected"));
    for (const listener of listeners.get("isp_core.mac_profile/updated")!) listener({ mac: "AA:BB:CC:00:00:01" } as ProfileChange);
    for (const listener of listeners.get("BUS:RECONNECT")!) listener();
    assert.deepEqual(received, ["AA:BB:CC:00:00:01", "reconnected"]);
    stopChanges();
    stopReconnect();
    assert.strictEqual(listeners.get("isp_core.mac_profile/updated")!.size, 0);
    assert.strictEqual(listeners.get("BUS:RECONNECT")!.size, 0);
  });

  QUnit.test("reads a page of profiles with a capped count", async (assert) => {
    const record = {
      id: 7,
      mac: "AA:BB:CC:00:00:07",
      hostname: false,
      last_ip: "10.0.0.7",
      sector_id: { id: 2, name: "El Cerro" },
      state: "pending",
      online: true,
      first_seen: "2026-11-24 01:00:00",
      last_seen: "2026-11-24 01:30:00",
      subscription_id: false,
      pending_reason: "no_default_plan",
    };
    const { services, calls } = odooStandIns({ webSearchRead: { length: 10001, records: [record] } });
    const page = await createIspService(services).searchProfiles({ sectorId: 2, state: "pending", search: "" }, 40, 40);
    assert.deepEqual(
      page.rows.map((row) => [row.mac, row.sector && row.sector.name, row.lastIp]),
      [["AA:BB:CC:00:00:07", "El Cerro", "10.0.0.7"]],
    );
    assert.deepEqual([page.total, page.totalIsCapped], [10000, true]);
    assert.strictEqual(page.rows[0]!.pendingReason, "no_default_plan");
    const [, model, domain, kwargs] = calls[0] as [string, string, unknown, Record<string, unknown>];
    assert.strictEqual(model, "isp.mac.profile");
    assert.deepEqual(domain, [
      ["state", "=", "pending"],
      ["sector_id", "=", 2],
    ]);
    assert.deepEqual([kwargs.offset, kwargs.limit, kwargs.count_limit], [40, 40, 10001]);
  });

  QUnit.test("asks for the figures of one sector or of all", async (assert) => {
    const { services, calls } = odooStandIns();
    const isp = createIspService(services);
    await isp.getKpis(null);
    await isp.getKpis(4);
    assert.deepEqual(calls, [
      ["call", "isp.mac.profile", "get_dashboard_kpis", [], { domain: [] }],
      ["call", "isp.mac.profile", "get_dashboard_kpis", [], { domain: [["sector_id", "=", 4]] }],
    ]);
  });

  QUnit.test("opens the list behind a figure with the action the server builds for it", async (assert) => {
    const { services, calls } = odooStandIns();
    await createIspService(services).openKpiList("online", 4);
    assert.deepEqual(calls, [
      ["call", "isp.mac.profile", "get_dashboard_kpi_action", ["online"], { domain: [["sector_id", "=", 4]] }],
      ["doAction", { changes: [], cursor: "c" }],
    ]);
  });

  QUnit.test("recent changes are the latest ones, asked for in one call without a cursor", async (assert) => {
    const { services, calls } = odooStandIns();
    await createIspService(services).getRecentChanges(30);
    assert.deepEqual(calls, [["call", "isp.mac.profile", "get_changes_since", [], { since: null, limit: 30 }]]);
  });

  QUnit.test("asks for missed changes a page at a time", async (assert) => {
    const { services, calls } = odooStandIns();
    await createIspService(services).getChangesSince("2026-11-24T01:58:00", 200);
    assert.deepEqual(calls, [["call", "isp.mac.profile", "get_changes_since", [], { since: "2026-11-24T01:58:00", limit: 200 }]]);
  });

  QUnit.test("copies through the clipboard, and says HTTPS is needed where there is none", async (assert) => {
    const { services } = odooStandIns();
    const copied: string[] = [];
    services.clipboard = { writeText: async (text) => void copied.push(text) };
    await createIspService(services).copyText("X-ISP-Token: t0k3n");
    assert.deepEqual(copied, ["X-ISP-Token: t0k3n"]);
    services.clipboard = undefined;
    await assert.rejects(
      createIspService(services).copyText("X-ISP-Token: t0k3n"),
      /^Error: Copying needs HTTPS: select the text and copy it yourself\.$/,
    );
  });

  QUnit.test("tests the endpoint with the token and database headers", async (assert) => {
    const { services } = odooStandIns();
    let sent: RequestInit | undefined;
    services.fetch = async (_url, init) => {
      sent = init;
      return new Response('{"result": "ready"}\n', { status: 200 });
    };
    const check = await createIspService(services).checkOnboardingEndpoint("t0k3n");
    assert.deepEqual(check, { ok: true, status: 200, answer: '{"result": "ready"}' });
    assert.deepEqual(sent!.headers, { "X-ISP-Token": "t0k3n", "X-Odoo-Database": "isp" });
  });

  QUnit.test("adds the figures other addons registered; one that fails is named and left out", async (assert) => {
    const billing: DashboardExtension = {
      async load({ call }) {
        const amount = await call<string>("isp.subscription", "get_billing_dashboard_figures");
        return {
          tiles: [{ key: "mrr", label: "Monthly recurring revenue", value: amount, action: "isp_billing.action" }],
          attention: [{ key: "overdue", text: "Overdue: 2.", action: "isp_billing.collections" }],
        };
      },
    };
    const broken: DashboardExtension = {
      load: async () => {
        throw new Error("server said no");
      },
    };
    const { services, calls } = odooStandIns({ extensions: [broken, billing] });
    const figures = await createIspService(services).getExtensionFigures();
    assert.deepEqual(
      figures.tiles.map(({ key }) => key),
      ["mrr"],
    );
    assert.deepEqual(
      figures.attention.map(({ text }) => text),
      ["Overdue: 2."],
    );
    assert.deepEqual(calls[0]!.slice(0, 3), ["call", "isp.subscription", "get_billing_dashboard_figures"]);
    assert.deepEqual(calls.at(-1), ["notify", "Some key figures could not load: server said no", { type: "warning" }]);
  });
});
