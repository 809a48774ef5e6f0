from odoo import api, fields, models


class IspSector(models.Model):
    _name = "isp.sector"
    _description = "ISP Sector"
    _inherit = ["mail.thread"]
    _order = "code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, tracking=True, help="Unique code, e.g. SEC-001-los_cacaos.")
    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    router_ids = fields.One2many("isp.router", "sector_id", string="Routers")
    router_count = fields.Integer(compute="_compute_counts")
    profile_count = fields.Integer(compute="_compute_counts", string="MAC Profile Count")
    subscription_count = fields.Integer(compute="_compute_counts")

    _code_unique = models.Constraint("UNIQUE(code)", "A sector with this code already exists.")

    @api.depends("router_ids")
    def _compute_counts(self):
        counters = {
            "router_count": "isp.router",
            "profile_count": "isp.mac.profile",
            "subscription_count": "isp.subscription",
        }
        for field_name, model_name in counters.items():
            counts = dict(
                self.env[model_name]._read_group(
                    [("sector_id", "in", self.ids)], ["sector_id"], ["__count"]
                )
            )
            for sector in self:
                sector[field_name] = counts.get(sector, 0)

    def action_open_routers(self):
        return self._open_related("isp_core.isp_router_action")

    def action_open_profiles(self):
        return self._open_related("isp_core.isp_mac_profile_action")

    def action_open_subscriptions(self):
        return self._open_related("isp_core.isp_subscription_action")

    def _open_related(self, action_xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(action_xmlid)
        action["domain"] = [("sector_id", "=", self.id)]
        action["context"] = {"default_sector_id": self.id}
        return action
