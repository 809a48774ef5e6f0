from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.isp_core.lib import parameters

from .common import IspCoreCase


@tagged("post_install", "-at_install")
class TestSettings(IspCoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's Settings are for administrators; the ISP block, for ISP managers among them.
        cls.administrator = new_test_user(
            cls.env, login="isp_settings_admin", groups="base.group_system,isp_core.group_isp_manager"
        )

    def settings(self):
        return Form(self.env["res.config.settings"].with_user(self.administrator))

    def test_automatic_approval_needs_a_default_plan(self):
        settings = self.settings()
        settings.isp_mac_auto_create = True
        with self.assertRaisesRegex(AssertionError, "isp_mac_default_plan_id is a required field"):
            settings.save()
        # The same refusal where no form stands guard (an RPC call).
        with self.assertRaisesRegex(ValidationError, "Approve New Devices Automatically needs a Default Plan"):
            self.env["res.config.settings"].with_user(self.administrator).create({"isp_mac_auto_create": True})
        self.assertFalse(parameters.is_enabled(self.env["ir.config_parameter"].sudo().get_param(parameters.MAC_AUTO_CREATE)))

    def test_the_default_plan_can_be_set_without_automatic_approval(self):
        settings = self.settings()
        settings.isp_mac_default_plan_id = self.plan
        settings.save().execute()
        self.assertEqual(self.env["isp.mac.profile"].get_conversion_defaults()["default_plan"]["id"], self.plan.id)

    def test_saving_a_default_plan_approves_the_devices_that_waited_for_one(self):
        self.set_params({parameters.MAC_AUTO_CREATE: "1"})
        profile = self.onboarded_profile("AA:BB:CC:55:00:01")
        self.assertEqual(profile.pending_reason, "no_default_plan")
        settings = self.settings()
        settings.isp_mac_default_plan_id = self.plan
        settings.save().execute()
        self.assertRecordValues(profile, [{"state": "active", "pending_reason": False}])
        self.assertEqual(profile.subscription_id.plan_id, self.plan)
