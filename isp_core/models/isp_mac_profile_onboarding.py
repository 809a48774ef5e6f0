"""The onboarding pipeline of isp.mac.profile: lease reports of the routers' lease-script (one at a
time) and of the lease sync (a router's leases), through one rule set (lib/onboarding_rules.py)."""

from collections import defaultdict

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, ValidationError
from odoo.tools import SQL

from ..lib.expected_races import expected_races
from ..lib.lease_payload import LeasePayloadError, parse_lease
from ..lib.onboarding_rules import new_device_values, renewal_changes, rounds_by_mac
from ..lib.router_values import RouterValueRefused
from .isp_mac_profile_staff_ui import CONTEXT_DEFER_BUS, FEED_FIELDS

# What every renewal writes, even one that changes nothing else.
RENEWAL_BOOKKEEPING = frozenset({"last_seen", "lease_count"})
# What a lease report compares and answers, read with the search that finds the known devices.
LEASE_FIELDS = [
    "mac", "state", "online", "lease_count", "last_ip", "hostname", "dhcp_server", "router_id", "sector_id",
    "pending_reason",
]


class IspMacProfileOnboarding(models.AbstractModel):
    """How isp.mac.profile records lease reports and applies the onboarding parameters."""

    _name = "isp.mac.profile.onboarding"
    _description = "MAC Profile Onboarding"

    @api.model
    def _onboard_lease(self, values, source_ip=None, router=None):
        """Record one DHCP lease report (the router's lease-script) and apply the onboarding
        parameters, through the same rules as a batch of them.

        :param values: ``mac`` (required), ``ip``, ``bound``, ``server``, ``hostname``,
            ``sector`` (code) and ``router`` (identity), as sent by the lease-script.
        :param router: the router whose key signed the report, if one did: the report then
            speaks for that router and its sector, whatever it names, and may not touch a device
            another router serves.
        :raises ValidationError: naming the field, for input that cannot be accepted.
        :raises ConcurrencyError: when a parallel call created the same MAC meanwhile; the HTTP
            layer retries the whole transaction, which then takes the renewal path.
        :return: ``{"result": "created"|"updated"|"offline"|"ignored", "profile_id", "state"}``,
            with ``conflict`` and ``error`` for a report that may not touch its device
            (see :meth:`_ownership_conflict`).
        """
        if router:
            values = {**values, "router": router.name, "sector": router.sector_id.code or ""}
        if conflict := self._ownership_conflict(values, router, source_ip):
            return conflict
        [answer] = self._onboard_leases([values], source_ip=source_ip)
        if answer["result"] == "invalid":
            raise ValidationError(answer["error"])
        return answer

    @api.model
    def _served_by_others(self, macs, router):
        """The profiles among ``macs`` that a router other than ``router`` serves."""
        return self.sudo().search([("mac", "in", list(macs)), ("router_id", "not in", [False, router.id])])

    @api.model
    def _ownership_conflict(self, values, router, source_ip):
        """A report that may not touch its device changes nothing: one signed by ``router`` about
        a device another router serves, or one sent with the shared token (``router`` empty)
        about a device of a router that signs, or naming such a router. A key or the token must
        not move another router's customer, or the IP that the customer's suspension follows.
        Such a report is logged with its details for staff, and answered with no more than that
        the device belongs to another router. Returns that answer, else None."""
        try:
            lease = parse_lease(values)
        except LeasePayloadError:
            return None  # the rules refuse it, naming the field
        mac = lease["mac"]
        routers = self.env["isp.router"].sudo()
        router = router or routers.browse()
        if router:
            owner = self._served_by_others([mac], router).router_id
        else:
            # One statement: every report of a router set up by hand asks it.
            self.flush_model(["mac", "router_id"])
            routers.flush_model(["name", "key_digest"])
            self.env.cr.execute(SQL(
                """
                SELECT id FROM isp_router
                 WHERE key_digest IS NOT NULL
                   AND (name = %(router)s OR id = (SELECT router_id FROM isp_mac_profile WHERE mac = %(mac)s))
                 LIMIT 1
                """,
                router=lease["router"],
                mac=mac,
            ))
            owner = routers.browse(row[0] for row in self.env.cr.fetchall())
        if not owner:
            return None
        if router:
            details = self.env._(
                "%(mac)s is served by router %(owner)s: a report from %(router)s does not change it. To move the "
                "device, release it from its router in Odoo.",
                mac=mac, owner=owner.name, router=router.name,
            )
        else:
            details = self.env._(
                "%(mac)s: router %(owner)s signs its reports with its own key, so a report with the shared token "
                "cannot change its devices or claim new ones for it.",
                mac=mac, owner=owner.name,
            )
        self.env["isp.onboarding.event"].sudo().create({
            "outcome": "ignored",
            "error": details,
            "mac": mac,
            "router_id": router.id,
            "router_identity": router.name or lease["router"] or False,
            "profile_id": self.sudo().search([("mac", "=", mac)]).id,
            "source_ip": source_ip,
        })
        return {"result": "ignored", "conflict": True, "error": self.env._("This device belongs to another router.")}

    @api.model
    def _onboard_leases(self, values_list, source_ip=None, count_renewals=True):
        """Record DHCP lease reports in bulk and apply the onboarding parameters: the one rule
        set behind the webhook (one report) and the lease reconciliation (a router's leases).

        Profiles, routers and sectors are read once for the whole batch, and new profiles with
        their subscriptions, customers and captive users are created together. Reports of the
        same MAC apply in their order, as if they had come one by one.

        :param values_list: lease reports, each as for :meth:`_onboard_lease`.
        :param count_renewals: whether a report that changes nothing staff can see is a renewal
            to count (a router's lease-script) or a mere restatement, left alone and answered
            ``"unchanged"`` (the lease sync, which reads every lease every few minutes).
        :return: one answer per report, in order, as :meth:`_onboard_lease` returns; a report
            that cannot be accepted is logged and answered with ``{"result": "invalid",
            "error", "profile_id": False, "state": False}`` and the others are still recorded.
        :raises ConcurrencyError: when a parallel transaction created one of the MACs.
        """
        answers = [None] * len(values_list)
        leases = {}

        def refuse(position, exc):
            self.env["isp.onboarding.event"]._log_invalid_report(exc, source_ip, values_list[position])
            error = self.env._("Invalid lease report, %(error)s", error=str(exc))
            answers[position] = {"result": "invalid", "error": error, "profile_id": False, "state": False}

        for position, values in enumerate(values_list):
            try:
                leases[position] = parse_lease(values)
            except LeasePayloadError as exc:
                refuse(position, exc)

        if count_renewals and len(values_list) == 1 and leases:
            [lease] = leases.values()
            if answer := self._count_restatement(lease):
                return [answer]
        routers = self._find_by_name("isp.router", "name", {lease["router"] for lease in leases.values()})
        # A customer's address becomes a suspension entry and a queue target on its router: one
        # host of the router's LAN, or the report is refused (router_values.RouterScope).
        no_router = self.env["isp.router"].sudo()
        for position, lease in list(leases.items()):
            if not lease["ip"]:
                continue
            try:
                routers.get(lease["router"], no_router)._scope().customer_address(lease["ip"], "ip")
            except RouterValueRefused:
                del leases[position]
                refuse(position, LeasePayloadError("ip", "not_a_customer_address"))
        sectors = self._find_by_name("isp.sector", "code", {lease["sector"] for lease in leases.values()})
        # A parallel report of the same device is a normal race, retried whole by Odoo: written
        # here (the flush included), it fails without an ERROR in the log.
        with expected_races():
            for round_leases in rounds_by_mac(leases):
                answers_of_round = self._onboard_round(round_leases, routers, sectors, source_ip, count_renewals)
                for position, answer in answers_of_round.items():
                    answers[position] = answer
            self.env.flush_all()
        return answers

    @api.model
    def _onboard_round(self, leases, routers, sectors, source_ip, count_renewals=True):
        """Apply normalised leases of distinct MACs; ``leases`` maps a position to its lease.

        :return: the answer of each position.
        """
        # Devices are recorded by the system: no creation message, and no superuser follower each.
        profiles = self.sudo().with_context(
            **{CONTEXT_DEFER_BUS: True, "mail_create_nolog": True, "mail_create_nosubscribe": True}
        )
        macs = [lease["mac"] for lease in leases.values()]
        known = {profile.mac: profile for profile in profiles.search_fetch([("mac", "in", macs)], LEASE_FIELDS)}
        no_router = self.env["isp.router"].sudo()
        outcomes = {}
        updates = []
        new_values = {}
        unchanged = set()  # renewals that only count: the profile's lease_count and last_seen say it
        for position, lease in leases.items():
            router = routers.get(lease["router"], no_router)
            sector = sectors.get(lease["sector"]) or router.sector_id
            profile = known.get(lease["mac"])
            if profile:
                vals = profile._lease_update_values(lease, router, sector)
                if vals.keys() <= RENEWAL_BOOKKEEPING:
                    unchanged.add(position)
                    if not count_renewals:
                        outcomes[position] = ("unchanged", router)
                        continue
                updates.append((profile, vals))
                outcomes[position] = ("updated" if lease["bound"] else "offline", router)
            elif lease["bound"]:
                new_values[position] = new_device_values(lease, router.id, sector.id, fields.Datetime.now())
                outcomes[position] = ("created", router)
            else:
                outcomes[position] = ("ignored", router)  # an unknown device left: nothing to mark offline

        moved = profiles._write_lease_updates(updates)
        new_profiles = profiles._create_from_leases(list(new_values.values()))
        waiting = profiles.browse(profile.id for profile, _vals in updates if profile.pending_reason)
        (new_profiles | waiting)._apply_onboarding_settings()
        moved._enqueue_router_access()
        created = dict(zip(new_values, new_profiles, strict=True))

        by_position = {
            position: created.get(position) or known.get(lease["mac"], profiles) for position, lease in leases.items()
        }
        self.env["isp.onboarding.event"].sudo().create([
            {
                "source_ip": source_ip,
                "router_id": outcomes[position][1].id,
                "router_identity": lease["router"] or False,
                "mac": lease["mac"],
                "ip": lease["ip"] or False,
                "bound": lease["bound"],
                "outcome": outcomes[position][0],
                "profile_id": by_position[position].id,
            }
            for position, lease in leases.items()
            if position not in unchanged
        ])
        shown = set(new_profiles.ids) | {profile.id for profile, vals in updates if vals.keys() & FEED_FIELDS}
        in_batch_order = profiles.browse([profile.id for profile in by_position.values() if profile.id in shown])
        in_batch_order.with_context(**{CONTEXT_DEFER_BUS: False})._send_bus_updates()
        return {
            position: {
                "result": outcomes[position][0],
                "profile_id": profile.id or False,
                "state": profile.state or False,
            }
            for position, profile in by_position.items()
        }

    @api.model
    def _count_restatement(self, lease):
        """Counts, in one statement, a renewal that changes nothing staff can see: most reports,
        as every device renews every half lease time. It applies only where the full rules
        would write nothing but the count (``renewal_changes``): the device is online and not
        waiting for a plan, and the report agrees with it on its IP, host name, DHCP server,
        router and sector (resolved as the full rules resolve them). Any other report returns
        None and takes the full path; tests hold both paths to the same outcome.

        :return: the answer of ``_onboard_lease``, or None.
        """
        if not lease["bound"]:
            return None
        # The statement reads the tables, not the ORM: what this transaction wrote must be there.
        self.flush_model()
        self.env["isp.router"].flush_model(["name", "active", "sector_id"])
        self.env["isp.sector"].flush_model(["code", "active"])
        now = fields.Datetime.now()
        with expected_races():
            self.env.cr.execute(SQL(
                """
                UPDATE isp_mac_profile AS device
                   SET lease_count = device.lease_count + 1, last_seen = %(now)s,
                       write_date = %(now)s, write_uid = %(uid)s
                  FROM (SELECT router.id AS router_id,
                               coalesce((SELECT id FROM isp_sector WHERE code = %(sector)s AND active),
                                        router.sector_id) AS sector_id
                          FROM (SELECT NULL) AS nothing
                          LEFT JOIN isp_router AS router ON router.name = %(router)s AND router.active) AS report
                 WHERE device.mac = %(mac)s
                   AND device.online
                   AND device.pending_reason IS NULL
                   AND (%(ip)s = '' OR device.last_ip = %(ip)s)
                   AND (%(hostname)s = '' OR coalesce(device.hostname, '') != '')
                   AND (%(server)s = '' OR device.dhcp_server = %(server)s)
                   AND (report.router_id IS NULL OR report.router_id = device.router_id)
                   AND (report.sector_id IS NULL OR report.sector_id = device.sector_id)
             RETURNING device.id, device.state
                """,
                now=now,
                uid=self.env.uid,
                mac=lease["mac"],
                ip=lease["ip"],
                hostname=lease["hostname"],
                server=lease["server"],
                router=lease["router"],
                sector=lease["sector"],
            ))
            row = self.env.cr.fetchone()
        if not row:
            return None
        profile_id, state = row
        self.browse(profile_id).invalidate_recordset(["lease_count", "last_seen", "write_date", "write_uid"])
        return {"result": "updated", "profile_id": profile_id, "state": state}

    def _lease_update_values(self, lease, router, sector):
        """Renewal, retry or release of a known device: what to refresh; nothing is created."""
        self.ensure_one()
        device = {
            "online": self.online,
            "lease_count": self.lease_count,
            "last_ip": self.last_ip,
            "hostname": self.hostname,
            "dhcp_server": self.dhcp_server,
            "router_id": self.router_id.id,
            "sector_id": self.sector_id.id,
        }
        return {"last_seen": fields.Datetime.now(), **renewal_changes(device, lease, router.id, sector.id)}

    @api.model
    def _write_lease_updates(self, updates):
        """Write ``(profile, vals)`` pairs, one write per set of equal values.

        :return: the profiles whose IP changed.
        """
        moved = [profile.id for profile, vals in updates if "last_ip" in vals]  # only set when it changed
        groups = defaultdict(list)
        for profile, vals in updates:
            groups[tuple(sorted(vals.items()))].append(profile.id)
        tracked_fields = self._track_get_fields()
        for items, ids in groups.items():
            vals = dict(items)
            # Most renewals change no tracked field: spare them the chatter's tracking work.
            tracked_change = bool(vals.keys() & tracked_fields)
            self.browse(ids).with_context(tracking_disable=not tracked_change).write(vals)
        return self.browse(moved)

    @api.model
    def _create_from_leases(self, vals_list):
        if not vals_list:
            return self.browse()
        try:
            return self.create(vals_list)
        except UniqueViolation as exc:
            # A parallel call created one of these MACs after this transaction began: retrying
            # the whole transaction (the HTTP layer does) sees it and takes the renewal path.
            # No savepoint: nothing of this transaction is kept, so none is worth two round trips.
            macs = ", ".join(vals["mac"] for vals in vals_list)
            raise ConcurrencyError(f"MAC profile {macs} was created concurrently") from exc

    def _enqueue_router_access(self):
        """Profiles whose IP changed: the router must move their customer's suspension entry
        or simple queue to the new address at once, not at the next lease sync."""
        jobs = self.env["isp.provisioning.job"]
        subscriptions = self.subscription_id.filtered(
            lambda subscription: any(jobs._desired_customer_access(subscription, subscription.router_id))
        )
        jobs._enqueue_customer_access(subscriptions)

    def _apply_onboarding_settings(self):
        """Auto-approval of new devices, and of those that waited for a default plan, as the
        parameters say: each gets an active subscription on the default plan."""
        if not self:
            return
        settings = self._get_onboarding_settings()
        if not settings["auto_create"]:
            self.filtered("pending_reason").pending_reason = False  # staff approve by hand now
            return
        waiting = self.filtered(lambda profile: profile.state == "pending")
        if not settings["default_plan"]:
            waiting.filtered(lambda profile: not profile.pending_reason).pending_reason = "no_default_plan"
            return
        # Approved in the transaction that first records them: the onboarding log holds that
        # history, and tracking it again would write a chatter message per device in a storm.
        waiting.with_context(tracking_disable=True)._create_subscriptions(
            settings["default_plan"], self.env["res.partner"], settings["create_captive_user"], settings
        )

    @api.model
    def _retry_waiting_devices(self):
        """Devices that waited for a default plan, once Settings give one."""
        self.sudo().search([("state", "=", "pending"), ("pending_reason", "!=", False)])._apply_onboarding_settings()

    @api.model
    def _find_by_name(self, model, field, names):
        """Records of ``model`` whose unique ``field`` is one of ``names``, by that name."""
        names = [name for name in names if name]
        if not names:
            return {}
        return {record[field]: record for record in self.env[model].sudo().search([(field, "in", names)])}
