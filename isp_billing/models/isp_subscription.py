import logging

from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import api, fields, models
from odoo.fields import Command, Domain
from odoo.tools import SQL, format_date

from ..lib import billing_period, parameters

_logger = logging.getLogger(__name__)

BILLING_CYCLES = [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")]
BILLING_MODES = [("prepaid", "Prepaid"), ("postpaid", "Postpaid")]
# How many subscriptions the billing cron bills between two commits.
BILLING_BATCH_SIZE = 200


def _config(env, key, default=None):
    return env["ir.config_parameter"].sudo().get_param(key, default)


class IspSubscription(models.Model):
    _inherit = "isp.subscription"

    suspension_reason = fields.Selection(
        selection_add=[("non_payment", "Non-payment")],
        # Without billing, nothing would lift a suspension for non-payment: staff own it then.
        ondelete={"non_payment": lambda subscriptions: subscriptions.write({"suspension_reason": "staff"})},
    )
    billing_cycle = fields.Selection(
        BILLING_CYCLES,
        required=True,
        tracking=True,
        default=lambda self: _config(self.env, parameters.DEFAULT_BILLING_CYCLE) or parameters.FALLBACK_BILLING_CYCLE,
    )
    billing_mode = fields.Selection(
        BILLING_MODES,
        string="Billing",
        required=True,
        tracking=True,
        default=lambda self: _config(self.env, parameters.DEFAULT_BILLING_MODE) or parameters.FALLBACK_BILLING_MODE,
        help="Prepaid: each period is invoiced on its first day. Postpaid: on the day after it ends.",
    )
    billing_day = fields.Integer(
        required=True,
        tracking=True,
        default=lambda self: self._default_billing_day(),
        help="The day of the month on which periods start (1 to 31; past a month's end, its last day). "
        "A service that starts on another day is billed for its days until the next billing day.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        tracking=True,
        default=lambda self: self._default_payment_term(),
        help="Sets the due date of this subscription's invoices; empty, they are due on their date.",
    )
    next_period_start = fields.Date(
        string="Billed Until", copy=False, readonly=True, help="The first day of service not yet invoiced."
    )
    next_invoice_date = fields.Date(
        compute="_compute_next_invoice_date",
        store=True,
        index=True,
        help="When the next period is invoiced, by the daily billing run or the Bill Now button.",
    )
    invoice_ids = fields.One2many("account.move", "isp_subscription_id", string="Invoices", readonly=True)
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    billing_adjustment_ids = fields.One2many(
        "isp.billing.adjustment", "subscription_id", string="Adjustments", readonly=True
    )
    amount_due = fields.Monetary(
        string="Balance", compute="_compute_amount_due", currency_field="plan_currency_id",
        help="What the customer still owes on this subscription's posted invoices.",
    )

    _billing_day_in_month = models.Constraint(
        "CHECK(billing_day BETWEEN 1 AND 31)", "The billing day is a day of the month, from 1 to 31."
    )

    @api.model
    def _default_billing_day(self):
        try:
            day = int(_config(self.env, parameters.DEFAULT_BILLING_DAY) or parameters.FALLBACK_BILLING_DAY)
        except ValueError:
            return parameters.FALLBACK_BILLING_DAY
        return day if 1 <= day <= 31 else parameters.FALLBACK_BILLING_DAY

    @api.model
    def _default_payment_term(self):
        term_id = _config(self.env, parameters.DEFAULT_PAYMENT_TERM_ID)
        return self.env["account.payment.term"].browse(int(term_id)).exists() if term_id and term_id.isdigit() else False

    @api.depends("next_period_start", "billing_cycle", "billing_day", "billing_mode")
    def _compute_next_invoice_date(self):
        for subscription in self:
            period = subscription._next_period()
            subscription.next_invoice_date = period and billing_period.invoice_date(period, subscription.billing_mode)

    @api.depends("invoice_ids")
    def _compute_invoice_count(self):
        for subscription in self:
            subscription.invoice_count = len(subscription.invoice_ids)

    @api.depends("invoice_ids.amount_residual_signed", "invoice_ids.state")
    def _compute_amount_due(self):
        for subscription in self:
            posted = subscription.sudo().invoice_ids.filtered(lambda move: move.state == "posted")
            subscription.amount_due = sum(posted.mapped("amount_residual_signed"))

    @api.model_create_multi
    def create(self, vals_list):
        subscriptions = super().create(vals_list)
        subscriptions._start_billing()
        return subscriptions

    def write(self, vals):
        today = fields.Date.context_today(self)
        adjustments = []
        if vals.get("plan_id"):
            new_plan = self.env["isp.service.plan"].browse(vals["plan_id"])
            for subscription in self.filtered(lambda subscription: subscription.plan_id != new_plan):
                adjustments += subscription._plan_change_adjustments(new_plan, today)
        resuming = self.browse()
        if vals.get("state") == "active":
            resuming = self.filtered(lambda subscription: subscription.state == "suspended" and not subscription._accrues())
        elif vals.get("state") == "suspended":
            accrues = vals.get("suspension_reason") == "non_payment" and self._accrue_while_suspended_for_non_payment()
            if not accrues:
                # A postpaid service's days of use so far are billed now: its suspension is not.
                self.filtered(lambda subscription: subscription.state == "active")._bill_used_days(today - billing_period.ONE_DAY, today)
        elif vals.get("state") == "terminated":
            self.filtered(lambda subscription: subscription.state in ("active", "suspended"))._bill_termination(today)
        result = super().write(vals)
        if adjustments:
            self.env["isp.billing.adjustment"].sudo().create(adjustments)
        if resuming:
            resuming._skip_unbilled_suspension(today)
        if vals.get("state") == "active":
            self._start_billing()
        return result

    def action_bill_now(self):
        """Bills every period of these subscriptions that is due today or earlier, each once."""
        self.check_access("write")
        invoices = self._bill_due_periods(fields.Date.context_today(self))
        if not invoices:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {"type": "info", "message": self.env._("Nothing to bill: no period is due yet.")},
            }
        # The form's button opens what it billed; a call on several subscriptions gets no screen.
        return self.action_open_invoices() if len(self) == 1 else True

    def action_open_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("isp_subscription_id", "=", self.id)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    # The billing run ---------------------------------------------------------------------------

    @api.model
    def _cron_bill_due_subscriptions(self):
        """Bills every due period of every billable subscription, committing batch by batch, so
        that a run stopped halfway leaves whole invoices behind and the next one goes on."""
        today = fields.Date.context_today(self)
        subscriptions = self.search(self._due_domain(today), order="next_invoice_date, id")
        cron = self.env["ir.cron"]
        for start in range(0, len(subscriptions), BILLING_BATCH_SIZE):
            batch = subscriptions[start:start + BILLING_BATCH_SIZE]
            batch._bill_due_periods(today)
            if not cron._commit_progress(len(batch), remaining=len(subscriptions) - start - len(batch)):
                break  # out of time: Odoo runs the cron again for what remains

    @api.model
    def _due_domain(self, today):
        return self._billable_domain() & Domain("next_invoice_date", "<=", today)

    @api.model
    def _billable_domain(self):
        billable = Domain("state", "=", "active")
        if self._accrue_while_suspended_for_non_payment():
            billable |= Domain("state", "=", "suspended") & Domain("suspension_reason", "=", "non_payment")
        return billable

    @api.model
    def _accrue_while_suspended_for_non_payment(self):
        return _config(self.env, parameters.ACCRUE_WHILE_SUSPENDED_FOR_NON_PAYMENT) in ("1", "True")

    def _accrues(self):
        """Whether this subscription's time is billed in its current state."""
        self.ensure_one()
        return self.state == "active" or (
            self.state == "suspended"
            and self.suspension_reason == "non_payment"
            and self._accrue_while_suspended_for_non_payment()
        )

    def _bill_due_periods(self, today):
        """Creates the invoice of every period of these subscriptions due by ``today``, oldest
        first, then posts and emails them as Settings say. Another transaction billing the same
        subscription at the same time makes this one leave it alone. The invoices are made in
        rounds, one ``create`` for the next due period of every subscription, since Odoo's
        invoice creation costs far less per invoice in one call than in many.

        :return: the invoices created
        """
        invoices = self.env["account.move"]
        due = self._lock_for_billing()
        while due := due.filtered(
            lambda subscription: subscription._accrues()
            and subscription.next_invoice_date
            and subscription.next_invoice_date <= today
        ):
            invoices |= due._bill_next_periods()
        invoices._isp_post_and_send()
        return invoices

    def _lock_for_billing(self):
        """The subscriptions of ``self`` that this transaction may bill now: those no other
        transaction is billing, and that none has billed since this one began (a concurrent
        update is a serialization failure under Odoo's repeatable-read isolation)."""
        if not self:
            return self
        self.flush_recordset()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL("SELECT id FROM isp_subscription WHERE id IN %s FOR NO KEY UPDATE SKIP LOCKED", tuple(self.ids)),
                    log_exceptions=False,
                )
                locked = {row[0] for row in self.env.cr.fetchall()}
        except (SerializationFailure, LockNotAvailable):
            # Billed by another transaction since this one started: that one has done it.
            return self._lock_one_by_one() if len(self) > 1 else self.browse()
        return self.filtered(lambda subscription: subscription.id in locked)

    def _lock_one_by_one(self):
        locked = self.browse()
        for subscription in self:
            locked |= subscription._lock_for_billing()
        return locked

    def _next_period(self):
        self.ensure_one()
        if not self.next_period_start or not self.billing_day:
            return None
        return billing_period.period_starting(self.next_period_start, self.billing_cycle, self.billing_day)

    def _bill_next_periods(self):
        """Invoices the next period of each of these subscriptions."""
        bills = []
        for subscription in self:
            period = subscription._next_period()
            bills.append((subscription, period, billing_period.invoice_date(period, subscription.billing_mode)))
        return self._bill_periods(bills)

    @api.model
    def _bill_periods(self, bills):
        """Invoices each ``(subscription, period, invoice_date)`` of ``bills`` (one period per
        subscription) with the adjustments that wait, in one ``create``, and moves each
        subscription's billing past its period. The unique index refuses the whole call if any
        period was billed already, so nothing of it is kept.

        :return: the invoices, in the order of ``bills``
        """
        values, adjustments = [], []
        for subscription, period, invoice_date in bills:
            waiting = subscription._waiting_adjustments()
            lines = [subscription._period_line_values(period), *waiting._invoice_line_values()]
            values.append(subscription._invoice_values(invoice_date, lines, period))
            adjustments.append(waiting)
        invoices = self.env["account.move"].sudo().create(values)
        for (subscription, period, _invoice_date), waiting, invoice in zip(bills, adjustments, invoices):
            if waiting:
                waiting.sudo().move_id = invoice
            subscription.sudo().next_period_start = period.next_start()
        return invoices

    def _waiting_adjustments(self):
        return self.billing_adjustment_ids.filtered(lambda adjustment: not adjustment.move_id)

    def _bill_used_days(self, last_day, invoice_date):
        """Postpaid subscriptions: bills the days of service from the last invoice up to
        ``last_day`` now, as a share of their cycle (after any whole period already due)."""
        invoices = self.env["account.move"]
        for subscription in self.filtered(lambda subscription: subscription.billing_mode == "postpaid")._lock_for_billing():
            invoices |= subscription._bill_due_periods(invoice_date)
            period = subscription._next_period()
            if period and period.start <= last_day:
                used = billing_period.Period(period.start, min(last_day, period.end), period.full_start, period.full_end)
                invoices |= self._bill_periods([(subscription, used, invoice_date)])
        invoices._isp_post_and_send()
        return invoices

    def _invoice_values(self, invoice_date, lines, period=None, move_type="out_invoice"):
        return {
            "move_type": move_type,
            "partner_id": self.partner_id.id,
            "invoice_date": invoice_date,
            "invoice_payment_term_id": self.payment_term_id.id,
            "currency_id": self.plan_id.currency_id.id,
            "invoice_origin": self.name,
            "isp_subscription_id": self.id,
            "isp_period_start": period and period.start,
            "isp_period_end": period and period.end,
            "invoice_line_ids": [Command.create(line) for line in lines],
        }

    def _period_line_values(self, period):
        """The plan's line for ``period``: whole months at the plan's price, or a share of the cycle."""
        plan = self.plan_id
        months = billing_period.CYCLE_MONTHS[self.billing_cycle]
        env = self.with_context(lang=self.partner_id.lang or self.env.lang).env
        name = env._(
            "%(plan)s, %(start)s to %(end)s",
            plan=plan.name,
            start=format_date(env, period.start),
            end=format_date(env, period.end),
        )
        if period.is_full:
            return {"product_id": plan.product_id.id, "name": name, "quantity": months, "price_unit": plan.price}
        return {
            "product_id": plan.product_id.id,
            "name": env._("%(line)s (%(days)s of %(full_days)s days)", line=name, days=period.days, full_days=period.full_days),
            "quantity": 1,
            "price_unit": self._share_of_cycle(plan, period.days, period.full_days),
        }

    def _share_of_cycle(self, plan, days, full_days):
        months = billing_period.CYCLE_MONTHS[self.billing_cycle]
        return plan.currency_id.round(plan.price * months * days / full_days)

    # Changes in mid-period ---------------------------------------------------------------------

    def _current_period(self, day):
        """The period that holds ``day``, and whether it is already invoiced: for a prepaid
        subscription, the invoiced period; for a postpaid one, the period still to invoice."""
        self.ensure_one()
        if not self.next_period_start or self.state not in ("active", "suspended"):
            return None, False
        if self.billing_mode == "postpaid":
            period = self._next_period()
            return (period, False) if period.start <= day <= period.end else (None, False)
        invoice = self.invoice_ids.filtered(
            lambda move: move.move_type == "out_invoice"
            and move.state != "cancel"
            and move.isp_period_start
            and move.isp_period_start <= day <= move.isp_period_end
        )[:1]
        if not invoice:
            return None, False
        full = billing_period.period_starting(invoice.isp_period_start, self.billing_cycle, self.billing_day)
        return billing_period.Period(invoice.isp_period_start, invoice.isp_period_end, full.full_start, full.full_end), True

    def _plan_change_adjustments(self, new_plan, day):
        """A credit for the old plan and a charge for the new one, for the days of the current
        period that the next invoice would otherwise bill at the wrong plan."""
        period, invoiced = self._current_period(day)
        if not period:
            return []
        if invoiced:  # prepaid: the old plan was invoiced up to the period's end
            days, credited, charged = billing_period.days_between(day, period.end), self.plan_id, new_plan
        else:  # postpaid: the invoice will bill the new plan for the whole period
            days, credited, charged = billing_period.days_between(period.start, day - billing_period.ONE_DAY), new_plan, self.plan_id
        if not days:
            return []
        env = self.with_context(lang=self.partner_id.lang or self.env.lang).env
        date = format_date(env, day)
        return [
            {
                "subscription_id": self.id,
                "product_id": credited.product_id.id,
                "name": env._("Credit for %(plan)s, %(days)s days (plan changed on %(date)s)", plan=credited.name, days=days, date=date),
                "price_unit": -self._share_of_cycle(credited, days, period.full_days),
            },
            {
                "subscription_id": self.id,
                "product_id": charged.product_id.id,
                "name": env._("%(plan)s, %(days)s days (plan changed on %(date)s)", plan=charged.name, days=days, date=date),
                "price_unit": self._share_of_cycle(charged, days, period.full_days),
            },
        ]

    def _bill_termination(self, day):
        """Closes the account of subscriptions terminated on ``day``. Postpaid, the period in
        course is billed: to ``day`` when Settings prorate terminations, else whole. Prepaid and
        prorated, a credit note returns the days after ``day``. Adjustments still waiting go on
        that last document."""
        prorate = _config(self.env, parameters.PRORATE_TERMINATION) in ("1", "True")
        postpaid = self.filtered(lambda subscription: subscription.billing_mode == "postpaid")
        for subscription in postpaid:
            period = subscription._accrues() and subscription._next_period()
            if period:
                subscription._bill_used_days(day if prorate else period.end, day)
        documents = self.env["account.move"]
        for subscription in (self - postpaid)._lock_for_billing() | postpaid:
            env = subscription.with_context(lang=subscription.partner_id.lang or self.env.lang).env
            lines = subscription._waiting_adjustments()._invoice_line_values()
            period, invoiced = subscription._current_period(day)
            unused = prorate and invoiced and billing_period.days_between(day + billing_period.ONE_DAY, period.end)
            if unused:
                lines.append({
                    "product_id": subscription.plan_id.product_id.id,
                    "name": env._(
                        "Credit for %(plan)s, %(days)s days after the termination on %(date)s",
                        plan=subscription.plan_id.name, days=unused, date=format_date(env, day),
                    ),
                    "quantity": 1,
                    "price_unit": -subscription._share_of_cycle(subscription.plan_id, unused, period.full_days),
                })
            if not lines:
                continue
            refund = sum(line["quantity"] * line["price_unit"] for line in lines) < 0
            if refund:
                lines = [{**line, "price_unit": -line["price_unit"]} for line in lines]
            document = self.env["account.move"].sudo().create(
                subscription._invoice_values(day, lines, move_type="out_refund" if refund else "out_invoice")
            )
            subscription._waiting_adjustments().sudo().move_id = document
            documents |= document
        documents._isp_post_and_send()

    def _skip_unbilled_suspension(self, day):
        """Time spent suspended without accruing is not billed: billing resumes on ``day``."""
        for subscription in self.filtered(lambda subscription: subscription.next_period_start and subscription.next_period_start < day):
            subscription.sudo().next_period_start = day

    def _start_billing(self):
        for subscription in self.filtered(lambda subscription: subscription.state == "active" and not subscription.next_period_start):
            subscription.sudo().next_period_start = subscription.start_date or fields.Date.context_today(self)
