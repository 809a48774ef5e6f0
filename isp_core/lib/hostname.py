"""Host names reported by DHCP clients are untrusted free text."""

import unicodedata

MAX_HOSTNAME_LENGTH = 63


def sanitize_hostname(value, max_length=MAX_HOSTNAME_LENGTH):
    """Drop control characters and surrounding blanks, and cap the length.

    Returns an empty string for ``None`` or a host name made only of control characters.
    """
    if value is None:
        return ""
    text = "".join(
        char for char in str(value) if not unicodedata.category(char).startswith("C")
    )
    return text.strip()[:max_length].strip()
