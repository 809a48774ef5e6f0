from odoo import fields, models

from ..lib import parameters


class AccountMove(models.Model):
    _inherit = "account.move"

    isp_subscription_id = fields.Many2one(
        "isp.subscription", string="ISP Subscription", index="btree_not_null", ondelete="restrict", copy=False, readonly=True
    )
    isp_period_start = fields.Date(string="Service From", copy=False, readonly=True)
    isp_period_end = fields.Date(string="Service To", copy=False, readonly=True)

    # One invoice per subscription and period, whatever runs the billing and however often: the
    # database refuses a second one, even from another worker that has not seen the first.
    _isp_one_invoice_per_period = models.UniqueIndex(
        "(isp_subscription_id, isp_period_start) WHERE isp_subscription_id IS NOT NULL AND move_type = 'out_invoice'",
        "This subscription already has an invoice for this period.",
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
