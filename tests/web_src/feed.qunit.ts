// The live onboarding feed and how the dashboard follows it, with the bus played by the test.
import { Component, onWillStart, xml } from "@odoo/owl";
import { CATCH_UP_MAX_PAGES, CATCH_UP_PAGE_SIZE, FEED_CAPACITY, LiveFeed } from "../../web_src/feed/live_feed.ts";
import { MacProfileDashboard } from "../../web_src/dashboard/mac_profile_dashboard.ts";
import { DateTime } from "luxon";
import { FakeIspService, KPIS, profileChange } from "./fake_isp_service.ts";
import { deferred, destroyAll, mountComponent, nextTick, startMounting, texts } from "./helpers.ts";
import type { ChangesPage, ProfileChange } from "../../web_src/services/isp_types.ts";

function feedProps(onChanges: () => void = () => {}) {
  return { now: DateTime.fromISO("2026-11-24T02:00:00Z"), timeZone: "UTC", onChanges };
}

/** The n-th of a run of changes one second apart, after the feed's last event at 01:00:00. */
function missedChange(n: number): ProfileChange {
  const time = DateTime.fromISO("2026-11-24T01:00:00Z").plus({ seconds: n }).toUTC().toISO({ includeOffset: false })!;
  return profileChange({
    id: 1000 + n,
    mac: `AA:00:00:00:${String(Math.floor(n / 100)).padStart(2, "0")}:${String(n % 100).padStart(2, "0")}`,
    time,
  });
}

/** Pages of the changes numbered from `first`, as the server answers a full page of them. */
function missedPage(first: number, count: number): ChangesPage {
  const changes = Array.from({ length: count }, (_, index) => missedChange(first + index));
  return { changes, cursor: changes.at(-1)!.time };
}

/** A feed mounted with one event at 01:00:00, so a catch-up starts from there. */
async function feedAfterOneEvent(isp: FakeIspService, onChanges: () => void = () => {}) {
  isp.changes = async () => ({ changes: [], cursor: "2026-11-24T00:00:00" });
  const mounted = await mountComponent(LiveFeed, isp, feedProps(onChanges));
  isp.push(missedChange(0));
  await nextTick();
  return mounted;
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
    let reports = 0;
    const { target } = await mountComponent(
      LiveFeed,
      isp,
      feedProps(() => reports++),
    );
    assert.deepEqual(texts(target, ".o_isp_core_feed_empty"), ["Waiting for devices…"]);

    const first = profileChange({ id: 1, mac: "AA:00:00:00:00:01", time: "2026-11-24T01:58:00" });
    isp.push(first);
    isp.push(profileChange({ id: 2, mac: "AA:00:00:00:00:02", time: "2026-11-24T01:59:00" }));
    isp.push(first);
    await nextTick();
    assert.deepEqual(feedMacs(target), ["AA:00:00:00:00:02", "AA:00:00:00:00:01"]);
    assert.deepEqual(newMacs(target), ["AA:00:00:00:00:02", "AA:00:00:00:00:01"]);
    assert.deepEqual(texts(target, ".o_isp_core_feed_new_badge"), ["New", "New"]);
    assert.strictEqual(reports, 2, "the duplicate is not reported again");
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
    assert.deepEqual(isp.callsTo("getChangesSince"), [["2026-11-24T01:58:00", CATCH_UP_PAGE_SIZE]]);
    assert.deepEqual(feedMacs(target), ["AA:00:00:00:00:03", "AA:00:00:00:00:02", "AA:00:00:00:00:01"]);
  });

  QUnit.test("a catch-up asks again while pages come back full, and shows the newest changes", async (assert) => {
    const isp = new FakeIspService();
    let reports = 0;
    const { target } = await feedAfterOneEvent(isp, () => reports++);
    reports = 0;
    const pages = [missedPage(1, CATCH_UP_PAGE_SIZE), missedPage(1 + CATCH_UP_PAGE_SIZE, 5)];
    isp.changes = async () => pages.shift()!;
    isp.reconnect();
    await nextTick();
    const newest = missedChange(CATCH_UP_PAGE_SIZE + 5);
    assert.deepEqual(isp.callsTo("getChangesSince"), [
      [missedChange(0).time, CATCH_UP_PAGE_SIZE],
      [missedChange(CATCH_UP_PAGE_SIZE).time, CATCH_UP_PAGE_SIZE],
    ]);
    assert.strictEqual(feedMacs(target).length, FEED_CAPACITY);
    assert.strictEqual(feedMacs(target)[0], newest.mac, "the last page's newest change is on top");
    assert.strictEqual(newMacs(target).length, FEED_CAPACITY);
    assert.strictEqual(reports, 1, "the dashboard refreshes once for the whole catch-up");

    isp.reconnect();
    await nextTick();
    assert.deepEqual(isp.callsTo("getChangesSince").at(-1), [newest.time, CATCH_UP_PAGE_SIZE], "the next catch-up starts after it");
  });

  QUnit.test("a catch-up longer than it is worth paging through reads the newest changes directly", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await feedAfterOneEvent(isp);
    let first = 1;
    isp.changes = async () => {
      const page = missedPage(first, CATCH_UP_PAGE_SIZE);
      first += CATCH_UP_PAGE_SIZE;
      return page;
    };
    const latest = missedPage(50_000, FEED_CAPACITY);
    isp.recentChanges = async () => latest;
    isp.reconnect();
    await nextTick();
    assert.strictEqual(isp.callsTo("getChangesSince").length, CATCH_UP_MAX_PAGES);
    assert.deepEqual(isp.callsTo("getRecentChanges").at(-1), [FEED_CAPACITY]);
    assert.deepEqual(feedMacs(target), latest.changes.map((change) => change.mac).reverse());
    isp.reconnect();
    await nextTick();
    assert.deepEqual(isp.callsTo("getChangesSince")[CATCH_UP_MAX_PAGES], [latest.cursor, CATCH_UP_PAGE_SIZE], "the next catch-up starts after them");
  });

  QUnit.test("a catch-up failing after a full page still shows that page", async (assert) => {
    const isp = new FakeIspService();
    const { target } = await feedAfterOneEvent(isp);
    let calls = 0;
    isp.changes = async () => {
      if (calls++) throw new Error("Connection lost");
      return missedPage(1, CATCH_UP_PAGE_SIZE);
    };
    isp.reconnect();
    await nextTick();
    assert.deepEqual(isp.notifications, [{ message: "Missed onboarding events could not be fetched: Connection lost", kind: "warning" }]);
    assert.strictEqual(feedMacs(target)[0], missedChange(CATCH_UP_PAGE_SIZE).mac);
    assert.strictEqual(feedMacs(target).length, FEED_CAPACITY);
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

  QUnit.test("stops listening when it goes away before it was ever mounted", async (assert) => {
    const isp = new FakeIspService();
    // A sibling still loading holds the whole render back: the feed is set up, never mounted.
    class StillLoading extends Component {
      static override template = xml`<div/>`;
      override setup(): void {
        onWillStart(() => new Promise(() => {}));
      }
    }
    class Page extends Component {
      static override template = xml`<div><LiveFeed t-props="feedProps"/><StillLoading/></div>`;
      static components = { LiveFeed, StillLoading };
      feedProps = feedProps();
    }
    const { app } = startMounting(Page, isp);
    await nextTick();
    assert.strictEqual(isp.changeListeners.size, 1);
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
