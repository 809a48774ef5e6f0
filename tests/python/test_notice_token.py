import hashlib
import hmac
import unittest

import _isp_core_path  # noqa: F401
from lib import notice_token


def signer(secret):
    return lambda message: hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()


class NoticeTokenTest(unittest.TestCase):
    sign = staticmethod(signer(b"database secret"))

    def test_a_token_names_its_subscription_and_suspension(self):
        key = notice_token.new_suspension_key()
        token = notice_token.make_token(42, key, self.sign)
        self.assertEqual(notice_token.verify_token(token, self.sign), (42, key))

    def test_each_suspension_draws_a_new_key(self):
        self.assertNotEqual(notice_token.new_suspension_key(), notice_token.new_suspension_key())

    def test_a_changed_id_key_or_signature_is_refused(self):
        key = "0123456789abcdef"
        token = notice_token.make_token(42, key, self.sign)
        _id, _key, signature = token.split("-")
        for forged in (
            f"43-{key}-{signature}",
            f"042-{key}-{signature}",
            f"42-{'f' * 16}-{signature}",
            f"42-{key}-{signature[:-1]}{'1' if signature[-1] == '0' else '0'}",
            notice_token.make_token(42, key, signer(b"another secret")),
        ):
            with self.subTest(forged=forged):
                self.assertIsNone(notice_token.verify_token(forged, self.sign))

    def test_text_of_another_shape_is_refused_before_any_signature(self):
        def never(_message):
            raise AssertionError("signed a token of the wrong shape")

        for text in (None, "", "42", "42-abc-def", f"42-{'A' * 16}-{'0' * 40}", f"42-{'0' * 16}-{'0' * 40}/x", 42):
            with self.subTest(text=text):
                self.assertIsNone(notice_token.verify_token(text, never))


if __name__ == "__main__":
    unittest.main()
