// The staff UI's plain logic, called directly: no DOM, no OWL.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DateTime, Settings } from "luxon";
import { defaultCustomerName, dialogRequest, oneClickRequest } from "../../web_src/conversion/conversion_request.ts";
import { describeSeen } from "../../web_src/shared/seen_time.ts";
import { coalesce } from "../../web_src/dashboard/refresh_coalescer.ts";
import { FeedModel, timeKey } from "../../web_src/feed/feed_model.ts";
import { profileDomain } from "../../web_src/services/profile_query.ts";
import { sentenceParts, slotMarkers } from "../../web_src/shared/sentence_parts.ts";
import { describeError } from "../../web_src/services/describe_error.ts";
import { maskedHeaderField, routerHeaderField } from "../../web_src/settings/router_headers.ts";
import { appForRecord } from "../../web_src/navigation/record_app.ts";

const NOW = DateTime.fromISO("2026-11-24T02:00:00Z");

test("server times read relative to now, in the user's language and zone", () => {
  // Odoo sets luxon's default locale to the user's language.
  Settings.defaultLocale = "en-US";
  assert.deepEqual(describeSeen("2026-11-24 01:57:00", NOW, "America/Santo_Domingo"), {
    relative: "3 minutes ago",
    exact: "Nov 23, 2026, 9:57:00 PM",
  });
  assert.equal(describeSeen("2026-11-24T02:00:05", NOW)?.relative, "1 second ago", "a server clock ahead reads as just past");
  Settings.defaultLocale = "es";
  assert.equal(describeSeen("2026-11-24T01:00:00", NOW)?.relative, "hace 1 hora");
  Settings.defaultLocale = "en-US";
  assert.equal(describeSeen(false, NOW), null);
  assert.equal(describeSeen("not a date", NOW), null);
});

test("time keys order instants whatever precision or suffix the server used", () => {
  assert.ok(timeKey("2026-11-24T01:59:00.25") < timeKey("2026-11-24T01:59:00.250001"));
  assert.equal(timeKey("2026-11-24 01:59:00"), timeKey("2026-11-24T01:59:00.000000Z"));
  assert.ok(timeKey("2026-11-24T01:59:00+00:00") < timeKey("2026-11-24T01:59:01"));
});

test("the feed keeps the later of two changes of one transaction, and ignores a repeat or an older one", () => {
  const base = { id: 1, mac: "AA:BB:CC:00:00:01", online: true, sector_id: 3, sector_name: "Los Cacaos", hostname: "onu-1", last_ip: "10.10.0.50" };
  const feed = new FeedModel(10);
  const approved = { ...base, state: "approved" as const, time: "2026-11-24T01:59:00.250000" };
  const active = { ...approved, state: "active" as const };
  assert.equal(feed.apply([approved, active], { live: true }).length, 2);
  assert.equal(feed.entries[0]?.change.state, "active", "a conversion approves then activates, at one time: Active shows");
  assert.deepEqual(feed.apply([active], { live: true }), [], "the same change again is nothing new");
  assert.deepEqual(feed.apply([{ ...approved, time: "2026-11-24T01:58:00" }], { live: true }), [], "an older change is ignored");
  assert.equal(feed.entries[0]?.change.state, "active");
});

test("filters become a domain; search looks at MAC, IP and host name", () => {
  assert.deepEqual(profileDomain({ sectorId: null, state: "all", search: "  " }), []);
  assert.deepEqual(profileDomain({ sectorId: 4, state: "pending", search: " aa:bb " }), [
    ["state", "=", "pending"],
    ["sector_id", "=", 4],
    "|",
    "|",
    ["mac", "ilike", "aa:bb"],
    ["last_ip", "ilike", "aa:bb"],
    ["hostname", "ilike", "aa:bb"],
  ]);
});

