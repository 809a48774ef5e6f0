from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import IspCoreCase


@tagged("post_install", "-at_install")
class TestSubscription(IspCoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profile = cls.draft_subscribed_profile("AA:BB:CC:99:00:01")
        cls.subscription = cls.profile.subscription_id

    def test_lifecycle(self):
        subscription = self.subscription.with_user(self.isp_user)
        self.assertEqual(subscription.state, "draft")
        self.assertRegex(subscription.name, r"^SUB/\d{4}/\d{5}$")
        subscription.action_activate()
        self.assertEqual(subscription.state, "active")
        self.assertTrue(subscription.start_date)
        self.assertEqual(self.profile.state, "active")
        subscription.action_suspend()
        self.assertRecordValues(subscription, [{"state": "suspended", "suspension_reason": "staff"}])
        self.assertEqual(
            self.env["isp.subscription"].search([("suspension_reason", "=", "staff")]), subscription,
            "staff can find the subscriptions they suspended",
        )
        subscription.action_reactivate()
        self.assertRecordValues(subscription, [{"state": "active", "suspension_reason": False}])
        subscription.action_terminate()
        self.assertEqual(subscription.state, "terminated")
        self.assertEqual(self.profile.state, "approved")

    def test_refused_transitions(self):
        subscription = self.subscription.with_user(self.isp_user)
        with self.assertRaisesRegex(UserError, "Only active subscriptions can be suspended"):
            subscription.action_suspend()
        with self.assertRaisesRegex(UserError, "Only suspended subscriptions can be reactivated"):
            subscription.action_reactivate()
        subscription.action_terminate()
        with self.assertRaisesRegex(UserError, "Only draft subscriptions can be activated"):
            subscription.action_activate()
        with self.assertRaisesRegex(UserError, "already terminated"):
            subscription.action_terminate()

    def test_terminated_profile_can_be_converted_again(self):
        self.subscription.action_terminate()
        answer = self.profile.convert_to_subscription(plan_id=self.plan.id)
        self.assertNotEqual(answer["subscription_id"], self.subscription.id)
        self.assertEqual(self.profile.subscription_id.id, answer["subscription_id"])

    def test_the_network_state_says_when_the_router_does_not_follow_yet(self):
        subscriptions = self.env["isp.subscription"]
        self.assertEqual(self.subscription.network_state, "in_sync", "a draft asks nothing of the network")

        self.subscription.action_activate()
        self.assertEqual(self.subscription.network_state, "pending")
        self.assertEqual(self.subscription.network_message, "Waiting to be applied on router MK-TEST.")
        self.assertEqual(subscriptions.search([("network_state", "=", "pending")]), self.subscription)
        self.assertEqual(subscriptions.search([("network_state", "!=", "in_sync")]), self.subscription)

        self.env["isp.provisioning.job"].search([]).write({"state": "done"})
        self.subscription.invalidate_recordset(["network_state", "network_message"])
        self.assertEqual(self.subscription.network_state, "in_sync")
        self.assertFalse(self.subscription.network_message)
        self.assertNotIn(self.subscription, subscriptions.search([("network_state", "!=", "in_sync")]))

    def test_a_live_subscription_without_router_is_not_on_the_network(self):
        profile = self.onboarded_profile("AA:BB:CC:99:00:02", router="")
        profile.convert_to_subscription(plan_id=self.plan.id)
        subscription = profile.subscription_id
        subscription.action_suspend()
        self.assertRecordValues(subscription, [{"state": "suspended", "network_state": "no_router"}])
        self.assertEqual(
            subscription.network_message, "No router: the network does not apply this subscription. Set its router."
        )
        self.assertEqual(self.env["isp.subscription"].search([("network_state", "in", ["no_router"])]), subscription)

    def test_rate_limit_is_upload_over_download(self):
        self.assertEqual(self.plan.rate_limit, "5M/20M")
        self.plan.write({"download_mbps": 50, "upload_mbps": 1.5})
        self.assertEqual(self.plan.rate_limit, "1500k/50M")


@tagged("post_install", "-at_install")
class TestSubscriptionDeviceLink(IspCoreCase):
    """A device points at its live subscription, however that subscription was made."""

    def test_a_subscription_made_in_the_form_links_its_device(self):
        profile = self.onboarded_profile("AA:BB:CC:99:10:01")
        customer = self.env["res.partner"].create({"name": "Colmado Rosa"})
        subscription = (
            self.env["isp.subscription"]
            .with_user(self.isp_user)
            .create({"partner_id": customer.id, "plan_id": self.plan.id, "mac_profile_id": profile.id})
        )
        self.assertEqual(profile.subscription_id, subscription)
        with self.assertRaisesRegex(UserError, "already has subscription"):
            profile.convert_to_subscription(plan_id=self.plan.id)

    def test_moving_a_subscription_to_another_device_moves_the_link(self):
        first = self.subscribed_profile("AA:BB:CC:99:10:02")
        second = self.onboarded_profile("AA:BB:CC:99:10:03")
        subscription = first.subscription_id
        subscription.mac_profile_id = second
        self.assertFalse(first.subscription_id)
        self.assertEqual(second.subscription_id, subscription)

    def test_a_device_takes_one_live_subscription_at_a_time(self):
        profile = self.subscribed_profile("AA:BB:CC:99:10:04")
        customer = self.env["res.partner"].create({"name": "Iglesia San Juan"})
        values = {"partner_id": customer.id, "plan_id": self.plan.id, "mac_profile_id": profile.id}
        with self.assertRaisesRegex(UserError, "already has subscription"), self.env.cr.savepoint():
            self.env["isp.subscription"].create(values)
        profile.subscription_id.action_terminate()
        replacement = self.env["isp.subscription"].create(values)
        self.assertEqual(profile.subscription_id, replacement)
