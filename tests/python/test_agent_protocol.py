import unittest
from datetime import datetime

import _isp_core_path  # noqa: F401
from lib import agent_protocol
from lib.lease_payload import LeasePayloadError
from lib.onboarding_token import is_usable
from lib.routeros_operations import HotspotUser, Lease
from lib.router_values import RouterScope, RouterValueRefused, parse_lan_networks

SCOPE = RouterScope(parse_lan_networks("10.0.0.0/24"), "isp_suspended", "https://isp.example.com/isp/notice/")
NOTICE_URL = f"https://isp.example.com/isp/notice/7-{'0' * 16}-{'f' * 40}"


class OperationValuesTest(unittest.TestCase):
    def test_values_travel_in_the_kinds_order(self):
        values = agent_protocol.operation_values(
            "list-upsert", {"address": "10.0.0.9", "list": "isp_suspended", "comment": "isp_core:subscription:SUB-1"}
        )
        self.assertEqual(values, ["isp_suspended", "isp_core:subscription:SUB-1", "10.0.0.9"])

    def test_a_value_router_script_could_expand_is_refused_naming_the_field(self):
        for value in ("$x", "[/system reset-configuration]", 'a"b', "a\\b", "a|b", "line\nbreak", "x" * 256, "año"):
            with self.subTest(value=value), self.assertRaises(agent_protocol.UnsafeValue) as caught:
                agent_protocol.operation_values("user-upsert", {"name": "ok", "password": value})
            self.assertEqual(caught.exception.field, "password")
            self.assertTrue(str(caught.exception).startswith("password (user-upsert): "))
            self.assertNotIn(value, str(caught.exception), "a password is never repeated in an error")

    def test_a_profile_that_is_not_odoos_is_never_changed(self):
        with self.assertRaisesRegex(ValueError, "not Odoo's"):
            agent_protocol.operation_values("profile-rate", {"name": "default", "rate-limit": "5M/20M"})


class AgentWriterTest(unittest.TestCase):
    def test_a_jobs_writes_become_operations(self):
        writer = agent_protocol.AgentWriter(SCOPE)
        user = HotspotUser("AA:BB:CC:00:00:01", "pw", "AA:BB:CC:00:00:01", "isp_core-basic", "isp_core:x", disabled=True)
        self.assertIsNone(writer.upsert_hotspot_user(user))
        writer.remove_simple_queue("isp_core:SUB-1")
        writer.upsert_proxy_redirect("10.0.0.9", NOTICE_URL, "isp_core:subscription:SUB-1")
        writer.remove_proxy_redirect("isp_core:subscription:SUB-2")
        self.assertEqual(writer.operations, [
            ("user-upsert", ["AA:BB:CC:00:00:01", "pw", "AA:BB:CC:00:00:01", "isp_core-basic", "yes", "isp_core:x"]),
            ("queue-remove", ["isp_core:SUB-1"]),
            ("redirect-upsert", ["isp_core:subscription:SUB-1", "10.0.0.9", NOTICE_URL]),
            ("redirect-remove", ["isp_core:subscription:SUB-2"]),
        ])

    def test_a_write_outside_the_routers_scope_never_becomes_an_operation(self):
        writer = agent_protocol.AgentWriter(SCOPE)
        user = HotspotUser("staff", "pw", "", "unlimited", "isp_core:x")
        refusals = [
            (lambda: writer.upsert_hotspot_user(user), "profile"),
            (lambda: writer.upsert_address_list_entry("isp_suspended", "0.0.0.0/0", "isp_core:x"), "address"),
            (lambda: writer.upsert_address_list_entry("mgmt-allow", "10.0.0.9", "isp_core:x"), "list"),
            (lambda: writer.remove_address_list_entry("mgmt-allow", "isp_core:x"), "list"),
            (lambda: writer.upsert_simple_queue("isp_core:SUB-1", "ether1", "5M/20M", "isp_core:x"), "target"),
            (lambda: writer.upsert_simple_queue("isp_core:SUB-1", "10.0.0.9,10.0.0.10", "5M/20M", "isp_core:x"), "target"),
            (lambda: writer.upsert_proxy_redirect("10.0.0.0/24", NOTICE_URL, "isp_core:x"), "src-address"),
            (lambda: writer.upsert_proxy_redirect("10.0.0.9", "http://evil.example.com/", "isp_core:x"), "action-data"),
            (lambda: writer.upsert_proxy_redirect("10.0.0.9", NOTICE_URL, "isp_core:proxy-deny"), "comment"),
            (lambda: writer.remove_proxy_redirect("isp_core:proxy-deny"), "comment"),
        ]
        for write, field in refusals:
            with self.subTest(field=field), self.assertRaises(RouterValueRefused) as caught:
                write()
            self.assertEqual(caught.exception.field, field)
        self.assertEqual(writer.operations, [])


