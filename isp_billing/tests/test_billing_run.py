import datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2.errors import UniqueViolation

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.isp_billing.hooks import post_init_hook
from odoo.addons.isp_billing.lib import parameters

from .common import BillingCase

D = datetime.date


@tagged("post_install", "-at_install")
class TestBillingRun(BillingCase):
    def test_one_customers_year_is_billed_once_per_period_on_its_day(self):
        subscription = self.subscribe("2027-01-17")
        self.assertEqual(subscription.next_invoice_date, D(2027, 1, 17))

        first = self.run_billing("2027-01-17")
        self.assertEqual(len(first), 1)
        self.assertRecordValues(first, [{
            "partner_id": self.customer.id,
            "move_type": "out_invoice",
            "state": "posted",
            "invoice_date": D(2027, 1, 17),
            "isp_period_start": D(2027, 1, 17),
            "isp_period_end": D(2027, 1, 31),
            "amount_untaxed": 580.65,  # 1,200 for 15 of January's 31 days
        }])
        self.assertEqual(
            self.line_summary(first), [("Fibra 20/5, 01/17/2027 to 01/31/2027 (15 of 31 days)", 1, 580.65)]
        )
        self.assertTrue(first.sending_data, "a posted invoice is queued for Odoo's invoice email")
        self.assertEqual(subscription.next_invoice_date, D(2027, 2, 1))
        self.assertFalse(self.run_billing("2027-01-17"), "a rerun the same day bills nothing")
        self.assertFalse(self.run_billing("2027-01-31"))

        months = []
        for month in range(2, 13):
            day_before = datetime.date(2027, month, 1) - datetime.timedelta(days=1)
            self.assertFalse(self.run_billing(day_before.isoformat()), f"nothing is due the day before {month}/1")
            invoices = self.run_billing(f"2027-{month:02d}-01")
            self.assertEqual(len(invoices), 1, f"one invoice on {month}/1")
            self.assertFalse(self.run_billing(f"2027-{month:02d}-01"))
            months.append(invoices)
        self.assertEqual([invoice.invoice_date.month for invoice in months], list(range(2, 13)))
        self.assertEqual({invoice.amount_untaxed for invoice in months}, {1200.0})
        self.assertEqual(len(subscription.invoice_ids), 12)
        self.assertEqual(subscription.next_invoice_date, D(2028, 1, 1))

    def test_periods_missed_while_the_cron_was_down_are_each_billed_once(self):
        subscription = self.subscribe("2027-03-01")
        invoices = self.run_billing("2027-06-15")
        self.assertEqual(invoices.mapped("isp_period_start"), [D(2027, 3, 1), D(2027, 4, 1), D(2027, 5, 1), D(2027, 6, 1)])
        self.assertEqual(invoices.mapped("invoice_date"), invoices.mapped("isp_period_start"))
        self.assertFalse(self.run_billing("2027-06-15"))
        self.assertEqual(subscription.next_invoice_date, D(2027, 7, 1))

    def test_a_run_that_crashes_halfway_through_a_batch_leaves_nothing_of_it_and_the_next_run_goes_on(self):
        subscriptions = self.subscribe("2027-03-01") | self.subscribe("2027-03-01") | self.subscribe("2027-03-01")
        bill = type(self.subscriptions)._bill_periods

        def crash_after_creating_the_invoices(model, bills):
            bill(model, bills)
            raise RuntimeError("worker killed")

        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            with patch.object(type(self.subscriptions), "_bill_periods", crash_after_creating_the_invoices):
                self.run_billing("2027-03-01")
        self.assertFalse(subscriptions.invoice_ids)
        self.assertEqual(subscriptions.mapped("next_invoice_date"), [D(2027, 3, 1)] * 3, "no period was skipped")
        self.assertEqual(len(self.run_billing("2027-03-01")), 3)
        self.assertEqual([len(subscription.invoice_ids) for subscription in subscriptions], [1, 1, 1])

    def test_subscriptions_active_before_billing_was_installed_are_billed_from_its_install_day(self):
        subscription = self.subscribe("2027-03-01")
        subscription.sudo().next_period_start = False  # as for one activated before isp_billing
        with freeze_time("2027-06-10"):
            post_init_hook(self.env)
        self.assertEqual(subscription.next_invoice_date, D(2027, 6, 10))
        self.assertEqual(self.run_billing("2027-06-10").mapped("isp_period_start"), [D(2027, 6, 10)], "no past period")

    def test_the_database_refuses_a_second_invoice_for_a_period(self):
        subscription = self.subscribe("2027-03-01")
        invoice = self.run_billing("2027-03-01")
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint(), freeze_time("2027-03-01"):
            invoice.copy({"isp_subscription_id": subscription.id, "isp_period_start": D(2027, 3, 1)}).flush_recordset()

    def test_the_bill_now_button_bills_what_is_due_and_only_that(self):
        subscription = self.subscribe("2027-03-01")
        with freeze_time("2027-03-01"):
            action = subscription.with_user(self.isp_user).action_bill_now()
            self.assertEqual(action["domain"], [("isp_subscription_id", "=", subscription.id)])
            again = subscription.with_user(self.isp_user).action_bill_now()
        self.assertEqual(again["params"]["message"], "Nothing to bill: no period is due yet.")
        self.assertEqual(len(subscription.invoice_ids), 1)
        internal = self.env["res.users"].create({"name": "Clerk", "login": "clerk", "group_ids": [(4, self.env.ref("base.group_user").id)]})
        with self.assertRaises(AccessError), freeze_time("2027-04-01"):
            subscription.with_user(internal).action_bill_now()

    def test_settings_may_leave_invoices_in_draft(self):
        self.set_params({parameters.LEAVE_INVOICES_IN_DRAFT: "1"})
        self.subscribe("2027-03-01")
        invoice = self.run_billing("2027-03-01")
        self.assertRecordValues(invoice, [{"state": "draft", "sending_data": False}])

    def test_defaults_come_from_settings_and_quarterly_bills_three_months(self):
        term = self.env.ref("account.account_payment_term_15days")
        self.set_params({
            parameters.DEFAULT_BILLING_CYCLE: "quarterly",
            parameters.DEFAULT_BILLING_DAY: "5",
            parameters.DEFAULT_PAYMENT_TERM_ID: str(term.id),
        })
        subscription = self.subscribe("2027-01-05")
        self.assertRecordValues(subscription, [{"billing_cycle": "quarterly", "billing_day": 5, "payment_term_id": term.id}])
        invoice = self.run_billing("2027-01-05")
        self.assertRecordValues(invoice, [{"isp_period_end": D(2027, 4, 4), "amount_untaxed": 3600.0, "invoice_date_due": D(2027, 1, 20)}])
        self.assertEqual(invoice.invoice_line_ids.quantity, 3)

    def test_postpaid_bills_a_period_the_day_after_it_ends(self):
        subscription = self.subscribe("2027-01-17", billing_mode="postpaid")
        self.assertEqual(subscription.next_invoice_date, D(2027, 2, 1))
        self.assertFalse(self.run_billing("2027-01-31"))
        invoice = self.run_billing("2027-02-01")
        self.assertRecordValues(invoice, [{"invoice_date": D(2027, 2, 1), "isp_period_start": D(2027, 1, 17), "amount_untaxed": 580.65}])

    def test_a_plan_change_in_mid_period_is_prorated_on_the_next_invoice(self):
        subscription = self.subscribe("2027-03-01")
        self.run_billing("2027-03-01")
        with freeze_time("2027-03-10"):
            subscription.with_user(self.isp_user).plan_id = self.faster_plan
        april = self.run_billing("2027-04-01")
        self.assertEqual(self.line_summary(april), [
            ("Fibra 50/10, 04/01/2027 to 04/30/2027", 1, 2000.0),
            ("Credit for Fibra 20/5, 22 days (plan changed on 03/10/2027)", 1, -851.61),
            ("Fibra 50/10, 22 days (plan changed on 03/10/2027)", 1, 1419.35),
        ])
        self.assertFalse(self.run_billing("2027-05-01").invoice_line_ids.filtered(lambda line: "plan changed" in line.name))

    def test_a_postpaid_plan_change_bills_each_plan_for_its_days(self):
        subscription = self.subscribe("2027-03-01", billing_mode="postpaid")
        with freeze_time("2027-03-10"):
            subscription.plan_id = self.faster_plan
        march = self.run_billing("2027-04-01")
        self.assertEqual(self.line_summary(march), [
            ("Fibra 50/10, 03/01/2027 to 03/31/2027", 1, 2000.0),
            ("Credit for Fibra 50/10, 9 days (plan changed on 03/10/2027)", 1, -580.65),
            ("Fibra 20/5, 9 days (plan changed on 03/10/2027)", 1, 348.39),
        ])

    def test_staff_suspended_and_terminated_subscriptions_are_not_billed(self):
        suspended = self.subscribe("2027-03-01")
        terminated = self.subscribe("2027-03-01")
        self.run_billing("2027-03-01")
        with freeze_time("2027-03-15"):
            suspended.action_suspend()
            terminated.action_terminate()
        self.assertFalse(self.run_billing("2027-05-01"))
        with freeze_time("2027-05-10"):
            suspended.action_reactivate()
        may = self.run_billing("2027-05-10")
        self.assertRecordValues(may, [{"isp_subscription_id": suspended.id, "isp_period_start": D(2027, 5, 10), "amount_untaxed": 851.61}])

    def test_settings_say_whether_a_suspension_for_non_payment_accrues(self):
        subscription = self.subscribe("2027-03-01")
        self.run_billing("2027-03-01")
        with freeze_time("2027-03-20"):
            subscription._suspend("non_payment")
        self.assertFalse(self.run_billing("2027-04-01"), "by default, a suspension for non-payment does not accrue")
        self.set_params({parameters.ACCRUE_WHILE_SUSPENDED_FOR_NON_PAYMENT: "1"})
        self.assertEqual(self.run_billing("2027-04-01").isp_period_start, D(2027, 4, 1))

    def test_terminating_in_mid_period_is_prorated_as_settings_say(self):
        whole = self.subscribe("2027-03-01")
        self.run_billing("2027-03-01")
        with freeze_time("2027-03-10"):
            whole.action_terminate()
        self.assertEqual(len(whole.invoice_ids), 1, "without proration, a prepaid period stays billed whole")

        self.set_params({parameters.PRORATE_TERMINATION: "1"})
        prorated = self.subscribe("2027-03-01")
        self.run_billing("2027-03-01")
        with freeze_time("2027-03-10"):
            prorated.action_terminate()
        refund = prorated.invoice_ids.filtered(lambda move: move.move_type == "out_refund")
        self.assertRecordValues(refund, [{"state": "posted", "amount_untaxed": 812.90}])  # 21 of 31 days

        postpaid = self.subscribe("2027-03-01", billing_mode="postpaid")
        with freeze_time("2027-03-10"):
            postpaid.action_terminate()
        self.assertRecordValues(postpaid.invoice_ids, [{"isp_period_end": D(2027, 3, 10), "amount_untaxed": 387.10}])

    def test_a_plan_gets_a_service_product_that_carries_its_price(self):
        self.assertRecordValues(self.plan.product_id, [{"name": "Fibra 20/5", "type": "service", "list_price": 1200.0}])
        self.plan.price = 1300
        self.assertEqual(self.plan.product_id.list_price, 1300.0)

    def test_posted_invoices_reach_the_customer_by_odoos_invoice_email(self):
        self.subscribe("2027-03-01")
        invoice = self.run_billing("2027-03-01")
        with freeze_time("2027-03-01"), patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *args, **kwargs: 60.0):
            self.env["account.move"]._cron_account_move_send()
        self.assertFalse(invoice.sending_data, "Odoo's sending cron took it")
        mail = self.env["mail.mail"].search([("model", "=", "account.move"), ("res_id", "=", invoice.id)])
        self.assertEqual(len(mail), 1)
        self.assertIn(invoice.name, mail.subject)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(f"access_token={invoice.access_token}", mail.body_html, "the email carries the portal link")
        self.assertTrue(mail.attachment_ids.filtered(lambda attachment: attachment.name.endswith(".pdf")))
