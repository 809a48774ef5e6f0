import hashlib
import hmac

from odoo.tests import HttpCase, tagged

from odoo.addons.isp_core.controllers.router_request import REFUSALS_BEFORE_THROTTLE
from odoo.addons.isp_core.lib import contract, notice_token

PAGE = contract.NOTICE_PATH


@tagged("post_install", "-at_install")
class TestNoticePage(HttpCase):
    """The public notice page: a suspension's own link tells its customer why, in their
    language; any other link tells nothing of anyone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_DO")
        cls.env["ir.module.module"]._load_module_terms(["base", "isp_core"], ["es_DO"], overwrite=True)
        cls.env.company.write({
            "name": "Fibra Los Cacaos",
            "phone": "+1 809 555 0100",
            "email": "cobros@fibra.example",
            "website": "https://www.fibra.example",
        })
        cls.env.company.partner_id.lang = "es_DO"
        plan = cls.env["isp.service.plan"].create({"name": "Fibra 50", "download_mbps": 50, "upload_mbps": 10})
        cls.customer = cls.env["res.partner"].create({"name": "Ana Pérez", "lang": "es_DO"})
        cls.other_customer = cls.env["res.partner"].create({"name": "Luis Gómez", "lang": "es_DO"})
        cls.subscription, cls.other_subscription = cls.env["isp.subscription"].create([
            {"partner_id": cls.customer.id, "plan_id": plan.id},
            {"partner_id": cls.other_customer.id, "plan_id": plan.id},
        ])
        (cls.subscription | cls.other_subscription).action_activate()
        (cls.subscription | cls.other_subscription).action_suspend()

    def page(self, token=None):
        return self.url_open(f"{PAGE}/{token}" if token is not None else PAGE)

    def generic_page(self):
        response = self.page()
        self.assertEqual(response.status_code, 200)
        return response.text

    def assert_shows_nobody(self, token):
        response = self.page(token)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text, self.generic_page(), "the page of a link that opens nothing is the generic page")

    def test_a_suspensions_link_tells_its_customer_why_in_spanish(self):
        response = self.page(self.subscription._notice_token())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        page = response.text
        self.assertIn('lang="es-DO"', page)
        self.assertIn("Su servicio de internet está suspendido", page)
        self.assertIn(self.subscription.name, page)
        self.assertIn("Motivo: <strong class=\"o_isp_core_notice_reason\">Decisión del personal</strong>", page)
        self.assertIn("Contáctenos para restablecerlo.", page)
        for contact in ("Teléfono", "+1 809 555 0100", 'href="tel:+18095550100"', "cobros@fibra.example", "https://www.fibra.example"):
            self.assertIn(contact, page)
        self.assertIn('<div id="isp_notice_extra"></div>', page)
        self.assertNotIn(self.other_subscription.name, page)

    def test_the_page_speaks_the_customers_language(self):
        self.customer.lang = "en_US"
        page = self.page(self.subscription._notice_token()).text
        self.assertIn('lang="en-US"', page)
        self.assertIn("Your internet service is suspended", page)
        self.assertIn("Staff decision", page)

    def test_no_token_shows_the_generic_page_in_the_companys_language(self):
        page = self.generic_page()
        self.assertIn("Aviso del servicio de internet", page)
        self.assertIn("http://", page)
        self.assertIn("cobros@fibra.example", page)
        for subscription in (self.subscription, self.other_subscription):
            self.assertNotIn(subscription.name, page)
            self.assertNotIn(subscription.partner_id.name, page)

    def test_a_tampered_token_shows_nobody(self):
        token = self.subscription._notice_token()
        subscription_id, key, signature = token.split("-")
        other_id = str(self.other_subscription.id)
        flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
        for tampered in (
            f"{subscription_id}-{key}-{flipped}",
            f"{other_id}-{key}-{signature}",  # another customer's id under this one's signature
            f"{other_id}-{self.other_subscription.sudo().notice_key}-{signature}",
            f"{subscription_id}-{key}-{signature[:-2]}",
            f"{token}0",
            other_id,
        ):
            with self.subTest(tampered=tampered):
                self.assert_shows_nobody(tampered)

    def test_a_token_signed_by_another_database_shows_nobody(self):
        def foreign_signature(message):
            return hmac.new(b"another database's secret", message.encode(), hashlib.sha256).hexdigest()

        foreign = notice_token.make_token(self.subscription.id, self.subscription.sudo().notice_key, foreign_signature)
        self.assert_shows_nobody(foreign)

    def test_a_link_goes_stale_when_its_suspension_ends(self):
        first = self.subscription._notice_token()
        self.subscription.action_reactivate()
        self.assertFalse(self.subscription._notice_token(), "an active subscription has no notice")
        self.assert_shows_nobody(first)
        self.subscription.action_suspend()
        second = self.subscription._notice_token()
        self.assertNotEqual(first, second)
        self.assert_shows_nobody(first)
        self.assertIn(self.subscription.name, self.page(second).text)

    def test_links_that_open_nothing_are_throttled_but_a_good_link_is_not(self):
        forged = f"{self.subscription.id}-{'0' * 16}-{'0' * 40}"
        statuses = [self.page(forged).status_code for _attempt in range(REFUSALS_BEFORE_THROTTLE + 1)]
        self.assertEqual(statuses[:REFUSALS_BEFORE_THROTTLE], [200] * REFUSALS_BEFORE_THROTTLE)
        self.assertEqual(statuses[-1], 429)
        good = self.page(self.subscription._notice_token())
        self.assertEqual(good.status_code, 200)
        self.assertIn(self.subscription.name, good.text)
        self.assertEqual(self.page().status_code, 200)

    def test_the_notice_url_is_odoos_own(self):
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", "https://isp.example.com/")
        self.assertEqual(
            self.subscription._notice_url(), f"https://isp.example.com{PAGE}/{self.subscription._notice_token()}"
        )
        self.assertRegex(self.subscription._notice_token(), f"^{contract.NOTICE_TOKEN_PATTERN}$")
