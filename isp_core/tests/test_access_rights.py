from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.isp_core.lib import parameters

from .common import IspCoreCase

ISP_MODELS = (
    "isp.sector",
    "isp.service.plan",
    "isp.router",
    "isp.mac.profile",
    "isp.subscription",
    "isp.captive.user",
    "isp.onboarding.event",
)


@tagged("post_install", "-at_install")
class TestAccessRights(IspCoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(cls.env, login="isp_portal", groups="base.group_portal")
        cls.public_user = new_test_user(cls.env, login="isp_public", groups="base.group_public")
        cls.router.api_password = "router-secret"
        cls.set_params({parameters.MAC_AUTO_CREATE_CAPTIVE_USER: "1"})
        cls.profile = cls.subscribed_profile("AA:BB:CC:AA:00:01")

    def test_users_outside_isp_groups_get_nothing(self):
        for user in (self.internal_user, self.portal_user, self.public_user):
            for model in ISP_MODELS:
                with self.subTest(user=user.login, model=model):
                    records = self.env[model].with_user(user)
                    self.assertFalse(records.has_access("read"))
                    self.assertFalse(records.has_access("create"))
                    with self.assertRaises(AccessError):
                        records.search([])

    def test_isp_user_reads_everything_but_configures_nothing(self):
        for model in ISP_MODELS:
            with self.subTest(model=model):
                self.assertTrue(self.env[model].with_user(self.isp_user).has_access("read"))
        for model in ("isp.sector", "isp.service.plan", "isp.router", "isp.onboarding.event"):
            with self.subTest(model=model):
                records = self.env[model].with_user(self.isp_user)
                self.assertFalse(records.has_access("create"))
                self.assertFalse(records.has_access("write"))
                self.assertFalse(records.has_access("unlink"))
        with self.assertRaises(AccessError):
            self.router.with_user(self.isp_user).write({"host": "127.0.0.2"})
        with self.assertRaises(AccessError):
            self.env["isp.sector"].with_user(self.isp_user).create({"code": "SEC-X", "name": "X"})
        with self.assertRaises(AccessError):
            self.profile.with_user(self.isp_user).unlink()

    def test_isp_user_approves_and_converts(self):
        profile = self.onboarded_profile("AA:BB:CC:AA:00:02").with_user(self.isp_user)
        profile.action_approve()
        profile.convert_to_subscription(plan_id=self.plan.id)
        self.assertEqual(profile.captive_user_id.login, "AA:BB:CC:AA:00:02")
        self.assertEqual(profile.subscription_id.state, "active")
        self.assertEqual(profile.state, "active")

    def test_only_managers_see_secrets(self):
        captive_user = self.profile.captive_user_id
        self.assertTrue(captive_user)
        with self.assertRaises(AccessError):
            self.router.with_user(self.isp_user).read(["api_password"])
        with self.assertRaises(AccessError):
            captive_user.with_user(self.isp_user).read(["password"])
        self.assertNotIn("api_password", self.router.with_user(self.isp_user).fields_get())
        self.assertEqual(self.router.with_user(self.isp_manager).api_password, "router-secret")
        self.assertEqual(captive_user.with_user(self.isp_manager).password, "AA:BB:CC:AA:00:01")

    def test_manager_configures(self):
        sector = self.env["isp.sector"].with_user(self.isp_manager).create({"code": "SEC-903-x", "name": "X"})
        router = self.env["isp.router"].with_user(self.isp_manager).create(
            {"name": "MK-MANAGER", "sector_id": sector.id, "api_password": "pw"}
        )
        self.assertEqual(router.api_password, "pw")
        self.env["isp.onboarding.event"].with_user(self.isp_manager).search([]).unlink()

    def test_only_managers_generate_the_token_and_only_they_see_it_once(self):
        config = self.env["ir.config_parameter"].sudo()
        config.set_param(parameters.MAC_ONBOARDING_TOKEN, "old-token-0123456789")
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.isp_user).action_generate_mac_onboarding_token()
        self.assertEqual(config.get_param(parameters.MAC_ONBOARDING_TOKEN), "old-token-0123456789")
        action = self.env["res.config.settings"].with_user(self.isp_manager).action_generate_mac_onboarding_token()
        token = config.get_param(parameters.MAC_ONBOARDING_TOKEN)
        self.assertNotEqual(token, "old-token-0123456789")
        self.assertGreaterEqual(len(token), 32)
        wizard = self.env[action["res_model"]].with_user(self.isp_manager).browse(action["res_id"])
        self.assertRecordValues(wizard, [{"token": token, "replaced_previous": True}])
        other_manager = new_test_user(self.env, login="isp_manager_2", groups="isp_core.group_isp_manager")
        with self.assertRaises(AccessError):
            wizard.with_user(other_manager).read(["token"])
        with self.assertRaises(AccessError):
            wizard.with_user(self.isp_user).read(["token"])
        wizard.action_done()
        self.assertFalse(wizard.token, "once closed, the token is forgotten")

    def test_a_weak_onboarding_token_is_refused_however_it_is_set(self):
        config = self.env["ir.config_parameter"].sudo()
        for weak in ("abc", " " * 20, "\u00a0" * 20, "token with spaces 123"):
            with self.subTest(token=weak), self.assertRaisesRegex(ValidationError, "at least 16 characters"):
                config.set_param(parameters.MAC_ONBOARDING_TOKEN, weak)
        config.set_param(parameters.MAC_ONBOARDING_TOKEN, False)
        self.assertFalse(config.get_param(parameters.MAC_ONBOARDING_TOKEN))
