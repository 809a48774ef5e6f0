"""The check-in protocol between Odoo and the agent script on a router that Odoo cannot reach.

The router POSTs a JSON check-in (its identity, the results of the operations it applied, and on
a sync its bound leases and the items Odoo manages); Odoo answers with a batch of operations as
plain lines, which RouterOS script reads with ``:find`` and ``:pick`` on every version the
preloader supports (``:deserialize`` needs 7.13)::

    isp_core-agent 1
    more|no
    sync|yes
    list|isp_suspended
    op|17|user-upsert|AA:BB:CC:DD:EE:01|secret|AA:BB:CC:DD:EE:01|isp_core-basic|no|isp_core:...
    end

Operations are data, never script: each kind is a row of OPERATIONS, which the agent applies
with its own fixed code, and every value is checked against SAFE_VALUE here and again on the
router, so that nothing Odoo sends can become a command there.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from . import contract
from .lease_payload import LeasePayloadError, parse_ip, loggable
from .mac_address import normalize_mac
from .routeros_operations import ABSENT, APPLIED, CREATED, PLAN_PROFILE_PREFIX, REMOVED, Lease

# Letters, digits, spaces and a little punctuation, none of which RouterOS script expands ($, [ ])
# or the answer uses as a separator.
SAFE_VALUE = re.compile(f"[A-Za-z0-9 {contract.AGENT_VALUE_PUNCTUATION}]{{0,{contract.AGENT_VALUE_MAX_LENGTH}}}")
SEPARATOR = contract.AGENT_FIELD_SEPARATOR
HEADER = f"{contract.AGENT_SCRIPT_NAME} {contract.AGENT_PROTOCOL_VERSION}"
# One check-in applies at most this many operations, in an answer of at most this many bytes (what
# `/tool fetch output=user` hands a script is bounded); the rest wait for the next check-in, which
# the answer then asks for at once.
MAX_OPERATIONS = contract.AGENT_MAX_OPERATIONS
MAX_ANSWER_BYTES = 8 * 1024
# An operation the router has not reported after this many sendings fails its job, which is then
# retried as usual: the router may have been reset, or lost its agent.
MAX_SENDINGS = 10
# RouterOS sends at most 64 KiB of http-data.
MAX_CHECKIN_BYTES = 64 * 1024
MAX_RESULTS = MAX_OPERATIONS * 4
# What the agent reports for an operation it applied.
OUTCOMES = (CREATED, APPLIED, REMOVED, ABSENT)


@dataclass(frozen=True)
class OperationKind:
    label: str
    # The values the agent reads, in the order they travel.
    fields: tuple
    # What the job outcome calls the item (see isp.provisioning.job's outcome codes).
    thing: str


OPERATIONS = {
    "user-upsert": OperationKind(
        "Add or change a hotspot user", ("name", "password", "mac-address", "profile", "disabled", "comment"), "user"
    ),
    "user-remove": OperationKind("Remove a hotspot user", ("name",), "user"),
    "profile-rate": OperationKind("Set a plan's rate limit", ("name", "rate-limit"), "profile"),
    "list-upsert": OperationKind("List a suspended address", ("list", "comment", "address"), "suspension"),
    "list-remove": OperationKind("Unlist a suspended address", ("list", "comment"), "suspension"),
    "queue-upsert": OperationKind("Add or change a simple queue", ("name", "target", "max-limit", "comment"), "queue"),
    "queue-remove": OperationKind("Remove a simple queue", ("name",), "queue"),
    "redirect-upsert": OperationKind(
        "Redirect a suspended address to its notice page", ("comment", "src-address", "action-data"), "redirect"
    ),
    "redirect-remove": OperationKind("Remove a notice page redirect", ("comment",), "redirect"),
}


class UnsafeValue(ValueError):
    """A value that may not travel to a router: it names the operation's field."""

    def __init__(self, kind, field):
        super().__init__(
            f"{field} ({kind}): an agent router is sent only letters, digits, spaces and "
            f"{contract.AGENT_VALUE_PUNCTUATION}, at most {contract.AGENT_VALUE_MAX_LENGTH} characters"
        )
        self.field = field


