// The conversion dialog in Spanish, driven by test_ui_forms.py: without a default plan, Convert
// asks for one, and says why; with the plan chosen, the banner names the new subscription.
import { registry } from "@web/core/registry";

// Set by the Python test.
const MAC = "AA:BB:CC:5E:00:40";

registry.category("web_tour.tours").add("isp_core_conversion_dialog", {
    steps: () => [
        {
            content: "Convert the pending device",
            trigger: `.o_isp_core_queue_row:contains(${MAC}) .o_isp_core_convert:contains(Convertir en suscripción)`,
            run: "click",
        },
        {
            content: "The dialog names the device and says why it asks for a plan",
            trigger: `.o_isp_core_conversion_dialog:has(.modal-title:contains(Convertir ${MAC} en suscripción)):contains(No hay un plan predeterminado en Ajustes: elija uno.)`,
        },
        {
            content: "It offers a new customer named after the device, and a captive-portal user",
            trigger: ".o_isp_core_conversion_dialog:contains(Cliente nuevo):contains(Crear un usuario del portal cautivo) .o_isp_core_customer_name:value(onu-dialogo)",
        },
        {
            content: "Choose the plan",
            trigger: ".o_isp_core_conversion_dialog select.o_isp_core_conversion_plan:contains(Elija un plan…)",
            run() {
                const plan = [...this.anchor.options].find((option) => option.textContent.trim() === "Fibra 30/10");
                this.anchor.value = plan.value;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Convert",
            trigger: ".o_isp_core_conversion_dialog .o_isp_core_conversion_confirm:contains(Convertir):enabled",
            run: "click",
        },
        {
            content: "The dialog closes; the banner names the subscription made for the device",
            trigger: `body:not(:has(.o_isp_core_conversion_dialog)) .o_isp_core_conversion_result:contains(La suscripción):contains(está activa para ${MAC})`,
        },
    ],
});
