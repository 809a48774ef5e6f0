// Staff flow of ISP → Operations → MAC Profiles, driven by test_ui_mac_profile_dashboard.py: a
// router reports a new ONU while the dashboard is open, the live feed shows it without a
// reload, and one click turns it into a subscription.
import { registry } from "@web/core/registry";
import { session } from "@web/session";
import { stepUtils } from "@web_tour/tour_utils";

// Both are set by the Python test before the tour starts.
const TOKEN = "isp-ui-tour-token";
const MAC = "AA:BB:CC:00:77:01";

async function postLease() {
    const response = await fetch("/isp/mac_onboarding", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-ISP-Token": TOKEN, "X-Odoo-Database": session.db },
        body: JSON.stringify({
            mac: MAC,
            ip: "10.77.0.10",
            bound: "1",
            server: "dhcp-lan",
            hostname: "onu-tour-casa",
            router: "MK-UI-TOUR",
            sector: "",
        }),
    });
    if (!response.ok) {
        throw new Error(`the lease was refused: HTTP ${response.status} ${await response.text()}`);
    }
}

registry.category("web_tour.tours").add("isp_core_mac_profile_dashboard", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the ISP app",
            trigger: ".o_app[data-menu-xmlid='isp_core.isp_root_menu']",
            run: "click",
        },
        {
            content: "Open Operations",
            trigger: ".o_menu_sections [data-menu-xmlid='isp_core.isp_operations_menu']",
            run: "click",
        },
        {
            content: "Open MAC Profiles",
            trigger: ".dropdown-item[data-menu-xmlid='isp_core.isp_mac_profile_menu']",
            run: "click",
        },
        {
            content: "The key figures are loaded",
            trigger: ".o_isp_core_dashboard .o_isp_core_kpi_pending[aria-busy='false']",
        },
        {
            content: "A router reports a new ONU while the dashboard is open",
            trigger: ".o_isp_core_live_feed[aria-busy='false']",
            run: postLease,
        },
        {
            content: "The feed shows it, marked new, without a reload",
            trigger: `.o_isp_core_feed_new .o_isp_core_feed_mac:contains(${MAC})`,
        },
        {
            content: "The pending queue lists it",
            trigger: `.o_isp_core_queue_row:contains(${MAC}) .o_isp_core_hostname:contains(onu-tour-casa)`,
        },
        {
            content: "Convert it with one click",
            trigger: `.o_isp_core_queue_row:contains(${MAC}) .o_isp_core_convert`,
            run: "click",
        },
        {
            content: "The result links to the new subscription",
            trigger: `.o_isp_core_conversion_result:contains(${MAC}) .o_isp_core_conversion_result_link`,
            run: "click",
        },
        {
            content: "The subscription opens, for the converted device",
            trigger: `.o_form_view .o_field_widget[name=mac_profile_id] input:value(${MAC})`,
        },
        {
            content: "It is active in one click, and says the router has not applied it yet",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Active)",
        },
        {
            content: "The banner names the router that still has to apply it",
            trigger: ".o_form_view .o_isp_core_network_status:contains(MK-UI-TOUR)",
        },
    ],
});
