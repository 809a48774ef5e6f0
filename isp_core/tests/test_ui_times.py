"""One event, one time on every screen, for a user in Santo Domingo (the browser's zone and the
user's preference both): the dashboard's feed, the router form, its chatter and its Test Connection
message, and the lease sync's name (one_time_everywhere_tour.js)."""

import os
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

LANG = "es_DO"
ZONE = "America/Santo_Domingo"


@tagged("post_install", "-at_install")
class TestUiOneTimeEverywhere(HttpCase):
    def test_one_event_reads_the_same_time_on_every_screen(self):
        self.env["res.lang"]._activate_lang(LANG)
        self.env["ir.module.module"]._load_module_terms(["mail", "isp_core"], [LANG], overwrite=True)
        new_test_user(self.env, login="isp_times_staff", groups="isp_core.group_isp_user", lang=LANG, tz=ZONE)
        # Two hours ago, on the minute: the router checked in and sent its leases, a device changed,
        # and staff wrote in the router's chatter.
        at = fields.Datetime.now().replace(second=0) - timedelta(hours=2)
        router = self.env["isp.router"].create(
            {"name": "MK-LOS-CACAOS", "connection_mode": "agent", "routeros_version": "7.19.6 (stable)"}
        )
        router.rotate_key()
        router.last_contact = at
        self.env["isp.lease.reconciliation"].create({"router_id": router.id, "started_at": at, "state": "done"})
        # The device's change is dated at creation: its bus notification, which the open dashboard
        # may receive after loading the feed, then carries the same time as the feed.
        self.env["isp.mac.profile"].create(
            {"mac": "AA:BB:CC:5E:00:30", "state": "pending", "online": True, "feed_changed_at": at}
        )
        message = router.message_post(body="Revisado en sitio")
        self.env.flush_all()
        self.env.cr.execute("UPDATE mail_message SET date = %s WHERE id = %s", [at, message.id])
        self.env.invalidate_all()

        # Chromium takes its zone from TZ, as a browser in Santo Domingo would have it.
        with patch.dict(os.environ, {"TZ": ZONE}):
            self.start_tour(
                "/odoo/action-isp_core.isp_mac_profile_action_dashboard",
                "isp_core_one_time_everywhere",
                login="isp_times_staff",
            )