def operation_values(kind, values):
    """The values of one operation, checked and in travel order.

    :raises UnsafeValue: naming the first value outside SAFE_VALUE.
    :raises ValueError: for a plan profile without Odoo's prefix, which Odoo never changes.
    """
    ordered = []
    for field in OPERATIONS[kind].fields:
        value = str(values.get(field, ""))
        if not SAFE_VALUE.fullmatch(value):
            raise UnsafeValue(kind, field)
        ordered.append(value)
    if kind == "profile-rate" and not ordered[0].startswith(PLAN_PROFILE_PREFIX):
        raise ValueError(f"hotspot user profile {ordered[0]!r} is not Odoo's (no {PLAN_PROFILE_PREFIX} prefix): left alone")
    return ordered


def encode_answer(operations, more, sync, suspended_list):
    """The answer to a check-in.

    :param operations: ``(id, kind, ordered values)`` tuples.
    :param more: whether more operations wait, so that the agent checks in again at once.
    :param sync: whether the next check-in should carry the leases and the managed items.
    :param suspended_list: the address list whose entries a sync reports. Today's agent has the
        list written into it by the preloader and ignores this line; agents installed before that
        (isp_core 19.0.1.2.0) still read it, until the preloader's next run replaces them.
    """
    lines = [
        HEADER,
        SEPARATOR.join(["more", _yes_no(more)]),
        SEPARATOR.join(["sync", _yes_no(sync)]),
        SEPARATOR.join(["list", suspended_list]),
    ]
    lines += [SEPARATOR.join(["op", str(op_id), kind, *values]) for op_id, kind, values in operations]
    lines.append("end")
    return "\n".join(lines) + "\n"


def operation_line_bytes(op_id, kind, values):
    """The size of an operation's line in the answer."""
    return len(SEPARATOR.join(["op", str(op_id), kind, *values]).encode()) + 1


def _yes_no(flag):
    return "yes" if flag else "no"


@dataclass(frozen=True)
class Result:
    """What the router did with one operation: an outcome of OUTCOMES, or its error text."""

    operation_id: int
    outcome: str | None
    error: str | None


@dataclass(frozen=True)
class CheckIn:
    identity: str
    # The agent's protocol ("isp_core-agent 1") and the router's RouterOS version.
    agent: str
    version: str
    uptime: str
    results: list
    # None when the check-in is not a sync.
    leases: list | None = None
    list_entries: list | None = None
    queues: list | None = None
    # False when the agent left leases out to keep within RouterOS's http-data limit: the
    # devices it did not list are then not taken for gone.
    leases_complete: bool = True
    # The router's clock in UTC when it checked in (naive, as Odoo keeps datetimes); None from an
    # agent that does not send it. Certificates are checked against it, so Odoo shows its skew.
    clock: datetime | None = None


def parse_checkin(data):
    """Validate a decoded check-in body.

    :raises LeasePayloadError: naming the first field that is not acceptable.
    """
    checkin = CheckIn(
        identity=_short_text(data, "identity"),
        agent=_short_text(data, "agent"),
        version=_short_text(data, "version"),
        uptime=_short_text(data, "uptime"),
        results=[_result(item, f"results[{index}]") for index, item in enumerate(_list(data, "results", MAX_RESULTS))],
        clock=_router_clock(data),
    )
    if data.get("leases") is None:
        return checkin
    complete = data.get("leases_complete", True)
    if not isinstance(complete, bool):
        raise LeasePayloadError("leases_complete", "not_a_boolean")
    return replace(
        checkin,
        leases_complete=complete,
        leases=[_lease(item, f"leases[{index}]") for index, item in enumerate(_list(data, "leases"))],
        list_entries=[
            {"comment": _item_text(item, f"suspended[{index}]", 0), "address": _item_text(item, f"suspended[{index}]", 1)}
            for index, item in enumerate(_list(data, "suspended"))
        ],
        queues=[
            {
                "name": _item_text(item, f"queues[{index}]", 0),
                "target": _item_text(item, f"queues[{index}]", 1),
                "max-limit": _item_text(item, f"queues[{index}]", 2),
            }
            for index, item in enumerate(_list(data, "queues"))
        ],
    )


def _list(data, field, limit=None):
    value = data.get(field) or []
    if not isinstance(value, list):
        raise LeasePayloadError(field, "not_a_list")
    if limit is not None and len(value) > limit:
        raise LeasePayloadError(field, "too_many")
    return value


# `/system clock`'s date and time, as RouterOS 7.10 and later print them, and its gmt-offset.
_ROUTER_CLOCK = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2})(?: ([+-])(\d{1,2}):(\d{2}))?")


