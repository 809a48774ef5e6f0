from odoo import models
from odoo.fields import Domain
from odoo.tools import format_amount, format_date


class IspSubscription(models.Model):
    """What a suspended customer's notice page (isp_core) says of money: the amount due, the
    unpaid invoices as links to Odoo's own invoice pages, where the payment providers show how to
    pay, and the wire-transfer instructions, which need nothing the suspension blocks."""

    _inherit = "isp.subscription"

    def _notice_page_values(self):
        values = super()._notice_page_values()
        values.update(billing_amount_due=False, billing_unpaid_invoices=[], billing_payment_instructions=[])
        if not self:  # the generic page: nothing of anyone
            return values
        env = self.env
        invoices = env["account.move"].sudo().search(
            Domain("isp_subscription_id", "=", self.id)
            & Domain("move_type", "=", "out_invoice")
            & Domain("state", "=", "posted")
            & Domain("payment_state", "in", ("not_paid", "partial")),
            order="invoice_date_due, id",
        )
        if not invoices:
            return values
        currency = invoices[:1].currency_id
        url_code = env["res.lang"]._get_data(code=env.lang).url_code if env.lang else None
        language_prefix = f"/{url_code}" if url_code else ""
        values.update(
            billing_amount_due=format_amount(env, sum(invoices.mapped("amount_residual")), currency),
            billing_unpaid_invoices=[
                {
                    "name": invoice.name,
                    # The invoice's own access token: the link opens this invoice alone, without a
                    # login, in the notice page's language.
                    "url": f"{language_prefix}{invoice.get_portal_url()}",
                    "reference": invoice.payment_reference or invoice.name,
                    "due_date": format_date(env, invoice.invoice_date_due),
                    "amount": format_amount(env, invoice.amount_residual, invoice.currency_id),
                }
                for invoice in invoices
            ],
            billing_payment_instructions=self._notice_wire_transfer_instructions(invoices.company_id),
        )
        return values

    def _notice_wire_transfer_instructions(self, companies):
        """The enabled wire-transfer providers of ``companies``, as ``(name, instructions)``."""
        providers = self.env["payment.provider"].sudo().search([
            ("code", "=", "custom"),
            ("custom_mode", "=", "wire_transfer"),
            ("state", "=", "enabled"),
            ("company_id", "in", companies.ids),
        ])
        return [(provider.name, provider.pending_msg) for provider in providers]
