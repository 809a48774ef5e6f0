from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..lib import contract, parameters
from ..lib.expected_races import expected_races
from ..lib.onboarding_rules import (
    format_iso_utc,
    new_device_values,
    parse_iso_utc,
    renewal_changes,
    rounds_by_mac,
)
from ..lib.lease_payload import LeasePayloadError, parse_lease
from ..lib.mac_address import normalize_mac

BUS_NOTIFICATION = contract.PROFILE_BUS_NOTIFICATION
STAFF_GROUP = "isp_core.group_isp_user"  # who hears of every profile change
# Set while _onboard_lease works on a profile, so the bus hears about it once, at the end.
CONTEXT_DEFER_BUS = "isp_core_defer_bus"
# The fields staff see change in the live feed. A renewal that only moves last_seen and
# lease_count tells them nothing new: notifying it would cost a bus row and a wake-up of every
# staff browser per renewal, which in a DHCP storm is thousands of each for nothing to see.
FEED_FIELDS = frozenset({"mac", "state", "online", "sector_id", "hostname", "last_ip"})
# What every renewal writes, even one that changes nothing else.
RENEWAL_BOOKKEEPING = frozenset({"last_seen", "lease_count"})
# What a lease report compares and answers, read with the search that finds the known devices.
LEASE_FIELDS = [
    "mac", "state", "online", "lease_count", "last_ip", "hostname", "dhcp_server", "router_id", "sector_id",
    "pending_reason",
]


