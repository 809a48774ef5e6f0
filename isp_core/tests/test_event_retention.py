from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.isp_core.lib import parameters

from .common import IspCoreCase


@tagged("post_install", "-at_install")
class TestEventRetention(IspCoreCase):
    def _event_aged(self, days):
        return self.env["isp.onboarding.event"].create(
            {"outcome": "updated", "mac": f"AGE-{days}", "event_time": fields.Datetime.now() - timedelta(days=days)}
        )

    def test_old_events_are_deleted_after_the_configured_days(self):
        events = self.env["isp.onboarding.event"]
        events.search([]).unlink()
        recent, middle, old = self._event_aged(1), self._event_aged(10), self._event_aged(40)
        self.assertEqual(events._gc_old_events(), 1)
        self.assertFalse(old.exists())
        self.set_params({parameters.ONBOARDING_EVENT_RETENTION_DAYS: "5"})
        self.assertEqual(events._gc_old_events(), 1)
        self.assertFalse(middle.exists())
        self.assertTrue(recent.exists())

    def test_cron_runs_the_cleanup(self):
        cron = self.env.ref("isp_core.ir_cron_isp_onboarding_event_gc")
        old = self._event_aged(400)
        cron.ir_actions_server_id.run()
        self.assertFalse(old.exists())
