import unittest

import _isp_core_path  # noqa: F401
from lib.lease_payload import LeasePayloadError, decode_json_body, parse_bound, parse_lease


class DecodeJsonBodyTest(unittest.TestCase):
    def test_object(self):
        body = b'{"mac": "aa:bb:cc:dd:ee:ff", "bound": 1}'
        self.assertEqual(decode_json_body(body), {"mac": "aa:bb:cc:dd:ee:ff", "bound": 1})

    def test_raw_control_characters_from_the_lease_script_are_accepted(self):
        body = b'{"mac": "aa:bb:cc:dd:ee:ff", "hostname": "tab\there\nnew"}'
        self.assertEqual(decode_json_body(body)["hostname"], "tab\there\nnew")

    def test_empty_body_is_an_empty_report(self):
        self.assertEqual(decode_json_body(b"  "), {})

    def test_rejects_non_objects(self):
        for raw in (b"{nope", b"[1]", b'"text"', b"\xff\xfe"):
            with self.subTest(raw=raw), self.assertRaises(LeasePayloadError) as caught:
                decode_json_body(raw)
            self.assertEqual(caught.exception.field, "body")


class ParseBoundTest(unittest.TestCase):
    def test_values(self):
        for value, expected in (
            (True, True), (False, False), (1, True), (0, False), ("1", True), ("0", False),
            ("true", True), ("FALSE", False), ("yes", True), ("no", False), (None, True), ("", True),
        ):
            with self.subTest(value=value):
                self.assertIs(parse_bound(value), expected)

    def test_rejects_other_values(self):
        for value in ("maybe", 2, -1, 1.0, [1]):
            with self.subTest(value=value), self.assertRaises(LeasePayloadError) as caught:
                parse_bound(value)
            self.assertEqual(caught.exception.field, "bound")


class ParseLeaseTest(unittest.TestCase):
    def test_normalises_a_full_report(self):
        lease = parse_lease(
            {
                "mac": "aabb.ccdd.eeff",
                "ip": " 10.0.0.5 ",
                "bound": "0",
                "server": "dhcp-lan",
                "hostname": "ONU\x07-1",
                "sector": "SEC-001-los_cacaos",
                "router": "MK-1",
            }
        )
        self.assertEqual(
            lease,
            {
                "mac": "AA:BB:CC:DD:EE:FF",
                "ip": "10.0.0.5",
                "bound": False,
                "server": "dhcp-lan",
                "hostname": "ONU-1",
                "sector": "SEC-001-los_cacaos",
                "router": "MK-1",
            },
        )

    def test_only_mac_is_required(self):
        self.assertEqual(
            parse_lease({"mac": "aa-bb-cc-dd-ee-ff"}),
            {
                "mac": "AA:BB:CC:DD:EE:FF",
                "ip": "",
                "bound": True,
                "server": "",
                "hostname": "",
                "sector": "",
                "router": "",
            },
        )

    def test_errors_name_the_field(self):
        cases = [
            ({}, "mac"),
            ({"mac": ""}, "mac"),
            ({"mac": "zz"}, "mac"),
            ({"mac": "aabbccddeeff", "ip": "10.0.0.256"}, "ip"),
            ({"mac": "aabbccddeeff", "ip": 10}, "ip"),
            ({"mac": "aabbccddeeff", "bound": "x"}, "bound"),
            ({"mac": "aabbccddeeff", "hostname": {"a": 1}}, "hostname"),
            ({"mac": "aabbccddeeff", "router": ["MK"]}, "router"),
        ]
        for values, field in cases:
            with self.subTest(values=values), self.assertRaises(LeasePayloadError) as caught:
                parse_lease(values)
            self.assertEqual(caught.exception.field, field)
            self.assertTrue(str(caught.exception).startswith(f"{field}: "))

    def test_ipv6_and_long_names(self):
        lease = parse_lease({"mac": "aabbccddeeff", "ip": "2001:DB8::1", "server": "s" * 100})
        self.assertEqual(lease["ip"], "2001:db8::1")
        self.assertEqual(len(lease["server"]), 64)


if __name__ == "__main__":
    unittest.main()
