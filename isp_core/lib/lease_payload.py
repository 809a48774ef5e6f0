"""Decoding and validation of the lease reports sent by the routers' lease-script."""

import ipaddress
import json
import unicodedata

from .hostname import sanitize_hostname
from .mac_address import normalize_mac

MAX_BODY_BYTES = 16 * 1024
MAX_NAME_LENGTH = 64

_TRUE_WORDS = ("1", "true", "yes")
_FALSE_WORDS = ("0", "false", "no")


# What can be wrong with a field of a report, keyed by a code that Odoo stores to show the
# problem in the reader's language; the router is answered with these words.
PROBLEMS = {
    "nested_too_deeply": "is nested too deeply",
    "not_a_body": "expected a JSON object or a form-encoded body",
    "not_an_object": "expected a JSON object",
    "not_a_boolean": "expected 1/0 or true/false",
    "missing": "is required",
    "not_a_mac": "is not a MAC address (use e.g. AA:BB:CC:DD:EE:FF)",
    "not_a_text": "expected a text",
    "contains_nul": "contains a NUL character",
    "not_valid_text": "is not valid text",
    "ip_not_a_text": "expected an IP address as text",
    "not_an_ip": "is not an IP address",
    "not_a_customer_address": "is not one host address of the router's LAN networks",
    "not_a_list": "expected a list",
    "too_many": "holds too many entries",
    "not_a_result": "expected an operation id with an outcome or an error",
    "not_a_row": "expected a list of texts",
    "not_a_router_clock": "expected the router's date, time and GMT offset (e.g. 2026-12-06 05:30:00 -04:00)",
}


class LeasePayloadError(ValueError):
    """A lease report that cannot be accepted: ``field`` names the culprit and ``problem`` (a key
    of PROBLEMS) what is wrong with it."""

    def __init__(self, field, problem):
        super().__init__(f"{field}: {PROBLEMS[problem]}")
        self.field = field
        self.problem = problem


class BodyTooLarge(ValueError):
    """A request body over MAX_BODY_BYTES."""


def read_capped(stream, limit=MAX_BODY_BYTES):
    """Read a request body of at most ``limit`` bytes, whatever its framing: a chunked body has
    no Content-Length for the server to check, so at most ``limit`` + 1 bytes are ever read.

    :raises BodyTooLarge: when the body holds more than ``limit`` bytes.
    """
    chunks = []
    size = 0
    while size <= limit:
        chunk = stream.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise BodyTooLarge(f"body: larger than {limit} bytes")
    return b"".join(chunks)


def _decode_text(raw):
    """The lease-script sends UTF-8, but RouterOS copies a DHCP host name's bytes as they are: an
    old Latin-1 name ("José-PC") must not cost the device its lease, so such a body is read as
    Latin-1, where every byte is a character."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def decode_json_body(raw):
    """Turn a JSON request body into the dict of its top-level values.

    The lease-script builds its JSON by hand and escapes only quotes and backslashes, so a host
    name with a tab or newline arrives as a raw control character: accept it (``strict=False``)
    rather than lose the lease; the host name is sanitised afterwards.
    """
    try:
        data = json.loads(_decode_text(raw), strict=False) if raw.strip() else {}
    except RecursionError as exc:
        raise LeasePayloadError("body", "nested_too_deeply") from exc
    except ValueError as exc:
        raise LeasePayloadError("body", "not_a_body") from exc
    if not isinstance(data, dict):
        raise LeasePayloadError("body", "not_an_object")
    return data


def loggable(value, limit=MAX_NAME_LENGTH):
    """``value`` as text that is safe to store and print: control characters (NUL included) and
    lone surrogates, which PostgreSQL or UTF-8 refuse, are written as escapes; capped."""
    if value is None or value is False:
        return ""
    text = "".join(
        char if unicodedata.category(char) not in ("Cc", "Cs") else f"\\u{ord(char):04x}" for char in str(value)
    )
    return text[:limit]


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
    raise LeasePayloadError("bound", "not_a_boolean")


def parse_lease(values):
    """Validate a lease report and return it normalised.

    The result always holds ``mac``, ``ip``, ``bound``, ``server``, ``hostname``,
    ``sector`` and ``router``; optional texts are empty strings when absent.

    :raises LeasePayloadError: naming the first field that is not acceptable.
    """
    if values.get("mac") is not None and not isinstance(values["mac"], str):
        raise LeasePayloadError("mac", "not_a_text")  # 112233445566 is a number, not 11:22:33:44:55:66
    raw_mac = _strict_text(values, "mac")
    if not raw_mac:
        raise LeasePayloadError("mac", "missing")
    try:
        mac = normalize_mac(raw_mac)
    except ValueError as exc:
        raise LeasePayloadError("mac", "not_a_mac") from exc
    return {
        "mac": mac,
        "ip": parse_ip(values.get("ip")),
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
        raise LeasePayloadError(field, "not_a_text")
    return str(value)


def _strict_text(values, field):
    """A field that names something (a MAC, a router, a sector, a DHCP server): a NUL or a lone
    surrogate in it is a broken or hostile report, refused rather than guessed at."""
    text = _text(values, field)
    if "\x00" in text:
        raise LeasePayloadError(field, "contains_nul")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise LeasePayloadError(field, "not_valid_text") from exc
    return text


def _parse_name(values, field):
    return sanitize_hostname(_strict_text(values, field), max_length=MAX_NAME_LENGTH)


def parse_ip(value):
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise LeasePayloadError("ip", "ip_not_a_text")
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError as exc:
        raise LeasePayloadError("ip", "not_an_ip") from exc
