from odoo.tests import Form, tagged

from odoo.addons.isp_core.lib import parameters

from .common import IspCoreCase


@tagged("post_install", "-at_install")
class TestCustomerDetails(IspCoreCase):
    """An automatically onboarded customer is only a name: staff complete it at conversion, or
    in place on the subscription, and the dashboard lists the ones still to complete."""

    def incomplete_count(self):
        return self.env["isp.mac.profile"].with_user(self.isp_user).get_dashboard_kpis()["incomplete_customers"]

    def test_conversion_completes_the_customer_and_keeps_the_location(self):
        self.set_params({parameters.MAC_DEFAULT_PLAN_ID: str(self.plan.id)})
        profile = self.onboarded_profile("AA:BB:CC:67:00:01", hostname="Casa Rosa")
        wizard = Form(self.env["isp.mac.profile.convert.wizard"].with_user(self.isp_user).with_context(active_id=profile.id))
        wizard.phone = " 809-555-0123 "
        wizard.vat = "001-1234567-8"
        wizard.street = "Calle Duarte 12"
        wizard.city = "Los Cacaos"
        wizard.location = "Casa azul detrás del colmado"
        subscription = self.env["isp.subscription"].browse(wizard.save().action_convert()["res_id"])
        self.assertRecordValues(subscription.partner_id, [{
            "name": "Casa Rosa", "phone": "809-555-0123", "vat": "001-1234567-8", "street": "Calle Duarte 12", "city": "Los Cacaos",
        }])
        self.assertEqual(subscription.location, "Casa azul detrás del colmado")
        self.assertFalse(subscription.customer_incomplete)

    def test_staff_complete_the_customer_on_the_subscription_and_the_dashboard_counts_the_rest(self):
        before = self.incomplete_count()
        profile = self.subscribed_profile("AA:BB:CC:67:00:02", hostname="ONU-67")
        subscription = profile.subscription_id
        self.assertTrue(subscription.customer_incomplete)
        self.assertEqual(self.incomplete_count(), before + 1)
        listed = self.env["isp.subscription"].with_user(self.isp_user).search([("customer_incomplete", "=", True)])
        self.assertIn(subscription, listed)

        form = Form(subscription.with_user(self.isp_user))
        form.customer_phone = "829-555-0199"
        form.customer_vat = "131-12345-6"
        form.customer_street = "Carretera Los Cacaos km 3"
        form.save()
        self.assertRecordValues(
            subscription.partner_id, [{"phone": "829-555-0199", "vat": "131-12345-6", "street": "Carretera Los Cacaos km 3"}]
        )
        self.assertFalse(subscription.customer_incomplete)
        self.assertEqual(self.incomplete_count(), before)
        self.assertNotIn(subscription, self.env["isp.subscription"].search([("customer_incomplete", "=", True)]))

    def test_the_subscription_shows_the_device_the_plan_and_the_router(self):
        profile = self.subscribed_profile("AA:BB:CC:67:00:03", ip="10.10.0.67")
        subscription = profile.subscription_id.with_user(self.isp_user)
        self.assertRecordValues(subscription, [{
            "device_ip": "10.10.0.67",
            "device_online": True,
            "plan_speed": "20 / 5 Mbit/s",
            "plan_price": 1200,
            "router_id": self.router.id,
        }])
