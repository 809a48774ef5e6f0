// The live onboarding feed and how the dashboard follows it, with the bus played by the test.
import { LiveFeed } from "../../web_src/feed/live_feed.ts";
import { MacProfileDashboard } from "../../web_src/dashboard/mac_profile_dashboard.ts";
import { DateTime } from "luxon";
import type { ProfileChange } from "../../web_src/services/isp_types.ts";
import { FakeIspService, KPIS, profileChange } from "./fake_isp_service.ts";
import { deferred, destroyAll, mountComponent, nextTick, texts } from "./helpers.ts";
import type { ChangesPage } from "../../web_src/services/isp_types.ts";

function feedProps(onChanges: (changes: ProfileChange[]) => void = () => {}) {
  return { now: DateTime.fromISO("2026-11-24T02:00:00Z"), timeZone: "UTC", onChanges };
}

const feedMacs = (target: HTMLElement) => texts(target, ".o_isp_core_feed_mac");
const newMacs = (target: HTMLElement) => texts(target, ".o_isp_core_feed_new .o_isp_core_feed_mac");

QUnit.module("Live onboarding feed", (hooks) => {
  hooks.afterEach(destroyAll);

  QUnit.test("starts with recent history, newest first and not marked new", async (assert) => {
    const isp = new FakeIspService();
    isp.changes = async () => ({
      changes: [
        profileChange({ id: 1, mac: "AA:00:00:00:00:01", time: "2026-11-24T01:50:00" }),
        profileChange({ id: 2, mac: "AA:00:00:00:00:02", time: "2026-11-24T01:57:00" }),
      ],
      cursor: "2026-11-24T01:57:00",
    });
    const { target } = await mountComponent(LiveFeed, isp, feedProps());
    assert.deepEqual(feedMacs(target), ["AA:00:00:00:00:02", "AA:00:00:00:00:01"]);
    assert.deepEqual(newMacs(target), []);
    assert.strictEqual(target.querySelector(".o_isp_core_live_feed")!.getAttribute("aria-busy"), "false");
    assert.deepEqual(texts(target, ".o_isp_core_feed_entry time"), ["3 minutes ago", "10 minutes ago"]);
  });

  QUnit.test("shows pushed devices on top with a new mark, and reports them once", async (assert) => {
    const isp = new FakeIspService();
    const reported: ProfileChange[][] = [];
    const { target } = await mountComponent(LiveFeed, isp, feedProps((changes) => reported.push(changes)));
    assert.deepEqual(texts(target, ".o_isp_core_feed_empty"), ["Waiting for devices…"]);

    const first = profileChange({ id: 1, mac: "AA:00:00:00:00:01", time: "2026-11-24T01:58:00" });
    isp.push(first);
    isp.push(profileChange({ id: 2, mac: "AA:00:00:00:00:02", time: "2026-11-24T01:59:00" }));
    isp.push(first);
    await nextTick();
    assert.deepEqual(feedMacs(target), ["AA:00:00:00:00:02", "AA:00:00:00:00:01"]);
    assert.deepEqual(newMacs(target), ["AA:00:00:00:00:02", "AA:00:00:00:00:01"]);
    assert.deepEqual(texts(target, ".o_isp_core_feed_new_badge"), ["New", "New"]);
    assert.strictEqual(reported.length, 2, "the duplicate is not reported again");
  });

  QUnit.test("an older event arriving late does not replace a newer state", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(LiveFeed, isp, feedProps());
    isp.push(profileChange({ id: 1, state: "approved", time: "2026-11-24T01:59:00.500000" }));
    isp.push(profileChange({ id: 1, state: "pending", time: "2026-11-24T01:59:00.250000" }));
    await nextTick();
    assert.deepEqual(texts(target, ".o_isp_core_feed_entry .badge.o_isp_core_state_approved"), ["Approved"]);
    assert.strictEqual(target.querySelectorAll(".o_isp_core_feed_entry").length, 1);
  });

  QUnit.test("after a reconnect it asks for what it missed since the last event", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(LiveFeed, isp, feedProps());
    isp.push(profileChange({ id: 1, mac: "AA:00:00:00:00:01", time: "2026-11-24T01:58:00" }));
    await nextTick();
    const missed = deferred<ChangesPage>();
    isp.changes = () => missed.promise;
    isp.reconnect();
    // An event that arrives while the catch-up is under way must not be lost or doubled.
    isp.push(profileChange({ id: 3, mac: "AA:00:00:00:00:03", time: "2026-11-24T01:59:30" }));
    missed.resolve({
      changes: [
        profileChange({ id: 2, mac: "AA:00:00:00:00:02", time: "2026-11-24T01:59:00" }),
        profileChange({ id: 3, mac: "AA:00:00:00:00:03", time: "2026-11-24T01:59:30" }),
      ],
      cursor: "2026-11-24T01:59:30",
    });
    await nextTick();
    assert.deepEqual(isp.callsTo("getChangesSince"), [["2026-11-24T01:58:00"]]);
    assert.deepEqual(feedMacs(target), ["AA:00:00:00:00:03", "AA:00:00:00:00:02", "AA:00:00:00:00:01"]);
  });

  QUnit.test("a failed catch-up is reported and the feed keeps working", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(LiveFeed, isp, feedProps());
    isp.changes = async () => {
      throw Object.assign(new Error("RPC_ERROR"), { data: { message: "Session expired" } });
    };
    isp.reconnect();
    await nextTick();
    assert.deepEqual(isp.notifications, [{ message: "Missed onboarding events could not be fetched: Session expired", kind: "warning" }]);
    isp.push(profileChange());
    await nextTick();
    assert.strictEqual(target.querySelectorAll(".o_isp_core_feed_entry").length, 1);
  });

  QUnit.test("stops listening when it goes away", async (assert) => {
    const isp = new FakeIspService();
    const { app } = await mountComponent(LiveFeed, isp, feedProps());
    assert.strictEqual(isp.changeListeners.size, 1);
    assert.strictEqual(isp.reconnectListeners.size, 1);
    app.destroy();
    assert.strictEqual(isp.changeListeners.size, 0);
    assert.strictEqual(isp.reconnectListeners.size, 0);
  });

  QUnit.test("the dashboard refreshes its figures and queue when a device arrives", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await mountComponent(MacProfileDashboard, isp);
    isp.kpis = async () => ({ ...KPIS, pending: 8, new_today: 4 });
    isp.push(profileChange({ id: 50, mac: "AA:00:00:00:00:50", time: DateTime.utc().toISO({ includeOffset: false })! }));
    await nextTick();
    assert.deepEqual(texts(target, ".o_isp_core_kpi_value").slice(0, 3), ["8", "120", "4"]);
    assert.strictEqual(isp.callsTo("searchProfiles").length, 2);
    assert.deepEqual(newMacs(target), ["AA:00:00:00:00:50"]);
  });
});
