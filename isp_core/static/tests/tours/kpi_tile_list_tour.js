// The MAC Profiles dashboard, driven by test_ui_mac_profile_dashboard.py: a figure opens the list
// it counts.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("isp_core_kpi_tile_opens_its_list", {
    steps: () => [
        {
            content: "Open the devices online now",
            trigger: ".o_isp_core_kpi_online[aria-busy='false'] .o_isp_core_kpi_open",
            run: "click",
        },
        {
            content: "The list shows them, under the figure's name",
            trigger: ".o_breadcrumb:contains(Online now)",
        },
        {
            content: "The online device is listed",
            trigger: ".o_list_view .o_data_row:contains(onu-tour-online)",
        },
    ],
});
