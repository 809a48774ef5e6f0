"""Decoding and validation of the lease reports sent by the routers' lease-script."""

import ipaddress
import json

from .hostname import sanitize_hostname
from .mac_address import normalize_mac

MAX_BODY_BYTES = 16 * 1024
MAX_NAME_LENGTH = 64

_TRUE_WORDS = ("1", "true", "yes")
_FALSE_WORDS = ("0", "false", "no")


class LeasePayloadError(ValueError):
    """A lease report that cannot be accepted; ``field`` names the culprit."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field


def decode_json_body(raw):
    """Turn a JSON request body into the dict of its top-level values.

    The lease-script builds its JSON by hand and escapes only quotes and backslashes, so a host
    name with a tab or newline arrives as a raw control character: accept it (``strict=False``)
    rather than lose the lease; the host name is sanitised afterwards.
    """
    try:
        data = json.loads(raw.decode("utf-8"), strict=False) if raw.strip() else {}
    except (UnicodeDecodeError, ValueError) as exc:
        raise LeasePayloadError("body", "expected a JSON object or a form-encoded body") from exc
    if not isinstance(data, dict):
        raise LeasePayloadError("body", "expected a JSON object")
    return data


def parse_bound(value):
    """Read ``bound`` (1/0, true/false, yes/no); a report without it is a new lease."""
    if value is None or value == "":
        return True
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    word = str(value).strip().lower() if isinstance(value, str) else None
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise LeasePayloadError("bound", "expected 1/0 or true/false")


def parse_lease(values):
    """Validate a lease report and return it normalised.

    The result always holds ``mac``, ``ip``, ``bound``, ``server``, ``hostname``,
    ``sector`` and ``router``; optional texts are empty strings when absent.

    :raises LeasePayloadError: naming the first field that is not acceptable.
    """
    raw_mac = values.get("mac")
    if raw_mac in (None, ""):
        raise LeasePayloadError("mac", "is required")
    try:
        mac = normalize_mac(raw_mac)
    except ValueError as exc:
        raise LeasePayloadError("mac", "is not a MAC address (use e.g. AA:BB:CC:DD:EE:FF)") from exc
    return {
        "mac": mac,
        "ip": _parse_ip(values.get("ip")),
        "bound": parse_bound(values.get("bound")),
        "server": _parse_name(values, "server"),
        "hostname": sanitize_hostname(_text(values, "hostname")),
        "sector": _parse_name(values, "sector"),
        "router": _parse_name(values, "router"),
    }


def _text(values, field):
    value = values.get(field)
    if value is None:
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise LeasePayloadError(field, "expected a text")
    return str(value)


def _parse_name(values, field):
    return sanitize_hostname(_text(values, field), max_length=MAX_NAME_LENGTH)


def _parse_ip(value):
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise LeasePayloadError("ip", "expected an IP address as text")
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError as exc:
        raise LeasePayloadError("ip", "is not an IP address") from exc
