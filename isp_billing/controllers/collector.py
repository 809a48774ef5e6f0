from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request


class CollectorController(http.Controller):
    """The collector's phone screen: find a customer, see what is owed, register cash. The
    model methods check the role and do the work."""

    @http.route("/isp/collect", type="http", auth="user", website=True, methods=["GET"])
    def find(self, q="", **_kwargs):
        subscriptions = self._model().collector_find(q)
        return request.render("isp_billing.collector_find", {"query": q, "subscriptions": subscriptions})

    @http.route("/isp/collect/<int:subscription_id>", type="http", auth="user", website=True, methods=["GET", "POST"])
    def collect(self, subscription_id, amount=None, **_kwargs):
        model = self._model()
        subscription = model.browse(subscription_id).sudo().exists()
        if not subscription or subscription.state not in ("active", "suspended"):
            raise request.not_found()
        values = {"subscription": subscription, "error": None, "payment": None}
        if request.httprequest.method == "POST":
            try:
                with request.env.cr.savepoint():
                    values["payment"] = subscription.sudo(False).collector_register_cash(self._parse_amount(amount))
            except (UserError, ValidationError) as error:
                values["error"] = error.args[0]
        return request.render("isp_billing.collector_customer", values)

    def _model(self):
        model = request.env["isp.subscription"]
        try:
            model._check_collector()
        except AccessError:
            raise request.not_found() from None
        return model

    @staticmethod
    def _parse_amount(raw):
        try:
            return float(str(raw or "").replace(",", "").strip())
        except ValueError:
            return 0.0
