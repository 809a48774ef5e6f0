"""The MAC Profiles screen's data and the live feed's messages, as model methods the staff UI
calls (through web_src/services/isp_service.ts) and the onboarding pipeline notifies with."""

from datetime import UTC, datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..lib import contract
from ..lib.onboarding_rules import format_iso_utc, parse_iso_utc

BUS_NOTIFICATION = contract.PROFILE_BUS_NOTIFICATION
NETWORK_NOTIFICATION = contract.NETWORK_BUS_NOTIFICATION
# Where a transaction gathers what it changed on the network, told to staff at its commit.
PRECOMMIT_NETWORK_CHANGES = "isp_core.network_changes"
STAFF_GROUP = "isp_core.group_isp_user"  # who hears of every profile change
# Set while _onboard_lease works on a profile, so the bus hears about it once, at the end.
CONTEXT_DEFER_BUS = "isp_core_defer_bus"
# The fields staff see change in the live feed. A renewal that only moves last_seen and
# lease_count tells them nothing new: notifying it would cost a bus row and a wake-up of every
# staff browser per renewal, which in a DHCP storm is thousands of each for nothing to see.
FEED_FIELDS = frozenset({"mac", "state", "online", "sector_id", "hostname", "last_ip"})


class IspMacProfileStaffUi(models.AbstractModel):
    """What isp.mac.profile answers the staff UI, and what it tells it over the bus."""

    _name = "isp.mac.profile.staff.ui"
    _description = "MAC Profiles Screen Data"

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
        return {
            key: self.env[model].search_count(kpi_domain)
            for key, (model, kpi_domain, _title) in self._dashboard_kpi_domains(domain).items()
        }

    @api.model
    def get_dashboard_kpi_action(self, key, domain=None):
        """The list behind one of the dashboard's counters: what it counts, as a window action."""
        model, kpi_domain, title = self._dashboard_kpi_domains(domain)[key]
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "domain": list(kpi_domain),
            "views": [[False, "list"], [False, "form"]],
        }

    @api.model
    def _dashboard_kpi_domains(self, domain=None):
        """Each counter of the dashboard as ``(model, domain, title)``, within ``domain``: one
        definition for the figure and for the list it opens."""
        base = Domain(domain or [])
        now = fields.Datetime.now()
        local_midnight = self.env.tz.localize(datetime.combine(fields.Date.context_today(self), time.min))
        today_start = local_midnight.astimezone(UTC).replace(tzinfo=None)
        # Unfiltered, "any" would still cost staff a sub-select over every profile.
        of_profiles = Domain("mac_profile_id", "!=", False) if base.is_true() else Domain("mac_profile_id", "any", base)
        profile, subscription, job, router = "isp.mac.profile", "isp.subscription", "isp.provisioning.job", "isp.router"
        return {
            "pending": (profile, base & Domain("state", "=", "pending"), self.env._("Pending approval")),
            "online": (profile, base & Domain("online", "=", True), self.env._("Online now")),
            "new_today": (profile, base & Domain("first_seen", ">=", today_start), self.env._("New today")),
            "active_subscriptions": (
                subscription, Domain("state", "=", "active") & of_profiles, self.env._("Active subscriptions")
            ),
            "offline_over_24h": (
                profile,
                base & Domain("online", "=", False) & Domain("last_seen", "<", now - timedelta(hours=24)),
                self.env._("Offline > 24 h"),
            ),
            "off_network": (
                subscription,
                Domain("network_state", "!=", "in_sync") & of_profiles,
                self.env._("Not Yet on the Network"),
            ),
            "incomplete_customers": (
                subscription,
                Domain("state", "in", ("active", "suspended"))
                & Domain("customer_incomplete", "=", True)
                & of_profiles,
                self.env._("Customers to complete"),
            ),
            "waiting_for_plan": (
                profile,
                base & Domain("pending_reason", "=", "no_default_plan"),
                self.env._("No valid default plan"),
            ),
            # Of every sector: a router or a job serves many devices, and the field team needs to know.
            "failed_jobs": (job, Domain("state", "=", "failed"), self.env._("Failed provisioning jobs")),
            "routers_down": (
                router,
                Domain("last_error", "!=", False) | Domain("checkin_silent", "=", True),
                self.env._("Routers that do not answer or check in"),
            ),
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

    def _staff(self):
        # By its cached xml id: env.ref would ask the database whether the group still exists.
        return self.env["res.groups"].sudo().browse(self.env["ir.model.data"]._xmlid_to_res_id(STAFF_GROUP))

    def _send_bus_updates(self):
        if self.env.context.get(CONTEXT_DEFER_BUS) or not self:
            return
        staff = self._staff()
        for profile in self:
            staff._bus_send(BUS_NOTIFICATION, profile._bus_payload())

    @api.model
    def _send_network_update(self, subscriptions=None, routers=None):
        """Tells the open staff screens that what the network does changed for ``subscriptions``
        (a job done or failed) or ``routers`` (one that failed, or answers again): their banners,
        badges and counts ask again. What a transaction changes is told in one notification when
        it commits (or at a savepoint before), however many jobs a check-in settled."""
        precommit = self.env.cr.precommit
        if PRECOMMIT_NETWORK_CHANGES not in precommit.data:
            precommit.data[PRECOMMIT_NETWORK_CHANGES] = {"subscription_ids": set(), "router_ids": set()}

            @precommit.add
            def send_network_update():
                changes = precommit.data.pop(PRECOMMIT_NETWORK_CHANGES)
                self._staff()._bus_send(NETWORK_NOTIFICATION, {key: sorted(ids) for key, ids in changes.items()})

        changes = precommit.data[PRECOMMIT_NETWORK_CHANGES]
        changes["subscription_ids"].update((subscriptions or self.env["isp.subscription"]).ids)
        changes["router_ids"].update((routers or self.env["isp.router"]).ids)
