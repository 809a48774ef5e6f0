from odoo import fields


def post_init_hook(env):
    """Plans that existed before billing get their service product, carrying their price; active
    subscriptions that existed before it are billed from the day it is installed (not from their
    start, which may be years of service already paid for outside Odoo)."""
    env["isp.service.plan"].with_context(active_test=False).search([("product_id", "=", False)])._create_service_products()
    env["isp.subscription"].search([("state", "=", "active"), ("next_period_start", "=", False)]).write(
        {"next_period_start": fields.Date.context_today(env["isp.subscription"])}
    )
