import unittest

import _isp_core_path  # noqa: F401
import io

from lib.lease_payload import (
    BodyTooLarge,
    LeasePayloadError,
    decode_json_body,
    loggable,
    parse_bound,
    parse_lease,
    read_capped,
)


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
        for raw in (b"{nope", b"[1]", b'"text"', b"\xff\xfe", b'{"a": ' + b"[" * 3000 + b"]" * 3000 + b"}"):
            with self.subTest(raw=raw), self.assertRaises(LeasePayloadError) as caught:
                decode_json_body(raw)
            self.assertEqual(caught.exception.field, "body")

    def test_a_body_that_is_not_utf_8_is_read_as_latin_1(self):
        body = '{"mac": "aa:bb:cc:dd:ee:ff", "hostname": "José-PC"}'.encode("latin-1")
        self.assertEqual(decode_json_body(body)["hostname"], "José-PC")


class ReadCappedTest(unittest.TestCase):
    class Trickle(io.RawIOBase):
        """A stream that gives a few bytes a read, as a chunked body does."""

        def __init__(self, data):
            self.data = data
            self.read_so_far = 0

        def read(self, size=-1):
            chunk = self.data[self.read_so_far:self.read_so_far + min(size, 7)]
            self.read_so_far += len(chunk)
            return chunk

    def test_reads_a_body_up_to_the_cap(self):
        self.assertEqual(read_capped(self.Trickle(b"x" * 100), limit=100), b"x" * 100)

    def test_refuses_a_larger_body_after_reading_one_byte_past_the_cap(self):
        stream = self.Trickle(b"x" * 10_000)
        with self.assertRaises(BodyTooLarge):
            read_capped(stream, limit=100)
        self.assertEqual(stream.read_so_far, 101)


class LoggableTest(unittest.TestCase):
    def test_escapes_what_postgresql_or_utf_8_refuse_and_caps(self):
        self.assertEqual(loggable("MK\x00X\ud800"), "MK\\u0000X\\ud800")
        self.assertEqual(loggable("x" * 100), "x" * 64)
        self.assertEqual(loggable(None), "")


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
    def test_a_nul_or_a_lone_surrogate_in_a_name_is_refused_naming_the_field(self):
        for field, value, message in (
            ("mac", "aa:bb:cc:dd:ee:ff\x00", "NUL"),
            ("router", "MK\x00", "NUL"),
            ("sector", "\ud800", "not valid text"),
            ("mac", "\udfff", "not valid text"),
        ):
            with self.subTest(field=field), self.assertRaisesRegex(LeasePayloadError, message) as caught:
                parse_lease({"mac": "aa:bb:cc:dd:ee:ff", field: value})
            self.assertEqual(caught.exception.field, field)

    def test_a_host_name_keeps_its_device_whatever_it_holds(self):
        self.assertEqual(parse_lease({"mac": "aa:bb:cc:dd:ee:ff", "hostname": "ONU\x00\ud800-1"})["hostname"], "ONU-1")

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