class IspMacProfile(models.Model):
    _name = "isp.mac.profile"
    _description = "ISP MAC Profile"
    _inherit = ["mail.thread"]
    _order = "last_seen desc, id desc"
    _rec_name = "mac"
    _rec_names_search = ["mac", "hostname", "last_ip"]

    mac = fields.Char(string="MAC", required=True, copy=False, tracking=True)
    last_ip = fields.Char(string="Last IP", readonly=True)
    hostname = fields.Char(string="Host Name", tracking=True)
    sector_id = fields.Many2one("isp.sector", index=True, tracking=True, ondelete="restrict")
    router_id = fields.Many2one("isp.router", index=True, tracking=True, ondelete="set null")
    dhcp_server = fields.Char(string="DHCP Server", readonly=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("active", "Active"),
            ("rejected", "Rejected"),
        ],
        default="pending",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        help="Pending: waits for staff. Approved: accepted as a customer's device, but it has no "
        "service on the network until it has an active subscription (Convert gives it one). "
        "Active: its subscription is active, and its service is provisioned on its router. "
        "Rejected: refused; it gets no service.",
    )
    online = fields.Boolean(readonly=True, index=True)
    first_seen = fields.Datetime(readonly=True, copy=False)
    last_seen = fields.Datetime(readonly=True, copy=False, index=True)
    lease_count = fields.Integer(readonly=True, copy=False)
    subscription_ids = fields.One2many("isp.subscription", "mac_profile_id", string="Subscriptions")
    subscription_id = fields.Many2one(
        "isp.subscription",
        compute="_compute_subscription_id",
        store=True,
        index="btree_not_null",
        tracking=True,
        help="The device's latest subscription: the live one, or the last it had. Subscriptions own "
        "the link (their MAC Profile); this follows it.",
    )
    captive_user_id = fields.Many2one("isp.captive.user", index="btree_not_null", tracking=True, copy=False)
    notes = fields.Text()
    pending_reason = fields.Selection(
        [("no_default_plan", "No valid default plan")],
        readonly=True,
        help="Why this device still waits for staff although new devices are approved "
        "automatically. It is approved at its next lease once the reason is gone.",
    )
    feed_changed_at = fields.Datetime(
        string="Last Visible Change",
        readonly=True,
        copy=False,
        index=True,
        help="When the live feed last had something to show about this device; a renewal that "
        "changes nothing visible leaves it as it was.",
    )
    sector_missing = fields.Boolean(
        compute="_compute_sector_missing",
        store=True,
        precompute=True,  # set in the INSERT of a new device, not by an UPDATE right after it
        index=True,
        help="No sector came with the lease and its router has none: staff must set it.",
    )

    _mac_unique = models.Constraint("UNIQUE(mac)", "This MAC address already has a profile.")

    @api.depends("mac", "hostname")
    def _compute_display_name(self):
        for profile in self:
            profile.display_name = f"{profile.mac} ({profile.hostname})" if profile.hostname else profile.mac

    @api.depends("subscription_ids")
    def _compute_subscription_id(self):
        for profile in self:
            profile.subscription_id = profile.subscription_ids.sorted("id")[-1:]

    @api.depends("sector_id")
    def _compute_sector_missing(self):
        for profile in self:
            profile.sector_missing = not profile.sector_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("mac"):
                vals["mac"] = self._normalize_mac_field(vals["mac"])
            vals.setdefault("feed_changed_at", self.env.cr.now())
        profiles = super().create(vals_list)
        profiles._send_bus_updates()
        return profiles

    def write(self, vals):
        if vals.get("mac"):
            vals["mac"] = self._normalize_mac_field(vals["mac"])
        if vals.keys() & FEED_FIELDS:
            vals = {**vals, "feed_changed_at": self.env.cr.now()}
        result = super().write(vals)
        if vals.keys() & FEED_FIELDS:
            self._send_bus_updates()
        return result

    # ------------------------------------------------------------------
    # Staff actions
    # ------------------------------------------------------------------

    def action_approve(self):
        self.check_access("write")
        if any(profile.state not in ("pending", "rejected") for profile in self):
            raise UserError(self.env._("Only pending or rejected MAC profiles can be approved."))
        self.write({"state": "approved", "pending_reason": False})
        return True

    def action_reject(self):
        self.check_access("write")
        if any(profile.state not in ("pending", "approved") for profile in self):
            raise UserError(self.env._("Only pending or approved MAC profiles can be rejected."))
        if self.subscription_id.filtered(lambda subscription: subscription.state in ("active", "suspended")):
            raise UserError(self.env._("Terminate the subscription before rejecting its MAC profile."))
        self.write({"state": "rejected", "pending_reason": False})
        return True

    def action_open_subscription(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "isp.subscription",
            "res_id": self.subscription_id.id,
            "view_mode": "form",
        }

    def convert_to_subscription(self, plan_id=None, partner_id=None, partner_name=None, create_captive_user=None):
        """Give this profile an active subscription, whose service is queued for its router at
        once (the one-click staff action of the MAC Profiles screen).

        :param plan_id: the plan; defaults to the configured default plan.
        :param partner_id: an existing customer; else a new one named ``partner_name``
            (or after the host name or the MAC).
        :param create_captive_user: defaults to the configured parameter.
        :return: ``{"subscription_id", "subscription_name", "network_message"}``, the last one
            saying why the network does not follow yet (False once it does).
        """
        self.ensure_one()
        self.check_access("write")
        self.env["isp.subscription"].check_access("create")
        if self.state == "rejected":
            raise UserError(self.env._("A rejected MAC profile cannot get a subscription. Approve it first."))
        settings = self._get_onboarding_settings()
        if plan_id:
            plan = self.env["isp.service.plan"].browse(plan_id).exists()
            if not plan.active:
                raise UserError(self.env._("The chosen service plan no longer exists or is archived."))
        else:
            plan = settings["default_plan"]
            if not plan:
                raise UserError(
                    self.env._("Choose a service plan: no plan was given and there is no valid default plan.")
                )
        partner = self.env["res.partner"]
        if partner_id:
            partner = partner.browse(partner_id).exists()
            if not partner:
                raise UserError(self.env._("The customer to link no longer exists."))
        elif partner_name and partner_name.strip():
            partner = partner.create({"name": partner_name.strip()})
        if create_captive_user is None:
            create_captive_user = settings["create_captive_user"]
        subscription = self._create_subscriptions(plan, partner, bool(create_captive_user), settings)
        return {
            "subscription_id": subscription.id,
            "subscription_name": subscription.name,
            "network_message": subscription.network_message,
        }

    # ------------------------------------------------------------------
    # Data for the staff UI
    # ------------------------------------------------------------------

    @api.model
    def get_conversion_defaults(self):
        self.check_access("read")
        settings = self._get_onboarding_settings()
        default_plan = settings["default_plan"]
        plans = self.env["isp.service.plan"].search_read([], ["name"], order="name")
        return {
            "default_plan": {"id": default_plan.id, "name": default_plan.name} if default_plan else False,
            "create_captive_user": settings["create_captive_user"],
            "plans": [{"id": plan["id"], "name": plan["name"]} for plan in plans],
        }

    @api.model
    def get_dashboard_kpis(self, domain=None):
        """Counters of the MAC Profiles dashboard, restricted to ``domain`` (e.g. a sector)."""
        base = Domain(domain or [])
        now = fields.Datetime.now()
        local_midnight = self.env.tz.localize(datetime.combine(fields.Date.context_today(self), time.min))
        today_start = local_midnight.astimezone(UTC).replace(tzinfo=None)
        # Unfiltered, "any" would still cost staff a sub-select over every profile.
        of_profiles = Domain("mac_profile_id", "!=", False) if base.is_true() else Domain("mac_profile_id", "any", base)
        subscriptions = self.env["isp.subscription"]
        return {
            "pending": self.search_count(base & Domain("state", "=", "pending")),
            "online": self.search_count(base & Domain("online", "=", True)),
            "new_today": self.search_count(base & Domain("first_seen", ">=", today_start)),
            "active_subscriptions": subscriptions.search_count(Domain("state", "=", "active") & of_profiles),
            "offline_over_24h": self.search_count(
                base & Domain("online", "=", False) & Domain("last_seen", "<", now - timedelta(hours=24))
            ),
            "off_network": subscriptions.search_count(Domain("network_state", "!=", "in_sync") & of_profiles),
            "waiting_for_plan": self.search_count(base & Domain("pending_reason", "=", "no_default_plan")),
        }

    @api.model
    def get_changes_since(self, since=None, limit=200):
        """The live feed's changes after ``since`` (an ISO time from a previous answer), or the
        latest ones without it; at most ``limit``, oldest first.

        The UI loads its history with it, and catches up with the bus notifications it missed
        after a reconnection. A change is what the bus announces (see FEED_FIELDS): renewals
        that only count are left out.
        """
        limit = max(1, min(int(limit), 1000))
        if since:
            try:
                after = Domain("feed_changed_at", ">", parse_iso_utc(since))
            except ValueError as exc:
                raise ValidationError(
                    self.env._("%(since)s is not an ISO 8601 time.", since=since)
                ) from exc
            profiles = self.search(after, order="feed_changed_at asc, id asc", limit=limit)
            if len(profiles) == limit:
                # The cursor is a time: a page must end with the whole of its last transaction's
                # changes, or the next call, asking for later ones, would skip the rest.
                last = profiles[-1]
                same_time = Domain("feed_changed_at", "=", last.feed_changed_at) & Domain("id", ">", last.id)
                profiles |= self.search(same_time, order="id asc")
        else:
            shown = Domain("feed_changed_at", "!=", False)
            latest = self.search(shown, order="feed_changed_at desc, id desc", limit=limit)
            profiles = latest.browse(reversed(latest.ids))
        if profiles:
            cursor = format_iso_utc(profiles[-1].feed_changed_at)
        else:
            cursor = since or format_iso_utc(fields.Datetime.now())
        return {"changes": [profile._bus_payload() for profile in profiles], "cursor": cursor}

    # ------------------------------------------------------------------
    # Onboarding (the router's lease-script and the reconciliation cron)
    # ------------------------------------------------------------------

    @api.model
    def _onboard_lease(self, values, source_ip=None):
        """Record one DHCP lease report (the router's lease-script) and apply the onboarding
        parameters, through the same rules as a batch of them.

        :param values: ``mac`` (required), ``ip``, ``bound``, ``server``, ``hostname``,
            ``sector`` (code) and ``router`` (identity), as sent by the lease-script.
        :raises ValidationError: naming the field, for input that cannot be accepted.
        :raises ConcurrencyError: when a parallel call created the same MAC meanwhile; the HTTP
            layer retries the whole transaction, which then takes the renewal path.
        :return: ``{"result": "created"|"updated"|"offline"|"ignored", "profile_id", "state"}``
        """
        [answer] = self._onboard_leases([values], source_ip=source_ip)
        if answer["result"] == "invalid":
            raise ValidationError(answer["error"])
        return answer

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
        for position, values in enumerate(values_list):
            try:
                leases[position] = parse_lease(values)
            except LeasePayloadError as exc:
                self.env["isp.onboarding.event"]._log_rejected_call("invalid", str(exc), source_ip, values)
                error = self.env._("Invalid lease report, %(error)s", error=str(exc))
                answers[position] = {"result": "invalid", "error": error, "profile_id": False, "state": False}

        if count_renewals and len(values_list) == 1 and leases:
            [lease] = leases.values()
            if answer := self._count_restatement(lease):
                return [answer]
        routers = self._find_by_name("isp.router", "name", {lease["router"] for lease in leases.values()})
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

    def _create_subscriptions(self, plan, partner, create_captive_user, settings):
        """Subscribe these profiles to ``plan`` and start the service: the subscriptions are
        active, and the jobs that put their access on the router are queued. Shared by staff
        (one-click conversion) and auto-approval. Without ``partner``, each gets a new
        customer named after its host name or MAC."""
        if partner:
            partners = [partner] * len(self)
        else:
            partners = self.env["res.partner"].create([{"name": profile.hostname or profile.mac} for profile in self])
        subscriptions = self.env["isp.subscription"].create([
            {
                "partner_id": customer.id,
                "plan_id": plan.id,
                "mac_profile_id": profile.id,
                "sector_id": profile.sector_id.id,
                "router_id": profile.router_id.id,
            }
            for profile, customer in zip(self, partners, strict=True)
        ])
        captive_users = self._ensure_captive_users(subscriptions, settings) if create_captive_user else None
        # Each profile now points at its new subscription (subscriptions own the link).
        for index, profile in enumerate(self):
            vals = {"state": "approved", "pending_reason": False}
            if captive_users:
                vals["captive_user_id"] = captive_users[index].id
            profile.write(vals)
        subscriptions.action_activate()
        return subscriptions

    def _ensure_captive_users(self, subscriptions, settings):
        """The captive user of each profile for its subscription, reusing the one it has.

        :return: the captive users, in the order of the profiles.
        """
        # Login and password are both the MAC, as RouterOS mac-as-username-and-password expects.
        captive_users = self.env["isp.captive.user"].sudo()
        vals_list = [
            {
                "subscription_id": subscription.id,
                "router_id": profile.router_id.id,
                "provisioning_state": "to_provision" if settings["auto_provision_captive"] else False,
            }
            for profile, subscription in zip(self, subscriptions, strict=True)
        ]
        for profile, vals in zip(self, vals_list, strict=True):
            if profile.captive_user_id:
                captive_users.browse(profile.captive_user_id.id).write(vals)
        created = iter(
            captive_users.create([
                {
                    **vals,
                    "login": profile.mac,
                    "password": profile.mac,
                    "mac": profile.mac,
                    "hotspot_profile": settings["captive_profile"],
                }
                for profile, vals in zip(self, vals_list, strict=True)
                if not profile.captive_user_id
            ])
        )
        return [
            captive_users.browse(profile.captive_user_id.id) if profile.captive_user_id else next(created)
            for profile in self
        ]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _get_onboarding_settings(self):
        get_param = self.env["ir.config_parameter"].sudo().get_param
        plan = self.env["isp.service.plan"]
        plan_id = parameters.to_positive_int(get_param(parameters.MAC_DEFAULT_PLAN_ID), 0)
        if plan_id:
            plan = plan.sudo().search([("id", "=", plan_id)]).with_env(self.env)  # archived plans excluded
        return {
            "auto_create": parameters.is_enabled(get_param(parameters.MAC_AUTO_CREATE)),
            "default_plan": plan,
            "create_captive_user": parameters.is_enabled(get_param(parameters.MAC_AUTO_CREATE_CAPTIVE_USER)),
            "auto_provision_captive": parameters.is_enabled(get_param(parameters.MAC_AUTO_PROVISION_CAPTIVE)),
            "captive_profile": self.env["isp.captive.user"]._default_hotspot_profile(),
        }

    @api.model
    def _find_by_name(self, model, field, names):
        """Records of ``model`` whose unique ``field`` is one of ``names``, by that name."""
        names = [name for name in names if name]
        if not names:
            return {}
        return {record[field]: record for record in self.env[model].sudo().search([(field, "in", names)])}

    @api.model
    def _normalize_mac_field(self, value):
        try:
            return normalize_mac(value)
        except ValueError as exc:
            raise ValidationError(
                self.env._("%(value)s is not a MAC address (use e.g. AA:BB:CC:DD:EE:FF).", value=value)
            ) from exc

    def _bus_payload(self):
        self.ensure_one()
        return {
            "id": self.id,
            "mac": self.mac,
            "state": self.state,
            "online": self.online,
            "sector_id": self.sector_id.id or False,
            "sector_name": self.sector_id.name or False,
            "hostname": self.hostname or False,
            "last_ip": self.last_ip or False,
            "time": format_iso_utc(self.feed_changed_at),
        }

    def _send_bus_updates(self):
        if self.env.context.get(CONTEXT_DEFER_BUS) or not self:
            return
        # By its cached xml id: env.ref would ask the database whether the group still exists.
        staff = self.env["res.groups"].sudo().browse(self.env["ir.model.data"]._xmlid_to_res_id(STAFF_GROUP))
        for profile in self:
            staff._bus_send(BUS_NOTIFICATION, profile._bus_payload())
