from odoo import fields, models
from odoo.exceptions import ValidationError

from ..lib import parameters
from .isp_subscription import BILLING_CYCLES, BILLING_MODES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    isp_default_billing_cycle = fields.Selection(
        BILLING_CYCLES, string="Billing Cycle", config_parameter=parameters.DEFAULT_BILLING_CYCLE,
        default=parameters.FALLBACK_BILLING_CYCLE,
    )
    isp_default_billing_mode = fields.Selection(
        BILLING_MODES, string="Billing", config_parameter=parameters.DEFAULT_BILLING_MODE,
        default=parameters.FALLBACK_BILLING_MODE,
    )
    isp_default_billing_day = fields.Integer(
        string="Billing Day", config_parameter=parameters.DEFAULT_BILLING_DAY, default=parameters.FALLBACK_BILLING_DAY
    )
    isp_default_payment_term_id = fields.Many2one(
        "account.payment.term", string="Payment Term", config_parameter=parameters.DEFAULT_PAYMENT_TERM_ID
    )
    isp_leave_invoices_in_draft = fields.Boolean(
        string="Leave Invoices in Draft", config_parameter=parameters.LEAVE_INVOICES_IN_DRAFT,
        help="The billing run creates invoices for staff to check and post; otherwise it posts and emails them.",
    )
    isp_accrue_while_suspended_for_non_payment = fields.Boolean(
        string="Bill While Suspended for Non-payment", config_parameter=parameters.ACCRUE_WHILE_SUSPENDED_FOR_NON_PAYMENT,
        help="A subscription suspended for non-payment keeps being invoiced; otherwise its billing "
        "resumes on the day it is reactivated.",
    )
    isp_prorate_termination = fields.Boolean(
        string="Prorate Terminations", config_parameter=parameters.PRORATE_TERMINATION,
        help="A subscription terminated in mid-period is billed to the day: a postpaid one for the "
        "days used, a prepaid one credited for the days left. Otherwise the period in course is billed whole.",
    )

    isp_reminder_days_before_due = fields.Char(
        string="Reminders Before the Due Date", config_parameter=parameters.REMINDER_DAYS_BEFORE_DUE,
        help="Days before an invoice's due date on which its customer is reminded, e.g. 3 (comma-separated).",
    )
    isp_reminder_days_after_due = fields.Char(
        string="Reminders After the Due Date", config_parameter=parameters.REMINDER_DAYS_AFTER_DUE,
        help="Days after an invoice's due date on which its customer is reminded while it is unpaid, e.g. 1, 5.",
    )
    isp_grace_days = fields.Integer(
        string="Grace Days", config_parameter=parameters.GRACE_DAYS, default=parameters.FALLBACK_GRACE_DAYS,
        help="Days after the due date before an unpaid invoice suspends its subscription.",
    )
    isp_auto_suspend = fields.Boolean(
        string="Suspend for Non-payment", config_parameter=parameters.AUTO_SUSPEND,
        help="After the grace days, a subscription with an unpaid invoice is suspended, on the router too; "
        "it is reactivated as soon as the payment is reconciled.",
    )

    def set_values(self):
        if self.isp_default_billing_day and not 1 <= self.isp_default_billing_day <= 31:
            raise ValidationError(self.env._("The billing day is a day of the month, from 1 to 31."))
        if self.isp_grace_days < 0:
            raise ValidationError(self.env._("Grace Days cannot be negative."))
        for field_name in ("isp_reminder_days_before_due", "isp_reminder_days_after_due"):
            try:
                parameters.parse_day_list(self[field_name])
            except ValueError as error:
                raise ValidationError(self.env._(
                    "%(field)s: “%(entry)s” is not a number of days; write whole days separated by commas, e.g. 1, 5.",
                    field=self._fields[field_name].get_description(self.env)["string"],
                    entry=error.args[0],
                )) from None
        super().set_values()
