from odoo import models
from odoo.tools.misc import get_lang


class ResCompany(models.Model):
    _inherit = "res.company"

    def _isp_language(self):
        """The language isp_core writes in when no staff member is at the keyboard (its crons,
        and the routers' reports): the company's, so the chatter and tracking staff read later
        are in their language rather than the server's English."""
        self.ensure_one()
        lang = self.partner_id.lang
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        return lang if lang in installed else get_lang(self.env).code

    def _in_isp_language(self, records):
        """``records`` in the company's language (see _isp_language)."""
        return records.with_context(lang=self._isp_language())
