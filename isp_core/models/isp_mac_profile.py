from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import parameters
from ..lib.mac_address import normalize_mac
from .isp_mac_profile_staff_ui import FEED_FIELDS

# What staff may complete of a new customer at conversion (res.partner fields).
CUSTOMER_DETAILS = ("phone", "vat", "street", "city")
# What only the network says of a device: the lease path, the lease sync and the agent write it,
# as the system. A customer's suspension and queue follow its address on its router, so no login,
# whatever its role, may set them (a "readonly" field is only a hint to the screen).
NETWORK_FIELDS = frozenset({"last_ip", "router_id", "online", "dhcp_server", "first_seen", "last_seen", "lease_count"})


class IspMacProfile(models.Model):
    _name = "isp.mac.profile"
    _description = "ISP MAC Profile"
    # The onboarding pipeline and the staff UI's data live in their own files, each an abstract
    # model this one inherits.
    _inherit = ["mail.thread", "isp.mac.profile.onboarding", "isp.mac.profile.staff.ui"]
    _order = "last_seen desc, id desc"
    _rec_name = "mac"
    _rec_names_search = ["mac", "hostname", "last_ip"]

    mac = fields.Char(string="MAC", required=True, copy=False, tracking=True)
    last_ip = fields.Char(string="Last IP", readonly=True)
    hostname = fields.Char(string="Host Name", tracking=True)
    sector_id = fields.Many2one("isp.sector", index=True, tracking=True, ondelete="restrict")
    router_id = fields.Many2one(
        "isp.router",
        index=True,
        tracking=True,
        readonly=True,
        ondelete="set null",
        help="The router that serves the device, as its lease reports say. A manager releases the device "
        "from it (Release from Router) for the next router that reports it to take it.",
    )
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
    first_seen = fields.Datetime(readonly=True, copy=False, index=True)  # the dashboard's "New today"
    last_seen = fields.Datetime(readonly=True, copy=False, index=True)
    lease_count = fields.Integer(readonly=True, copy=False)
    subscription_ids = fields.One2many("isp.subscription", "mac_profile_id", string="Subscriptions")
    onboarding_event_ids = fields.One2many("isp.onboarding.event", "profile_id", string="Onboarding Log")
    subscription_state = fields.Selection(related="subscription_id.state", string="Subscription Status")
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
        index="btree_not_null",
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
    # The dashboard's "Offline > 24 h": the offline devices alone, by when they were last seen.
    _offline_last_seen_index = models.Index("(last_seen) WHERE online IS NOT TRUE")

    def _get_backend_root_menu_ids(self):
        # Its menu opens the dashboard, a client action: Odoo finds no menu of the model by itself,
        # and a link to a device (in a notification or an email) would open it under Discuss.
        return super()._get_backend_root_menu_ids() + [self.env.ref("isp_core.isp_root_menu").id]

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
            self._check_network_fields(vals)
            if vals.get("mac"):
                vals["mac"] = self._normalize_mac_field(vals["mac"])
            vals.setdefault("feed_changed_at", self.env.cr.now())
        profiles = super().create(vals_list)
        profiles._send_bus_updates()
        return profiles

    def write(self, vals):
        self._check_network_fields(vals)
        if vals.get("mac"):
            vals["mac"] = self._normalize_mac_field(vals["mac"])
        if vals.keys() & FEED_FIELDS:
            vals = {**vals, "feed_changed_at": self.env.cr.now()}
        result = super().write(vals)
        if vals.keys() & FEED_FIELDS:
            self._send_bus_updates()
        return result

    def _check_network_fields(self, vals):
        if not self.env.su and vals.keys() & NETWORK_FIELDS:
            raise AccessError(self.env._(
                "%(fields)s: only the router says where a device is; Odoo records it from the router's lease reports.",
                fields=", ".join(sorted(self._fields[name].get_description(self.env)["string"] for name in vals.keys() & NETWORK_FIELDS)),
            ))

    # ------------------------------------------------------------------
    # Staff actions
    # ------------------------------------------------------------------

    def action_release_router(self):
        """Frees the devices from their router, for a customer who moved: the next router that
        reports them takes them (a router that signs with its key refuses another's device)."""
        if not self.env.user.has_group("isp_core.group_isp_manager"):
            raise AccessError(self.env._("Only ISP managers can release a device from its router."))
        self.check_access("write")
        self.sudo().write({"router_id": False})
        return True

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

    def convert_to_subscription(
        self, plan_id=None, partner_id=None, partner_name=None, create_captive_user=None, customer=None, location=None
    ):
        """Give this profile an active subscription, whose service is queued for its router at
        once (the one-click staff action of the MAC Profiles screen).

        :param plan_id: the plan; defaults to the configured default plan.
        :param partner_id: an existing customer; else a new one named ``partner_name``
            (or after the host name or the MAC).
        :param create_captive_user: defaults to the configured parameter.
        :param customer: what staff completed of the customer, among ``phone``, ``vat`` (the
            cédula or RNC), ``street`` and ``city``; empty values leave the customer's own.
        :param location: how to find the premises, kept on the subscription.
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
        details = {name: value.strip() for name, value in (customer or {}).items() if name in CUSTOMER_DETAILS and value and value.strip()}
        if details:
            subscription.partner_id.write(details)
        if location and location.strip():
            subscription.location = location.strip()
        return {
            "subscription_id": subscription.id,
            "subscription_name": subscription.name,
            "network_message": subscription.network_message,
        }

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
    def _normalize_mac_field(self, value):
        try:
            return normalize_mac(value)
        except ValueError as exc:
            raise ValidationError(
                self.env._("%(value)s is not a MAC address (use e.g. AA:BB:CC:DD:EE:FF).", value=value)
            ) from exc
