import unittest

import _isp_core_path  # noqa: F401
from lib.rate_limit import format_rate_limit


class FormatRateLimitTest(unittest.TestCase):
    def test_upload_first_then_download(self):
        self.assertEqual(format_rate_limit(20, 5), "5M/20M")
        self.assertEqual(format_rate_limit(100.0, 50.0), "50M/100M")

    def test_fractional_speeds_use_kbits(self):
        self.assertEqual(format_rate_limit(2.5, 0.512), "512k/2500k")

    def test_missing_or_non_positive_speeds(self):
        for download, upload in ((0, 5), (20, 0), (None, 5), (-1, 5)):
            with self.subTest(download=download, upload=upload):
                self.assertEqual(format_rate_limit(download, upload), "")


if __name__ == "__main__":
    unittest.main()
