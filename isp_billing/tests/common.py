from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user

from odoo.addons.isp_billing.lib import parameters


def set_params(env, values):
    """Billing Settings as an administrator saves them: ``values`` maps each parameter to its text."""
    config = env["ir.config_parameter"].sudo()
    for key, value in values.items():
        config.set_param(key, value)


class BillingCase(TransactionCase):
    """A plan, a customer with an email address and billing Settings at their defaults,
    independent of demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_params({
            parameters.DEFAULT_BILLING_CYCLE: "monthly",
            parameters.DEFAULT_BILLING_MODE: "prepaid",
            parameters.DEFAULT_BILLING_DAY: "1",
            parameters.DEFAULT_PAYMENT_TERM_ID: "",
            parameters.LEAVE_INVOICES_IN_DRAFT: "0",
            parameters.ACCRUE_WHILE_SUSPENDED_FOR_NON_PAYMENT: "0",
            parameters.PRORATE_TERMINATION: "0",
        })
        cls.plan = cls.env["isp.service.plan"].create({"name": "Fibra 20/5", "download_mbps": 20, "upload_mbps": 5, "price": 1200})
        cls.faster_plan = cls.env["isp.service.plan"].create({"name": "Fibra 50/10", "download_mbps": 50, "upload_mbps": 10, "price": 2000})
        cls.customer = cls.env["res.partner"].create({"name": "Ana Pérez", "email": "ana@example.com", "phone": "+1 809 555 0101"})
        cls.isp_user = new_test_user(cls.env, login="billing_isp_user", groups="isp_core.group_isp_user")
        cls.subscriptions = cls.env["isp.subscription"]

    @classmethod
    def set_params(cls, values):
        set_params(cls.env, values)

    def subscribe(self, day, **values):
        """A subscription to ``self.plan`` activated on ``day`` (a date string), as staff activate one."""
        with freeze_time(day):
            subscription = self.subscriptions.create({"partner_id": self.customer.id, "plan_id": self.plan.id, **values})
            subscription.with_user(self.isp_user).action_activate()
        return subscription

    def run_billing(self, day):
        """The daily billing cron on ``day``; its commits are only counted here."""
        progress = []

        def record_progress(_cron, processed=0, *, remaining=None, deactivate=False):
            progress.append((processed, remaining))
            return 60.0

        before = self.env["account.move"].search([("isp_subscription_id", "!=", False)])
        with freeze_time(day), patch.object(type(self.env["ir.cron"]), "_commit_progress", record_progress):
            self.subscriptions._cron_bill_due_subscriptions()
        return self.env["account.move"].search([("isp_subscription_id", "!=", False)], order="invoice_date, id") - before

    @contextmanager
    def on(self, day):
        with freeze_time(day):
            yield

    def line_summary(self, invoice):
        return [(line.name, line.quantity, line.price_unit) for line in invoice.invoice_line_ids]
