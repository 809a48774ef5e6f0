from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.isp_billing.lib import parameters
from odoo.addons.isp_core.tests import routeros_emulator

from .common import set_params

ADDRESS_LIST = "/ip/firewall/address-list"
PROXY_ACCESS = "/ip/proxy/access"
MAC = "AA:BB:CC:B1:11:01"


@tagged("post_install", "-at_install")
class TestCollectionsOnTheRouter(routeros_emulator.RouterOsEmulatorCase):
    """Non-payment reaches the router (api mode, the project's RouterOS emulator) by the path a
    staff suspension takes, and the payment takes it back."""

    def setUp(self):
        super().setUp()
        set_params(self.env, {
            parameters.DEFAULT_BILLING_DAY: "1",
            parameters.DEFAULT_PAYMENT_TERM_ID: str(self.env.ref("account.account_payment_term_15days").id),
            parameters.GRACE_DAYS: "10",
            parameters.AUTO_SUSPEND: "True",
            parameters.LEAVE_INVOICES_IN_DRAFT: "0",
        })
        self.plan = self.env["isp.service.plan"].create({"name": "Fibra 20/5", "download_mbps": 20, "upload_mbps": 5, "price": 1200})

    def test_the_router_cuts_an_unpaid_customer_and_reconnects_on_payment(self):
        subscriptions = self.env["isp.subscription"]
        with freeze_time("2027-03-01"):
            profile = self.make_profile(MAC, self.bind_lease(MAC, "onu"))
            subscription = self.make_draft_subscription(profile, self.plan)
            subscription.action_activate()
            self.run_jobs()
            self.assertEqual(len(subscription._bill_due_periods(fields.Date.today())), 1)
        self.assertFalse(self.router_items(ADDRESS_LIST, list="isp_suspended"))

        with freeze_time("2027-03-27"):
            subscriptions._cron_run_collections()
            self.run_jobs()
        self.assertEqual(subscription.suspension_reason, "non_payment")
        [entry] = self.router_items(ADDRESS_LIST, list="isp_suspended")
        self.assertEqual(entry["address"], profile.last_ip)
        [redirect] = self.router_items(PROXY_ACCESS)
        self.assertEqual(
            (redirect["src-address"], redirect["action"], redirect["action-data"]),
            (profile.last_ip, "redirect", subscription._notice_url()),
        )

        with freeze_time("2027-03-28"):
            invoice = subscription.invoice_ids
            self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
                {"payment_date": "2027-03-28"}
            )._create_payments()
            self.assertEqual(subscription.state, "active", "reactivated by the reconciliation, before any cron")
            self.run_jobs()
        self.assertFalse(self.router_items(ADDRESS_LIST, list="isp_suspended"))
        self.assertFalse(self.router_items(PROXY_ACCESS))
