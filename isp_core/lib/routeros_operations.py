"""Idempotent writes to a router, and the bulk lease read.

Each upsert first reads the item it owns (found by a key such as its name or its comment), then
adds it, changes only the properties that differ, or leaves it alone; running one twice is
harmless. Every function takes an open ``RouterOsSession`` and returns what it did.
"""

import re
from dataclasses import dataclass

from . import contract
from .router_values import RouterValueRefused, is_isp_core_item

HOTSPOT_USER_MENU = "/ip/hotspot/user"
HOTSPOT_USER_PROFILE_MENU = "/ip/hotspot/user/profile"
SIMPLE_QUEUE_MENU = "/queue/simple"
ADDRESS_LIST_MENU = "/ip/firewall/address-list"
PROXY_ACCESS_MENU = "/ip/proxy/access"
DHCP_LEASE_MENU = "/ip/dhcp-server/lease"

# Hotspot user profiles that Odoo creates and may change, one per plan. RouterOS gives a user
# profile no comment to mark it as Odoo's, so its name does: a profile without the prefix (the
# factory "default", or one an operator made) is never changed.
PLAN_PROFILE_PREFIX = contract.PLAN_PROFILE_PREFIX

# The outcomes an operation reports.
CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
REMOVED = "removed"
ABSENT = "absent"
# An agent router wrote the item without reading it first, so it cannot tell whether it changed.
APPLIED = "applied"

LEASE_PROPERTIES = (
    "mac-address",
    "active-mac-address",
    "address",
    "active-address",
    "host-name",
    "server",
    "status",
)

_BITRATE = re.compile(r"^(\d+(?:\.\d+)?)([kKMG]?)$")
_BITRATE_FACTORS = {"": 1, "k": 1_000, "K": 1_000, "M": 1_000_000, "G": 1_000_000_000}
_TRUE_WORDS = {"yes", "true"}
_FALSE_WORDS = {"no", "false"}


@dataclass(frozen=True)
class HotspotUser:
    """A hotspot user as Odoo wants it on the router."""

    name: str
    password: str
    mac_address: str
    profile: str
    comment: str
    disabled: bool = False

    def properties(self):
        return {
            "password": self.password,
            "mac-address": self.mac_address,
            "profile": self.profile,
            "comment": self.comment,
            "disabled": _yes_no(self.disabled),
        }


@dataclass(frozen=True)
class Lease:
    """One DHCP lease as the router reports it."""

    mac: str
    ip: str
    bound: bool
    server: str
    hostname: str


def _yes_no(flag):
    return "yes" if flag else "no"


def _bits_per_second(rate):
    match = _BITRATE.match(rate.strip())
    if not match:
        return rate
    return str(round(float(match.group(1)) * _BITRATE_FACTORS[match.group(2)]))


def _comparable(name, value):
    """The form in which the router and Odoo agree on a value: RouterOS prints `5M/20M` as
    `5000000/20000000`, a queue target with its `/32`, booleans as `true`, MACs in capitals."""
    value = str(value).strip()
    if value.lower() in _TRUE_WORDS:
        return "yes"
    if value.lower() in _FALSE_WORDS:
        return "no"
    if name in ("rate-limit", "max-limit"):
        return "/".join(_bits_per_second(part) for part in value.split("/"))
    if name == "target":
        return ",".join(part if "/" in part else f"{part}/32" for part in value.split(","))
    if name == "mac-address":
        return value.upper()
    return value


def changed_properties(current, desired):
    """The entries of ``desired`` that ``current`` (an item as printed) does not already hold."""
    return {
        name: value
        for name, value in desired.items()
        if _comparable(name, current.get(name, "")) != _comparable(name, value)
    }


def upsert(session, menu, key, desired, add_first=False):
    """Makes exactly one item matching ``key`` hold ``desired``; removes duplicates of it. With
    ``add_first``, a new item goes above the menu's first one (an ordered list read from the top).

    :raises RouterValueRefused: when ``desired`` has a comment and an item found under ``key``
        does not carry isp_core's (an operator's own item of the same name is left alone).
    """
    found = session.print(menu, where=key, proplist=[".id", *desired])
    if "comment" in desired:
        _check_ours(found, key)
    if not found:
        top = session.print(menu, proplist=[".id"])[:1] if add_first else []
        placement = {"place-before": top[0][".id"]} if top else {}
        session.add(menu, {**key, **desired, **placement})
        return CREATED
    first, duplicates = found[0], found[1:]
    if duplicates:
        session.remove(menu, [item[".id"] for item in duplicates])
    changes = changed_properties(first, desired)
    if changes:
        session.set(menu, first[".id"], changes)
        return UPDATED
    return UPDATED if duplicates else UNCHANGED


def remove_matching(session, menu, key):
    """Removes every item matching ``key``, all of which must carry isp_core's comment: an
    operator's own item of the same name is left alone (RouterValueRefused)."""
    found = session.print(menu, where=key, proplist=[".id", "comment"])
    _check_ours(found, key)
    if not found:
        return ABSENT
    session.remove(menu, [item[".id"] for item in found])
    return REMOVED


def _check_ours(found, key):
    for item in found:
        if not is_isp_core_item(item.get("comment")):
            field, value = next(iter(key.items()))
            raise RouterValueRefused(field, value, "not_isp_core_item")


