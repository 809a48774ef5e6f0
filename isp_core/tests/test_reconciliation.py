from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .routeros_emulator import RouterOsEmulatorCase


@tagged("post_install", "-at_install")
class TestLeaseReconciliation(RouterOsEmulatorCase):
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

    def test_a_sync_leaves_the_devices_of_a_router_that_signs_to_that_router(self):
        keyed = self.env["isp.router"].create({"name": "MK-KEYED", "connection_mode": "agent"})
        keyed.rotate_key()
        profile = self.profiles.create({"mac": "AA:BB:CC:00:20:09", "last_ip": "10.30.0.9", "router_id": keyed.id})
        self.bind_lease("aa:bb:cc:00:20:09")
        self.env["isp.lease.reconciliation"]._reconcile(self.router)
        self.assertEqual((profile.router_id, profile.last_ip), (keyed, "10.30.0.9"), "neither moved nor re-addressed")

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
        original = type(self.env["isp.mac.profile"])._onboard_leases

        def reject_one(profiles, values_list, **kwargs):
            if any(values["mac"] == "AA:BB:CC:00:20:08" for values in values_list):
                raise ValidationError("mac: refused for the test")
            return original(profiles, values_list, **kwargs)

        with patch.object(type(self.env["isp.mac.profile"]), "_onboard_leases", reject_one):
            report = reconciliation._reconcile(self.router)

        self.assertEqual((report.profiles_created, report.error_count), (1, 1))
        self.assertIn("AA:BB:CC:00:20:08: mac: refused for the test", report.errors)
        self.assertTrue(self.profiles.search([("mac", "=", "AA:BB:CC:00:20:09")]))

    def test_sync_now_reports_an_unreachable_router_without_raising(self):
        self.emulator.stop()
        action = self.router.action_sync_leases()
        self.assertEqual(action["params"]["type"], "danger")
        report = self.router.lease_reconciliation_ids
        self.assertEqual((report.state, report.error_count), ("failed", 1))
        self.assertIn("Cannot connect", report.errors)

    def test_sync_now_shows_the_counts(self):
        self.bind_lease("aa:bb:cc:00:20:04")
        action = self.router.action_sync_leases()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn(
            "1 leases (0 unchanged), 1 new profiles, 0 updated, 0 offline, 0 access repairs queued, 0 errors",
            action["params"]["message"],
        )

    def test_the_cron_syncs_every_router_with_a_host(self):
        self.bind_lease("aa:bb:cc:00:20:05")
        self.env["isp.router"].create({"name": "MK-NO-HOST"})
        self.env["isp.lease.reconciliation"]._cron_reconcile_routers()
        self.assertEqual(self.router.lease_reconciliation_ids.profiles_created, 1)
        self.assertFalse(self.env["isp.lease.reconciliation"].search([("router_id.name", "=", "MK-NO-HOST")]))

    def test_a_suspended_customer_whose_ip_changed_is_listed_again_at_the_next_sync(self):
        self.bind_lease("aa:bb:cc:00:20:10")
        self.env["isp.lease.reconciliation"]._reconcile(self.router)
        profile = self.profiles.search([("mac", "=", "AA:BB:CC:00:20:10")])
        subscription = self.make_draft_subscription(profile, self.make_plain_plan())
        subscription.action_activate()
        subscription.action_suspend()
        self.run_jobs()
        old_ip = profile.last_ip
        # The device comes back with another address (its old one went to another device), and
        # the webhook records it on the profile, and nothing else.
        self.unbind_lease("aa:bb:cc:00:20:10")
        self.bind_lease("aa:bb:cc:00:20:99")
        new_ip = self.bind_lease("aa:bb:cc:00:20:10")
        self.assertNotEqual(new_ip, old_ip)
        self.profiles._onboard_lease({"mac": profile.mac, "ip": new_ip, "bound": True, "router": self.router.name})

        report = self.env["isp.lease.reconciliation"]._reconcile(self.router)
        self.assertEqual(report.access_repairs, 1)
        self.run_jobs()
        [entry] = self.router_items("/ip/firewall/address-list", list="isp_suspended")
        self.assertEqual(entry["address"], new_ip)
        [queue] = self.router_items("/queue/simple")
        self.assertEqual(queue["target"].split("/")[0], new_ip)

    def test_an_entry_removed_by_hand_is_put_back(self):
        self.bind_lease("aa:bb:cc:00:20:11")
        self.env["isp.lease.reconciliation"]._reconcile(self.router)
        profile = self.profiles.search([("mac", "=", "AA:BB:CC:00:20:11")])
        subscription = self.make_draft_subscription(profile, self.make_plain_plan())
        subscription.action_activate()
        subscription.action_suspend()
        self.run_jobs()
        with self.emulator.session() as session:
            entries = session.print("/ip/firewall/address-list", proplist=[".id"])
            session.remove("/ip/firewall/address-list", [entry[".id"] for entry in entries])

        self.assertEqual(self.env["isp.lease.reconciliation"]._reconcile(self.router).access_repairs, 1)
        self.run_jobs()
        self.assertTrue(self.router_items("/ip/firewall/address-list", list="isp_suspended"))
        self.assertEqual(self.env["isp.lease.reconciliation"]._reconcile(self.router).access_repairs, 0)

    def test_a_notice_redirect_removed_or_changed_by_hand_is_put_back(self):
        self.bind_lease("aa:bb:cc:00:20:12")
        self.env["isp.lease.reconciliation"]._reconcile(self.router)
        profile = self.profiles.search([("mac", "=", "AA:BB:CC:00:20:12")])
        subscription = self.make_draft_subscription(profile, self.make_plain_plan())
        subscription.action_activate()
        subscription.action_suspend()
        self.run_jobs()
        self.assertEqual(self.env["isp.lease.reconciliation"]._reconcile(self.router).access_repairs, 0)
        for change in ("remove", "retarget"):
            with self.subTest(change=change), self.emulator.session() as session:
                [rule] = session.print("/ip/proxy/access", proplist=[".id"])
                if change == "remove":
                    session.remove("/ip/proxy/access", [rule[".id"]])
                else:
                    session.set("/ip/proxy/access", rule[".id"], {"action-data": "http://example.com/"})
                self.assertEqual(self.env["isp.lease.reconciliation"]._reconcile(self.router).access_repairs, 1)
                self.run_jobs()
                [rule] = self.router_items("/ip/proxy/access")
                self.assertEqual((rule["src-address"], rule["action-data"]), (profile.last_ip, subscription._notice_url()))
        # Reactivated, and a redirect left behind on the router is a drift too.
        subscription.action_reactivate()
        self.run_jobs()
        with self.emulator.session() as session:
            session.add("/ip/proxy/access", {
                "src-address": profile.last_ip, "action": "redirect", "action-data": "http://example.com/",
                "comment": f"isp_core:subscription:{subscription.name}",
            })
        self.assertEqual(self.env["isp.lease.reconciliation"]._reconcile(self.router).access_repairs, 1)
        self.run_jobs()
        self.assertFalse(self.router_items("/ip/proxy/access"))

    def test_a_device_staff_renamed_is_not_counted_again(self):
        self.bind_lease("aa:bb:cc:00:20:08", "onu-garage")
        self.env["isp.lease.reconciliation"]._reconcile(self.router)
        profile = self.profiles.search([("mac", "=", "AA:BB:CC:00:20:08")])
        profile.hostname = "Colmado Rosa"  # the webhook keeps a name staff gave: so must the sync
        lease_count = profile.lease_count

        report = self.env["isp.lease.reconciliation"]._reconcile(self.router)

        self.assertEqual((profile.hostname, profile.lease_count), ("Colmado Rosa", lease_count))
        self.assertEqual((report.leases_unchanged, report.profiles_updated), (1, 0))
