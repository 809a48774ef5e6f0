import hmac

from psycopg2.errors import LockNotAvailable, QueryCanceled

from odoo import SUPERUSER_ID, http
from odoo.exceptions import ValidationError
from odoo.http import request

from ..lib import contract, onboarding_token, parameters
from ..lib.lease_payload import MAX_BODY_BYTES, BodyTooLarge, LeasePayloadError, decode_json_body
from .router_request import (
    busy_answer, json_response, limit_waits, preflight_answer, read_body, refuse, router_env, signed_router,
)

TOKEN_HEADER = contract.TOKEN_HEADER
ROUTE = contract.WEBHOOK_PATH


class MacOnboardingController(http.Controller):
    """Webhook of the routers' DHCP lease-script.

    auth="none": the router has no session. The database comes from the X-Odoo-Database
    header, or from the only database --db-filter leaves. A router the preloader set up signs
    with its own key (X-ISP-Router-Key), which also says which router reports; a router set up
    by hand sends the shared token (X-ISP-Token), and its report names its router and sector.
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
            return preflight_answer("GET, POST")
        env = router_env()
        source_ip = request.httprequest.remote_addr
        router, refusal = _check_authentication(env)
        if refusal:
            return refuse(env, refusal, source_ip, _claims())

        # The route's max_content_length answers 413 to a declared length over the cap; a chunked
        # body declares none, so it is read up to the cap and no further. A form is parsed by
        # Odoo before this handler runs (within Odoo's own form limit), with undecodable bytes
        # replaced: the device is kept either way.
        httprequest = request.httprequest
        try:
            if httprequest.mimetype == "application/x-www-form-urlencoded":
                values = httprequest.form.to_dict()
                if sum(len(key) + len(value) for key, value in values.items()) > MAX_BODY_BYTES:
                    raise BodyTooLarge(f"body: larger than {MAX_BODY_BYTES} bytes")
            else:
                values = decode_json_body(read_body(MAX_BODY_BYTES))
        except BodyTooLarge as exc:
            return json_response({"error": str(exc)}, 413)
        except LeasePayloadError as exc:
            env["isp.onboarding.event"]._log_invalid_report(exc, source_ip=source_ip)
            return json_response({"error": str(exc)}, 400)

        limit_waits(env)
        try:
            answer = env["isp.mac.profile"]._onboard_lease(values, source_ip=source_ip, router=router)
            env.flush_all()  # here, where a lock wait is still answered
        except ValidationError as exc:
            return json_response({"error": exc.args[0]}, 400)
        except (LockNotAvailable, QueryCanceled):
            return busy_answer(env, env._("Odoo is busy: the lease was not recorded. Retry later."))
        # A signed report about another router's device is answered, and logged, as a conflict.
        return json_response(answer, 409 if answer.get("conflict") else 200)

    @http.route(ROUTE, type="http", auth="none", methods=["GET"], readonly=True, save_session=False)
    def mac_onboarding_ready(self, **_params):
        """Readiness check of the Settings "Test" button: authenticates and writes nothing."""
        if request.httprequest.method != "GET":
            return preflight_answer("GET, POST")
        # It writes nothing but a refusal's count, in its own cursor: no language to write in.
        env = request.env(user=SUPERUSER_ID)
        _router, refusal = _check_authentication(env)
        if refusal:
            return refuse(env, refusal, request.httprequest.remote_addr, {})
        return json_response({"result": "ready"}, 200)


def _check_authentication(env):
    """``(router, None)`` for a call signed with a router's key, ``(None, None)`` for one with
    the shared token, or ``(None, (event outcome, HTTP status, message))`` when refused."""
    router, refusal = signed_router(env)
    if router or refusal:
        return router, refusal
    expected = env["ir.config_parameter"].sudo().get_param(parameters.MAC_ONBOARDING_TOKEN)
    if not onboarding_token.is_usable(expected):
        return None, ("not_configured", 503, env._("MAC onboarding is not configured: no token is set in Odoo."))
    received = request.httprequest.headers.get(TOKEN_HEADER) or ""
    if not received:
        return None, ("unauthorized", 401, env._("The X-ISP-Token header is missing."))
    if not hmac.compare_digest(received.encode(), expected.encode()):
        return None, ("forbidden", 403, env._("The X-ISP-Token header does not match the configured token."))
    return None, None


def _claims():
    """What a refused report says of itself (its MAC and router), read within the body cap and
    unauthenticated: behind CGNAT the source address names the carrier, not the router."""
    if request.httprequest.method != "POST":
        return {}
    try:
        if request.httprequest.mimetype == "application/x-www-form-urlencoded":
            values = request.httprequest.form.to_dict()
        else:
            values = decode_json_body(read_body(MAX_BODY_BYTES))
    except (BodyTooLarge, LeasePayloadError):
        return {}
    return {"mac": values.get("mac"), "router": values.get("router")}
