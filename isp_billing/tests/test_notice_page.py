from freezegun import freeze_time

from odoo.tests import HttpCase, tagged
from odoo.tools import format_amount

from odoo.addons.isp_core.lib import contract
from odoo.addons.isp_core.tests import test_translations

from .test_collector import CollectorCase

BANK_DETAILS = "Banco Popular Dominicano, cuenta corriente 800-123456-7"


@tagged("post_install", "-at_install")
class TestNoticePageAmountDue(HttpCase, CollectorCase):
    """A customer suspended for non-payment reads, on the notice page the router sends them to,
    what they owe and how to pay it; a link that opens no notice shows nothing of anyone. Paying
    by wire transfer from the invoice's own page reconnects the customer once staff confirm the
    transfer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.read_in_spanish()
        cls.customer.lang = test_translations.LANG
        cls.transfer = cls.env.ref("payment.payment_provider_transfer")
        cls.transfer.write({"state": "enabled", "is_published": True, "pending_msg": f"<p>{BANK_DETAILS}</p>"})
        cls.env["ir.config_parameter"].sudo().set_param("account_payment.enable_portal_payment", "True")

    def spanish_amount(self, amount, currency):
        return format_amount(self.env(context={"lang": test_translations.LANG}), amount, currency)

    def spanish_url_code(self):
        return self.env["res.lang"]._get_data(code=test_translations.LANG).url_code

    def notice(self, token):
        return self.url_open(f"{contract.NOTICE_PATH}/{token}").text

    def other_customer_unpaid(self):
        other = self.customer.copy({"name": "Luis Gómez", "email": "luis@example.com", "vat": False, "phone": False})
        with freeze_time("2027-03-01"):
            subscription = self.subscriptions.create({"partner_id": other.id, "plan_id": self.faster_plan.id})
            subscription.action_activate()
        self.run_billing("2027-03-01")
        return subscription

    def test_a_suspensions_link_shows_its_amount_due_and_invoices_in_spanish(self):
        subscription = self.unpaid_and_suspended()
        other = self.other_customer_unpaid()
        invoice = subscription.invoice_ids
        page = self.notice(subscription._notice_token())
        self.assertIn("Monto adeudado:", page)
        self.assertIn(self.spanish_amount(1380, invoice.currency_id), page)
        link = f"/{self.spanish_url_code()}{invoice.get_portal_url()}"
        self.assertIn(f'href="{link}"', page, "the invoice's own page, with its access token, in Spanish")
        self.assertIn(invoice.name, page)
        self.assertIn("Pagar por transferencia", page)
        self.assertIn(BANK_DETAILS, page)
        self.assertIn(invoice.payment_reference, page)
        self.assertIn("Una vez registrado su pago, el servicio vuelve solo.", page)
        self.assertNotIn(other.invoice_ids.name, page)
        self.assertNotIn(other.invoice_ids.access_token or "no token yet", page)

    def test_the_invoice_link_opens_odoos_invoice_page_in_spanish_with_the_wire_transfer(self):
        invoice = self.unpaid_and_suspended().invoice_ids
        response = self.url_open(f"/{self.spanish_url_code()}{invoice.get_portal_url()}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(invoice.name, response.text)
        self.assertIn("Pagar ahora", response.text)
        self.assertIn(self.env.ref("payment_custom.payment_method_wire_transfer").with_context(lang=test_translations.LANG).name, response.text)

    def test_a_tampered_or_stale_token_or_none_shows_no_amount(self):
        subscription = self.unpaid_and_suspended()
        invoice = subscription.invoice_ids
        token = subscription._notice_token()
        tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
        with freeze_time("2027-03-27"):
            subscription.action_reactivate()
            subscription._suspend("non_payment")
        self.assertNotEqual(subscription._notice_token(), token)
        for label, link in (("tampered", tampered), ("stale", token), ("none", "")):
            page = self.url_open(f"{contract.NOTICE_PATH}/{link}" if link else contract.NOTICE_PATH).text
            for secret in (invoice.name, "access_token", self.spanish_amount(1380, invoice.currency_id), "Monto adeudado", BANK_DETAILS):
                self.assertNotIn(secret, page, f"a {label} token shows nothing of anyone")
        self.assertIn("Monto adeudado", self.notice(subscription._notice_token()), "the current suspension's link does")

    def test_paying_by_wire_transfer_on_the_portal_reconnects_once_staff_confirm_the_transfer(self):
        subscription = self.unpaid_and_suspended()
        invoice = subscription.invoice_ids
        notice_token = subscription._notice_token()
        # The customer, not logged in, follows the notice page's link and pays by transfer, as
        # the invoice page's payment form does.
        processing = self.make_jsonrpc_request(f"/invoice/transaction/{invoice.id}", {
            "access_token": invoice.access_token,
            "provider_id": self.transfer.id,
            "payment_method_id": self.env.ref("payment_custom.payment_method_wire_transfer").id,
            "token_id": None,
            "amount": invoice.amount_residual,
            "flow": "redirect",
            "tokenization_requested": False,
            "landing_route": invoice.access_url,
        })
        status = self.url_open("/payment/custom/process", data={"reference": processing["reference"]})
        self.assertIn(BANK_DETAILS, status.text, "Odoo's status page gives the transfer details")
        transaction = self.env["payment.transaction"].search([("reference", "=", processing["reference"])])
        self.assertEqual(transaction.state, "pending")
        self.assertEqual(subscription.state, "suspended", "a transfer announced is not a payment")

        # The money reaches the bank: staff confirm it as Odoo has them do for a transfer (its
        # custom providers have no payment method of their own), by registering the payment in
        # the bank journal, whose reconciliation pays the invoice.
        with freeze_time("2027-03-28"):
            self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create({
                "journal_id": self.transfer.journal_id.id,
                "payment_date": "2027-03-28",
                "communication": invoice.payment_reference,
            })._create_payments()
        self.assertIn(invoice.payment_state, ("in_payment", "paid"))
        self.assertRecordValues(subscription, [{"state": "active", "suspension_reason": False}])
        self.assertTrue(any("Reactivated" in body for body in subscription.message_ids.mapped("body")))
        self.assertNotIn("Monto adeudado", self.notice(notice_token), "the suspension's link is over with it")
