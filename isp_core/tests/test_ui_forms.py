"""The router form, the key dialog and the conversion dialog in a real browser, in Spanish, on a
laptop and on a phone, each asserted by what the user reads (router_key_tour.js,
conversion_dialog_tour.js). The subscription form is read in test_ui_live_network.py."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.isp_core.lib import parameters

from .common import set_params

LANG = "es_DO"


class SpanishFormsMixin:
    allow_inherited_tests_method = True  # the mixin's tests, at each screen size

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang(LANG)
        cls.env["ir.module.module"]._load_module_terms(["isp_core"], [LANG], overwrite=True)
        for login, group in (("isp_forms_manager", "isp_core.group_isp_manager"), ("isp_forms_staff", "isp_core.group_isp_user")):
            new_test_user(cls.env, login=login, groups=group, lang=LANG, tz="America/Santo_Domingo")

    def test_router_form_and_key_dialog(self):
        router = self.env["isp.router"].create({"name": "MK-ARROYO-HONDO", "connection_mode": "agent"})
        self.start_tour("/odoo/action-isp_core.isp_router_action", "isp_core_router_key", login="isp_forms_manager")
        self.assertTrue(router.key_set)

    def test_conversion_dialog(self):
        self.env["isp.service.plan"].create({"name": "Fibra 30/10", "download_mbps": 30, "upload_mbps": 10, "price": 1500})
        set_params(self.env, {parameters.MAC_DEFAULT_PLAN_ID: False, parameters.MAC_AUTO_CREATE: "0"})
        profile = self.env["isp.mac.profile"].create(
            {"mac": "AA:BB:CC:5E:00:40", "hostname": "onu-dialogo", "state": "pending", "online": True}
        )
        self.start_tour(
            "/odoo/action-isp_core.isp_mac_profile_action_dashboard", "isp_core_conversion_dialog", login="isp_forms_staff"
        )
        self.assertEqual(profile.subscription_id.plan_id.name, "Fibra 30/10")
        self.assertEqual(profile.subscription_id.partner_id.name, "onu-dialogo")


@tagged("post_install", "-at_install")
class TestUiForms(SpanishFormsMixin, HttpCase):
    """On a laptop, 1366 px wide."""


@tagged("post_install", "-at_install")
class TestUiFormsPhone(SpanishFormsMixin, HttpCase):
    """On a field technician's phone, 390 px wide."""

    browser_size = "390x844"
    touch_enabled = True
