from odoo import api, fields, models

from ..lib import parameters

# What the router's hotspot user is made of: a change to one of these is provisioned.
ROUTER_FIELDS = {"login", "password", "mac", "hotspot_profile", "router_id", "subscription_id", "active"}


class IspCaptiveUser(models.Model):
    _name = "isp.captive.user"
    _description = "ISP Captive Portal User"
    _inherit = ["mail.thread"]
    _order = "login"
    _rec_name = "login"

    login = fields.Char(required=True, tracking=True)
    password = fields.Char(groups="isp_core.group_isp_manager", copy=False)
    hotspot_profile = fields.Char(
        string="Own Profile",
        tracking=True,
        help="The hotspot user profile for this user when its plan names none.",
    )
    router_profile = fields.Char(
        string="Profile on the Router",
        compute="_compute_router_profile",
        help="The hotspot user profile the router gives this user: its plan's, which carries the speed "
        "the customer pays for; else its own; else the default of the Settings.",
    )
    mac = fields.Char(string="MAC", tracking=True)
    subscription_id = fields.Many2one("isp.subscription", index=True, ondelete="cascade", tracking=True)
    router_id = fields.Many2one("isp.router", index=True, ondelete="set null", tracking=True)
    provisioning_state = fields.Selection(
        [("to_provision", "To Provision"), ("provisioned", "Provisioned"), ("failed", "Failed")],
        tracking=True,
        copy=False,
        help="Empty while the user is not meant to be pushed to the router.",
    )
    provisioning_error = fields.Text(readonly=True, copy=False)
    active = fields.Boolean(default=True, tracking=True)

    _login_router_unique = models.Constraint(
        "UNIQUE(login, router_id)", "This login already exists on this router."
    )

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        self.env["isp.provisioning.job"]._enqueue_hotspot_user(users)
        return users

    def write(self, vals):
        jobs = self.env["isp.provisioning.job"]
        if ROUTER_FIELDS & vals.keys():
            jobs._enqueue_hotspot_user(self)  # with the old login and router, to clean them up
        result = super().write(vals)
        if ROUTER_FIELDS & vals.keys() or vals.get("provisioning_state") == "to_provision":
            jobs._enqueue_hotspot_user(self)
        return result

    @api.depends("subscription_id.plan_id.hotspot_profile", "hotspot_profile")
    def _compute_router_profile(self):
        default = self._default_hotspot_profile()
        for user in self:
            user.router_profile = user.subscription_id.plan_id.hotspot_profile or user.hotspot_profile or default

    @api.model
    def _default_hotspot_profile(self):
        """The hotspot user profile of captive users whose plan names none (Settings)."""
        get_param = self.env["ir.config_parameter"].sudo().get_param
        return get_param(parameters.MAC_CAPTIVE_DEFAULT_PROFILE) or parameters.DEFAULT_CAPTIVE_PROFILE

    def unlink(self):
        self.env["isp.provisioning.job"]._enqueue_hotspot_user(self)
        return super().unlink()
