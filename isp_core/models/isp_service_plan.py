from odoo import api, fields, models

from ..lib.rate_limit import format_rate_limit


class IspServicePlan(models.Model):
    _name = "isp.service.plan"
    _description = "ISP Service Plan"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, tracking=True)
    download_mbps = fields.Float(
        string="Download (Mbit/s)", required=True, tracking=True, digits=(10, 3)
    )
    upload_mbps = fields.Float(string="Upload (Mbit/s)", required=True, tracking=True, digits=(10, 3))
    rate_limit = fields.Char(
        compute="_compute_rate_limit",
        store=True,
        help="MikroTik rate-limit, upload/download from the client's side (e.g. 5M/20M).",
    )
    price = fields.Monetary(currency_field="currency_id", tracking=True)
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    hotspot_profile = fields.Char(
        string="Hotspot User Profile",
        help="Name of the RouterOS hotspot user profile for this plan.",
    )
    active = fields.Boolean(default=True, tracking=True)

    _speeds_positive = models.Constraint(
        "CHECK(download_mbps > 0 AND upload_mbps > 0)",
        "Download and upload speeds must be positive.",
    )
    _price_not_negative = models.Constraint("CHECK(price >= 0)", "The price cannot be negative.")

    @api.depends("download_mbps", "upload_mbps")
    def _compute_rate_limit(self):
        for plan in self:
            plan.rate_limit = format_rate_limit(plan.download_mbps, plan.upload_mbps)

    def write(self, vals):
        result = super().write(vals)
        if {"download_mbps", "upload_mbps", "hotspot_profile"} & vals.keys():
            self.env["isp.provisioning.job"]._enqueue_for_plans(self, profile_changed="hotspot_profile" in vals)
        return result
