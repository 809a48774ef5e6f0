import unittest
from datetime import UTC, datetime

import _isp_core_path  # noqa: F401
from lib.onboarding_rules import format_iso_utc, new_device_values, parse_iso_utc, renewal_changes, rounds_by_mac

DEVICE = {
    "online": True, "lease_count": 4, "last_ip": "10.0.0.5", "hostname": "Casa Pérez",
    "dhcp_server": "dhcp-lan", "router_id": 7, "sector_id": 3,
}


def lease(**overrides):
    return {"mac": "AA:BB:CC:DD:EE:01", "ip": "10.0.0.5", "bound": True, "server": "dhcp-lan",
            "hostname": "ONU-1", "router": "MK", "sector": "", **overrides}


class RenewalChangesTest(unittest.TestCase):
    def test_a_renewal_that_restates_the_device_only_counts(self):
        self.assertEqual(renewal_changes(DEVICE, lease(), 7, 3), {"lease_count": 5})

    def test_what_changed_is_all_that_is_written(self):
        changes = renewal_changes(DEVICE, lease(ip="10.0.0.9", server="dhcp-2"), 8, 4)
        self.assertEqual(changes, {"lease_count": 5, "last_ip": "10.0.0.9", "dhcp_server": "dhcp-2", "router_id": 8, "sector_id": 4})

    def test_a_name_staff_gave_is_kept_and_a_missing_one_is_filled(self):
        self.assertNotIn("hostname", renewal_changes(DEVICE, lease(hostname="ONU-NEW"), 7, 3))
        self.assertEqual(renewal_changes({**DEVICE, "hostname": False}, lease(), 7, 3)["hostname"], "ONU-1")

    def test_a_release_marks_the_device_offline_and_counts_nothing(self):
        self.assertEqual(renewal_changes(DEVICE, lease(bound=False, ip="", hostname=""), 7, 3), {"online": False})

    def test_an_unknown_router_or_sector_keeps_the_known_ones(self):
        self.assertEqual(renewal_changes(DEVICE, lease(), False, False), {"lease_count": 5})


class NewDeviceTest(unittest.TestCase):
    def test_a_new_device_starts_online_with_one_lease(self):
        now = datetime(2026, 11, 27, 12, 0)
        values = new_device_values(lease(ip="", hostname=""), False, 3, now)
        self.assertEqual(values["lease_count"], 1)
        self.assertEqual((values["first_seen"], values["last_seen"]), (now, now))
        self.assertEqual((values["last_ip"], values["hostname"], values["router_id"], values["sector_id"]), (False, False, False, 3))
        self.assertTrue(values["online"])


class RoundsTest(unittest.TestCase):
    def test_each_round_holds_a_mac_once_in_order(self):
        leases = {0: {"mac": "A"}, 1: {"mac": "B"}, 2: {"mac": "A"}, 3: {"mac": "A"}}
        self.assertEqual([list(batch) for batch in rounds_by_mac(leases)], [[0, 1], [2], [3]])


class IsoTimeTest(unittest.TestCase):
    def test_round_trip_through_another_zone(self):
        moment = parse_iso_utc("2026-11-27T08:00:00-04:00")
        self.assertEqual(moment, datetime(2026, 11, 27, 12, 0))
        self.assertEqual(format_iso_utc(moment), datetime(2026, 11, 27, 12, 0, tzinfo=UTC).isoformat())
        self.assertFalse(format_iso_utc(False))
        with self.assertRaises(ValueError):
            parse_iso_utc("yesterday")
