// The second half of `npm run bench:billing`: how long a payment takes to reconnect a customer
// suspended for non-payment. Odoo serves isp_billing with 2 workers and 1 cron worker, which runs
// the provisioning jobs against an emulated router (api mode) in this process. Customers arrive
// by lease report, are billed from a day long past, and the collections run suspends them for
// non-payment. Then each pays, one after the other, through Odoo's own payment registration; the
// delay runs from the answer to the registration call (its reconciliation, which reactivates the
// subscription, committed) to the moment the customer's hotspot user on the router is enabled,
// with no job left. The calls' own duration is reported beside it.
// The baseline, in the same run: staff reactivating a subscription they suspended themselves,
// the path every reactivation takes to the router.
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { startEmulator } from "../../tools/routeros-emulator/index.ts";
import * as contract from "../../tools/contract.ts";
import { callKw, jsonRpc, login } from "../odoo/rpc.mjs";
import { startOdooForBench } from "./odoo-server.mjs";
import { percentile } from "./stats.ts";

const DATABASE = "isp_bench_payment_to_router";
const TOKEN = "bench-payment-to-router-token";
const PAYMENTS = Number(process.env.ISP_BENCH_PAYMENTS ?? 100);
const STAFF_REACTIVATIONS = Number(process.env.ISP_BENCH_STAFF_REACTIVATIONS ?? 30);
const DAYS_UNPAID = 40;
const POLL_MS = 20;
const GIVE_UP_MS = Number(process.env.ISP_BENCH_GIVE_UP_MS ?? 120_000);
export const TARGET_P95_MS = 2_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const macOf = (index) =>
  `02:00:00:19:${((index >> 8) & 255).toString(16).padStart(2, "0")}:${(index & 255).toString(16).padStart(2, "0")}`.toUpperCase();
const isoDay = (date) => date.toISOString().slice(0, 10);

