"""MAC address parsing: every common notation becomes ``AA:BB:CC:DD:EE:FF``."""

import re

# aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff, aabbccddeeff (any case)
_MAC_PATTERNS = (
    re.compile(r"^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$"),
    re.compile(r"^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$"),
    re.compile(r"^[0-9a-f]{12}$"),
)


def normalize_mac(value):
    """Return ``value`` as an upper-case, colon-separated MAC address.

    :raises ValueError: when ``value`` is not a MAC address in a known notation.
    """
    if not isinstance(value, str):
        raise ValueError("a MAC address must be a string")
    candidate = value.strip().lower()
    if not any(pattern.match(candidate) for pattern in _MAC_PATTERNS):
        raise ValueError(f"{value!r} is not a MAC address")
    digits = re.sub(r"[^0-9a-f]", "", candidate).upper()
    return ":".join(digits[index:index + 2] for index in range(0, 12, 2))
