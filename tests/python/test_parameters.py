import unittest

import _isp_core_path  # noqa: F401
from lib import parameters


class ParametersTest(unittest.TestCase):
    def test_keys_are_namespaced_and_distinct(self):
        keys = [value for name, value in vars(parameters).items() if name.isupper() and isinstance(value, str)]
        keys = [key for key in keys if key.startswith("isp_core.")]
        self.assertEqual(len(keys), 7)
        self.assertEqual(len(set(keys)), len(keys))

    def test_is_enabled(self):
        for raw in ("1", "true", "True", " yes ", True):
            with self.subTest(raw=raw):
                self.assertTrue(parameters.is_enabled(raw))
        for raw in ("0", "", "false", "False", None, False, "off"):
            with self.subTest(raw=raw):
                self.assertFalse(parameters.is_enabled(raw))

    def test_to_positive_int(self):
        self.assertEqual(parameters.to_positive_int("12", 30), 12)
        self.assertEqual(parameters.to_positive_int(" 7 ", 30), 7)
        for raw in ("", None, "abc", "0", "-3", "1.5"):
            with self.subTest(raw=raw):
                self.assertEqual(parameters.to_positive_int(raw, 30), 30)


if __name__ == "__main__":
    unittest.main()
