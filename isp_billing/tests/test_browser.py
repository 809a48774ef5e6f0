import json

from odoo.tests import HttpCase, tagged

from odoo.addons.isp_core.lib import contract
from odoo.addons.isp_core.tests import test_translations

from .test_collector import CollectorCase

# Fails the browser test when the page is wider than the phone, or a term stayed in English.
PHONE_CHECK = """
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) { throw new Error(`the page is ${overflow}px wider than the phone`); }
    const text = document.body.innerText;
    for (const expected of %s) {
        if (!text.includes(expected)) { throw new Error(`"${expected}" is not on the page: ${text.slice(0, 400)}`); }
    }
    console.log("test successful");
"""


@tagged("post_install", "-at_install")
class TestPhoneScreensInChromium(HttpCase, CollectorCase):
    """The collector's screen, the customer portal and the notice page in real Chromium, 390 px
    wide, in Spanish."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.read_in_spanish()
        cls.collector.lang = test_translations.LANG

    def test_the_collector_screen_fits_a_phone_in_spanish(self):
        subscription = self.unpaid_and_suspended()
        # The data was made in 2027 (frozen); the browser runs in real time, which changes none of it.
        self.browser_js("/isp/collect?q=Ana", PHONE_CHECK % '["Buscar un cliente", "Ana Pérez", "Suspendido"]', login="isp_collector")
        self.browser_js(
            f"/isp/collect/{subscription.id}",
            PHONE_CHECK % '["Suspendido por falta de pago", "Adeudado", "Registrar efectivo"]',
            login="isp_collector",
        )

    def test_the_portal_page_fits_a_phone_in_spanish(self):
        self.unpaid_and_suspended()
        portal_user = self.env["res.users"].create({
            "name": "Ana Portal", "login": "ana_portal_browser", "password": "ana_portal_browser",
            "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])], "lang": test_translations.LANG,
        })
        portal_user.partner_id.parent_id = self.customer
        self.browser_js(
            # A language in the URL, as Odoo's frontend routing keeps it: the login page left English in its cookie.
            "/es_DO/my/isp/subscriptions",
            PHONE_CHECK % '["Su servicio de internet", "Fibra 20/5", "Suspendido por falta de pago", "Por pagar"]',
            login="ana_portal_browser",
        )

    def test_the_notice_page_fits_a_phone_in_spanish(self):
        self.customer.lang = test_translations.LANG
        self.env.ref("payment.payment_provider_transfer").write({
            "state": "enabled", "pending_msg": "<p>Banco Popular Dominicano, cuenta corriente 800-123456-7</p>",
        })
        subscription = self.unpaid_and_suspended()
        invoice = subscription.invoice_ids
        # What a suspended customer's phone opens from the router's redirect, without a login.
        self.browser_js(
            f"{contract.NOTICE_PATH}/{subscription._notice_token()}",
            PHONE_CHECK % json.dumps([
                "Su servicio de internet está suspendido", "Falta de pago", "Monto adeudado", invoice.name,
                "Pagar por transferencia", "800-123456-7", "Una vez registrado su pago, el servicio vuelve solo.",
            ]),
        )


@tagged("post_install", "-at_install")
class TestDashboardTilesInChromium(HttpCase, CollectorCase):
    """isp_billing's figures reach isp_core's dashboard through its extension point, in Odoo's
    real web client."""

    def test_the_dashboard_shows_billings_figures_and_attention_line(self):
        self.unpaid_and_suspended()
        manager = self.env["res.users"].create({
            "name": "ISP Manager", "login": "isp_dash_manager", "password": "isp_dash_manager",
            "group_ids": [(6, 0, [self.env.ref("isp_core.group_isp_manager").id])],
            # Without a time zone, isp_core's queue refuses its props (user.tz is false).
            "tz": "America/Santo_Domingo",
        })
        self.assertTrue(manager)
        code = """
            const tiles = [...document.querySelectorAll(".o_isp_core_extension_tile")]
                .map((tile) => tile.innerText.replace(/\\s+/g, " ").trim());
            const attention = document.querySelector(".o_isp_core_attention_suspended_for_non_payment");
            if (tiles.length !== 3) { throw new Error(`billing tiles: ${JSON.stringify(tiles)}`); }
            if (!tiles[2].startsWith("1 ")) { throw new Error(`suspended for non-payment: ${tiles[2]}`); }
            if (!attention || !attention.innerText.includes("Subscriptions suspended for non-payment: 1.")) {
                throw new Error("no attention line for the suspension");
            }
            console.log("test successful");
        """
        self.browser_js(
            "/odoo/action-isp_core.isp_mac_profile_action_dashboard",
            code,
            ready="document.querySelectorAll('.o_isp_core_extension_tile').length === 3",
            login="isp_dash_manager",
        )
