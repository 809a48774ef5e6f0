from freezegun import freeze_time

from odoo import http
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.isp_billing.lib import parameters
from odoo.addons.isp_core.tests import test_translations

from .common import BillingCase


class CollectorCase(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_params({
            parameters.DEFAULT_PAYMENT_TERM_ID: str(cls.env.ref("account.account_payment_term_15days").id),
            parameters.GRACE_DAYS: "10",
            parameters.AUTO_SUSPEND: "True",
        })
        cls.collector = new_test_user(cls.env, login="isp_collector", name="Pedro Cobrador", groups="isp_billing.group_isp_collector")
        cls.customer.write({"vat": "00112345678", "phone": "809-555-0101"})
        cls.profile = cls.env["isp.mac.profile"].create({"mac": "AA:BB:CC:C0:11:01"})
        if not cls.env["account.journal"].search([("type", "=", "cash"), ("company_id", "=", cls.env.company.id)]):
            cls.env["account.journal"].create({"name": "Cash", "code": "CSH1", "type": "cash"})

    @classmethod
    def read_in_spanish(cls):
        """Spanish installed with the terms of every page a customer or a collector reads."""
        cls.env["res.lang"]._activate_lang(test_translations.LANG)
        cls.env["ir.module.module"]._load_module_terms(
            ["isp_core", "isp_billing", "portal", "account", "account_payment", "payment", "payment_custom"],
            [test_translations.LANG],
            overwrite=True,
        )

    def unpaid_and_suspended(self):
        subscription = self.subscribe("2027-03-01", mac_profile_id=self.profile.id)
        self.run_billing("2027-03-01")
        with freeze_time("2027-03-27"):
            self.subscriptions._cron_run_collections()
        self.assertEqual(subscription.suspension_reason, "non_payment")
        return subscription


@tagged("post_install", "-at_install")
class TestCollector(CollectorCase):
    def test_a_collector_finds_a_customer_by_name_phone_cedula_or_mac(self):
        subscription = self.unpaid_and_suspended()
        find = self.subscriptions.with_user(self.collector).collector_find
        for query in ("ana pér", "8095550101", "809-555-0101", "001-1234567-8", "aa-bb-cc-c0-11-01"):
            self.assertEqual(find(query), subscription, query)
        self.assertFalse(find("zz"), "too short to search")
        self.assertFalse(find("Nobody Else"))

    def test_cash_registered_by_a_collector_reactivates_at_once(self):
        subscription = self.unpaid_and_suspended()
        with freeze_time("2027-03-28"):
            payment = subscription.with_user(self.collector).collector_register_cash(1380)
        cash_journal = self.env["account.journal"].search([("type", "=", "cash")], limit=1)
        self.assertRecordValues(payment, [{"amount": 1380.0, "journal_id": cash_journal.id}])
        self.assertRecordValues(subscription, [{"state": "active", "suspension_reason": False, "amount_due": 0.0}])
        messages = subscription.message_ids.mapped("body")
        self.assertTrue(any("Pedro Cobrador collected" in body for body in messages))
        self.assertTrue(any("Reactivated" in body for body in messages))

    def test_part_of_what_is_owed_keeps_the_suspension(self):
        subscription = self.unpaid_and_suspended()
        with freeze_time("2027-03-28"):
            subscription.with_user(self.collector).collector_register_cash(500)
        self.assertRecordValues(subscription, [{"state": "suspended", "amount_due": 880.0}])

    def test_bad_amounts_are_refused_naming_the_field(self):
        subscription = self.unpaid_and_suspended()
        with self.assertRaisesRegex(ValidationError, "^Amount: .*more than the .*1,380.00 owed"):
            subscription.with_user(self.collector).collector_register_cash(2000)
        with self.assertRaisesRegex(ValidationError, "^Amount: enter the cash received"):
            subscription.with_user(self.collector).collector_register_cash(0)
        self.assertFalse(self.env["account.payment"].search([("partner_id", "=", self.customer.id)]))

    def test_a_collector_cannot_change_plans_prices_or_invoices(self):
        subscription = self.unpaid_and_suspended()
        as_collector = subscription.with_user(self.collector)
        with self.assertRaises(AccessError):
            as_collector.plan_id = self.faster_plan
        with self.assertRaises(AccessError):
            self.plan.with_user(self.collector).price = 1
        with self.assertRaises(AccessError):
            subscription.invoice_ids.with_user(self.collector).write({"ref": "changed"})
        with self.assertRaises(AccessError):
            self.env["account.move"].with_user(self.collector).create({"move_type": "out_invoice", "partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            as_collector.action_suspend()
        plain = new_test_user(self.env, login="plain_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            subscription.with_user(plain).collector_register_cash(1380)


@tagged("post_install", "-at_install")
class TestCollectorAndPortalPages(HttpCase, CollectorCase):
    def test_the_collector_screen_finds_and_collects(self):
        subscription = self.unpaid_and_suspended()
        self.authenticate("isp_collector", "isp_collector")
        page = self.url_open("/isp/collect?q=Ana").text
        self.assertIn("Ana Pérez", page)
        self.assertIn(f"/isp/collect/{subscription.id}", page)
        page = self.url_open(f"/isp/collect/{subscription.id}").text
        self.assertIn("Suspended for non-payment", page)
        self.assertIn("1,380.00", page)
        with freeze_time("2027-03-28"):
            response = self.url_open(f"/isp/collect/{subscription.id}", data={"amount": "1380", "csrf_token": http.Request.csrf_token(self)})
        self.assertIn("Cash registered", response.text)
        self.assertIn("The service is active.", response.text)
        self.assertEqual(subscription.state, "active")

    def test_a_spanish_collector_reads_spanish(self):
        self.env["res.lang"]._activate_lang(test_translations.LANG)
        self.env["ir.module.module"]._load_module_terms(["isp_billing"], [test_translations.LANG], overwrite=True)
        self.collector.lang = test_translations.LANG
        subscription = self.unpaid_and_suspended()
        self.authenticate("isp_collector", "isp_collector")
        page = self.url_open("/isp/collect?q=8095550101").text
        self.assertIn("Buscar un cliente", page)
        self.assertIn("Nombre, teléfono, cédula/RNC o MAC", page)
        page = self.url_open(f"/isp/collect/{subscription.id}").text
        self.assertIn("Suspendido por falta de pago", page)
        self.assertIn("Registrar efectivo", page)

    def test_others_see_no_collector_screen(self):
        new_test_user(self.env, login="portal_customer", groups="base.group_portal")
        self.authenticate("portal_customer", "portal_customer")
        self.assertEqual(self.url_open("/isp/collect?q=Ana").status_code, 404)

    def test_the_portal_shows_the_customers_subscriptions_and_invoices(self):
        subscription = self.unpaid_and_suspended()
        portal_user = new_test_user(self.env, login="ana_portal", groups="base.group_portal")
        portal_user.partner_id.parent_id = self.customer
        other = self.env["res.partner"].create({"name": "Someone Else"})
        self.subscriptions.create({"partner_id": other.id, "plan_id": self.faster_plan.id}).action_activate()
        self.authenticate("ana_portal", "ana_portal")
        page = self.url_open("/my/isp/subscriptions").text
        self.assertIn(subscription.name, page)
        self.assertIn("Fibra 20/5", page)
        self.assertIn("Suspended for non-payment", page)
        self.assertIn(subscription.invoice_ids.get_portal_url(), page.replace("&amp;", "&"))
        self.assertNotIn("Fibra 50/10", page, "another customer's subscription")
