from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..lib import onboarding_token, parameters


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # The token itself is never a field here: Odoo answers default_get on this model to any
    # logged-in user, whatever a field's groups say. Settings only tell whether one is set.
    isp_mac_onboarding_token_set = fields.Boolean(
        string="Onboarding Token Set",
        compute="_compute_isp_mac_onboarding_token_set",
        help="Routers send the token in the X-ISP-Token header. While none is set, the "
        "onboarding endpoint refuses every call.",
    )
    isp_token_router_ids = fields.Many2many(
        "isp.router",
        string="Routers on the Shared Token",
        compute="_compute_isp_token_router_ids",
        help="Active routers without a key of their own, whose reports only the shared token can carry.",
    )
    isp_mac_auto_create = fields.Boolean(
        string="Approve New Devices Automatically",
        config_parameter=parameters.MAC_AUTO_CREATE,
        help="A new device gets at once an active subscription on the default plan: its service "
        "starts without waiting for staff.",
    )
    isp_mac_default_plan_id = fields.Many2one(
        "isp.service.plan",
        string="Default Plan",
        config_parameter=parameters.MAC_DEFAULT_PLAN_ID,
        help="The plan of automatic approvals, and of one-click conversions on the MAC Profiles screen.",
    )
    isp_mac_auto_create_captive_user = fields.Boolean(
        string="Create Captive Users",
        config_parameter=parameters.MAC_AUTO_CREATE_CAPTIVE_USER,
        help="Give each new subscription a captive-portal user whose login and password are the MAC.",
    )
    isp_mac_auto_provision_captive = fields.Boolean(
        string="Provision Captive Users",
        config_parameter=parameters.MAC_AUTO_PROVISION_CAPTIVE,
        help="Queue new captive users to be pushed to their router.",
    )
    isp_mac_captive_default_profile = fields.Char(
        string="Default Hotspot User Profile",
        config_parameter=parameters.MAC_CAPTIVE_DEFAULT_PROFILE,
        default=parameters.DEFAULT_CAPTIVE_PROFILE,
    )
    isp_onboarding_event_retention_days = fields.Integer(
        string="Keep Onboarding Log (days)",
        config_parameter=parameters.ONBOARDING_EVENT_RETENTION_DAYS,
        default=parameters.DEFAULT_EVENT_RETENTION_DAYS,
    )

    def _compute_isp_mac_onboarding_token_set(self):
        token = self.env["ir.config_parameter"].sudo().get_param(parameters.MAC_ONBOARDING_TOKEN)
        self.isp_mac_onboarding_token_set = onboarding_token.is_usable(token)

    def _compute_isp_token_router_ids(self):
        routers = self.env["isp.router"].sudo().search([("key_digest", "=", False)])
        self.isp_token_router_ids = routers.with_env(self.env)

    @api.constrains("isp_mac_auto_create", "isp_mac_default_plan_id")
    def _check_isp_default_plan(self):
        for settings in self:
            if settings.isp_mac_auto_create and not settings.isp_mac_default_plan_id:
                raise ValidationError(
                    self.env._("Approve New Devices Automatically needs a Default Plan: choose one, or turn it off.")
                )

    def set_values(self):
        super().set_values()
        if self.isp_mac_auto_create and self.isp_mac_default_plan_id:
            self.env["isp.mac.profile"]._retry_waiting_devices()

    def action_generate_mac_onboarding_token(self):
        """Generates a new token (replacing any previous one) and shows it once, to this manager."""
        if not self.env.user.has_group("isp_core.group_isp_manager"):
            raise AccessError(self.env._("Only ISP managers can generate the onboarding token."))
        config = self.env["ir.config_parameter"].sudo()
        replaced_previous = onboarding_token.is_usable(config.get_param(parameters.MAC_ONBOARDING_TOKEN))
        token = onboarding_token.generate()
        config.set_param(parameters.MAC_ONBOARDING_TOKEN, token)
        wizard = self.env["isp.onboarding.token.wizard"].create({"token": token, "replaced_previous": replaced_previous})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Onboarding Token"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
