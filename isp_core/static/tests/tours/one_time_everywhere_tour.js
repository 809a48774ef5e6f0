// One event, one time on every screen, driven by test_ui_live_network.py: a router checked in and
// synced its leases, a device changed and staff wrote in the router's chatter, all at the same
// minute. A user in Santo Domingo (their browser and their Odoo preferences) reads that minute in
// Santo Domingo's time on the dashboard's feed, the router form, its chatter, its Test Connection
// message and the lease sync's name.
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

// Set by the Python test.
const MAC = "AA:BB:CC:5E:00:30";
const ROUTER = "MK-LOS-CACAOS";
const ZONE = "America/Santo_Domingo";

/** Minutes since midnight of the first clock time in `text` ("4:11", "04:11:00", "4:11 p. m."). */
function clockMinutes(text) {
    const match = /(\d{1,2}):(\d{2})(?::\d{2})?(?:\s*([ap])\.?\s*m\.?)?/i.exec(text.replace(/\u00a0|\u202f/g, " "));
    if (!match) {
        throw new Error(`no time in ${JSON.stringify(text)}`);
    }
    let hours = Number(match[1]) % (match[3] ? 12 : 24);
    if (match[3]?.toLowerCase() === "p") {
        hours += 12;
    }
    return hours * 60 + Number(match[2]);
}

/** The event's minute in Santo Domingo, from the router's last contact as Odoo stores it (UTC). */
async function expectedMinutes() {
    const [router] = await rpc("/web/dataset/call_kw/isp.router/search_read", {
        model: "isp.router",
        method: "search_read",
        args: [[["name", "=", ROUTER]], ["last_contact"]],
        kwargs: {},
    });
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: ZONE, hour: "numeric", minute: "numeric", hourCycle: "h23" })
        .formatToParts(new Date(router.last_contact.replace(" ", "T") + "Z"));
    const part = (type) => Number(parts.find((candidate) => candidate.type === type).value);
    return part("hour") * 60 + part("minute");
}

/** Each page of the tour is a new document: the expected time is read again on each. */
async function assertSameTime(where, text) {
    const shown = clockMinutes(text);
    if (shown !== (await expectedMinutes())) {
        throw new Error(`${where} reads ${JSON.stringify(text)}, not the event's time in ${ZONE}`);
    }
}

registry.category("web_tour.tours").add("isp_core_one_time_everywhere", {
    steps: () => [
        {
            content: "The browser is in Santo Domingo",
            trigger: ".o_isp_core_dashboard",
            async run() {
                const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
                if (zone !== ZONE) {
                    throw new Error(`the browser's zone is ${zone}`);
                }
            },
        },
        {
            content: "The feed shows the device's change at the event's time",
            trigger: `.o_isp_core_feed_entry:contains(${MAC}) time[title]`,
            run() {
                return assertSameTime("the feed", this.anchor.getAttribute("title"));
            },
        },
        {
            content: "Open the router",
            trigger: ".o_main_navbar",
            expectUnloadPage: true,
            run() {
                window.location.href = "/odoo/action-isp_core.isp_router_action";
            },
        },
        {
            content: "Open it from the list",
            trigger: `.o_list_view .o_data_row td[name=name]:contains(${ROUTER})`,
            run: "click",
        },
        {
            content: "The form's last contact is the event's time",
            trigger: ".o_form_view .o_field_widget[name=last_contact]",
            run() {
                return assertSameTime("the router form's last contact", this.anchor.textContent);
            },
        },
        {
            content: "The chatter's message is dated the event's time",
            trigger: ".o-mail-Message:contains(Revisado en sitio) .o-mail-Message-date[title]",
            run() {
                return assertSameTime("the chatter", this.anchor.getAttribute("title"));
            },
        },
        {
            content: "Test Connection",
            trigger: ".o_form_view button[name=action_test_connection]:contains(Probar conexión)",
            run: "click",
        },
        {
            // A delay, not a clock time: the server does not know the reader's zone.
            content: "It says how long ago the router checked in, as the form's time says",
            trigger: ".o_notification:contains(Último reporte hace 2 horas, RouterOS 7.19.6)",
        },
        {
            content: "Open the router's lease syncs",
            trigger: ".o_main_navbar",
            expectUnloadPage: true,
            run() {
                window.location.href = "/odoo/action-isp_core.isp_lease_reconciliation_action";
            },
        },
        {
            content: "Open the sync",
            trigger: `.o_list_view .o_data_row:contains(${ROUTER}) td.o_data_cell`,
            run: "click",
        },
        {
            content: "The sync is named by its router and the event's time",
            trigger: `.o_breadcrumb:contains(Sincronización ${ROUTER})`,
            run() {
                return assertSameTime("the sync's name", this.anchor.textContent.replace(ROUTER, ""));
            },
        },
    ],
});
