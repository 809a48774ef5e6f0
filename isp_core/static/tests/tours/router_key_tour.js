// The router form and the key dialog in Spanish, driven by test_ui_forms.py: a manager reads that
// the agent-mode router has no key, generates one, is warned before, reads the key once in the
// dialog with what to do with it, and the form then reads the key as set.
import { registry } from "@web/core/registry";

// Set by the Python test.
const ROUTER = "MK-ARROYO-HONDO";

registry.category("web_tour.tours").add("isp_core_router_key", {
    steps: () => [
        {
            content: "Open the router",
            trigger: `.o_list_view .o_data_row td[name=name]:contains(${ROUTER})`,
            run: "click",
        },
        {
            content: "The form names the router",
            trigger: `.o_form_view .o_field_widget[name=name] input:value(${ROUTER})`,
        },
        {
            content: "It says how the router connects",
            trigger: ".o_form_view .o_field_widget[name=connection_mode] .form-check:has(input:checked) label:contains(El router se reporta (agente))",
        },
        {
            content: "and that it has no key yet",
            trigger: ".o_form_view .alert-info:contains(Este router aún no tiene clave: genere una, o ejecute el preloader, que le pide una a Odoo.)",
        },
        {
            content: "Generate a key",
            trigger: ".o_form_view button[name=action_rotate_key]:contains(Generar clave de router)",
            run: "click",
        },
        {
            content: "Odoo warns first what a new key does",
            trigger: ".modal:contains(Los routers que usan la clave actual serán rechazados hasta que reciban la nueva. ¿Generar una clave nueva?) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The dialog shows the key once, and says what to do with it",
            trigger: ".modal:contains(Nueva clave de router):contains(Copie la clave ahora: Odoo no la volverá a mostrar.) .o_field_widget[name=token]",
            run() {
                if (this.anchor.textContent.trim().length < 32) {
                    throw new Error(`the key reads ${JSON.stringify(this.anchor.textContent.trim())}`);
                }
            },
        },
        {
            content: "A first key replaces nothing",
            trigger: ".modal:not(:contains(La clave anterior ya no funciona))",
        },
        {
            content: "Close it",
            trigger: ".modal .modal-footer button[name=action_done]:contains(Cerrar)",
            run: "click",
        },
        {
            content: "The form now reads the key as set, and the warning is gone",
            trigger: ".o_form_view:not(:has(.modal)):not(:has(.alert-info:contains(Este router aún no tiene clave))) .o_field_widget[name=key_set] input:checked",
        },
    ],
});
