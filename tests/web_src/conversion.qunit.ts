// Converting a profile to a subscription: one click with defaults, a dialog without them.
import { MacProfileDashboard } from "../../web_src/dashboard/mac_profile_dashboard.ts";
import { FakeIspService, profileRow } from "./fake_isp_service.ts";
import { change, click, destroyAll, mountComponent, nextTick, texts } from "./helpers.ts";

const NO_DEFAULT_PLAN = {
  default_plan: false as const,
  create_captive_user: true,
  plans: [
    { id: 5, name: "Fiber 20M" },
    { id: 6, name: "Fiber 50M" },
  ],
};

function userError(message: string): Error {
  return Object.assign(new Error("RPC_ERROR"), { data: { name: "odoo.exceptions.UserError", message, debug: "Traceback (most recent call last)" } });
}

QUnit.module("Conversion to a subscription", (hooks) => {
  hooks.afterEach(destroyAll);

  QUnit.test("one click with a default plan: new customer named after the host, link to the result", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(MacProfileDashboard, isp);
    await click(target, ".o_isp_core_convert");
    assert.deepEqual(isp.callsTo("convert"), [[1, { plan_id: 5, partner_name: "onu-casa-1" }]]);
    assert.strictEqual(target.querySelector(".o_isp_core_conversion_dialog"), null, "no dialog");
    assert.deepEqual(texts(target, ".o_isp_core_conversion_result"), [
      "Subscription SUB/0041 is active for AA:BB:CC:00:00:01.Waiting to be applied on router MK-LOS-CACAOS.",
    ]);
    assert.deepEqual(texts(target, ".o_isp_core_conversion_network"), ["Waiting to be applied on router MK-LOS-CACAOS."]);
    assert.deepEqual(texts(target, ".o_isp_core_conversion_result .o_isp_core_conversion_result_mac"), ["AA:BB:CC:00:00:01"]);
    assert.deepEqual(isp.notifications, [], "the banner alone says it, no notification repeats it");
    const link = target.querySelector<HTMLAnchorElement>(".o_isp_core_conversion_result_link")!;
    assert.strictEqual(link.getAttribute("href"), "/odoo/isp.subscription/41");
    await click(target, ".o_isp_core_conversion_result_link");
    assert.deepEqual(isp.callsTo("openSubscription"), [[41]]);
    assert.strictEqual(isp.callsTo("searchProfiles").length, 2, "the queue is refreshed");
  });

  QUnit.test("the banner follows the router: from waiting to on the network without a reload", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(MacProfileDashboard, isp);
    await click(target, ".o_isp_core_convert");
    assert.deepEqual(texts(target, ".o_isp_core_conversion_network"), ["Waiting to be applied on router MK-LOS-CACAOS."]);
    const kpiCalls = isp.callsTo("getKpis").length;

    isp.pushNetwork({ subscription_ids: [7], router_ids: [2] });
    await nextTick();
    assert.deepEqual(isp.callsTo("getNetworkStatus"), [], "another subscription's job leaves the banner alone");
    assert.strictEqual(isp.callsTo("getKpis").length, kpiCalls + 1, "the figures are asked again");

    isp.pushNetwork({ subscription_ids: [41], router_ids: [2] });
    await nextTick();
    await nextTick();
    assert.deepEqual(isp.callsTo("getNetworkStatus"), [[41]]);
    assert.deepEqual(texts(target, ".o_isp_core_conversion_network"), ["On the network: the router applies it."]);

    isp.networkStatus = async () => ({ state: "failed", message: "Router MK-LOS-CACAOS did not apply it: no such profile." });
    isp.pushNetwork({ subscription_ids: [41], router_ids: [2] });
    await nextTick();
    await nextTick();
    assert.deepEqual(texts(target, ".o_isp_core_conversion_network"), ["Router MK-LOS-CACAOS did not apply it: no such profile."]);
  });

  QUnit.test("a device without host name gives its MAC to the new customer", async (assert) => {
    const isp = new FakeIspService();
    isp.profiles = async () => ({ rows: [profileRow({ hostname: false })], total: 1, totalIsCapped: false });
    const { target } = await mountComponent(MacProfileDashboard, isp);
    await click(target, ".o_isp_core_convert");
    assert.deepEqual(isp.callsTo("convert"), [[1, { plan_id: 5, partner_name: "AA:BB:CC:00:00:01" }]]);
  });

  QUnit.test("without a default plan, a dialog asks for the plan before converting", async (assert) => {
    const isp = new FakeIspService();
    isp.conversionDefaults = async () => NO_DEFAULT_PLAN;
    const { target } = await mountComponent(MacProfileDashboard, isp);
    await click(target, ".o_isp_core_convert");
    const dialog = target.querySelector<HTMLElement>(".o_isp_core_conversion_dialog")!;
    assert.strictEqual(dialog.getAttribute("role"), "dialog");
    assert.deepEqual(texts(dialog, ".modal-title"), ["Convert AA:BB:CC:00:00:01 to a subscription"]);
    assert.strictEqual(document.activeElement, dialog.querySelector(".o_isp_core_conversion_plan"), "the plan has focus");
    assert.strictEqual(dialog.querySelector<HTMLInputElement>(".o_isp_core_customer_name")!.value, "onu-casa-1");
    assert.strictEqual(dialog.querySelector<HTMLInputElement>(".o_isp_core_conversion_captive")!.checked, true);
    assert.strictEqual(dialog.querySelector(".o_isp_core_conversion_confirm")!.hasAttribute("disabled"), true, "no plan yet");

    await change(dialog, ".o_isp_core_conversion_plan", "6");
    await change(dialog, ".o_isp_core_customer_name", "Casa Rosa", "input");
    await click(dialog, ".o_isp_core_conversion_confirm");
    assert.deepEqual(isp.callsTo("convert"), [[1, { plan_id: 6, create_captive_user: true, partner_name: "Casa Rosa" }]]);
    assert.strictEqual(target.querySelector(".o_isp_core_conversion_dialog"), null, "the dialog closed");
    assert.deepEqual(texts(target, ".o_isp_core_conversion_result_link"), ["SUB/0041"]);
  });

  QUnit.test("the dialog converts for an existing customer found by name", async (assert) => {
    const isp = new FakeIspService();
    isp.conversionDefaults = async () => NO_DEFAULT_PLAN;
    const { target } = await mountComponent(MacProfileDashboard, isp);
    await click(target, ".o_isp_core_convert");
    await change(target, ".o_isp_core_conversion_plan", "5");
    const existing = target.querySelector<HTMLInputElement>("#o_isp_core_customer_existing")!;
    existing.click();
    await nextTick();
    assert.strictEqual(target.querySelector(".o_isp_core_conversion_confirm")!.hasAttribute("disabled"), true, "no customer yet");
    await change(target, ".o_isp_core_customer_search", "Ana", "input");
    await click(target, ".o_isp_core_customer_search_button");
    assert.deepEqual(isp.callsTo("searchCustomers"), [["Ana"]]);
    assert.deepEqual(texts(target, ".o_isp_core_customer_select option"), ["Ana Pérez"]);
    await click(target, ".o_isp_core_conversion_captive");
    await click(target, ".o_isp_core_conversion_confirm");
    assert.deepEqual(isp.callsTo("convert"), [[1, { plan_id: 5, create_captive_user: false, partner_id: 9 }]]);
  });

  QUnit.test("Escape and Cancel close the dialog without converting", async (assert) => {
    const isp = new FakeIspService();
    isp.conversionDefaults = async () => NO_DEFAULT_PLAN;
    const { target } = await mountComponent(MacProfileDashboard, isp);
    await click(target, ".o_isp_core_convert");
    target.querySelector(".o_isp_core_conversion_plan")!.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await nextTick();
    assert.strictEqual(target.querySelector(".o_isp_core_conversion_dialog"), null);
    target.querySelector<HTMLElement>(".o_isp_core_convert")!.focus();
    await click(target, ".o_isp_core_convert");
    await click(target, ".o_isp_core_conversion_cancel");
    assert.strictEqual(target.querySelector(".o_isp_core_conversion_dialog"), null);
    assert.strictEqual(document.activeElement, target.querySelector(".o_isp_core_convert"), "focus is back on the button");
    assert.deepEqual(isp.callsTo("convert"), []);
  });

  QUnit.test("a refused one-click conversion shows the reason, not a traceback", async (assert) => {
    const isp = new FakeIspService();
    isp.conversion = async () => {
      throw userError("The default plan Fiber 20M is archived: choose another plan in Settings.");
    };
    const { target } = await mountComponent(MacProfileDashboard, isp);
    await click(target, ".o_isp_core_convert");
    assert.deepEqual(isp.notifications, [{ message: "The default plan Fiber 20M is archived: choose another plan in Settings.", kind: "danger" }]);
    assert.strictEqual(target.querySelector(".o_isp_core_conversion_result"), null);
    assert.strictEqual(target.querySelector(".o_isp_core_convert")!.hasAttribute("disabled"), false);
  });

  QUnit.test("a refused conversion from the dialog keeps the dialog open", async (assert) => {
    const isp = new FakeIspService();
    isp.conversionDefaults = async () => NO_DEFAULT_PLAN;
    isp.conversion = async () => {
      throw userError("You are not allowed to create subscriptions.");
    };
    const { target } = await mountComponent(MacProfileDashboard, isp);
    await click(target, ".o_isp_core_convert");
    await change(target, ".o_isp_core_conversion_plan", "5");
    await click(target, ".o_isp_core_conversion_confirm");
    assert.deepEqual(isp.notifications, [{ message: "You are not allowed to create subscriptions.", kind: "danger" }]);
    assert.ok(target.querySelector(".o_isp_core_conversion_dialog"), "the dialog stays for another try");
    assert.strictEqual(target.querySelector(".o_isp_core_conversion_confirm")!.hasAttribute("disabled"), false);
  });
});
