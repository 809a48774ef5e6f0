from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.isp_core.lib import parameters

from .common import IspCoreCase


@tagged("post_install", "-at_install")
class TestStaffActions(IspCoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pending = cls.onboarded_profile("AA:BB:CC:66:00:01", source_ip=None, hostname="ONU-SIX")

    def as_isp_user(self, records):
        return records.with_user(self.isp_user)

    def test_approve_and_reject(self):
        profile = self.as_isp_user(self.pending)
        self.assertTrue(profile.action_approve())
        self.assertEqual(profile.state, "approved")
        with self.assertRaisesRegex(UserError, "Only pending or rejected"):
            profile.action_approve()
        self.assertTrue(profile.action_reject())
        self.assertEqual(profile.state, "rejected")
        with self.assertRaisesRegex(UserError, "Only pending or approved"):
            profile.action_reject()
        profile.action_approve()
        self.assertEqual(profile.state, "approved")

    def test_approve_clears_the_pending_reason(self):
        self.set_params({parameters.MAC_AUTO_CREATE: "1"})
        profile = self.onboarded_profile("AA:BB:CC:66:00:02")
        self.assertEqual(profile.pending_reason, "no_default_plan")
        self.as_isp_user(profile).action_approve()
        self.assertFalse(profile.pending_reason)

    def test_convert_with_default_plan_and_new_partner(self):
        self.set_params(
            {
                parameters.MAC_DEFAULT_PLAN_ID: str(self.plan.id),
                parameters.MAC_AUTO_CREATE_CAPTIVE_USER: "1",
                parameters.MAC_AUTO_PROVISION_CAPTIVE: "1",
                parameters.MAC_CAPTIVE_DEFAULT_PROFILE: "isp_core-residential",
            }
        )
        answer = self.as_isp_user(self.pending).convert_to_subscription(partner_name="  Juan Pérez ")
        subscription = self.env["isp.subscription"].browse(answer["subscription_id"])
        self.assertEqual(answer["subscription_name"], subscription.name)
        self.assertEqual(subscription.partner_id.name, "Juan Pérez")
        self.assertEqual(subscription.plan_id, self.plan)
        self.assertEqual(subscription.mac_profile_id, self.pending)
        # One click: the subscription is active and its service is on its way to the router.
        self.assertEqual(subscription.state, "active")
        self.assertEqual(self.pending.state, "active")
        self.assertEqual(self.pending.subscription_id, subscription)
        self.assertEqual(self.pending.captive_user_id.login, "AA:BB:CC:66:00:01")
        self.assertEqual(self.pending.captive_user_id.provisioning_state, "to_provision")
        jobs = self.env["isp.provisioning.job"].search([("router_id", "=", self.router.id), ("state", "=", "queued")])
        self.assertEqual(
            sorted(jobs.mapped("job_type")), ["customer_access", "hotspot_user"], "nothing was queued for the router"
        )
        self.assertEqual(subscription.network_state, "pending")
        self.assertEqual(answer["network_message"], "Waiting to be applied on router MK-TEST.")

    def test_convert_with_explicit_plan_partner_and_no_captive_user(self):
        self.set_params({parameters.MAC_AUTO_CREATE_CAPTIVE_USER: "1"})
        fast_plan = self.env["isp.service.plan"].create({"name": "Fast", "download_mbps": 100, "upload_mbps": 20})
        customer = self.env["res.partner"].create({"name": "Existing Customer"})
        answer = self.as_isp_user(self.pending).convert_to_subscription(
            plan_id=fast_plan.id, partner_id=customer.id, create_captive_user=False
        )
        subscription = self.env["isp.subscription"].browse(answer["subscription_id"])
        self.assertEqual(subscription.plan_id, fast_plan)
        self.assertEqual(subscription.partner_id, customer)
        self.assertFalse(self.pending.captive_user_id)

    def test_convert_without_partner_names_the_customer_after_the_hostname(self):
        answer = self.as_isp_user(self.pending).convert_to_subscription(plan_id=self.plan.id)
        subscription = self.env["isp.subscription"].browse(answer["subscription_id"])
        self.assertEqual(subscription.partner_id.name, "ONU-SIX")

    def test_convert_refusals(self):
        with self.assertRaisesRegex(UserError, "no valid default plan"):
            self.as_isp_user(self.pending).convert_to_subscription()
        with self.assertRaisesRegex(UserError, "no longer exists"):
            self.as_isp_user(self.pending).convert_to_subscription(plan_id=self.plan.id, partner_id=999999)
        archived_plan = self.env["isp.service.plan"].create(
            {"name": "Old", "download_mbps": 1, "upload_mbps": 1, "active": False}
        )
        for plan_id in (archived_plan.id, 999999):
            with self.assertRaisesRegex(UserError, "no longer exists or is archived"):
                self.as_isp_user(self.pending).convert_to_subscription(plan_id=plan_id)
        self.as_isp_user(self.pending).convert_to_subscription(plan_id=self.plan.id)
        with self.assertRaisesRegex(UserError, "already has subscription"):
            self.as_isp_user(self.pending).convert_to_subscription(plan_id=self.plan.id)
        rejected = self.onboarded_profile("AA:BB:CC:66:00:03")
        rejected.action_reject()
        with self.assertRaisesRegex(UserError, "rejected"):
            self.as_isp_user(rejected).convert_to_subscription(plan_id=self.plan.id)
        self.assertFalse(rejected.subscription_id)

    def test_reject_refuses_a_profile_with_a_running_subscription(self):
        self.pending.convert_to_subscription(plan_id=self.plan.id)
        self.assertEqual(self.pending.state, "active")
        with self.assertRaisesRegex(UserError, "Only pending or approved"):
            self.as_isp_user(self.pending).action_reject()

    def test_get_conversion_defaults(self):
        defaults = self.as_isp_user(self.profiles).get_conversion_defaults()
        self.assertFalse(defaults["default_plan"])
        self.assertFalse(defaults["create_captive_user"])
        self.assertIn({"id": self.plan.id, "name": "DHCP 20/5"}, defaults["plans"])
        self.set_params(
            {parameters.MAC_DEFAULT_PLAN_ID: str(self.plan.id), parameters.MAC_AUTO_CREATE_CAPTIVE_USER: "1"}
        )
        defaults = self.as_isp_user(self.profiles).get_conversion_defaults()
        self.assertEqual(defaults["default_plan"], {"id": self.plan.id, "name": "DHCP 20/5"})
        self.assertTrue(defaults["create_captive_user"])

    def test_dashboard_kpis(self):
        self.profiles.search([]).unlink()
        with freeze_time("2026-03-10 12:00:00"):
            self.onboard("AA:BB:CC:77:00:01", sector="SEC-902-other")
            old = self.onboarded_profile("AA:BB:CC:77:00:02")
            approved = self.onboarded_profile("AA:BB:CC:77:00:03")
            approved.convert_to_subscription(plan_id=self.plan.id)
            old.write({"first_seen": fields.Datetime.now() - timedelta(days=5)})
            self.onboard("AA:BB:CC:77:00:02", bound="0")
        with freeze_time("2026-03-11 13:00:00"):
            kpis = self.as_isp_user(self.profiles).get_dashboard_kpis()
            self.assertEqual(
                kpis,
                {
                    "pending": 2,
                    "online": 2,
                    "new_today": 0,
                    "active_subscriptions": 1,
                    "offline_over_24h": 1,
                    # The conversion's jobs have not run: the router does not serve it yet.
                    "off_network": 1,
                    "waiting_for_plan": 0,
                    "failed_jobs": 0,
                    "routers_down": 0,
                    # Converted in one click: a customer named after the device, nothing more.
                    "incomplete_customers": 1,
                },
            )
            # Each figure opens the list it counts.
            for key, count in kpis.items():
                action = self.as_isp_user(self.profiles).get_dashboard_kpi_action(key)
                self.assertEqual(self.env[action["res_model"]].search_count(action["domain"]), count, key)
            sector_kpis = self.as_isp_user(self.profiles).get_dashboard_kpis([("sector_id", "=", self.sector.id)])
            self.assertEqual(sector_kpis["pending"], 1)
            self.assertEqual(sector_kpis["active_subscriptions"], 1)
        with freeze_time("2026-03-10 18:00:00"):
            self.assertEqual(self.as_isp_user(self.profiles).get_dashboard_kpis()["new_today"], 2)

    def test_get_changes_since(self):
        self.profiles.search([]).unlink()
        first = self.onboarded_profile("AA:BB:CC:88:00:01")
        second = self.onboarded_profile("AA:BB:CC:88:00:02")
        # A change's time is the transaction's, the same for both: spread them as commits would.
        self.env.flush_all()
        for profile, changed_at in ((first, "2026-03-10 12:00:00"), (second, "2026-03-10 12:05:00")):
            self.env.cr.execute(
                "UPDATE isp_mac_profile SET feed_changed_at = %s WHERE id = %s", (changed_at, profile.id)
            )
        self.env.invalidate_all()
        profiles = self.as_isp_user(self.profiles)
        everything = profiles.get_changes_since()
        self.assertEqual([change["id"] for change in everything["changes"]], [first.id, second.id])
        self.assertEqual(everything["changes"][0]["time"], "2026-03-10T12:00:00+00:00")
        self.assertEqual(everything["cursor"], "2026-03-10T12:05:00+00:00")
        later = profiles.get_changes_since("2026-03-10T12:00:00+00:00")
        self.assertEqual([change["id"] for change in later["changes"]], [second.id])
        local_time = profiles.get_changes_since("2026-03-10T08:01:00-04:00")
        self.assertEqual([change["id"] for change in local_time["changes"]], [second.id])
        nothing = profiles.get_changes_since(everything["cursor"])
        self.assertEqual(nothing, {"changes": [], "cursor": everything["cursor"]})
        limited = profiles.get_changes_since("2026-03-10T11:00:00+00:00", limit=1)
        self.assertEqual([change["id"] for change in limited["changes"]], [first.id])
        self.assertEqual(limited["cursor"], "2026-03-10T12:00:00+00:00")
        with self.assertRaisesRegex(ValidationError, "yesterday"):
            profiles.get_changes_since("yesterday")


@tagged("post_install", "-at_install")
class TestConvertFromTheForm(IspCoreCase):
    def test_the_form_converts_with_the_defaults_shown_and_opens_the_subscription(self):
        self.set_params({parameters.MAC_DEFAULT_PLAN_ID: str(self.plan.id)})
        profile = self.onboarded_profile("AA:BB:CC:66:10:01", hostname="Casa Rosa")
        wizard_model = self.env["isp.mac.profile.convert.wizard"].with_user(self.isp_user).with_context(active_id=profile.id)
        wizard = Form(wizard_model)
        self.assertEqual(wizard.plan_id, self.plan)
        self.assertFalse(wizard.partner_name, "staff type the customer's name; left empty, the device names it")
        action = wizard.save().action_convert()
        subscription = self.env["isp.subscription"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "isp.subscription")
        self.assertRecordValues(subscription, [{"state": "active", "plan_id": self.plan.id, "mac_profile_id": profile.id}])
        self.assertEqual(subscription.partner_id.name, "Casa Rosa")
        self.assertEqual(profile.state, "active")
        self.assertEqual(profile.onboarding_event_ids.mapped("outcome"), ["created"])
