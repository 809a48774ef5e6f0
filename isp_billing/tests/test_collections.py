import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.isp_billing.lib import parameters
from odoo.addons.isp_core.tests import test_translations

from .common import BillingCase

D = datetime.date


@tagged("post_install", "-at_install")
class TestCollections(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_params({
            parameters.DEFAULT_PAYMENT_TERM_ID: str(cls.env.ref("account.account_payment_term_15days").id),
            parameters.REMINDER_DAYS_BEFORE_DUE: "3",
            parameters.REMINDER_DAYS_AFTER_DUE: "1, 5",
            parameters.GRACE_DAYS: "10",
            parameters.AUTO_SUSPEND: "True",
        })

    def run_collections(self, day):
        self.env.invalidate_all()  # as a new transaction would: what depends on today is computed again
        with freeze_time(day):
            self.subscriptions._cron_run_collections()

    def reminders(self, invoice):
        # Nothing else posts a message with a subject on these invoices (Odoo's invoice email is sent by its own cron).
        return invoice.message_ids.filtered("subject")

    def pay(self, invoice, day):
        with freeze_time(day):
            self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
                {"payment_date": day}
            )._create_payments()

    def billed_subscription(self):
        subscription = self.subscribe("2027-03-01")
        invoice = self.run_billing("2027-03-01")
        self.assertEqual(invoice.invoice_date_due, D(2027, 3, 16))
        return subscription, invoice

    def test_a_skipped_payment_is_reminded_on_its_days_then_suspended_and_paying_reactivates_at_once(self):
        subscription, invoice = self.billed_subscription()
        reminded_on, suspended_on = [], None
        day = D(2027, 3, 2)
        while day <= D(2027, 3, 31):
            before = len(self.reminders(invoice))
            self.run_collections(day.isoformat())
            if len(self.reminders(invoice)) > before:
                reminded_on.append(day)
            if subscription.state == "suspended" and not suspended_on:
                suspended_on = day
            day += datetime.timedelta(days=1)
        self.assertEqual(reminded_on, [D(2027, 3, 13), D(2027, 3, 17), D(2027, 3, 21)])
        self.assertEqual(suspended_on, D(2027, 3, 27), "suspended the day after the ten grace days")
        self.assertEqual(subscription.suspension_reason, "non_payment")
        self.assertIn("Suspended for non-payment: invoice", subscription.message_ids[0].body)
        self.assertIn("was due on 03/16/2027", subscription.message_ids[0].body)

        first, *_rest = self.reminders(invoice).sorted("id")
        self.assertIn("1,380.00", first.subject, "the amount due, with the product's sales tax")
        self.assertIn("is due on", first.body)
        self.assertIn("03/16/2027", first.body)
        self.assertRegex(first.body, r"suspended on\s+<strong>03/27/2027</strong>")
        self.assertIn(f"access_token={invoice.access_token}", first.body)
        self.assertIn(self.customer, first.notified_partner_ids)
        self.assertIn("was due on", self.reminders(invoice).sorted("id")[-1].body)

        self.pay(invoice, "2027-03-31")
        self.assertEqual(invoice.payment_state, self.env["account.move"]._get_invoice_in_payment_state())
        self.assertRecordValues(subscription, [{"state": "active", "suspension_reason": False}])
        self.assertIn("Reactivated: the payment settled every overdue invoice.", subscription.message_ids[0].body)

    def test_a_payment_never_lifts_a_staff_suspension(self):
        subscription, invoice = self.billed_subscription()
        self.run_collections("2027-03-27")
        with freeze_time("2027-03-28"):
            subscription.action_reactivate()
            subscription.action_suspend()
        self.pay(invoice, "2027-03-29")
        self.assertRecordValues(subscription, [{"state": "suspended", "suspension_reason": "staff"}])

    def test_without_automatic_suspension_only_reminders_go_out(self):
        self.set_params({parameters.AUTO_SUSPEND: False})
        subscription, invoice = self.billed_subscription()
        self.run_collections("2027-03-22")
        self.assertEqual(len(self.reminders(invoice)), 1, "after a gap, only the latest reminder goes out")
        self.assertEqual(invoice.isp_reminder_ids.days_from_due, 5)
        self.assertNotIn("suspended on", self.reminders(invoice).body)
        self.run_collections("2027-04-30")
        self.assertEqual(subscription.state, "active")

    def test_the_collections_list_shows_what_is_overdue_and_when_it_is_suspended(self):
        subscription, invoice = self.billed_subscription()
        paying = self.subscribe("2027-03-01")
        self.run_billing("2027-03-01")
        self.pay(paying.invoice_ids, "2027-03-05")
        self.run_collections("2027-03-17")
        with freeze_time("2027-03-20"):
            self.env.invalidate_all()
            overdue = self.subscriptions.search([("has_overdue", "=", True), ("id", "in", (subscription | paying).ids)])
            self.assertEqual(overdue, subscription)
            self.assertRecordValues(subscription, [{
                "amount_overdue": 1380.0,
                "overdue_days": 4,
                "suspension_due_date": D(2027, 3, 27),
            }])
            self.assertEqual(subscription.last_reminder_at.date(), D(2027, 3, 17))

    def test_a_spanish_customer_is_reminded_in_spanish(self):
        self.env["res.lang"]._activate_lang(test_translations.LANG)
        self.env["ir.module.module"]._load_module_terms(["isp_billing"], [test_translations.LANG], overwrite=True)
        self.customer.lang = test_translations.LANG
        _subscription, invoice = self.billed_subscription()
        self.run_collections("2027-03-13")
        [reminder] = self.reminders(invoice)
        self.assertIn("pendiente", reminder.subject)
        self.assertIn("vence el", reminder.body)
        self.assertIn("16/03/2027", reminder.body)

    def test_settings_refuse_a_day_list_they_cannot_read_and_name_the_field(self):
        settings = self.env["res.config.settings"].create({"isp_reminder_days_after_due": "1, cinco"})
        with self.assertRaisesRegex(Exception, "Reminders After the Due Date: “cinco” is not a number of days"):
            settings.execute()

    def test_the_dashboard_gets_recurring_revenue_overdue_and_suspended_figures(self):
        subscription, _invoice = self.billed_subscription()
        self.subscribe("2027-03-15", plan_id=self.faster_plan.id)
        self.run_billing("2027-03-15")  # due on the 30th
        self.run_collections("2027-03-27")
        with freeze_time("2027-03-28"):
            figures = self.subscriptions.with_user(self.isp_user).get_billing_dashboard_figures()
        self.assertEqual(subscription.suspension_reason, "non_payment")
        self.assertEqual(figures["suspended_for_non_payment"], 1)
        self.assertEqual(figures["overdue_count"], 1)
        self.assertIn("1,380.00", figures["overdue_amount"])
        self.assertIn("2,000.00", figures["mrr"], "only active subscriptions recur")
