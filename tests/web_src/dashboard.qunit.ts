// The MAC Profiles dashboard with IspService replaced: what staff see, and what their clicks do.
import { MacProfileDashboard, PAGE_SIZE } from "../../web_src/dashboard/mac_profile_dashboard.ts";
import { FakeIspService, KPIS, profileRow } from "./fake_isp_service.ts";
import { change, click, deferred, destroyAll, mountComponent, nextTick, startMounting, texts } from "./helpers.ts";
import type { ProfilePage } from "../../web_src/services/isp_types.ts";

QUnit.module("MAC Profiles dashboard", (hooks) => {
  hooks.afterEach(destroyAll);

  QUnit.test("shows the key figures, the pending queue and the sectors", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(MacProfileDashboard, isp);

    assert.deepEqual(texts(target, ".o_isp_core_kpi_value"), ["7", "120", "3", "98", "4"]);
    assert.deepEqual(texts(target, ".o_isp_core_kpi_label"), [
      "Pending approval",
      "Online now",
      "New today",
      "Active subscriptions",
      "Offline > 24 h",
    ]);
    assert.deepEqual(texts(target, ".o_isp_core_queue_row .o_isp_core_mac"), ["AA:BB:CC:00:00:01 (Online)"]);
    assert.deepEqual(texts(target, ".o_isp_core_queue_row .o_isp_core_hostname"), ["onu-casa-1"]);
    assert.deepEqual(texts(target, ".o_isp_core_queue_row .o_isp_core_sector"), ["Los Cacaos"]);
    assert.deepEqual(texts(target, ".o_isp_core_queue_row .o_isp_core_ip"), ["192.168.88.11"]);
    assert.deepEqual(texts(target, ".o_isp_core_filter_sector option"), ["All sectors", "Los Cacaos"]);
    assert.strictEqual(target.querySelector<HTMLSelectElement>(".o_isp_core_filter_state")!.value, "pending");
    assert.deepEqual(isp.callsTo("searchProfiles"), [[{ sectorId: null, state: "pending", search: "" }, 0, PAGE_SIZE]]);
    const seen = target.querySelectorAll(".o_isp_core_queue_row time");
    assert.strictEqual(seen.length, 2, "first and last seen are shown");
    assert.ok(seen[1]!.textContent!.includes("ago"), "last seen reads relative");
    assert.ok(seen[1]!.getAttribute("title"), "the exact time is in the tooltip");
    const approve = target.querySelector(".o_isp_core_approve")!;
    assert.strictEqual(approve.getAttribute("aria-label"), "Approve AA:BB:CC:00:00:01 (onu-casa-1)");
    assert.strictEqual(target.querySelector(".o_isp_core_attention"), null, "nothing needs attention");
  });

  QUnit.test("says what needs attention: subscriptions the router does not follow yet, devices waiting for a plan", async (assert) => {
    const isp = new FakeIspService();
    isp.kpis = async () => ({ ...KPIS, off_network: 2, waiting_for_plan: 5, failed_jobs: 3, routers_down: 1, incomplete_customers: 4 });
    isp.profiles = async () => ({ rows: [profileRow({ pendingReason: "no_default_plan" })], total: 1, totalIsCapped: false });
    const { target } = await mountComponent(MacProfileDashboard, isp);
    assert.deepEqual(texts(target, ".o_isp_core_attention span"), [
      "Subscriptions whose router does not yet do what Odoo says: 2.",
      "Routers that do not answer, or have stopped checking in: 1.",
      "Provisioning jobs that failed: 3.",
      "Customers without a phone, a cédula or RNC, or an address: 4.",
      "Devices waiting because new devices are approved automatically but there is no valid default plan (ISP → Configuration → Settings): 5.",
    ]);
    assert.deepEqual(texts(target, ".o_isp_core_queue_row .o_isp_core_pending_reason"), ["No valid default plan"]);
    await click(target, ".o_isp_core_attention_off_network .o_isp_core_attention_open");
    await click(target, ".o_isp_core_attention_waiting_for_plan .o_isp_core_attention_open");
    await click(target, ".o_isp_core_attention_incomplete_customers .o_isp_core_attention_open");
    assert.deepEqual(isp.callsTo("openKpiList"), [
      ["off_network", null],
      ["waiting_for_plan", null],
      ["incomplete_customers", null],
    ]);
  });

  QUnit.test("shows the figures and attention lines another addon adds, and opens what they count", async (assert) => {
    const isp = new FakeIspService();
    isp.extensionFigures = async () => ({
      tiles: [{ key: "mrr", label: "Monthly recurring revenue", value: "RD$ 117,600.00", action: "isp_core.isp_subscription_action" }],
      attention: [{ key: "non_payment", text: "Suspended for non-payment: 3.", action: { res_model: "isp.subscription" } }],
    });
    const { target } = await mountComponent(MacProfileDashboard, isp);
    await nextTick();

    assert.deepEqual(texts(target, ".o_isp_core_extension_tile .o_isp_core_kpi_value"), ["RD$ 117,600.00"]);
    assert.deepEqual(texts(target, ".o_isp_core_extension_tile .o_isp_core_kpi_label"), ["Monthly recurring revenue"]);
    assert.deepEqual(texts(target, ".o_isp_core_attention_non_payment span"), ["Suspended for non-payment: 3."]);
    await click(target, ".o_isp_core_extension_tile button");
    await click(target, ".o_isp_core_attention_non_payment button");
    assert.deepEqual(isp.callsTo("openAction"), [["isp_core.isp_subscription_action"], [{ res_model: "isp.subscription" }]]);
  });

  QUnit.test("each figure opens the list it counts, within the sector filter", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(MacProfileDashboard, isp);
    await click(target, ".o_isp_core_kpi_pending .o_isp_core_kpi_open");
    await change(target, ".o_isp_core_filter_sector", "3");
    await click(target, ".o_isp_core_kpi_offline_over_24h .o_isp_core_kpi_open");
    assert.deepEqual(isp.callsTo("openKpiList"), [
      ["pending", null],
      ["offline_over_24h", 3],
    ]);
  });

  QUnit.test("shows the queue before the key figures arrive, and says when nothing matches", async (assert) => {
    const isp = new FakeIspService();
    isp.profiles = async () => ({ rows: [], total: 0, totalIsCapped: false });
    const kpis = deferred<typeof KPIS>();
    isp.kpis = () => kpis.promise;
    const { target } = await mountComponent(MacProfileDashboard, isp);
    assert.deepEqual(texts(target, ".o_isp_core_queue_empty"), ["No MAC profile matches these filters."]);
    assert.deepEqual(texts(target, ".o_isp_core_kpi_value"), ["…", "…", "…", "…", "…"]);
    assert.strictEqual(target.querySelector(".o_isp_core_kpi_pending")!.getAttribute("aria-busy"), "true");
    assert.strictEqual(target.querySelector(".o_isp_core_pager_next")!.hasAttribute("disabled"), true);
    kpis.resolve(KPIS);
    await nextTick();
    assert.deepEqual(texts(target, ".o_isp_core_kpi_value"), ["7", "120", "3", "98", "4"]);
  });

  QUnit.test("filters by sector, state and search, starting again from the first page", async (assert) => {
    const isp = new FakeIspService();
    isp.profiles = async (_filters, offset) => ({
      rows: [profileRow({ id: offset + 1 })],
      total: 10001,
      totalIsCapped: true,
    });
    const { target } = await mountComponent(MacProfileDashboard, isp);
    assert.deepEqual(texts(target, ".o_isp_core_pager_text"), ["1–1 of 10001+"]);

    await click(target, ".o_isp_core_pager_next");
    assert.deepEqual(isp.callsTo("searchProfiles").at(-1), [{ sectorId: null, state: "pending", search: "" }, PAGE_SIZE, PAGE_SIZE]);
    assert.strictEqual(target.querySelector(".o_isp_core_pager_previous")!.hasAttribute("disabled"), false);

    await change(target, ".o_isp_core_filter_sector", "3");
    assert.deepEqual(isp.callsTo("searchProfiles").at(-1), [{ sectorId: 3, state: "pending", search: "" }, 0, PAGE_SIZE]);
    assert.deepEqual(isp.callsTo("getKpis"), [[null], [3]], "the figures follow the sector");
    await change(target, ".o_isp_core_filter_state", "all");
    assert.deepEqual(isp.callsTo("searchProfiles").at(-1), [{ sectorId: 3, state: "all", search: "" }, 0, PAGE_SIZE]);
    assert.strictEqual(isp.callsTo("getKpis").length, 2, "but not the state");
    await change(target, ".o_isp_core_filter_search", "10.0.0", "input");
    target.querySelector<HTMLFormElement>(".o_isp_core_filters")!.dispatchEvent(new window.Event("submit", { bubbles: true, cancelable: true }));
    await nextTick();
    assert.deepEqual(isp.callsTo("searchProfiles").at(-1), [{ sectorId: 3, state: "all", search: "10.0.0" }, 0, PAGE_SIZE]);
  });

  QUnit.test("a slow page never shows under newer filters", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(MacProfileDashboard, isp);
    const slow = deferred<ProfilePage>();
    const fast = deferred<ProfilePage>();
    isp.profiles = (filters) => (filters.sectorId === 3 ? slow.promise : fast.promise);
    await change(target, ".o_isp_core_filter_sector", "3");
    await change(target, ".o_isp_core_filter_sector", "");
    slow.resolve({ rows: [profileRow({ mac: "AA:BB:CC:00:00:03" })], total: 1, totalIsCapped: false });
    await nextTick();
    assert.deepEqual(texts(target, ".o_isp_core_queue_row .o_isp_core_mac"), ["AA:BB:CC:00:00:01 (Online)"], "the old page stays");
    fast.resolve({ rows: [profileRow({ mac: "AA:BB:CC:00:00:99" })], total: 1, totalIsCapped: false });
    await nextTick();
    assert.deepEqual(texts(target, ".o_isp_core_queue_row .o_isp_core_mac"), ["AA:BB:CC:00:00:99 (Online)"]);
  });

  QUnit.test("approve and reject call the server, then refresh figures and queue", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(MacProfileDashboard, isp);
    const pending = deferred<void>();
    isp.action = () => pending.promise;
    await click(target, ".o_isp_core_approve");
    assert.strictEqual(target.querySelector(".o_isp_core_reject")!.hasAttribute("disabled"), true, "the row is busy");
    pending.resolve();
    await nextTick();
    assert.deepEqual(isp.callsTo("approve"), [[1]]);
    assert.deepEqual(isp.notifications, [{ message: "AA:BB:CC:00:00:01 approved.", kind: "success" }]);
    assert.strictEqual(isp.callsTo("getKpis").length, 2);
    assert.strictEqual(isp.callsTo("searchProfiles").length, 2);
    assert.strictEqual(target.querySelector(".o_isp_core_reject")!.hasAttribute("disabled"), false);

    isp.action = async () => {};
    await click(target, ".o_isp_core_reject");
    assert.deepEqual(isp.callsTo("reject"), [[1]]);
    assert.strictEqual(isp.notifications.at(-1)!.message, "AA:BB:CC:00:00:01 rejected.");
  });

  QUnit.test("a refused action shows the server's message as a notification", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(MacProfileDashboard, isp);
    isp.action = async () => {
      throw Object.assign(new Error("RPC_ERROR"), {
        data: { name: "odoo.exceptions.AccessError", message: "You are not allowed to modify MAC profiles.", debug: "Traceback ..." },
      });
    };
    await click(target, ".o_isp_core_approve");
    assert.deepEqual(isp.notifications, [{ message: "You are not allowed to modify MAC profiles.", kind: "danger" }]);
    assert.notOk(target.textContent!.includes("Traceback"));
    assert.strictEqual(target.querySelector(".o_isp_core_approve")!.hasAttribute("disabled"), false);
  });

  QUnit.test("key figures that fail to load are reported, the rest still works", async (assert) => {
    const isp = new FakeIspService();
    isp.kpis = async () => {
      throw new Error("Connection lost");
    };
    const { target } = await mountComponent(MacProfileDashboard, isp);
    assert.deepEqual(isp.notifications, [{ message: "Key figures could not load: Connection lost", kind: "danger" }]);
    assert.deepEqual(texts(target, ".o_isp_core_kpi_value"), ["…", "…", "…", "…", "…"]);
    assert.strictEqual(target.querySelectorAll(".o_isp_core_queue_row").length, 1);
  });

  QUnit.test("opens the full list view", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(MacProfileDashboard, isp);
    await click(target, ".o_isp_core_open_list");
    assert.deepEqual(isp.callsTo("openProfileList"), [[]]);
  });

  QUnit.test("only offers the actions a profile's state allows", async (assert) => {
    const isp = new FakeIspService();
    isp.profiles = async () => ({
      rows: [
        profileRow({ id: 1, state: "approved" }),
        profileRow({ id: 2, state: "active", subscription: { id: 7, name: "SUB/0007" } }),
        profileRow({ id: 3, state: "rejected" }),
      ],
      total: 3,
      totalIsCapped: false,
    });
    const { target } = await mountComponent(MacProfileDashboard, isp);
    const buttons = (id: number) =>
      texts(target, `[data-profile-id="${id}"] .o_isp_core_actions button, [data-profile-id="${id}"] .o_isp_core_actions a`);
    assert.deepEqual(buttons(1), ["Reject", "Convert to subscription"]);
    assert.deepEqual(buttons(2), ["SUB/0007"]);
    assert.deepEqual(buttons(3), []);
  });

  QUnit.test("a subscription in the queue opens in the web client, keeping the way back", async (assert) => {
    const isp = new FakeIspService();
    isp.profiles = async () => ({
      rows: [profileRow({ id: 2, state: "active", subscription: { id: 7, name: "SUB/0007" } })],
      total: 1,
      totalIsCapped: false,
    });
    const { target } = await mountComponent(MacProfileDashboard, isp);
    const link = target.querySelector<HTMLAnchorElement>(".o_isp_core_subscription_link")!;
    assert.strictEqual(link.getAttribute("href"), "/odoo/isp.subscription/7", "still a link to open in a new tab");
    const click = new window.MouseEvent("click", { bubbles: true, cancelable: true });
    link.dispatchEvent(click);
    await nextTick();
    assert.ok(click.defaultPrevented, "the browser does not leave the web client");
    assert.deepEqual(isp.callsTo("openSubscription"), [[7]]);
  });

  QUnit.test("leaving during the first load stops the clock", async (assert) => {
    const isp = new FakeIspService();
    isp.profiles = () => new Promise(() => {});
    const running = new Set<unknown>();
    const { setInterval: realSetInterval, clearInterval: realClearInterval } = globalThis;
    globalThis.setInterval = ((...args: Parameters<typeof realSetInterval>) => {
      const id = realSetInterval(...args);
      running.add(id);
      return id;
    }) as typeof realSetInterval;
    globalThis.clearInterval = ((id: Parameters<typeof realClearInterval>[0]) => {
      running.delete(id);
      realClearInterval(id);
    }) as typeof realClearInterval;
    try {
      const { app } = startMounting(MacProfileDashboard, isp);
      await nextTick();
      assert.strictEqual(running.size, 1, "the clock started with the dashboard");
      app.destroy();
      assert.strictEqual(running.size, 0, "and stopped although the dashboard never showed");
    } finally {
      globalThis.setInterval = realSetInterval;
      globalThis.clearInterval = realClearInterval;
    }
  });
});