def upsert_hotspot_user(session, user):
    return upsert(session, HOTSPOT_USER_MENU, {"name": user.name}, user.properties())


def remove_hotspot_user(session, name):
    return remove_matching(session, HOTSPOT_USER_MENU, {"name": name})


def plan_profile_name(name):
    """The router-side name of a plan's hotspot user profile: ``name`` with Odoo's prefix."""
    name = (name or "").strip()
    if not name or name.startswith(PLAN_PROFILE_PREFIX):
        return name
    return f"{PLAN_PROFILE_PREFIX}{name}"


def upsert_user_profile_rate_limit(session, profile, rate_limit):
    """Sets the rate limit of one of Odoo's own plan profiles (see PLAN_PROFILE_PREFIX).

    :raises ValueError: for a profile Odoo did not create.
    """
    if not profile.startswith(PLAN_PROFILE_PREFIX):
        raise RouterValueRefused("profile", profile, "not_isp_core_profile")
    return upsert(session, HOTSPOT_USER_PROFILE_MENU, {"name": profile}, {"rate-limit": rate_limit})


def upsert_simple_queue(session, name, target, max_limit, comment):
    desired = {"target": target, "max-limit": max_limit, "comment": comment}
    return upsert(session, SIMPLE_QUEUE_MENU, {"name": name}, desired)


def remove_simple_queue(session, name):
    return remove_matching(session, SIMPLE_QUEUE_MENU, {"name": name})


def upsert_address_list_entry(session, list_name, address, comment):
    """Keyed by list and comment, so a customer whose IP changed keeps one entry, moved."""
    key = {"list": list_name, "comment": comment}
    return upsert(session, ADDRESS_LIST_MENU, key, {"address": address})


def remove_address_list_entry(session, list_name, comment):
    return remove_matching(session, ADDRESS_LIST_MENU, {"list": list_name, "comment": comment})


def upsert_proxy_redirect(session, address, url, comment):
    """The web proxy's rule that redirects ``address``'s requests to ``url``, keyed by comment.
    RouterOS reads the access list from the top and the preloader's last rule denies everything,
    so a new rule goes above the first one (the rules of single addresses never overlap)."""
    desired = {"src-address": address, "action": "redirect", "action-data": url}
    return upsert(session, PROXY_ACCESS_MENU, {"comment": comment}, desired, add_first=True)


def remove_proxy_redirect(session, comment):
    return remove_matching(session, PROXY_ACCESS_MENU, {"comment": comment})


class ApiWriter:
    """The writes a provisioning job makes, over an open API session; each answers what it did.
    A router in agent mode gets the same writes as operations instead (agent_protocol.AgentWriter).
    Each value is checked against the router's scope (router_values.RouterScope) first."""

    def __init__(self, session, scope):
        self.session = session
        self.scope = scope

    def upsert_hotspot_user(self, user):
        self.scope.hotspot_profile(user.profile)
        return upsert_hotspot_user(self.session, user)

    def remove_hotspot_user(self, name):
        return remove_hotspot_user(self.session, name)

    def upsert_user_profile_rate_limit(self, profile, rate_limit):
        return upsert_user_profile_rate_limit(self.session, profile, rate_limit)

    def upsert_simple_queue(self, name, target, max_limit, comment):
        return upsert_simple_queue(self.session, name, self.scope.customer_address(target, "target"), max_limit, comment)

    def remove_simple_queue(self, name):
        return remove_simple_queue(self.session, name)

    def upsert_address_list_entry(self, list_name, address, comment):
        self.scope.address_list(list_name)
        return upsert_address_list_entry(self.session, list_name, self.scope.customer_address(address), comment)

    def remove_address_list_entry(self, list_name, comment):
        return remove_address_list_entry(self.session, self.scope.address_list(list_name), comment)

    def upsert_proxy_redirect(self, address, url, comment):
        address, url = self.scope.customer_address(address, "src-address"), self.scope.notice_url(url)
        return upsert_proxy_redirect(self.session, address, url, self.scope.customer_access_comment(comment))

    def remove_proxy_redirect(self, comment):
        return remove_proxy_redirect(self.session, self.scope.customer_access_comment(comment))


def read_address_list(session, list_name):
    """Every entry of one firewall address list, with its comment and address."""
    return session.print(ADDRESS_LIST_MENU, where={"list": list_name}, proplist=["comment", "address"])


def read_proxy_redirects(session):
    """Every rule of the web proxy's access list, with what a redirect of Odoo's is compared on."""
    return session.print(PROXY_ACCESS_MENU, proplist=["comment", "src-address", "action-data"])


def read_simple_queues(session):
    """Every simple queue, with what a queue of Odoo's is compared on."""
    return session.print(SIMPLE_QUEUE_MENU, proplist=["name", "target", "max-limit"])


def read_leases(session):
    """Every DHCP lease of the router, in one round trip whatever their number."""
    return [_lease(item) for item in session.print(DHCP_LEASE_MENU, proplist=list(LEASE_PROPERTIES))]


def _lease(item):
    return Lease(
        mac=item.get("active-mac-address") or item.get("mac-address", ""),
        ip=item.get("active-address") or item.get("address", ""),
        bound=item.get("status") == "bound",
        server=item.get("server", ""),
        hostname=item.get("host-name", ""),
    )
