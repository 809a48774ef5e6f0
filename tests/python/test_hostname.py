import unittest

import _isp_core_path  # noqa: F401
from lib.hostname import MAX_HOSTNAME_LENGTH, sanitize_hostname


class SanitizeHostnameTest(unittest.TestCase):
    def test_keeps_ordinary_names(self):
        self.assertEqual(sanitize_hostname("ONU-ZTE-0001"), "ONU-ZTE-0001")
        self.assertEqual(sanitize_hostname("Casa de María"), "Casa de María")

    def test_drops_control_characters_and_blanks(self):
        self.assertEqual(sanitize_hostname(" onu\x00\x07\x1b[0m\r\n\u200b-1 "), "onu[0m-1")

    def test_caps_the_length(self):
        self.assertEqual(len(sanitize_hostname("x" * 500)), MAX_HOSTNAME_LENGTH)
        self.assertEqual(sanitize_hostname("abcdef", max_length=3), "abc")

    def test_empty_inputs(self):
        self.assertEqual(sanitize_hostname(None), "")
        self.assertEqual(sanitize_hostname("\x00\x01"), "")


if __name__ == "__main__":
    unittest.main()
