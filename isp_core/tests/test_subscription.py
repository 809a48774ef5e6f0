from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import IspCoreCase


@tagged("post_install", "-at_install")
class TestSubscription(IspCoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profile = cls.subscribed_profile("AA:BB:CC:99:00:01")
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
        self.assertEqual(subscription.state, "suspended")
        subscription.action_reactivate()
        self.assertEqual(subscription.state, "active")
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

    def test_rate_limit_is_upload_over_download(self):
        self.assertEqual(self.plan.rate_limit, "5M/20M")
        self.plan.write({"download_mbps": 50, "upload_mbps": 1.5})
        self.assertEqual(self.plan.rate_limit, "1500k/50M")
