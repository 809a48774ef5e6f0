from odoo import http
from odoo.http import request

from ..lib import contract
from .router_request import REFUSALS_BEFORE_THROTTLE


class NoticePageController(http.Controller):
    """The page a suspended customer's plain-HTTP requests are redirected to by the router (the
    customer-access job's proxy rule), and that anyone can open by its own URL.

    With the token of a current suspension it tells that customer why the service is suspended;
    every other request (no token, or one that is forged, foreign or stale) gets the same generic
    page with the same status, which tells nothing of any customer. Links that open nothing are
    counted per source network like the routers' refused calls, and past the same limit a minute
    they are answered 429: guessing costs time, and a valid link is never throttled.
    """

    @http.route(
        [contract.NOTICE_PATH, f"{contract.NOTICE_PATH}/<string:token>"],
        type="http",
        auth="public",
        methods=["GET", "HEAD"],
        csrf=False,
        # Not read-only: a link that opens nothing is counted, in a transaction of its own.
        readonly=False,
        save_session=False,
        sitemap=False,
    )
    def notice_page(self, token=None, **_params):
        env = request.env
        subscription = env["isp.subscription"]._from_notice_token(token)
        status, headers = 200, []
        if token and not subscription:
            count = env["isp.onboarding.event"].sudo()._count_refusal(
                "forbidden", env._("Notice page: a link that opens no notice."), request.httprequest.remote_addr
            )
            if count > REFUSALS_BEFORE_THROTTLE:
                status = 429
                headers.append(("Retry-After", "60"))
        return render_notice_page(subscription, status, headers)


def render_notice_page(subscription, status=200, headers=()):
    """The notice page of ``subscription`` (empty: the generic page), in its language."""
    lang = subscription._notice_language()
    values = subscription.with_context(lang=lang)._notice_page_values()
    values["html_lang"] = lang.replace("_", "-")
    html = request.env["ir.ui.view"].sudo().with_context(lang=lang)._render_template("isp_core.notice_page", values)
    return request.make_response(
        html,
        status=status,
        headers=[
            ("Content-Type", "text/html; charset=utf-8"),
            # The page is one customer's: no cache of a shared network keeps it, and the link's
            # token leaves with no Referer.
            ("Cache-Control", "no-store"),
            ("Referrer-Policy", "no-referrer"),
            ("X-Robots-Tag", "noindex"),
            *headers,
        ],
    )
