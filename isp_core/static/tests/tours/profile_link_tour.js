// A link straight to a MAC profile, driven by test_ui_lists.py: opened in a tab that last showed
// Discuss, the device reads under the ISP app, with its menus.
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

// Set by the Python test.
const MAC = "AA:BB:CC:DD:EE:77";

registry.category("web_tour.tours").add("isp_core_profile_link", {
    steps: () => [
        {
            content: "The tab shows another app first",
            trigger: ".o_main_navbar .o_menu_brand:not(:contains(ISP))",
            expectUnloadPage: true,
            async run() {
                const [profile] = await rpc("/web/dataset/call_kw/isp.mac.profile/search_read", {
                    model: "isp.mac.profile",
                    method: "search_read",
                    args: [[["mac", "=", MAC]], ["id"]],
                    kwargs: {},
                });
                window.location.href = `/odoo/isp.mac.profile/${profile.id}`;
            },
        },
        {
            content: "The linked device opens",
            trigger: `.o_form_view .o_breadcrumb:contains(${MAC})`,
        },
        {
            content: "under the ISP app",
            trigger: ".o_main_navbar .o_menu_brand:contains(ISP)",
        },
        {
            content: "with the ISP app's menus",
            trigger: ".o_main_navbar .o_menu_sections [data-menu-xmlid='isp_core.isp_operations_menu']",
        },
    ],
});