class AnswerTest(unittest.TestCase):
    def test_the_answer_is_lines_the_agent_splits_on_the_separator(self):
        answer = agent_protocol.encode_answer(
            [(7, "user-remove", ["pc-ana"]), (8, "queue-remove", ["isp_core:SUB-1"])],
            more=True,
            sync=False,
            suspended_list="isp_suspended",
        )
        self.assertEqual(
            answer,
            "isp_core-agent 1\nmore|yes\nsync|no\nlist|isp_suspended\n"
            "op|7|user-remove|pc-ana\nop|8|queue-remove|isp_core:SUB-1\nend\n",
        )


class CheckinTest(unittest.TestCase):
    def test_results_and_a_sync_are_read(self):
        checkin = agent_protocol.parse_checkin({
            "identity": "MK-1",
            "version": "7.12.2",
            "uptime": "3h",
            "results": [{"id": 4, "outcome": "created"}, {"id": 5, "error": "no such item"}],
            "leases": [["aa:bb:cc:00:00:01", "10.0.0.9", "dhcp1", "José-PC"]],
            "suspended": [["isp_core:subscription:SUB-1", "10.0.0.9"]],
            "queues": [["isp_core:SUB-2", "10.0.0.10/32", "5M/20M"]],
        })
        self.assertEqual(checkin.results, [
            agent_protocol.Result(4, "created", None), agent_protocol.Result(5, None, "no such item"),
        ])
        self.assertEqual(checkin.leases, [Lease("AA:BB:CC:00:00:01", "10.0.0.9", True, "dhcp1", "José-PC")])
        self.assertEqual(checkin.list_entries, [{"comment": "isp_core:subscription:SUB-1", "address": "10.0.0.9"}])
        self.assertEqual(checkin.queues, [{"name": "isp_core:SUB-2", "target": "10.0.0.10/32", "max-limit": "5M/20M"}])

    def test_a_checkin_without_leases_is_not_a_sync(self):
        checkin = agent_protocol.parse_checkin({"identity": "MK-1", "results": []})
        self.assertIsNone(checkin.leases)

    def test_bad_input_names_the_field(self):
        cases = {
            "results": {"results": "x"},
            "results[0]": {"results": [{"id": True, "outcome": "created"}]},
            "results[0].outcome": {"results": [{"id": 1, "outcome": "exploded"}]},
            "leases[0][1]": {"leases": [["aa:bb:cc:00:00:01", "not-an-ip", "dhcp1", ""]]},
            "suspended[0]": {"leases": [], "suspended": [["only-a-comment"]]},
            "identity": {"identity": {"a": 1}},
        }
        for field, body in cases.items():
            with self.subTest(field=field), self.assertRaises(LeasePayloadError) as caught:
                agent_protocol.parse_checkin(body)
            self.assertEqual(caught.exception.field, field)
        with self.assertRaises(LeasePayloadError) as caught:
            agent_protocol.parse_checkin({"results": [{"id": n, "outcome": "created"} for n in range(1000)]})
        self.assertEqual(caught.exception.problem, "too_many")


class KeyTest(unittest.TestCase):
    def test_a_key_fits_a_header_field_list_and_only_its_digest_is_kept(self):
        key = agent_protocol.generate_key()
        self.assertTrue(is_usable(key), "the onboarding token's rule: no commas, quotes or spaces")
        self.assertNotEqual(key, agent_protocol.generate_key())
        self.assertEqual(len(agent_protocol.key_digest(key)), 64)
        self.assertNotIn(key, agent_protocol.key_digest(key))


if __name__ == "__main__":
    unittest.main()


class RouterClockTest(unittest.TestCase):
    """The agent sends `/system clock`'s date, time and gmt-offset; Odoo keeps the moment in UTC."""

    def checkin(self, **fields):
        return agent_protocol.parse_checkin({"identity": "MK-1", "agent": "isp_core-agent 1", "version": "7.19.6", **fields})

    def test_the_routers_local_time_becomes_utc(self):
        self.assertEqual(self.checkin(clock="2026-12-06 01:30:00 -04:00").clock, datetime(2026, 12, 6, 5, 30))
        self.assertEqual(self.checkin(clock="2026-12-06 05:30:00 +00:00").clock, datetime(2026, 12, 6, 5, 30))
        self.assertEqual(self.checkin(clock="1970-01-02 00:00:07").clock, datetime(1970, 1, 2, 0, 0, 7))

    def test_an_agent_without_a_clock_is_still_read(self):
        self.assertIsNone(self.checkin().clock)

    def test_a_clock_it_cannot_read_is_refused_naming_the_field(self):
        for clock in ("dec/06/2026 05:30:00", "2026-13-06 05:30:00", 1700000000, "2026-12-06 05:30:00 CET"):
            with self.subTest(clock=clock), self.assertRaises(LeasePayloadError) as caught:
                self.checkin(clock=clock)
            self.assertEqual(caught.exception.field, "clock")