test("conversion requests: one click needs a default plan, the dialog a plan and a customer", () => {
  const profile = { mac: "AA:BB:CC:00:00:01", hostname: " " as string | false };
  assert.equal(defaultCustomerName(profile), "AA:BB:CC:00:00:01");
  const plan = { id: 5, name: "Fiber" };
  assert.deepEqual(oneClickRequest({ default_plan: plan, create_captive_user: false, plans: [plan] }, profile), {
    plan_id: 5,
    partner_name: "AA:BB:CC:00:00:01",
  });
  assert.equal(oneClickRequest({ default_plan: false, create_captive_user: false, plans: [plan] }, profile), null);
  const choice = { planId: 5, customerMode: "new" as const, newCustomerName: "", existingCustomerId: null, createCaptiveUser: true };
  assert.equal(dialogRequest(choice), null, "a new customer needs a name");
  assert.equal(dialogRequest({ ...choice, planId: null, newCustomerName: "Ana" }), null, "a plan is required");
  assert.equal(dialogRequest({ ...choice, customerMode: "existing" }), null, "an existing customer must be picked");
  assert.deepEqual(dialogRequest({ ...choice, customerMode: "existing", existingCustomerId: 9 }), {
    plan_id: 5,
    create_captive_user: true,
    partner_id: 9,
  });
});

test("a burst of refresh requests runs the refresh twice, not once per request", async () => {
  let runs = 0;
  let release!: () => void;
  const refresh = coalesce(async () => {
    runs++;
    if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
  });
  const first = refresh();
  void refresh();
  void refresh();
  release();
  await first;
  assert.equal(runs, 2);
  await refresh();
  assert.equal(runs, 3, "a later request runs again");
});

test("a sentence with elements inside stays whole for translators, who may reorder it", () => {
  const markers = slotMarkers("subscription", "mac");
  // What Odoo's `_t` does with named placeholders, after translating the sentence.
  const fill = (sentence: string) => sentence.replace(/%\((\w+)\)s/g, (_match, name: "mac" | "subscription") => markers[name]);
  assert.deepEqual(sentenceParts(fill("Subscription %(subscription)s created for %(mac)s.")), [
    { text: "Subscription " },
    { slot: "subscription" },
    { text: " created for " },
    { slot: "mac" },
    { text: "." },
  ]);
  assert.deepEqual(sentenceParts(fill("Para %(mac)s se creó %(subscription)s")), [
    { text: "Para " },
    { slot: "mac" },
    { text: " se creó " },
    { slot: "subscription" },
  ]);
});

test("errors read as the server's message, never its traceback", () => {
  assert.equal(describeError({ data: { message: "No valid default plan", debug: "Traceback ..." } }), "No valid default plan");
  assert.equal(describeError(new Error("Connection lost")), "Connection lost");
  assert.equal(describeError("plain"), "plain");
});

test("router headers are written for RouterOS http-header-field, and masked on screen", () => {
  assert.equal(routerHeaderField("tok", "isp"), "X-ISP-Token: tok,X-Odoo-Database: isp");
  const masked = maskedHeaderField("abcdefghijkl", "isp");
  assert.ok(!masked.includes("efghijkl"));
  assert.ok(masked.endsWith(",X-Odoo-Database: isp"));
});

test("a link to one of isp_core's records shows it under the ISP app, unless a menu already chose one", () => {
  const discuss = { id: 1, appID: 1, actionID: 10, xmlid: "mail.menu_root_discuss" };
  const isp = { id: 2, appID: 2, actionID: false as const, xmlid: "isp_core.isp_root_menu" };
  const subscriptions = { id: 3, appID: 2, actionID: 30, xmlid: "isp_core.isp_subscription_menu" };
  const menus = [discuss, isp, subscriptions];
  assert.equal(appForRecord("isp.mac.profile", undefined, menus, discuss.id), isp, "shown under Discuss, the last app");
  assert.equal(appForRecord("isp.mac.profile", 99, menus, undefined), isp, "shown under no app");
  assert.equal(appForRecord("isp.mac.profile", undefined, menus, isp.id), null, "already under ISP");
  assert.equal(appForRecord("isp.subscription", 30, menus, discuss.id), null, "its menu's app was chosen by Odoo");
  assert.equal(appForRecord("res.partner", undefined, menus, discuss.id), null, "not isp_core's");
  assert.equal(appForRecord(undefined, undefined, menus, discuss.id), null, "a client action");
  assert.equal(appForRecord(false, 40, menus, discuss.id), null, "an action on no model");
  assert.equal(appForRecord("isp.mac.profile", undefined, [discuss], discuss.id), null, "a user without the ISP app");
});
