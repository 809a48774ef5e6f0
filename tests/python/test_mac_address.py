import unittest

import _isp_core_path  # noqa: F401
from lib.mac_address import normalize_mac


class NormalizeMacTest(unittest.TestCase):
    def test_common_notations(self):
        for notation in (
            "AA:BB:CC:DD:EE:FF",
            "aa:bb:cc:dd:ee:ff",
            "aa-bb-cc-dd-ee-ff",
            "AABB.CCDD.EEFF",
            "aabb.ccdd.eeff",
            "aabbccddeeff",
            "  aa:bb:cc:dd:ee:ff\n",
        ):
            with self.subTest(notation=notation):
                self.assertEqual(normalize_mac(notation), "AA:BB:CC:DD:EE:FF")

    def test_rejects_anything_else(self):
        for value in (
            "",
            "aa:bb:cc:dd:ee",
            "aa:bb:cc:dd:ee:ff:00",
            "aa:bb-cc:dd:ee:ff",
            "gg:bb:cc:dd:ee:ff",
            "aabb.ccdd.eef",
            "aabbccddeeff0",
            "a:b:c:d:e:f",
            None,
            123456789012,
        ):
            with self.subTest(value=value), self.assertRaises(ValueError):
                normalize_mac(value)


if __name__ == "__main__":
    unittest.main()
