from datetime import UTC, datetime, time, timedelta

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, UserError, ValidationError
from odoo.fields import Domain

from ..lib import parameters
from ..lib.lease_payload import LeasePayloadError, parse_lease
from ..lib.mac_address import normalize_mac

BUS_NOTIFICATION = "isp_core.mac_profile/updated"
# Set while _onboard_lease works on a profile, so the bus hears about it once, at the end.
CONTEXT_DEFER_BUS = "isp_core_defer_bus"


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
    )
    online = fields.Boolean(readonly=True, index=True)
    first_seen = fields.Datetime(readonly=True, copy=False)
    last_seen = fields.Datetime(readonly=True, copy=False, index=True)
    lease_count = fields.Integer(readonly=True, copy=False)
    subscription_id = fields.Many2one("isp.subscription", index="btree_not_null", tracking=True, copy=False)
    captive_user_id = fields.Many2one("isp.captive.user", index="btree_not_null", tracking=True, copy=False)
    notes = fields.Text()
    pending_reason = fields.Char(readonly=True, help="Why this profile still waits for staff.")
    sector_missing = fields.Boolean(
        compute="_compute_sector_missing",
        store=True,
        index=True,
        help="No sector came with the lease and its router has none: staff must set it.",
    )

    _mac_unique = models.Constraint("UNIQUE(mac)", "This MAC address already has a profile.")

    @api.depends("mac", "hostname")
    def _compute_display_name(self):
        for profile in self:
            profile.display_name = f"{profile.mac} ({profile.hostname})" if profile.hostname else profile.mac

    @api.depends("sector_id")
    def _compute_sector_missing(self):
        for profile in self:
            profile.sector_missing = not profile.sector_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("mac"):
                vals["mac"] = self._normalize_mac_field(vals["mac"])
        profiles = super().create(vals_list)
        profiles._send_bus_updates()
        return profiles

    def write(self, vals):
        if vals.get("mac"):
            vals["mac"] = self._normalize_mac_field(vals["mac"])
        result = super().write(vals)
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
        """Give this profile a subscription (a staff action of the MAC Profiles screen).

        :param plan_id: the plan; defaults to the configured default plan.
        :param partner_id: an existing customer; else a new one named ``partner_name``
            (or after the host name or the MAC).
        :param create_captive_user: defaults to the configured parameter.
        :return: ``{"subscription_id", "subscription_name"}``
        """
        self.ensure_one()
        self.check_access("write")
        self.env["isp.subscription"].check_access("create")
        if self.state == "rejected":
            raise UserError(self.env._("A rejected MAC profile cannot get a subscription. Approve it first."))
        if self.subscription_id and self.subscription_id.state != "terminated":
            raise UserError(
                self.env._(
                    "MAC profile %(mac)s already has subscription %(subscription)s.",
                    mac=self.mac,
                    subscription=self.subscription_id.name,
                )
            )
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
        subscription = self._create_subscription(plan, partner, bool(create_captive_user), settings)
        return {"subscription_id": subscription.id, "subscription_name": subscription.name}

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
        return {
            "pending": self.search_count(base & Domain("state", "=", "pending")),
            "online": self.search_count(base & Domain("online", "=", True)),
            "new_today": self.search_count(base & Domain("first_seen", ">=", today_start)),
            "active_subscriptions": self.env["isp.subscription"].search_count(
                Domain("state", "=", "active") & Domain("mac_profile_id", "any", base)
            ),
            "offline_over_24h": self.search_count(
                base & Domain("online", "=", False) & Domain("last_seen", "<", now - timedelta(hours=24))
            ),
        }

    @api.model
    def get_changes_since(self, since=None, limit=200):
        """Profiles changed after ``since`` (an ISO time from a previous answer), oldest first.

        The UI calls it after a reconnection to catch up with the bus notifications it missed.
        """
        domain = Domain.TRUE
        if since:
            try:
                domain = Domain("write_date", ">", _parse_iso_utc(since))
            except ValueError as exc:
                raise ValidationError(
                    self.env._("%(since)s is not an ISO 8601 time.", since=since)
                ) from exc
        profiles = self.search(domain, order="write_date asc, id asc", limit=max(1, min(int(limit), 1000)))
        if profiles:
            cursor = _format_iso_utc(profiles[-1].write_date)
        else:
            cursor = since or _format_iso_utc(fields.Datetime.now())
        return {"changes": [profile._bus_payload() for profile in profiles], "cursor": cursor}

    # ------------------------------------------------------------------
    # Onboarding (the router's lease-script and the reconciliation cron)
    # ------------------------------------------------------------------

    @api.model
    def _onboard_lease(self, values, source_ip=None):
        """Record one DHCP lease report and apply the onboarding parameters.

        :param values: ``mac`` (required), ``ip``, ``bound``, ``server``, ``hostname``,
            ``sector`` (code) and ``router`` (identity), as sent by the lease-script.
        :raises ValidationError: naming the field, for input that cannot be accepted.
        :return: ``{"result": "created"|"updated"|"offline"|"ignored", "profile_id", "state"}``
        """
        events = self.env["isp.onboarding.event"].sudo()
        try:
            lease = parse_lease(values)
        except LeasePayloadError as exc:
            events._log_rejected_call("invalid", str(exc), source_ip=source_ip, values=values)
            raise ValidationError(self.env._("Invalid lease report, %(error)s", error=str(exc))) from exc

        profiles = self.sudo().with_context(**{CONTEXT_DEFER_BUS: True, "mail_create_nolog": True})
        router = self._find_router(lease["router"])
        sector = self._find_sector(lease["sector"]) or router.sector_id
        profile = profiles.search([("mac", "=", lease["mac"])], limit=1)
        if profile:
            profile._record_lease(lease, router, sector)
            result = "updated" if lease["bound"] else "offline"
        elif lease["bound"]:
            profile = profiles._create_from_lease(lease, router, sector)
            result = "created"
        else:
            result = "ignored"  # an unknown device left: there is nothing to mark offline

        events.create(
            {
                "source_ip": source_ip,
                "router_id": router.id,
                "router_identity": lease["router"] or False,
                "mac": lease["mac"],
                "ip": lease["ip"] or False,
                "bound": lease["bound"],
                "outcome": result,
                "profile_id": profile.id,
            }
        )
        profile.with_context(**{CONTEXT_DEFER_BUS: False})._send_bus_updates()
        return {"result": result, "profile_id": profile.id or False, "state": profile.state or False}

    def _record_lease(self, lease, router, sector):
        """Renewal, retry or release of a known device: refresh it, create nothing."""
        self.ensure_one()
        vals = {"online": lease["bound"], "last_seen": fields.Datetime.now()}
        if lease["bound"]:
            vals["lease_count"] = self.lease_count + 1
            if lease["ip"]:
                vals["last_ip"] = lease["ip"]
            if lease["hostname"] and not self.hostname:
                vals["hostname"] = lease["hostname"]  # staff may have renamed it: keep theirs
            if lease["server"]:
                vals["dhcp_server"] = lease["server"]
        if router and router != self.router_id:
            vals["router_id"] = router.id
        if sector and sector != self.sector_id:
            vals["sector_id"] = sector.id
        # Most renewals change no tracked field: spare them the chatter's tracking work.
        tracked_change = bool(vals.keys() & self._track_get_fields())
        self.with_context(tracking_disable=not tracked_change).write(vals)

    @api.model
    def _create_from_lease(self, lease, router, sector):
        now = fields.Datetime.now()
        vals = {
            "mac": lease["mac"],
            "last_ip": lease["ip"] or False,
            "hostname": lease["hostname"] or False,
            "dhcp_server": lease["server"] or False,
            "router_id": router.id,
            "sector_id": sector.id,
            "online": True,
            "first_seen": now,
            "last_seen": now,
            "lease_count": 1,
        }
        try:
            with self.env.cr.savepoint():
                profile = self.create(vals)
        except UniqueViolation as exc:
            # A parallel call created the same MAC after this transaction began: retrying the
            # whole transaction (the HTTP layer does) sees it and takes the renewal path.
            raise ConcurrencyError(f"MAC profile {lease['mac']} was created concurrently") from exc
        profile._apply_onboarding_settings()
        return profile

    def _apply_onboarding_settings(self):
        """Auto-approval of a device seen for the first time, as the parameters say."""
        self.ensure_one()
        settings = self._get_onboarding_settings()
        if not settings["auto_create"]:
            return
        if not settings["default_plan"]:
            self.pending_reason = self.env._("No valid default plan")
            return
        self._create_subscription(
            settings["default_plan"], self.env["res.partner"], settings["create_captive_user"], settings
        )

    def _create_subscription(self, plan, partner, create_captive_user, settings):
        """Subscribe this profile to ``plan`` and approve it; shared by staff and auto-approval."""
        self.ensure_one()
        if not partner:
            partner = self.env["res.partner"].create({"name": self.hostname or self.mac})
        subscription = self.env["isp.subscription"].create(
            {
                "partner_id": partner.id,
                "plan_id": plan.id,
                "mac_profile_id": self.id,
                "sector_id": self.sector_id.id,
                "router_id": self.router_id.id,
            }
        )
        vals = {"subscription_id": subscription.id, "state": "approved", "pending_reason": False}
        if create_captive_user:
            vals["captive_user_id"] = self._ensure_captive_user(subscription, settings).id
        self.write(vals)
        return subscription

    def _ensure_captive_user(self, subscription, settings):
        # Login and password are both the MAC, as RouterOS mac-as-username-and-password expects.
        captive_users = self.env["isp.captive.user"].sudo()
        vals = {
            "subscription_id": subscription.id,
            "router_id": self.router_id.id,
            "provisioning_state": "to_provision" if settings["auto_provision_captive"] else False,
        }
        if self.captive_user_id:
            captive_user = captive_users.browse(self.captive_user_id.id)
            captive_user.write(vals)
            return captive_user
        return captive_users.create(
            {
                **vals,
                "login": self.mac,
                "password": self.mac,
                "mac": self.mac,
                "hotspot_profile": settings["captive_profile"],
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _get_onboarding_settings(self):
        get_param = self.env["ir.config_parameter"].sudo().get_param
        plan = self.env["isp.service.plan"]
        plan_id = parameters.to_positive_int(get_param(parameters.MAC_DEFAULT_PLAN_ID), 0)
        if plan_id:
            plan = plan.sudo().browse(plan_id).exists().filtered("active").with_env(self.env)
        return {
            "auto_create": parameters.is_enabled(get_param(parameters.MAC_AUTO_CREATE)),
            "default_plan": plan,
            "create_captive_user": parameters.is_enabled(get_param(parameters.MAC_AUTO_CREATE_CAPTIVE_USER)),
            "auto_provision_captive": parameters.is_enabled(get_param(parameters.MAC_AUTO_PROVISION_CAPTIVE)),
            "captive_profile": get_param(parameters.MAC_CAPTIVE_DEFAULT_PROFILE)
            or parameters.DEFAULT_CAPTIVE_PROFILE,
        }

    @api.model
    def _find_router(self, identity):
        if not identity:
            return self.env["isp.router"]
        return self.env["isp.router"].sudo().search([("name", "=", identity)], limit=1)

    @api.model
    def _find_sector(self, code):
        if not code:
            return self.env["isp.sector"]
        return self.env["isp.sector"].sudo().search([("code", "=", code)], limit=1)

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
            "time": _format_iso_utc(self.write_date),
        }

    def _send_bus_updates(self):
        if self.env.context.get(CONTEXT_DEFER_BUS) or not self:
            return
        staff = self.env.ref("isp_core.group_isp_user").sudo()
        for profile in self:
            staff._bus_send(BUS_NOTIFICATION, profile._bus_payload())


def _format_iso_utc(value):
    return value.replace(tzinfo=UTC).isoformat() if value else False


def _parse_iso_utc(value):
    """Naive UTC datetime of an ISO 8601 text, as the ORM stores times.

    :raises ValueError: when ``value`` is not an ISO 8601 time.
    """
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
