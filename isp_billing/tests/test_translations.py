from odoo.tests import tagged

from odoo.addons.isp_core.tests import test_translations

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestTranslations(test_translations.TestTranslations):
    """isp_billing's pot and es.po cover every term Odoo's exporter finds in it."""

    module = "isp_billing"

    def test_every_term_of_the_web_bundle_is_exported(self):
        self.assertFalse(self.env["ir.module.module"].search([("name", "=", "isp_billing"), ("state", "!=", "installed")]))

    def test_spanish_user_sees_spanish(self):
        self.env["res.lang"]._activate_lang(test_translations.LANG)
        self.env["ir.module.module"]._load_module_terms([self.module], [test_translations.LANG], overwrite=True)
        env = self.env(context=dict(self.env.context, lang=test_translations.LANG))
        reasons = dict(env["isp.subscription"].fields_get(["suspension_reason"], ["selection"])["suspension_reason"]["selection"])
        self.assertEqual(reasons["non_payment"], "Falta de pago")
        self.assertEqual(env.ref("isp_billing.ir_cron_isp_billing_run").name, "ISP: facturar las suscripciones vencidas")
        self.assertEqual(env.ref("isp_billing.isp_collections_menu").name, "Cobros")


@tagged("post_install", "-at_install")
class TestInvoiceLanguage(BillingCase):
    def test_a_spanish_customer_reads_the_invoice_lines_in_spanish(self):
        self.env["res.lang"]._activate_lang(test_translations.LANG)
        self.env["ir.module.module"]._load_module_terms(["isp_billing"], [test_translations.LANG], overwrite=True)
        self.customer.lang = test_translations.LANG
        self.subscribe("2027-01-17")
        invoice = self.run_billing("2027-01-17")
        self.assertEqual(invoice.invoice_line_ids.name, "Fibra 20/5, del 17/01/2027 al 31/01/2027 (15 de 31 días)")
