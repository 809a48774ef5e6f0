from odoo import fields, models

from ..lib import collections_schedule, parameters


class AccountMove(models.Model):
    _inherit = "account.move"

    isp_subscription_id = fields.Many2one(
        "isp.subscription", string="ISP Subscription", index="btree_not_null", ondelete="restrict", copy=False, readonly=True
    )
    isp_period_start = fields.Date(string="Service From", copy=False, readonly=True)
    isp_period_end = fields.Date(string="Service To", copy=False, readonly=True)
    isp_is_overdue = fields.Boolean(string="Overdue", compute="_compute_isp_collections")
    isp_suspension_date = fields.Date(
        string="Suspension Date", compute="_compute_isp_collections",
        help="The day this invoice, still unpaid, suspends its subscription for non-payment.",
    )
    isp_reminder_ids = fields.One2many("isp.billing.reminder", "move_id", string="Payment Reminders", readonly=True)

    # One invoice per subscription and period, whatever runs the billing and however often: the
    # database refuses a second one, even from another worker that has not seen the first.
    _isp_one_invoice_per_period = models.UniqueIndex(
        "(isp_subscription_id, isp_period_start) WHERE isp_subscription_id IS NOT NULL AND move_type = 'out_invoice'",
        "This subscription already has an invoice for this period.",
    )

    def _compute_isp_collections(self):
        today = fields.Date.context_today(self)
        subscriptions = self.env["isp.subscription"]
        grace_days = subscriptions._grace_days()
        auto_suspend = subscriptions._auto_suspend()
        for move in self:
            unpaid = move.state == "posted" and move.payment_state in ("not_paid", "partial") and move.invoice_date_due
            move.isp_is_overdue = bool(unpaid and move.invoice_date_due < today)
            move.isp_suspension_date = (
                unpaid and auto_suspend and move.isp_subscription_id and collections_schedule.suspension_date(move.invoice_date_due, grace_days)
            )

    def _isp_post_and_send(self):
        """Posts new subscription invoices and emails them, unless Settings leave them in draft
        for staff to check. Emails go through Odoo's own invoice sending (its invoice template,
        which carries the portal link, and the PDF), in the background."""
        drafts = self.filtered(lambda move: move.state == "draft")
        if not drafts or self.env["ir.config_parameter"].sudo().get_param(parameters.LEAVE_INVOICES_IN_DRAFT) in ("1", "True"):
            return
        # Billing follows the subscription's terms: whoever may bill it needs no accounting rights.
        drafts.sudo().action_post()
        to_send = drafts.filtered(lambda move: move.partner_id.email)
        if to_send:
            to_send.sudo().sending_data = {"author_user_id": self.env.user.id, "author_partner_id": self.env.user.partner_id.id}
            self.env.ref("account.ir_cron_account_move_send").sudo()._trigger()

    def _invoice_paid_hook(self):
        # Odoo calls this from the reconciliation that pays an invoice: reconnection follows the
        # payment at once, not the next run of a cron.
        super()._invoice_paid_hook()
        self.isp_subscription_id._reactivate_if_settled()

    def _isp_send_customer_message(self, template_xmlid):
        """The one way collections reach a customer about this invoice, in the customer's
        language (the template's). Email is the channel today; another one (WhatsApp, SMS)
        belongs here, chosen per customer.

        :return: the channel used
        """
        self.ensure_one()
        template = self.env.ref(template_xmlid)
        self.with_context(lang=self.partner_id.lang).sudo().message_post_with_source(
            template, subtype_xmlid="mail.mt_comment", partner_ids=self.partner_id.ids
        )
        return "email"
