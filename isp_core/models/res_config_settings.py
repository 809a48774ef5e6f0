import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..lib import parameters


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    isp_mac_onboarding_token = fields.Char(
        string="MAC Onboarding Token",
        config_parameter=parameters.MAC_ONBOARDING_TOKEN,
        groups="isp_core.group_isp_manager",
        help="Shared secret the routers send in the X-ISP-Token header. "
        "While it is empty, the onboarding endpoint refuses every call.",
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
        if not self.env.user.has_group("isp_core.group_isp_manager"):
            raise AccessError(self.env._("Only ISP managers can generate the onboarding token."))
        self.env["ir.config_parameter"].sudo().set_param(
            parameters.MAC_ONBOARDING_TOKEN, secrets.token_urlsafe(32)
        )
        return {"type": "ir.actions.client", "tag": "reload"}
