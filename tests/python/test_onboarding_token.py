import unittest

import _isp_core_path  # noqa: F401
from lib import onboarding_token


class OnboardingTokenTest(unittest.TestCase):
    def test_a_generated_token_is_usable_and_new_each_time(self):
        first, second = onboarding_token.generate(), onboarding_token.generate()
        self.assertTrue(onboarding_token.is_usable(first))
        self.assertNotEqual(first, second)

    def test_weak_blank_or_unsafe_values_are_not_usable(self):
        for value in (None, False, "", "abc", " " * 20, "\u00a0" * 20, "a" * 15, "a" * 16 + " ", "a" * 16 + ",b", 'a"' * 9):
            with self.subTest(value=value):
                self.assertFalse(onboarding_token.is_usable(value))
        self.assertTrue(onboarding_token.is_usable("abcdefgh-1234.5678_~+/="))
