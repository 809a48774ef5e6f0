from psycopg2.errors import LockNotAvailable, QueryCanceled

from odoo import http
from odoo.http import request

from ..lib import agent_protocol, contract
from ..lib.lease_payload import BodyTooLarge, LeasePayloadError, decode_json_body
from ..lib.routeros_session import RouterOsProtocolError
from .router_request import (
    busy_answer, json_response, limit_waits, preflight_answer, read_body, refuse, router_env, signed_router,
)

KEY_HEADER = contract.ROUTER_KEY_HEADER


class RouterCheckinController(http.Controller):
    """Check-in of the agent script on routers in agent mode, which Odoo cannot reach.

    auth="none": the router has no session. The database comes from the X-Odoo-Database header;
    the router's own key authenticates it and says which router it is.
    """

    @http.route(
        contract.CHECKIN_PATH,
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        readonly=False,
        save_session=False,
        max_content_length=agent_protocol.MAX_CHECKIN_BYTES,
    )
    def router_checkin(self, **_params):
        if request.httprequest.method != "POST":
            return preflight_answer("POST")
        env = router_env()
        source_ip = request.httprequest.remote_addr
        router, refusal = _authenticate(env)
        if refusal:
            return refuse(env, refusal, source_ip, {})
        try:
            checkin = agent_protocol.parse_checkin(
                decode_json_body(read_body(agent_protocol.MAX_CHECKIN_BYTES))
            )
        except BodyTooLarge as exc:
            return json_response({"error": str(exc)}, 413)
        except LeasePayloadError as exc:
            env["isp.router.connection"]._record_error(router, RouterOsProtocolError(f"check-in refused: {exc}"))
            return json_response({"error": str(exc)}, 400)

        # One check-in of a router at a time (the scheduler's and a lease's may cross): the second
        # waits its turn, or is answered busy without anything counted as sent.
        busy = env._("Odoo is busy: the check-in was not recorded. The router keeps its results for the next one.")
        if not env["isp.router.agent"]._take_turn(router):
            return busy_answer(env, busy)
        limit_waits(env)
        try:
            answer = env["isp.router.agent"]._checkin(router, checkin)
            env.flush_all()  # here, where a lock wait is still answered
        except (LockNotAvailable, QueryCanceled):
            return busy_answer(env, busy)
        return request.make_response(answer, headers=[("Content-Type", "text/plain; charset=utf-8")])


def _authenticate(env):
    """``(router, None)``, or ``(None, (event outcome, HTTP status, message))`` when refused."""
    router, refusal = signed_router(env)
    if refusal:
        return None, refusal
    if not router:
        return None, ("unauthorized", 401, env._("The %s header is missing.", KEY_HEADER))
    if router.connection_mode != "agent":
        return None, ("forbidden", 403, env._("The %s header matches no router in agent mode.", KEY_HEADER))
    return router, None
