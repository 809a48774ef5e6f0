from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_amount, format_date

from ..lib import collections_schedule, parameters


# A reminder day missed while the cron was down is still sent (its latest stage) this long after.
REMINDER_CATCH_UP_DAYS = 30


def _config(env, key, default=None):
    return env["ir.config_parameter"].sudo().get_param(key, default)


class IspSubscription(models.Model):
    """Collections: reminders, suspension for non-payment, and reactivation once paid."""

    _inherit = "isp.subscription"

    amount_overdue = fields.Monetary(
        compute="_compute_collections", currency_field="plan_currency_id",
        help="What is still owed on this subscription's invoices past their due date.",
    )
    overdue_days = fields.Integer(
        string="Days Overdue", compute="_compute_collections", help="Days since the oldest unpaid invoice was due."
    )
    last_reminder_at = fields.Datetime(string="Last Reminder", compute="_compute_collections")
    suspension_due_date = fields.Date(
        string="Suspended On",
        compute="_compute_collections",
        help="The day a subscription still unpaid is suspended for non-payment, after the grace days.",
    )
    has_overdue = fields.Boolean(string="Overdue", compute="_compute_collections", search="_search_has_overdue")

    @api.model
    def _overdue_invoice_domain(self, today):
        return Domain([
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<", today),
        ])

    def _compute_collections(self):
        today = fields.Date.context_today(self)
        grace_days = self._grace_days()
        invoices = self.env["account.move"].sudo().search(
            self._overdue_invoice_domain(today) & Domain("isp_subscription_id", "in", self.ids), order="invoice_date_due"
        )
        reminders = self.env["isp.billing.reminder"].sudo().search([("subscription_id", "in", self.ids)])
        auto_suspend = self._auto_suspend()
        for subscription in self:
            overdue = invoices.filtered(lambda move: move.isp_subscription_id == subscription)
            subscription.amount_overdue = sum(overdue.mapped("amount_residual_signed"))
            subscription.has_overdue = bool(overdue)
            oldest_due = overdue[:1].invoice_date_due
            subscription.overdue_days = (today - oldest_due).days if oldest_due else 0
            subscription.suspension_due_date = (
                oldest_due and auto_suspend and subscription.state == "active"
                and collections_schedule.suspension_date(oldest_due, grace_days)
            )
            sent = reminders.filtered(lambda reminder: reminder.subscription_id == subscription)
            subscription.last_reminder_at = max(sent.mapped("sent_at"), default=False)

    def _search_has_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        subscription_ids = self.env["account.move"].sudo()._search(
            self._overdue_invoice_domain(fields.Date.context_today(self)) & Domain("isp_subscription_id", "!=", False)
        ).select("isp_subscription_id")
        wanted = (True in value) == (operator == "in")
        return Domain("id", "in" if wanted else "not in", subscription_ids)

    @api.model
    def _grace_days(self):
        try:
            return max(int(_config(self.env, parameters.GRACE_DAYS, parameters.FALLBACK_GRACE_DAYS)), 0)
        except ValueError:
            return parameters.FALLBACK_GRACE_DAYS

    @api.model
    def _auto_suspend(self):
        return _config(self.env, parameters.AUTO_SUSPEND) in ("1", "True")

    @api.model
    def _reminder_stages(self):
        def days(key):
            try:
                return parameters.parse_day_list(_config(self.env, key))
            except ValueError:
                return []

        return collections_schedule.reminder_stages(
            days(parameters.REMINDER_DAYS_BEFORE_DUE), days(parameters.REMINDER_DAYS_AFTER_DUE)
        )

    # The collections run ----------------------------------------------------------------------

    @api.model
    def _cron_run_collections(self):
        today = fields.Date.context_today(self)
        self._send_payment_reminders(today)
        if self._auto_suspend():
            self._suspend_for_non_payment(today)

    @api.model
    def _send_payment_reminders(self, today):
        stages = self._reminder_stages()
        if not stages:
            return
        first_day = today - timedelta(days=max(stages[-1], 0) + REMINDER_CATCH_UP_DAYS)
        invoices = self.env["account.move"].sudo().search([
            ("isp_subscription_id", "!=", False),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", ">=", first_day),
        ])
        reminders = self.env["isp.billing.reminder"].sudo()
        for invoice in invoices:
            if invoice.isp_subscription_id.state not in ("active", "suspended"):
                continue
            sent = set(invoice.isp_reminder_ids.mapped("days_from_due"))
            stage = collections_schedule.stage_due(invoice.invoice_date_due, today, stages, sent)
            if stage is None:
                continue
            channel = invoice._isp_send_customer_message("isp_billing.mail_template_payment_reminder")
            reminders.create({"move_id": invoice.id, "days_from_due": stage, "channel": channel})

    @api.model
    def _suspend_for_non_payment(self, today):
        """Suspends every active subscription with an invoice unpaid past its grace days, through
        the suspension staff use, so that the router follows in either connection mode."""
        grace_days = self._grace_days()
        late = self.env["account.move"].sudo().search(
            self._overdue_invoice_domain(today - timedelta(days=grace_days))
            & Domain("isp_subscription_id.state", "=", "active"),
            order="invoice_date_due",
        )
        for subscription in late.isp_subscription_id:
            invoice = late.filtered(lambda move: move.isp_subscription_id == subscription)[:1]
            subscription.sudo()._suspend("non_payment")
            env = subscription._staff_language_env()
            subscription.sudo().message_post(body=env._(
                "Suspended for non-payment: invoice %(invoice)s (%(amount)s due) was due on %(date)s, "
                "more than %(days)s days ago.",
                invoice=invoice.name,
                amount=format_amount(env, invoice.amount_residual, invoice.currency_id),
                date=format_date(env, invoice.invoice_date_due),
                days=grace_days,
            ))

    def _reactivate_if_settled(self):
        """Reactivates the subscriptions suspended for non-payment that no longer owe anything past
        its grace days: at once, from the reconciliation of the payment. A suspension by staff
        stays: only staff lift it."""
        today = fields.Date.context_today(self)
        grace_limit = today - timedelta(days=self._grace_days())
        for subscription in self.sudo().filtered(
            lambda subscription: subscription.state == "suspended" and subscription.suspension_reason == "non_payment"
        ):
            still_late = self.env["account.move"].sudo().search_count(
                self._overdue_invoice_domain(grace_limit) & Domain("isp_subscription_id", "=", subscription.id), limit=1
            )
            if still_late:
                continue
            subscription.action_reactivate()
            env = subscription._staff_language_env()
            subscription.message_post(body=env._("Reactivated: the payment settled every overdue invoice."))

    def _staff_language_env(self):
        """Chatter is read by staff: it is written in the company's language, not the customer's."""
        return self.with_context(lang=self.env.company.partner_id.lang or self.env.lang).env

    @api.model
    def get_billing_dashboard_figures(self):
        """The dashboard's billing figures: monthly recurring revenue (active subscriptions' plan
        prices, billed monthly or not), what is overdue, and how many are suspended for non-payment."""
        self.check_access("read")
        env = self.env
        currency = env.company.currency_id
        active = self.search([("state", "=", "active")])
        mrr = sum(
            subscription.plan_id.currency_id._convert(
                subscription.plan_id.price, currency, env.company, fields.Date.context_today(self)
            )
            for subscription in active
        )
        overdue = env["account.move"].sudo().search(
            self._overdue_invoice_domain(fields.Date.context_today(self)) & Domain("isp_subscription_id", "!=", False)
        )
        return {
            "mrr": format_amount(env, mrr, currency),
            "overdue_amount": format_amount(env, sum(overdue.mapped("amount_residual_signed")), currency),
            "overdue_count": len(overdue.isp_subscription_id),
            "suspended_for_non_payment": self.search_count([("suspension_reason", "=", "non_payment")]),
        }
