"""Non-payment on a router Odoo cannot reach (agent mode, behind CGNAT): the router is set up by
the real preloader on the project's RouterOS emulator, and its real agent applies what Odoo
decided at its next check-in, the suspension for non-payment as well as the reconnection the
payment brings."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.isp_billing.lib import parameters
from odoo.addons.isp_core.tests.test_lease_chain import DEVICE_HOSTNAME, DEVICE_MAC, GuideMixin

from .common import set_params

ADDRESS_LIST = "/ip/firewall/address-list"
PROXY_ACCESS = "/ip/proxy/access"
DAYS_UNPAID = 40


@tagged("post_install", "-at_install")
class TestCollectionsOnAnAgentRouter(GuideMixin, HttpCase):
    def test_the_agent_cuts_an_unpaid_customer_and_reconnects_on_payment(self):
        self.step_1_settings()
        router, _output = self.step_2_preloader(connection_mode="agent", agent_interval="1h")
        set_params(self.env, {
            parameters.DEFAULT_PAYMENT_TERM_ID: str(self.env.ref("account.account_payment_term_immediate").id),
            parameters.GRACE_DAYS: "10",
            parameters.AUTO_SUSPEND: "True",
            parameters.LEAVE_INVOICES_IN_DRAFT: "0",
        })
        with self.reachable_from_outside():
            address = self.bind_lease(DEVICE_MAC, DEVICE_HOSTNAME)
        subscription = self.env["isp.mac.profile"].search([("mac", "=", DEVICE_MAC)]).subscription_id
        self.assertEqual(subscription.network_state, "in_sync", self.router_script_log())

        # The service started DAYS_UNPAID days ago and nothing was paid: the billing run invoices
        # those days, and the collections run, past the grace days, suspends the customer.
        today = fields.Date.today()
        subscription.sudo().next_period_start = today - timedelta(days=DAYS_UNPAID)
        invoices = subscription._bill_due_periods(today)
        self.assertTrue(invoices)
        subscription._cron_run_collections()
        self.assertRecordValues(subscription, [{"state": "suspended", "suspension_reason": "non_payment"}])
        self.run_jobs()
        self.assertEqual(subscription.network_state, "pending", "the worker never connects to an agent's router")
        self.assertFalse(self.router_items(ADDRESS_LIST, list=router.suspended_address_list))

        with self.reachable_from_outside():
            self.bind_lease(DEVICE_MAC, DEVICE_HOSTNAME)  # a renewal runs the agent: it checks in
        self.assertEqual(subscription.network_state, "in_sync", self.router_script_log())
        [entry] = self.router_items(ADDRESS_LIST, list=router.suspended_address_list)
        self.assertEqual(entry["address"], address)
        [hotspot_user] = self.router_items("/ip/hotspot/user", name=DEVICE_MAC)
        self.assertEqual(hotspot_user["disabled"], "true")
        # The customer's phone checks for a captive portal over plain HTTP: the router redirects
        # it to the notice page, which shows what is owed.
        [answer] = self.http_get(address, "http://connectivitycheck.gstatic.com/generate_204")
        self.assertEqual((answer["verdict"], answer["location"]), ("redirect", subscription._notice_url()))
        notice = self.url_open(answer["location"]).text
        self.assertIn("Amount due:", notice)
        for invoice in invoices:
            self.assertIn(invoice.name, notice)

        # The customer pays everything: the reconciliation reactivates at once, and the next
        # check-in takes the cut off the router.
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoices.ids).create(
            {"payment_date": today}
        )._create_payments()
        self.assertRecordValues(subscription, [{"state": "active", "suspension_reason": False}])
        self.assertEqual(subscription.network_state, "pending")
        with self.reachable_from_outside():
            self.bind_lease(DEVICE_MAC, DEVICE_HOSTNAME)
        self.assertEqual(subscription.network_state, "in_sync", self.router_script_log())
        self.assertFalse(self.router_items(ADDRESS_LIST, list=router.suspended_address_list))
        self.assertEqual([rule["action"] for rule in self.router_items(PROXY_ACCESS)], ["deny"], "no redirect is left")
        [hotspot_user] = self.router_items("/ip/hotspot/user", name=DEVICE_MAC)
        self.assertEqual(hotspot_user["disabled"], "false")
        self.assertEqual(self.http_get(address, "http://captive.apple.com/hotspot-detect.html")[0]["verdict"], "forwarded")
        self.assertFalse(router.last_failure, "Odoo never tried to connect")
