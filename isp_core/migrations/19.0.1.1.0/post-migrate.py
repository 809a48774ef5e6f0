"""Hotspot users move to their plan's own profile on every router."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    plans = env["isp.service.plan"].search([("hotspot_profile", "!=", False)])
    env["isp.provisioning.job"]._enqueue_for_plans(plans, profile_changed=True)
