from odoo import fields, models
from odoo.tools.misc import hmac as odoo_hmac

from ..lib import contract, notice_token

# The HMAC scope of notice tokens: a signature made for anything else never opens a notice page.
NOTICE_TOKEN_SCOPE = "isp_core.notice_page"


class IspSubscription(models.Model):
    """The public notice page of a suspended subscription, which the router redirects the
    customer's plain-HTTP requests to (see lib/notice_token)."""

    _inherit = "isp.subscription"

    notice_key = fields.Char(
        readonly=True,
        copy=False,
        help="Drawn anew for each suspension and cleared when it ends: the notice page's link of "
        "one suspension opens nothing once it is over. Not a secret: the link is also signed with "
        "the database's secret.",
    )

    def write(self, vals):
        if "state" in vals:
            if vals["state"] == "suspended":
                for subscription in self:  # each suspension gets a key of its own
                    super(IspSubscription, subscription).write({"notice_key": notice_token.new_suspension_key()})
            else:
                vals = {**vals, "notice_key": False}
        return super().write(vals)

    def _notice_token(self):
        """The token of this subscription's current suspension; False when it is not suspended."""
        self.ensure_one()
        subscription = self.sudo()
        if subscription.state != "suspended" or not subscription.notice_key:
            return False
        return notice_token.make_token(subscription.id, subscription.notice_key, self._sign_notice_message)

    def _notice_url(self):
        """The notice page of this subscription's current suspension, under Odoo's own URL
        (web.base.url); False when it is not suspended."""
        token = self._notice_token()
        if not token:
            return False
        return f"{self.get_base_url().rstrip('/')}{contract.NOTICE_PATH}/{token}"

    def _from_notice_token(self, token):
        """The suspended subscription (as superuser) that ``token`` names; an empty recordset for
        no token and for a token that is forged, of another database, or stale (its suspension is
        over). The signature is checked before any record is read."""
        nobody = self.sudo().browse()
        claim = notice_token.verify_token(token, self._sign_notice_message)
        if claim is None:
            return nobody
        subscription_id, suspension_key = claim
        subscription = nobody.browse(subscription_id).exists()
        if subscription.state != "suspended" or subscription.notice_key != suspension_key:
            return nobody
        return subscription

    def _sign_notice_message(self, message):
        return odoo_hmac(self.env(su=True), NOTICE_TOKEN_SCOPE, message)

    def _notice_page_values(self):
        """What the notice page shows, as the values of the ``isp_core.notice_page`` template.

        ``self`` is the one suspended subscription the link names (as superuser), or empty for the
        generic page (no token, or one that opens nothing): then nothing of any customer may be
        added. Addons extend it through ``super()`` (isp_billing adds the amount due and the
        unpaid invoices) and fill the template's ``isp_notice_extra`` block.

        Keys: ``subscription`` (empty for the generic page), ``page_title``, ``reference``, ``reason_label`` and
        ``reason_explanation`` (False for the generic page), ``company`` and ``contacts`` (the
        ISP's phone, email and website as ``(label, text, href)``).
        """
        _ = self.env._
        company = self.env.company.sudo()
        values = {
            "subscription": self,
            "company": company,
            "contacts": self._notice_contacts(company),
            "page_title": _("Internet service notice"),
            "reference": False,
            "reason_label": False,
            "reason_explanation": False,
        }
        if not self:
            return values
        self.ensure_one()
        reasons = dict(self._fields["suspension_reason"]._description_selection(self.env))
        values.update(
            page_title=_("Your internet service is suspended"),
            reference=self.name,
            reason_label=reasons.get(self.suspension_reason, False),
            reason_explanation=(
                _("The service was suspended by a decision of your internet provider. Contact us to restore it.")
                if self.suspension_reason == "staff"
                else _("Contact us to restore the service.")
            ),
        )
        return values

    def _notice_language(self):
        """The language of the notice page: the customer's when Odoo has it installed, else the
        company's (see res.company._isp_language)."""
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        lang = self.sudo().partner_id.lang
        return lang if self and lang in installed else self.env.company._isp_language()

    def _notice_contacts(self, company):
        _ = self.env._
        contacts = []
        if company.phone:
            contacts.append((_("Phone"), company.phone, f"tel:{''.join(company.phone.split())}"))
        if company.email:
            contacts.append((_("Email"), company.email, f"mailto:{company.email}"))
        if company.website:
            website = company.website if "://" in company.website else f"https://{company.website}"
            contacts.append((_("Website"), company.website, website))
        return contacts
