"""The one-statement path for renewals that change nothing (``_count_restatement``) agrees with
the full rules (``renewal_changes``) on when it applies, and counts the lease as they do."""

import itertools
import random

from odoo.tests import tagged

from odoo.addons.isp_core.lib.onboarding_rules import renewal_changes

from .common import IspCoreCase

COMBINATIONS = 160


@tagged("post_install", "-at_install")
class TestRestatement(IspCoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_router = cls.env["isp.router"].create({"name": "MK-OTHER", "sector_id": cls.other_sector.id})

    def test_the_short_path_applies_exactly_where_the_rules_would_only_count(self):
        variants = {
            "online": [True, False],
            "pending_reason": [False, "no_default_plan"],
            "ip": ["10.10.0.20", "10.10.0.21", ""],
            "device_hostname": ["Casa Pérez", False],
            "hostname": ["ONU-1", ""],
            "server": ["dhcp-lan", "dhcp-2", ""],
            "router": ["MK-TEST", "MK-OTHER", "MK-UNKNOWN", ""],
            "sector": ["SEC-901-test", "SEC-902-other", "SEC-404-unknown", ""],
        }
        combinations = list(itertools.product(*variants.values()))
        random.Random(20261127).shuffle(combinations)
        applied = 0
        for index, combination in enumerate(combinations[:COMBINATIONS]):
            case = dict(zip(variants, combination, strict=True))
            with self.subTest(**case):
                mac = f"AA:BB:CC:77:{index >> 8:02X}:{index & 255:02X}"
                profile = self.onboarded_profile(mac, ip="10.10.0.20", server="dhcp-lan", router="MK-TEST", sector="")
                profile.write({
                    "online": case["online"],
                    "pending_reason": case["pending_reason"],
                    "hostname": case["device_hostname"],
                })
                lease = {
                    "mac": mac, "ip": case["ip"], "bound": True, "server": case["server"],
                    "hostname": case["hostname"], "router": case["router"], "sector": case["sector"],
                }
                router = self.env["isp.router"].search([("name", "=", case["router"])]) if case["router"] else None
                sector = self.env["isp.sector"].search([("code", "=", case["sector"])]) if case["sector"] else None
                device = {
                    "online": profile.online, "lease_count": profile.lease_count, "last_ip": profile.last_ip,
                    "hostname": profile.hostname, "dhcp_server": profile.dhcp_server,
                    "router_id": profile.router_id.id, "sector_id": profile.sector_id.id,
                }
                sector_id = (sector or (router.sector_id if router else None) or self.env["isp.sector"]).id
                changes = renewal_changes(device, lease, router.id if router else False, sector_id)
                only_counts = changes.keys() == {"lease_count"} and not profile.pending_reason
                count_before = profile.lease_count

                answer = self.profiles._count_restatement(lease)
                self.assertEqual(bool(answer), only_counts, f"rules would change {changes}")
                if answer:
                    applied += 1
                    self.assertEqual(answer, {"result": "updated", "profile_id": profile.id, "state": profile.state})
                    self.assertEqual(profile.lease_count, count_before + 1)
        self.assertGreater(applied, 3, "the sample holds restatements")

    def test_a_restated_renewal_writes_no_event_and_notifies_nobody(self):
        profile = self.onboarded_profile("AA:BB:CC:77:FF:01")
        events = self.events_for("AA:BB:CC:77:FF:01")
        answer = self.onboard("AA:BB:CC:77:FF:01")
        self.assertEqual(answer, {"result": "updated", "profile_id": profile.id, "state": "pending"})
        self.assertEqual(profile.lease_count, 2)
        self.assertEqual(self.events_for("AA:BB:CC:77:FF:01"), events)
        notified = [payload for payload in self.sent_profile_notifications() if payload["mac"] == "AA:BB:CC:77:FF:01"]
        self.assertEqual(len(notified), 1, "the creation only")