def _router_clock(data):
    text = data.get("clock")
    if text is None or text == "":
        return None
    match = _ROUTER_CLOCK.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise LeasePayloadError("clock", "not_a_router_clock")
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    try:
        local = datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise LeasePayloadError("clock", "not_a_router_clock") from exc
    sign, offset_hours, offset_minutes = match.group(7, 8, 9)
    offset = timedelta(hours=int(offset_hours or 0), minutes=int(offset_minutes or 0))
    return local + offset if sign == "-" else local - offset


def _short_text(data, field):
    value = data.get(field, "")
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise LeasePayloadError(field, "not_a_text")
    return loggable(value)


def _result(item, field):
    if not isinstance(item, dict) or not isinstance(item.get("id"), int) or isinstance(item.get("id"), bool):
        raise LeasePayloadError(field, "not_a_result")
    error = item.get("error")
    if error not in (None, ""):
        return Result(item["id"], None, loggable(error, limit=500))
    outcome = item.get("outcome")
    if outcome not in OUTCOMES:
        raise LeasePayloadError(f"{field}.outcome", "not_a_result")
    return Result(item["id"], outcome, None)


def _item_text(item, field, position):
    if not isinstance(item, list) or len(item) <= position:
        raise LeasePayloadError(field, "not_a_row")
    value = item[position]
    if not isinstance(value, str):
        raise LeasePayloadError(f"{field}[{position}]", "not_a_text")
    return loggable(value, limit=256)


def _lease(item, field):
    """``[mac, ip, server, hostname]`` of a bound lease."""
    try:
        mac = normalize_mac(_item_text(item, field, 0))
    except ValueError as exc:
        raise LeasePayloadError(f"{field}[0]", "not_a_mac") from exc
    try:
        ip = parse_ip(_item_text(item, field, 1))
    except LeasePayloadError as exc:
        raise LeasePayloadError(f"{field}[1]", exc.problem) from exc
    server = _item_text(item, field, 2)
    hostname = item[3] if len(item) > 3 and isinstance(item[3], str) else ""
    return Lease(mac=mac, ip=ip, bound=True, server=server, hostname=hostname)


class AgentWriter:
    """The writes of a provisioning job, collected as operations for an agent router (the same
    methods as routeros_operations.ApiWriter, with the same checks against the router's scope,
    router_values.RouterScope). What each did is known only when the router reports it, so each
    answers None."""

    def __init__(self, scope):
        self.operations = []
        self.scope = scope

    def _add(self, kind, **values):
        self.operations.append((kind, operation_values(kind, values)))

    def upsert_hotspot_user(self, user):
        self.scope.hotspot_profile(user.profile)
        self._add("user-upsert", name=user.name, **user.properties())

    def remove_hotspot_user(self, name):
        self._add("user-remove", name=name)

    def upsert_user_profile_rate_limit(self, profile, rate_limit):
        self._add("profile-rate", name=profile, **{"rate-limit": rate_limit})

    def upsert_simple_queue(self, name, target, max_limit, comment):
        target = self.scope.customer_address(target, "target")
        self._add("queue-upsert", name=name, target=target, comment=comment, **{"max-limit": max_limit})

    def remove_simple_queue(self, name):
        self._add("queue-remove", name=name)

    def upsert_address_list_entry(self, list_name, address, comment):
        list_name, address = self.scope.address_list(list_name), self.scope.customer_address(address)
        self._add("list-upsert", list=list_name, address=address, comment=comment)

    def remove_address_list_entry(self, list_name, comment):
        self._add("list-remove", list=self.scope.address_list(list_name), comment=comment)

    def upsert_proxy_redirect(self, address, url, comment):
        address, url = self.scope.customer_address(address, "src-address"), self.scope.notice_url(url)
        comment = self.scope.customer_access_comment(comment)
        self._add("redirect-upsert", comment=comment, **{"src-address": address, "action-data": url})

    def remove_proxy_redirect(self, comment):
        self._add("redirect-remove", comment=self.scope.customer_access_comment(comment))


def generate_key():
    """A new router key (43 URL-safe characters: it travels in an http-header-field list)."""
    return secrets.token_urlsafe(32)


def key_digest(key):
    """What Odoo stores of a router key. The key is random and long, so a plain SHA-256 is as
    hard to reverse as the key is to guess; no salt or stretching is needed."""
    return hashlib.sha256(key.encode()).hexdigest()
