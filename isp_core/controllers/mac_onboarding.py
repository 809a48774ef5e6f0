import hmac

from odoo import SUPERUSER_ID, http
from odoo.exceptions import ValidationError
from odoo.http import request

from ..lib import onboarding_token, parameters
from ..lib.lease_payload import MAX_BODY_BYTES, LeasePayloadError, decode_json_body

TOKEN_HEADER = "X-ISP-Token"
ROUTE = "/isp/mac_onboarding"


class MacOnboardingController(http.Controller):
    """Webhook of the routers' DHCP lease-script.

    auth="none": the router has no session. The database comes from the X-Odoo-Database
    header, or from the only database --db-filter leaves; the shared token authenticates.
    """

    @http.route(
        ROUTE,
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        readonly=False,
        save_session=False,
        max_content_length=MAX_BODY_BYTES,
    )
    def mac_onboarding(self, **_params):
        if request.httprequest.method != "POST":
            return _preflight_answer()
        env = request.env(user=SUPERUSER_ID)
        source_ip = request.httprequest.remote_addr
        refusal = _check_authentication(env)
        if refusal:
            outcome, status, message = refusal
            env["isp.onboarding.event"]._log_rejected_call(outcome, message, source_ip=source_ip)
            return _json_response({"error": message}, status)

        # The route's max_content_length makes Odoo answer 413 before any body is read.
        httprequest = request.httprequest
        if httprequest.mimetype == "application/x-www-form-urlencoded":
            values = httprequest.form.to_dict()
        else:
            try:
                values = decode_json_body(httprequest.get_data())
            except LeasePayloadError as exc:
                env["isp.onboarding.event"]._log_rejected_call("invalid", str(exc), source_ip=source_ip)
                return _json_response({"error": str(exc)}, 400)

        try:
            answer = env["isp.mac.profile"]._onboard_lease(values, source_ip=source_ip)
        except ValidationError as exc:
            return _json_response({"error": exc.args[0]}, 400)
        return _json_response(answer, 200)

    @http.route(ROUTE, type="http", auth="none", methods=["GET"], readonly=True, save_session=False)
    def mac_onboarding_ready(self, **_params):
        """Readiness check of the Settings "Test" button: authenticates and writes nothing."""
        if request.httprequest.method != "GET":
            return _preflight_answer()
        refusal = _check_authentication(request.env(user=SUPERUSER_ID))
        if refusal:
            _outcome, status, message = refusal
            return _json_response({"error": message}, status)
        return _json_response({"result": "ready"}, 200)


def _check_authentication(env):
    """Return ``(event outcome, HTTP status, message)`` when the call must be refused, else None."""
    if any("token" in key.lower() for key in request.httprequest.args):
        return "invalid", 400, env._("Send the token in the X-ISP-Token header, never in the URL.")
    expected = env["ir.config_parameter"].sudo().get_param(parameters.MAC_ONBOARDING_TOKEN)
    if not onboarding_token.is_usable(expected):
        return "not_configured", 503, env._("MAC onboarding is not configured: no token is set in Odoo.")
    received = request.httprequest.headers.get(TOKEN_HEADER) or ""
    if not received:
        return "unauthorized", 401, env._("The X-ISP-Token header is missing.")
    if not hmac.compare_digest(received.encode(), expected.encode()):
        return "forbidden", 403, env._("The X-ISP-Token header does not match the configured token.")
    return None


def _preflight_answer():
    """Odoo adds OPTIONS to every route and hands it to the route's handler: answer it here, and
    never let it onboard anything."""
    return request.make_response("", status=204, headers=[("Allow", "GET, POST")])


def _json_response(data, status):
    return request.make_json_response(data, status=status)
