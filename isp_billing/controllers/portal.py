from odoo import http
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class IspSubscriptionPortal(CustomerPortal):
    """The customer's subscriptions on /my, next to Odoo's own invoice pages."""

    def _isp_subscriptions(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return request.env["isp.subscription"].sudo().search(
            Domain("partner_id", "child_of", partner.id) & Domain("state", "!=", "draft"), order="id desc"
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "isp_subscription_count" in counters:
            values["isp_subscription_count"] = len(self._isp_subscriptions())
        return values

    @http.route("/my/isp/subscriptions", type="http", auth="user", website=True, methods=["GET"])
    def portal_my_isp_subscriptions(self, **_kwargs):
        values = self._prepare_portal_layout_values()
        values.update({"subscriptions": self._isp_subscriptions(), "page_name": "isp_subscriptions"})
        return request.render("isp_billing.portal_my_isp_subscriptions", values)
