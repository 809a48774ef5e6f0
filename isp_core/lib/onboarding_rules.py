"""The onboarding rules that need no database: what a lease report changes on a known device,
what a new device starts with, and the order in which a batch of reports applies. The model
(``isp.mac.profile``) reads and writes the records around them."""

from collections import defaultdict
from datetime import UTC, datetime


def renewal_changes(device, lease, router_id, sector_id):
    """What a renewal, a retry or a release of a known device changes, besides ``last_seen``.

    :param device: the device as recorded: ``online``, ``lease_count``, ``last_ip``,
        ``hostname``, ``dhcp_server``, ``router_id`` and ``sector_id`` (ids, or False).
    :param lease: a normalised lease report (``lib.lease_payload.parse_lease``).
    :param router_id: the router the report came from, or False when it names none Odoo knows.
    :param sector_id: the sector of the report (or of its router), or False.
    :return: only the values that differ: an unchanged one would still tell the live feed
        something changed.
    """
    changes = {}
    if lease["bound"] != device["online"]:
        changes["online"] = lease["bound"]
    if lease["bound"]:
        changes["lease_count"] = device["lease_count"] + 1
        if lease["ip"] and lease["ip"] != device["last_ip"]:
            changes["last_ip"] = lease["ip"]
        if lease["hostname"] and not device["hostname"]:
            changes["hostname"] = lease["hostname"]  # staff may have renamed it: keep theirs
        if lease["server"] and lease["server"] != device["dhcp_server"]:
            changes["dhcp_server"] = lease["server"]
    if router_id and router_id != device["router_id"]:
        changes["router_id"] = router_id
    if sector_id and sector_id != device["sector_id"]:
        changes["sector_id"] = sector_id
    return changes


def new_device_values(lease, router_id, sector_id, now):
    """A device seen for the first time, from its lease report."""
    return {
        "mac": lease["mac"],
        "last_ip": lease["ip"] or False,
        "hostname": lease["hostname"] or False,
        "dhcp_server": lease["server"] or False,
        "router_id": router_id or False,
        "sector_id": sector_id or False,
        "online": True,
        "first_seen": now,
        "last_seen": now,
        "lease_count": 1,
    }


def rounds_by_mac(leases):
    """Split ``{position: lease}`` into rounds holding each MAC at most once, in order: the
    n-th report of a MAC goes to the n-th round, so a renewal follows the lease it renews."""
    rounds = []
    seen = defaultdict(int)
    for position, lease in leases.items():
        occurrence = seen[lease["mac"]]
        seen[lease["mac"]] += 1
        if occurrence == len(rounds):
            rounds.append({})
        rounds[occurrence][position] = lease
    return rounds


def format_iso_utc(value):
    """An ORM time (naive UTC) as ISO 8601 with its zone, for the staff UI; False stays False."""
    return value.replace(tzinfo=UTC).isoformat() if value else False


def parse_iso_utc(value):
    """Naive UTC datetime of an ISO 8601 text, as the ORM stores times.

    :raises ValueError: when ``value`` is not an ISO 8601 time.
    """
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
