"""What the routers' two calls to Odoo share: the lease-script's webhook and the agent's check-in.

Both come from routers on the hostile Internet, without a session: they fail closed, count and
throttle refused calls, cap what they read and answer a locked table in seconds.
"""

from odoo import SUPERUSER_ID, fields
from odoo.http import request

from ..lib import contract
from ..lib.lease_payload import read_capped

BODY_KEY = "isp_core.body"

# The router waits for the answer: a table locked by some maintenance must cost it seconds and a
# 503 it logs, not the worker's whole time limit and no answer at all.
LOCK_TIMEOUT = "2s"
STATEMENT_TIMEOUT = "5s"
RETRY_AFTER_SECONDS = 30
# A source refused this often within a minute is answered 429 until the minute ends: it slows
# down guessing, and never touches a call that carries a valid secret (behind CGNAT many good
# routers share one address).
REFUSALS_BEFORE_THROTTLE = 20


def router_env():
    """The environment a router's request runs in: the superuser (a router has no session),
    writing in the company's language what staff read later (chatter, tracking, job names)."""
    env = request.env(user=SUPERUSER_ID)
    return env(context=dict(env.context, lang=env.company._isp_language()))


def refuse(env, refusal, source_ip, claims):
    """Answer a refused call, counted per source and minute; past REFUSALS_BEFORE_THROTTLE of
    them, 429 until the minute ends.

    :param refusal: ``(event outcome, HTTP status, message)``.
    :param claims: what the call's body says of itself (``mac``, ``router``), unauthenticated.
    """
    outcome, status, message = refusal
    count = env["isp.onboarding.event"]._count_refusal(outcome, message, source_ip, claims)
    if count > REFUSALS_BEFORE_THROTTLE:
        wait = 60 - fields.Datetime.now().second
        return request.make_json_response(
            {"error": env._("Too many refused calls from this address: retry in %(seconds)s s.", seconds=wait)},
            status=429,
            headers=[("Retry-After", str(wait))],
        )
    return json_response({"error": message}, status)


def signed_router(env):
    """The router whose own key signs the request (the router key header), as
    ``(router, refusal)``: no router and no refusal when no key is sent; a refusal, as
    ``(event outcome, HTTP status, message)``, for a secret sent in the URL or a key that matches
    no router."""
    routers = env["isp.router"].browse()
    if any(word in name.lower() for name in request.httprequest.args for word in ("key", "token")):
        return routers, ("invalid", 400, env._("Send the token or the router key in a header, never in the URL."))
    key = request.httprequest.headers.get(contract.ROUTER_KEY_HEADER)
    if not key:
        return routers, None
    router = routers._from_key(key)
    if not router:
        return router, ("forbidden", 403, env._("The %s header matches no router.", contract.ROUTER_KEY_HEADER))
    return router, None


def limit_waits(env):
    """Bounds the lock and statement waits of the request's transaction (see LOCK_TIMEOUT)."""
    env.cr.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'; SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")


def busy_answer(env, message):
    """The 503 for a request that met a lock; ``message`` says what was not recorded."""
    env.cr.rollback()
    return request.make_json_response(
        {"error": message}, status=503, headers=[("Retry-After", str(RETRY_AFTER_SECONDS))]
    )


def read_body(limit):
    """The request body, read from the stream at most once and at most ``limit`` + 1 bytes.

    Odoo's request exposes only get_data(), which reads a chunked body whole, however large: the
    werkzeug request it wraps has the stream. Odoo runs a handler again when its transaction
    meets a serialization failure, and the stream is spent by then: the body is kept on the
    request for that second run.

    :raises BodyTooLarge: past ``limit``.
    """
    environ = request.httprequest.environ
    if BODY_KEY not in environ:
        environ[BODY_KEY] = read_capped(request.httprequest._HTTPRequest__wrapped.stream, limit)
    return environ[BODY_KEY]


def preflight_answer(allowed):
    """Odoo adds OPTIONS to every route and hands it to the route's handler: answer it here, and
    never let it act."""
    return request.make_response("", status=204, headers=[("Allow", allowed)])


def json_response(data, status):
    return request.make_json_response(data, status=status)
