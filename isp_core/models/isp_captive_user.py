from odoo import fields, models


class IspCaptiveUser(models.Model):
    _name = "isp.captive.user"
    _description = "ISP Captive Portal User"
    _inherit = ["mail.thread"]
    _order = "login"
    _rec_name = "login"

    login = fields.Char(required=True, tracking=True)
    password = fields.Char(groups="isp_core.group_isp_manager", copy=False)
    hotspot_profile = fields.Char(string="Hotspot User Profile", tracking=True)
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
