"""The token that names a suspended subscription in its notice page's URL.

``<subscription id>-<suspension key>-<signature>``: the suspension key is drawn anew for each
suspension, and the signature is an HMAC of both with the database's secret. So a link opens the
page of one subscription during one suspension only: a new suspension or a reactivation makes it
stale, and nobody can make another customer's link by changing the URL. The signature is checked
before the database is read, so a forged token costs the same whoever it names.
"""

import hmac
import re
import secrets

from . import contract

TOKEN = re.compile(contract.NOTICE_TOKEN_PATTERN)
SIGNATURE_LENGTH = 40  # hexadecimal digits: 160 bits of the HMAC-SHA256
KEY_BYTES = 8


def new_suspension_key():
    return secrets.token_hex(KEY_BYTES)


def signed_message(subscription_id, suspension_key):
    """What the signature covers."""
    return f"{subscription_id}:{suspension_key}"


def make_token(subscription_id, suspension_key, sign):
    """The token of a suspension; ``sign`` maps a message to its hexadecimal HMAC."""
    signature = sign(signed_message(subscription_id, suspension_key))[:SIGNATURE_LENGTH]
    return f"{subscription_id}-{suspension_key}-{signature}"


def verify_token(token, sign):
    """``(subscription id, suspension key)`` of a token ``sign`` made, else None (any other text,
    a token of another shape, or one signed with another secret)."""
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        return None
    subscription_id, suspension_key, signature = token.split("-")
    expected = sign(signed_message(subscription_id, suspension_key))[:SIGNATURE_LENGTH]
    if not hmac.compare_digest(expected, signature):
        return None
    return int(subscription_id), suspension_key
