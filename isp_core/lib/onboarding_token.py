"""The routers' onboarding token: what Odoo accepts as one, and how it makes one.

The rule is the preloader's (``ISP_MAC_TOKEN``): the lease-script carries the token inside a
RouterOS ``http-header-field`` list, which RouterOS splits on commas, in a script string.
"""

import re
import secrets

from . import contract

MIN_LENGTH = contract.TOKEN_MIN_LENGTH
PATTERN = re.compile(f"[{contract.TOKEN_ALPHABET}]{{{MIN_LENGTH},}}")


def is_usable(value):
    """Whether ``value`` may authenticate a router; an unset, blank or weak value may not."""
    return isinstance(value, str) and PATTERN.fullmatch(value) is not None


def generate():
    """A new random token (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)
