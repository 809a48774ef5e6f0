from odoo import api, fields, models

API_PORT = 8728
API_TLS_PORT = 8729


class IspRouter(models.Model):
    _name = "isp.router"
    _description = "ISP Router (MikroTik)"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(string="Identity", required=True, tracking=True, help="RouterOS system identity.")
    sector_id = fields.Many2one("isp.sector", index=True, tracking=True, ondelete="restrict")
    host = fields.Char(tracking=True, help="Address of the RouterOS API.")
    api_port = fields.Integer(string="API Port", default=API_PORT, tracking=True)
    use_tls = fields.Boolean(string="Use TLS", tracking=True, help="Use the api-ssl service (port 8729).")
    api_user = fields.Char(string="API User", tracking=True)
    api_password = fields.Char(string="API Password", groups="isp_core.group_isp_manager", copy=False)
    last_contact = fields.Datetime(readonly=True, copy=False)
    active = fields.Boolean(default=True, tracking=True)

    _name_unique = models.Constraint("UNIQUE(name)", "A router with this identity already exists.")
    _api_port_range = models.Constraint(
        "CHECK(api_port > 0 AND api_port < 65536)", "The API port must be between 1 and 65535."
    )

    @api.onchange("use_tls")
    def _onchange_use_tls(self):
        # Follow RouterOS defaults unless the port was set to something custom.
        if self.use_tls and self.api_port == API_PORT:
            self.api_port = API_TLS_PORT
        elif not self.use_tls and self.api_port == API_TLS_PORT:
            self.api_port = API_PORT
