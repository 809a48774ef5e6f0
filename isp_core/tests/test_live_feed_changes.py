from odoo.tests import tagged

from .common import IspCoreCase


@tagged("post_install", "-at_install")
class TestLiveFeedChanges(IspCoreCase):
    """What the live feed loads and catches up with: the changes the bus announces, no more."""

    def set_feed_time(self, profile, moment):
        self.env.flush_all()
        self.env.cr.execute("UPDATE isp_mac_profile SET feed_changed_at = %s WHERE id = %s", (moment, profile.id))
        self.env.invalidate_all()

    def test_a_renewal_that_changes_nothing_visible_is_not_a_change(self):
        self.profiles.search([]).unlink()
        profile = self.onboarded_profile("AA:BB:CC:77:00:01")
        self.set_feed_time(profile, "2026-03-10 12:00:00")
        cursor = "2026-03-10T12:00:00+00:00"

        self.onboard("AA:BB:CC:77:00:01")  # the same lease, renewed
        self.assertEqual(profile.lease_count, 2)
        self.assertEqual(self.profiles.get_changes_since(cursor)["changes"], [])

        self.onboard("AA:BB:CC:77:00:01", ip="10.10.0.99")  # a new IP is news
        [change] = self.profiles.get_changes_since(cursor)["changes"]
        self.assertEqual((change["id"], change["last_ip"]), (profile.id, "10.10.0.99"))

    def test_a_page_ends_with_the_whole_of_its_last_transaction(self):
        self.profiles.search([]).unlink()
        macs = ("AA:BB:CC:77:00:05", "AA:BB:CC:77:00:06", "AA:BB:CC:77:00:07")
        profiles = [self.onboarded_profile(mac) for mac in macs]  # one transaction, one time
        for profile in profiles:
            self.set_feed_time(profile, "2026-03-10 12:00:00")

        page = self.profiles.get_changes_since("2026-03-10T11:00:00+00:00", limit=2)

        self.assertEqual([change["id"] for change in page["changes"]], [profile.id for profile in profiles])
        self.assertEqual(self.profiles.get_changes_since(page["cursor"])["changes"], [])

    def test_without_a_cursor_the_latest_changes_come_oldest_first(self):
        self.profiles.search([]).unlink()
        macs = ("AA:BB:CC:77:00:02", "AA:BB:CC:77:00:03", "AA:BB:CC:77:00:04")
        profiles = [self.onboarded_profile(mac) for mac in macs]
        for minute, profile in enumerate(profiles):
            self.set_feed_time(profile, f"2026-03-10 12:0{minute}:00")

        latest = self.profiles.with_user(self.isp_user).get_changes_since(limit=2)

        self.assertEqual([change["id"] for change in latest["changes"]], [profiles[1].id, profiles[2].id])
        self.assertEqual(latest["cursor"], "2026-03-10T12:02:00+00:00")
