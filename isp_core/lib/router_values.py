"""The shape of every value Odoo sends a router, for its purpose.

A customer's address becomes a suspension entry and a simple queue's target: a network, a range, a
list or 0.0.0.0 there would cut off or throttle every customer. So Odoo checks each value before it
queues a job, and the writers (routeros_operations.ApiWriter, agent_protocol.AgentWriter) check it
again right before it goes to the router; the agent checks it a third time on the router.
"""

import ipaddress
from dataclasses import dataclass

from . import contract
from .notice_token import TOKEN as NOTICE_TOKEN

# Where a customer may be on a router whose LAN networks Odoo does not know: the private ranges of
# RFC 1918, in which every LAN behind a MikroTik lives.
PRIVATE_NETWORKS = tuple(ipaddress.ip_network(network) for network in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))

# Why a value may not go, keyed by a code that Odoo words in the reader's language.
REASONS = {
    "not_a_host": "is not one IPv4 host address",
    "outside_lan": "is not inside the router's LAN networks",
    "not_private": "is not a private address (the router's LAN networks are not set)",
    "not_suspended_list": "is not the router's suspended address list",
    "not_isp_core_profile": f"is not a hotspot user profile of isp_core (named {contract.PLAN_PROFILE_PREFIX}...)",
    "not_isp_core_item": "exists on the router and was not made by isp_core: left alone",
    "not_notice_url": "is not a notice page of this Odoo (its own URL, the notice path and one token)",
    "not_customer_access": f"does not mark a customer's access ({contract.CUSTOMER_ACCESS_COMMENT_PREFIX}...)",
}


class RouterValueRefused(ValueError):
    """A value that may not reach a router: ``field`` names it, ``reason`` is a key of REASONS."""

    def __init__(self, field, value, reason):
        super().__init__(f"{field} {value!r} {REASONS[reason]}")
        self.field = field
        self.value = value
        self.reason = reason


class NotANetwork(ValueError):
    """An item of a LAN networks list that is not an IPv4 network in CIDR form."""

    def __init__(self, item):
        super().__init__(f"{item!r} is not an IPv4 network in CIDR form, such as 10.10.0.0/24")
        self.item = item


def parse_lan_networks(text):
    """The networks of a comma-separated list of IPv4 networks in CIDR form ("10.10.0.0/24").

    :raises NotANetwork: naming the first item that is not such a network (a host address, a
        network with host bits, 0.0.0.0/0 or IPv6 included).
    """
    networks = []
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        try:
            network = ipaddress.IPv4Network(item, strict=True)
        except ValueError as exc:
            raise NotANetwork(item) from exc
        if "/" not in item or network.prefixlen == 0:
            raise NotANetwork(item)
        networks.append(network)
    return tuple(networks)


def is_host_of(address, network):
    """Whether ``address`` is a host of ``network``: inside it, and neither its network nor its
    broadcast address (a /31 or /32 has no such addresses to spare)."""
    if address not in network:
        return False
    if network.prefixlen >= 31:
        return True
    return address not in (network.network_address, network.broadcast_address)


@dataclass(frozen=True)
class RouterScope:
    """What a router was installed to let Odoo touch: its LAN networks (empty: not known), its
    one suspended address list, and where a suspended customer may be redirected: the notice pages
    under Odoo's own URL (``<web.base.url>/isp/notice/``; empty: nowhere)."""

    lan_networks: tuple
    suspended_list: str
    notice_url_prefix: str = ""

    def customer_address(self, value, field="address"):
        """``value`` when it is one host IPv4 address of the router's LAN.

        :raises RouterValueRefused: naming ``field``.
        """
        text = str(value or "").strip()
        try:
            address = ipaddress.IPv4Address(text)
        except ValueError as exc:
            raise RouterValueRefused(field, text, "not_a_host") from exc
        if address.is_unspecified or address.is_multicast or address.is_loopback or text != str(address):
            raise RouterValueRefused(field, text, "not_a_host")
        if self.lan_networks:
            if not any(is_host_of(address, network) for network in self.lan_networks):
                raise RouterValueRefused(field, text, "outside_lan")
        elif not any(is_host_of(address, network) for network in PRIVATE_NETWORKS):
            raise RouterValueRefused(field, text, "not_private")
        return text

    def address_list(self, name):
        if name != self.suspended_list:
            raise RouterValueRefused("list", name, "not_suspended_list")
        return name

    def notice_url(self, value):
        """``value`` when it is one notice page of this Odoo: its URL, the notice path, and a
        token of the notice token's shape, nothing before or after.

        :raises RouterValueRefused: naming the redirect's ``action-data``.
        """
        text = str(value or "")
        prefix = self.notice_url_prefix
        if not prefix or not text.startswith(prefix) or not NOTICE_TOKEN.fullmatch(text[len(prefix):]):
            raise RouterValueRefused("action-data", text, "not_notice_url")
        return text

    @staticmethod
    def customer_access_comment(comment):
        """``comment`` when it marks a customer's access: a proxy rule Odoo touches is a customer's
        redirect, never the preloader's own rules of that menu (the last one denies everything).

        :raises RouterValueRefused: naming the ``comment``.
        """
        if not (comment or "").startswith(contract.CUSTOMER_ACCESS_COMMENT_PREFIX):
            raise RouterValueRefused("comment", comment or "", "not_customer_access")
        return comment

    @staticmethod
    def hotspot_profile(name):
        if not (name or "").startswith(contract.PLAN_PROFILE_PREFIX):
            raise RouterValueRefused("profile", name or "", "not_isp_core_profile")
        return name


def is_isp_core_item(comment):
    """Whether a router item's comment marks it as made by isp_core."""
    return (comment or "").startswith(contract.COMMENT_PREFIX)
