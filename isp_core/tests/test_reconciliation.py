from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .routeros_simulator import RouterOsSimulatorCase


@tagged("post_install", "-at_install")
class TestLeaseReconciliation(RouterOsSimulatorCase):
    def setUp(self):
        super().setUp()
        self.sector = self.env["isp.sector"].create({"code": "SEC-900-test", "name": "Test sector"})
        self.router.sector_id = self.sector
        self.profiles = self.env["isp.mac.profile"]

    def test_a_lease_whose_webhook_never_arrived_gets_its_profile(self):
        # The emulator's DHCP server has no lease-script: Odoo hears of the device only by syncing.
        ip = self.bind_lease("aa:bb:cc:00:20:01", "onu-kitchen")
        self.assertFalse(self.profiles.search([("mac", "=", "AA:BB:CC:00:20:01")]))

        report = self.env["isp.lease.reconciliation"]._reconcile(self.router)

        profile = self.profiles.search([("mac", "=", "AA:BB:CC:00:20:01")])
        self.assertEqual((profile.last_ip, profile.hostname, profile.online), (ip, "onu-kitchen", True))
        self.assertEqual((profile.router_id, profile.sector_id), (self.router, self.sector))
        self.assertEqual(profile.dhcp_server, self.DHCP_SERVER)
        self.assertEqual(
            (report.state, report.leases_seen, report.profiles_created, report.profiles_updated, report.error_count),
            ("done", 1, 1, 0, 0),
        )
        event = self.env["isp.onboarding.event"].search([("profile_id", "=", profile.id)])
        self.assertEqual(event.outcome, "created", "the sync leaves the same trace as the webhook")

    def test_known_profiles_are_refreshed_and_those_without_a_lease_go_offline(self):
        self.bind_lease("aa:bb:cc:00:20:02")
        self.bind_lease("aa:bb:cc:00:20:03")
        self.env["isp.lease.reconciliation"]._reconcile(self.router)
        self.unbind_lease("aa:bb:cc:00:20:03")

        report = self.env["isp.lease.reconciliation"]._reconcile(self.router)

        staying, leaving = (self.profiles.search([("mac", "=", mac)]) for mac in ("AA:BB:CC:00:20:02", "AA:BB:CC:00:20:03"))
        self.assertTrue(staying.online)
        self.assertFalse(leaving.online)
        self.assertEqual(
            (report.leases_seen, report.leases_unchanged, report.profiles_created, report.profiles_updated,
             report.profiles_offline),
            (1, 1, 0, 0, 1),
        )

    def test_a_lease_odoo_knows_differently_is_fed_again_and_an_unchanged_one_is_not(self):
        ip = self.bind_lease("aa:bb:cc:00:20:06", "onu-hall")
        self.bind_lease("aa:bb:cc:00:20:07", "onu-roof")
        self.env["isp.lease.reconciliation"]._reconcile(self.router)
        moved, unchanged = (self.profiles.search([("mac", "=", mac)]) for mac in ("AA:BB:CC:00:20:06", "AA:BB:CC:00:20:07"))
        moved.sudo().write({"last_ip": "10.20.9.9", "online": False})  # as if two webhooks were lost
        lease_count = unchanged.lease_count

        report = self.env["isp.lease.reconciliation"]._reconcile(self.router)

        self.assertEqual((moved.last_ip, moved.online), (ip, True))
        self.assertEqual(unchanged.lease_count, lease_count, "an unchanged lease is not counted again")
        self.assertEqual((report.leases_unchanged, report.profiles_updated), (1, 1))

    def test_a_lease_the_rules_reject_is_reported_and_the_others_still_apply(self):
        self.bind_lease("aa:bb:cc:00:20:08")
        self.bind_lease("aa:bb:cc:00:20:09")
        reconciliation = self.env["isp.lease.reconciliation"]
        original = type(self.env["isp.mac.profile"])._onboard_lease

        def reject_one(profiles, values, source_ip=None):
            if values["mac"] == "AA:BB:CC:00:20:08":
                raise ValidationError("mac: refused for the test")
            return original(profiles, values, source_ip=source_ip)

        with patch.object(type(self.env["isp.mac.profile"]), "_onboard_lease", reject_one):
            report = reconciliation._reconcile(self.router)

        self.assertEqual((report.profiles_created, report.error_count), (1, 1))
        self.assertIn("AA:BB:CC:00:20:08: mac: refused for the test", report.errors)
        self.assertTrue(self.profiles.search([("mac", "=", "AA:BB:CC:00:20:09")]))

    def test_sync_now_reports_an_unreachable_router_without_raising(self):
        self.simulator.stop()
        action = self.router.action_sync_leases()
        self.assertEqual(action["params"]["type"], "danger")
        report = self.router.lease_reconciliation_ids
        self.assertEqual((report.state, report.error_count), ("failed", 1))
        self.assertIn("Cannot connect", report.errors)

    def test_sync_now_shows_the_counts(self):
        self.bind_lease("aa:bb:cc:00:20:04")
        action = self.router.action_sync_leases()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("1 leases (0 unchanged), 1 new profiles, 0 updated, 0 offline, 0 errors", action["params"]["message"])

    def test_the_cron_syncs_every_router_with_a_host(self):
        self.bind_lease("aa:bb:cc:00:20:05")
        self.env["isp.router"].create({"name": "MK-NO-HOST"})
        self.env["isp.lease.reconciliation"]._cron_reconcile_routers()
        self.assertEqual(self.router.lease_reconciliation_ids.profiles_created, 1)
        self.assertFalse(self.env["isp.lease.reconciliation"].search([("router_id.name", "=", "MK-NO-HOST")]))