async function waitFor(check, what) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > GIVE_UP_MS) throw new Error(`gave up after ${GIVE_UP_MS / 1000} s waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

/**
 * @returns {Promise<{ payments: number[], paymentCalls: number[], staff: number[], staffCalls: number[], stranded: number }>}
 *   the delays (ms) from each payment's and each staff reactivation's answer to the router, how
 *   long those calls took, and the customers the router never followed
 */
export async function measurePaymentToRouter() {
  const odoo = await startOdooForBench({ database: DATABASE, workers: 2, cronThreads: 1, addons: ["isp_billing"] });
  const emulator = await startEmulator();
  const router = await RouterOsClient.connect({ host: emulator.host, port: emulator.port, user: "admin", password: "" });
  try {
    const base = `http://127.0.0.1:${odoo.port}`;
    const rpc = jsonRpc(base, await login(base, DATABASE));
    const call = (model, method, args, kwargs) => rpc(...callKw(model, method, args, kwargs));
    const openJobs = () => call("isp.provisioning.job", "search_count", [[["state", "!=", "done"]]]);

    // Only the emulator may be contacted: the demo data's router steps aside. The billing and
    // collections crons run when this bench says, not on their own.
    await call("isp.router", "write", [await call("isp.router", "search", [[]]), { active: false }]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 19).replace("T", " ");
    const billingCrons = await call("ir.cron", "search", [
      [["code", "in", ["model._cron_bill_due_subscriptions()", "model._cron_run_collections()"]]],
    ]);
    await call("ir.cron", "write", [billingCrons, { nextcall: tomorrow }]);
    const [collectionsCron] = await call("ir.cron", "search", [[["code", "=", "model._cron_run_collections()"]]]);
    const unpaidSince = new Date(Date.now() - DAYS_UNPAID * 86_400_000);
    // Immediate payment: each invoice is due on its date (without a term, Odoo makes it due on the day it is posted).
    const [immediate] = await call("ir.model.data", "search_read", [
      [
        ["module", "=", "account"],
        ["name", "=", "account_payment_term_immediate"],
      ],
      ["res_id"],
    ]);
    for (const [key, value] of Object.entries({
      [contract.TOKEN_PARAMETER]: TOKEN,
      "isp_core.mac_auto_provision_captive": "1",
      "isp_billing.default_billing_day": String(unpaidSince.getUTCDate()),
      "isp_billing.default_payment_term_id": String(immediate.res_id),
      "isp_billing.leave_invoices_in_draft": "0",
      "isp_billing.reminder_days_before_due": "",
      "isp_billing.reminder_days_after_due": "",
      "isp_billing.grace_days": "10",
      "isp_billing.auto_suspend": "True",
    })) {
      await call("ir.config_parameter", "set_param", [key, value]);
    }
    await call("isp.router", "create", [[{ name: "MK-BENCH", host: emulator.host, api_port: emulator.port, api_user: "admin" }]]);
    const [planId] = await call("isp.service.plan", "create", [
      [{ name: "Bench 20/5", download_mbps: 20, upload_mbps: 5, price: 1200, hotspot_profile: "bench" }],
    ]);

    // The customers arrive by lease report, as the network says, and their service started
    // DAYS_UNPAID days ago: the billing run invoices what they owe since.
    const customers = [];
    const customerCount = Math.max(PAYMENTS, STAFF_REACTIVATIONS);
    for (let index = 0; index < customerCount; index++) {
      const mac = macOf(index);
      const response = await fetch(`${base}${contract.WEBHOOK_PATH}`, {
        method: "POST",
        headers: { [contract.TOKEN_HEADER]: TOKEN, [contract.DATABASE_HEADER]: DATABASE, "Content-Type": "application/json" },
        body: JSON.stringify({ mac, ip: `10.71.${index >> 8}.${(index & 255) + 1}`, bound: 1, router: "MK-BENCH" }),
      });
      if (!response.ok) throw new Error(`lease report answered ${response.status}: ${await response.text()}`);
      const { profile_id: profileId } = await response.json();
      const { subscription_id: subscriptionId } = await call("isp.mac.profile", "convert_to_subscription", [[profileId]], {
        plan_id: planId,
        partner_name: `Customer ${index}`,
        create_captive_user: true,
      });
      customers.push({ mac, subscriptionId });
    }
    const subscriptionIds = customers.map((customer) => customer.subscriptionId);
    await call("isp.subscription", "write", [subscriptionIds, { next_period_start: isoDay(unpaidSince) }]);
    await call("isp.subscription", "action_bill_now", [subscriptionIds]);

    const hotspotUser = async (customer) => (await router.print("/ip/hotspot/user", { query: [`?name=${customer.mac}`], proplist: ["disabled"] }))[0];
    const routerFollows = async (customer, disabled) =>
      (await hotspotUser(customer))?.disabled === (disabled ? "true" : "false") && (await openJobs()) === 0;
    const allFollow = async (disabled) => {
      for (const customer of customers) if (!(await routerFollows(customer, disabled))) return false;
      return true;
    };
    await waitFor(() => allFollow(false), "the customers' first provisioning");

    /**
     * Runs `act` on each customer in turn. Each delay runs from the answer to `act` (its
     * transaction committed: for a payment, its reconciliation) to the router enabling the
     * customer; `calls` holds how long `act` itself took.
     */
    async function measure(count, act) {
      const delays = [];
      const calls = [];
      let stranded = 0;
      for (const customer of customers.slice(0, count)) {
        const called = performance.now();
        await act(customer);
        const started = performance.now();
        calls.push(started - called);
        try {
          await waitFor(() => routerFollows(customer, false), `the router to enable ${customer.mac}`);
          delays.push(performance.now() - started);
        } catch {
          stranded++;
        }
        await sleep(Math.random() * 300);
      }
      return { delays, calls, stranded };
    }

    // Baseline: staff suspend every customer, then reactivate them one by one.
    await call("isp.subscription", "action_suspend", [subscriptionIds.slice(0, STAFF_REACTIVATIONS)]);
    await waitFor(async () => {
      for (const customer of customers.slice(0, STAFF_REACTIVATIONS)) if (!(await routerFollows(customer, true))) return false;
      return true;
    }, "the staff suspensions");
    const staff = await measure(STAFF_REACTIVATIONS, (customer) => call("isp.subscription", "action_reactivate", [[customer.subscriptionId]]));

    // Non-payment: the collections run suspends every customer, then each pays.
    await call("ir.cron", "method_direct_trigger", [[collectionsCron]]);
    const suspended = await call("isp.subscription", "search_count", [[["suspension_reason", "=", "non_payment"]]]);
    if (suspended !== customerCount) throw new Error(`the collections run suspended ${suspended} of ${customerCount} customers`);
    await waitFor(() => allFollow(true), "the suspensions for non-payment");
    const payments = await measure(PAYMENTS, async (customer) => {
      const invoices = await call("account.move", "search", [
        [
          ["isp_subscription_id", "=", customer.subscriptionId],
          ["state", "=", "posted"],
          ["payment_state", "in", ["not_paid", "partial"]],
        ],
      ]);
      const context = { active_model: "account.move", active_ids: invoices };
      const [wizard] = await call("account.payment.register", "create", [[{}]], { context });
      await call("account.payment.register", "action_create_payments", [[wizard]], { context });
    });
    const errors = odoo.errorLines();
    if (errors.length) console.log(`Odoo logged ${errors.length} errors; the first: ${errors[0]}`);
    return {
      payments: payments.delays,
      paymentCalls: payments.calls,
      staff: staff.delays,
      staffCalls: staff.calls,
      stranded: payments.stranded + staff.stranded,
    };
  } finally {
    await router.close();
    await emulator.close();
    await odoo.stop();
  }
}

/** Prints the figures; returns whether the targets are met. */
export function reportPaymentToRouter({ payments, paymentCalls, staff, staffCalls, stranded }) {
  const figures = (delays) => ({ p50: percentile(delays, 50), p95: percentile(delays, 95), worst: Math.max(0, ...delays) });
  const paid = figures(payments);
  const baseline = figures(staff);
  console.log("                                   count   p50 ms   p95 ms  worst ms");
  for (const [label, delays] of [
    ["staff reactivation call", staffCalls],
    ["  its answer to the router (baseline)", staff],
    ["payment registration call", paymentCalls],
    ["  its reconciliation to the router", payments],
  ]) {
    const stats = figures(delays);
    console.log(
      `${label.padEnd(34)} ${String(delays.length).padStart(5)} ${stats.p50.toFixed(0).padStart(8)} ${stats.p95.toFixed(0).padStart(8)} ${stats.worst.toFixed(0).padStart(9)}`,
    );
  }
  console.log(`payment/staff to the router: p50 x${(paid.p50 / baseline.p50).toFixed(2)}, p95 x${(paid.p95 / baseline.p95).toFixed(2)}`);
  const checks = [
    [
      `payment to router: p95 ${(paid.p95 / 1000).toFixed(2)} s from the reconciliation, over ${payments.length} payments (target < ${TARGET_P95_MS / 1000} s)`,
      paid.p95 < TARGET_P95_MS,
    ],
    [`customers the router never enabled: ${stranded} (target 0)`, stranded === 0],
  ];
  for (const [text, ok] of checks) console.log(`${ok ? "ok  " : "MISS"} ${text}`);
  return checks.every(([, ok]) => ok);
}
