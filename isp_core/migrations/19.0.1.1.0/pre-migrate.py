"""Plans get their own hotspot user profile (named with Odoo's prefix), and a device's pending
reason becomes a code that is shown translated."""

from odoo.addons.isp_core.lib.routeros_operations import PLAN_PROFILE_PREFIX


def migrate(cr, version):
    cr.execute(
        """
        UPDATE isp_service_plan
           SET hotspot_profile = %s || btrim(hotspot_profile)
         WHERE btrim(coalesce(hotspot_profile, '')) != ''
           AND hotspot_profile NOT LIKE %s
        """,
        [PLAN_PROFILE_PREFIX, f"{PLAN_PROFILE_PREFIX}%"],
    )
    cr.execute("UPDATE isp_mac_profile SET pending_reason = 'no_default_plan' WHERE pending_reason IS NOT NULL")
