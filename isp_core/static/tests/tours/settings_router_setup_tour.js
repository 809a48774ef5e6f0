// Settings → ISP, driven by test_ui_mac_profile_dashboard.py: the router set-up block shows the
// lease-script URL and checks that the endpoint accepts the saved token.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("isp_core_settings_router_setup", {
    steps: () => [
        {
            content: "The lease-script URL is ready to copy",
            trigger: ".o_isp_core_onboarding_endpoint .o_isp_core_endpoint_url:value(/isp/mac_onboarding)",
        },
        {
            content: "The headers show the database but hide the token",
            trigger: ".o_isp_core_endpoint_headers:value(X-Odoo-Database):not(:value(isp-ui-tour-token))",
        },
        {
            content: "Test the endpoint with the saved token",
            trigger: ".o_isp_core_endpoint_test",
            run: "click",
        },
        {
            content: "The endpoint accepts it",
            trigger: ".o_isp_core_endpoint_result.text-success:contains(HTTP 200):contains(ready)",
        },
    ],
});
