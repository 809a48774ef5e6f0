from odoo import fields, models


class IspBillingReminder(models.Model):
    """A payment reminder sent for an invoice: one per invoice and stage, so that none repeats."""

    _name = "isp.billing.reminder"
    _description = "ISP Payment Reminder"
    _order = "sent_at desc, id desc"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, index=True, ondelete="cascade")
    subscription_id = fields.Many2one(related="move_id.isp_subscription_id", store=True, index=True)
    days_from_due = fields.Integer(
        required=True, help="When it was due: days before the due date (negative) or after it."
    )
    channel = fields.Selection([("email", "Email")], required=True, default="email")
    sent_at = fields.Datetime(required=True, default=fields.Datetime.now)

    _one_per_stage = models.UniqueIndex("(move_id, days_from_due)", "This reminder was already sent for this invoice.")
