from odoo import api, fields, models

from ..lib.rate_limit import format_rate_limit
from ..lib.routeros_operations import plan_profile_name


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
        help="The plan's own hotspot user profile, which Odoo creates on every router that serves "
        "the plan and gives the plan's rate limit. Its name starts with isp_core-, added if you "
        "leave it out, so that Odoo never changes a profile it did not create (such as the "
        "router's default). Empty: the plan's speed is set with a simple queue per customer.",
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("hotspot_profile"):
                vals["hotspot_profile"] = plan_profile_name(vals["hotspot_profile"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("hotspot_profile"):
            vals = {**vals, "hotspot_profile": plan_profile_name(vals["hotspot_profile"])}
        result = super().write(vals)
        if {"download_mbps", "upload_mbps", "hotspot_profile"} & vals.keys():
            self.env["isp.provisioning.job"]._enqueue_for_plans(self, profile_changed="hotspot_profile" in vals)
        return result
