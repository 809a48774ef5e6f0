// Settings → ISP, driven by test_ui_mac_profile_dashboard.py: Settings only say that a token is
// set; rotating it shows the new one once, with the lease-script URL, the headers and a test of
// the endpoint with it.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("isp_core_settings_router_setup", {
    steps: () => [
        {
            content: "Settings say a token is set, without showing it",
            trigger: ".o_isp_core_token_state:contains(A token is set)",
        },
        {
            content: "Rotate it",
            trigger: "button.o_isp_core_rotate_token",
            run: "click",
        },
        {
            content: "Confirm that routers with the old token will be refused",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The new token is shown once",
            trigger: ".modal .o_isp_core_new_token:not(:contains(isp-ui-tour-token))",
        },
        {
            content: "The lease-script URL is ready to copy",
            trigger: ".modal .o_isp_core_onboarding_endpoint .o_isp_core_endpoint_url:value(/isp/mac_onboarding)",
        },
        {
            content: "The headers show the database but hide the token",
            trigger: ".modal .o_isp_core_endpoint_headers:value(X-Odoo-Database)",
        },
        {
            content: "Test the endpoint with the new token",
            trigger: ".modal .o_isp_core_endpoint_test",
            run: "click",
        },
        {
            content: "The endpoint accepts it",
            trigger: ".modal .o_isp_core_endpoint_result.text-success:contains(HTTP 200):contains(ready)",
        },
        {
            content: "Done: the token is not kept for display",
            trigger: ".modal-footer button[name=action_done]",
            run: "click",
        },
        {
            content: "Back in Settings",
            trigger: "body:not(:has(.modal)) .o_isp_core_token_state:contains(A token is set)",
        },
    ],
});
