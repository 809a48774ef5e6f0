from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_amount

from odoo.addons.isp_core.lib.mac_address import normalize_mac

# How many customers one search shows a collector.
COLLECTOR_RESULTS = 20


class IspSubscription(models.Model):
    """Cash in the field: what a collector may do, and nothing more. A collector has no
    accounting rights; these methods check the role, then act with Odoo's own payment flow."""

    _inherit = "isp.subscription"

    @api.model
    def _check_collector(self):
        user = self.env.user
        if not (user.has_group("isp_billing.group_isp_collector") or user.has_group("isp_core.group_isp_user")):
            raise AccessError(self.env._("Only collectors and ISP staff can collect payments."))

    @api.model
    def collector_find(self, query):
        """The customers' subscriptions that match ``query``: a name, a phone number, a cédula or
        RNC, or a device's MAC."""
        self._check_collector()
        query = (query or "").strip()
        if len(query) < 3:
            return self.browse()
        domain = (
            Domain("partner_id.name", "ilike", query)
            | Domain("partner_id.phone", "ilike", query)
            | Domain("partner_id.vat", "ilike", query)
        )
        try:
            domain |= Domain("mac_profile_id.mac", "=", normalize_mac(query))
        except ValueError:
            pass  # not a MAC: the other fields still match
        digits = "".join(character for character in query if character.isdigit())
        if len(digits) >= 4:
            # Phones and cédulas are written with and without dashes or spaces: match the digits alone.
            spaced = "%" + "%".join(digits) + "%"
            domain |= Domain("partner_id.phone", "=ilike", spaced) | Domain("partner_id.vat", "=ilike", spaced)
        return self.sudo().search(domain & Domain("state", "in", ("active", "suspended")), limit=COLLECTOR_RESULTS)

    def _open_invoices(self):
        self.ensure_one()
        return self.sudo().invoice_ids.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted" and move.payment_state in ("not_paid", "partial")
        ).sorted(lambda move: (move.invoice_date_due or move.invoice_date, move.id))

    def collector_register_cash(self, amount):
        """Registers ``amount`` received in cash against this subscription's unpaid invoices,
        oldest first, through Odoo's payment registration into the company's cash journal. The
        reconciliation reactivates a subscription suspended for non-payment at once.

        :return: the payment
        """
        self.ensure_one()
        self._check_collector()
        invoices = self._open_invoices()
        if not invoices:
            raise UserError(self.env._("%(customer)s owes nothing.", customer=self.partner_id.name))
        currency = invoices[0].currency_id
        owed = sum(invoices.mapped("amount_residual"))
        if not amount or amount <= 0:
            raise ValidationError(self.env._("Amount: enter the cash received, more than zero."))
        if currency.compare_amounts(amount, owed) > 0:
            raise ValidationError(self.env._(
                "Amount: %(amount)s is more than the %(owed)s owed.",
                amount=format_amount(self.env, amount, currency), owed=format_amount(self.env, owed, currency),
            ))
        journal = self.env["account.journal"].sudo().search(
            [("type", "=", "cash"), ("company_id", "=", invoices[0].company_id.id)], limit=1
        )
        if not journal:
            raise UserError(self.env._("The company has no cash journal: an accountant must create one."))
        # Oldest first: pay whole invoices while the cash lasts, then part of the next one.
        paid, remaining = self.env["account.move"], amount
        for invoice in invoices:
            if currency.compare_amounts(remaining, 0) <= 0:
                break
            paid |= invoice
            remaining -= invoice.amount_residual
        wizard = self.env["account.payment.register"].sudo().with_context(
            active_model="account.move", active_ids=paid.ids
        ).create({
            "journal_id": journal.id,
            "amount": amount,
            "group_payment": True,
            "payment_date": fields.Date.context_today(self),
            "communication": self.env._("Cash collected by %(collector)s", collector=self.env.user.name),
            "payment_difference_handling": "open",
        })
        payment = wizard._create_payments()
        env = self._staff_language_env()
        self.sudo().message_post(body=env._(
            "%(collector)s collected %(amount)s in cash.",
            collector=self.env.user.name, amount=format_amount(env, amount, currency),
        ))
        return payment
