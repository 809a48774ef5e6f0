// The staff's screens follow the router live, driven by test_ui_live_network.py, in Spanish: a
// pending ONU converted in one click reads "waiting for the router" until the emulated router
// applies its jobs, then "on the network"; suspended from its form, the same. Each change must
// show without a reload, within 2 s of the router's report that finished the job.
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

// Set by the Python test.
const MAC = "AA:BB:CC:5E:00:20";
const ROUTER = "SEC-950-lease_chain-1";
const FOLLOW_LIMIT_MS = 2000;

/** Records, once, the browser's time when `condition` first holds, under `window.__ispSeen[name]`. */
function noteWhen(name, condition) {
    const check = () => {
        if (!window.__ispSeen[name] && condition()) {
            window.__ispSeen[name] = Date.now();
        }
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
    check();
}

/** When the last job of the subscription was done, by the server's clock (whole seconds, UTC). */
async function lastJobDoneAt(subscriptionId) {
    const jobs = await rpc("/web/dataset/call_kw/isp.provisioning.job/search_read", {
        model: "isp.provisioning.job",
        method: "search_read",
        args: [
            ["|", ["subscription_id", "=", subscriptionId], ["captive_user_id.subscription_id", "=", subscriptionId]],
            ["state", "done_at"],
        ],
        kwargs: { context: { active_test: false } },
    });
    const open = jobs.filter((job) => job.state !== "done");
    if (!jobs.length || open.length) {
        throw new Error(`the page says the router applied it, but jobs are ${JSON.stringify(jobs)}`);
    }
    return Math.max(...jobs.map((job) => Date.parse(job.done_at.replace(" ", "T") + "Z")));
}

/** The page followed the router without a reload, within FOLLOW_LIMIT_MS of the job's end. */
async function assertFollowedLive(seenName, subscriptionId) {
    if (!window.__ispSeen) {
        throw new Error("the page was reloaded");
    }
    const doneAt = await lastJobDoneAt(subscriptionId);
    // done_at is cut to the second: the true delay is at most this one.
    const delay = window.__ispSeen[seenName] - doneAt;
    if (!(delay < FOLLOW_LIMIT_MS)) {
        throw new Error(`${seenName}: the page followed ${delay} ms after the job was done (limit ${FOLLOW_LIMIT_MS} ms)`);
    }
}

function subscriptionId() {
    const link = document.querySelector(".o_isp_core_conversion_result_link");
    return Number(link.getAttribute("href").split("/").pop());
}

registry.category("web_tour.tours").add("isp_core_live_network", {
    steps: () => [
        {
            content: "The router's new ONU waits in the queue",
            trigger: `.o_isp_core_queue_row:contains(${MAC}) .o_isp_core_convert:contains(Convertir en suscripción)`,
            async run(helpers) {
                window.__ispSeen = {};
                noteWhen("converted_on_network", () => !!document.querySelector(".o_isp_core_conversion_on_network"));
                await helpers.click();
            },
        },
        {
            content: "Converted in one click: the banner says the router has still to apply it",
            trigger: `.o_isp_core_conversion_result:contains(${MAC}) .o_isp_core_conversion_network:contains(Esperando que el router ${ROUTER} lo aplique en su próximo reporte)`,
        },
        {
            content: "The router applies it: the banner says so, without a reload",
            trigger: ".o_isp_core_conversion_result .o_isp_core_conversion_on_network:contains(En la red: el router ya lo aplica.)",
            async run() {
                window.__ispSubscriptionId = subscriptionId();
                await assertFollowedLive("converted_on_network", window.__ispSubscriptionId);
            },
        },
        {
            content: "Open the subscription from the banner",
            trigger: ".o_isp_core_conversion_result_link",
            run: "click",
        },
        {
            content: "The subscription reads active, for the device, and on the network",
            // On a phone the status bar folds its steps into a menu: the current one is read either way.
            trigger: `.o_form_view:not(:has(.o_isp_core_network_status)):has(.o_statusbar_status .o_arrow_button_current:contains(Activo)) .o_field_widget[name=mac_profile_id] input:value(${MAC})`,
        },
        {
            content: "Suspend it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_suspend]:contains(Suspender)",
            async run(helpers) {
                noteWhen("suspension_waiting", () => !!document.querySelector(".o_isp_core_network_status"));
                noteWhen(
                    "suspension_on_network",
                    () => window.__ispSeen.suspension_waiting && !document.querySelector(".o_isp_core_network_status")
                );
                await helpers.click();
            },
        },
        {
            content: "Suspended in Odoo; the form says the router has still to cut it",
            trigger: `.o_form_view:has(.o_statusbar_status .o_arrow_button_current:contains(Suspendido)) .o_isp_core_network_status:contains(Esperando que el router ${ROUTER} lo aplique en su próximo reporte)`,
        },
        {
            content: "The router cuts it: the banner goes, without a reload",
            trigger: ".o_form_view:not(:has(.o_isp_core_network_status)):has(.o_statusbar_status .o_arrow_button_current:contains(Suspendido)) .o_form_sheet",
            run: () => assertFollowedLive("suspension_on_network", window.__ispSubscriptionId),
        },
    ],
});
