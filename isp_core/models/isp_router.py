from odoo import api, fields, models

from ..lib import contract
from ..lib.routeros_session import DEFAULT_API_PORT as API_PORT

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
    suspended_address_list = fields.Char(
        required=True,
        default=contract.SUSPENDED_ADDRESS_LIST,
        tracking=True,
        help="The firewall address list whose addresses this router cuts off; Odoo puts suspended "
        "customers in it. The preloader registers the one it set up (firewall.suspended_address_list).",
    )
    last_contact = fields.Datetime(readonly=True, copy=False)
    routeros_version = fields.Char(string="RouterOS Version", readonly=True, copy=False)
    last_failure = fields.Selection(
        # Keyed by RouterOsError.kind. A refused command is never stored (the router answered),
        # but a button names it with the same words.
        [
            ("unreachable", "Cannot connect"),
            ("timeout", "No answer in time"),
            ("login", "Login refused"),
            ("protocol", "Unreadable answer"),
            ("refused", "Command refused"),
        ],
        readonly=True,
        copy=False,
        help="What went wrong the last time Odoo tried to reach the router; cleared on the next contact.",
    )
    last_error = fields.Char(
        string="Failure Details",
        readonly=True,
        copy=False,
        help="The error as the connection reported it, addresses and router messages included.",
    )
    provisioning_job_ids = fields.One2many("isp.provisioning.job", "router_id", string="Provisioning Jobs")
    lease_reconciliation_ids = fields.One2many("isp.lease.reconciliation", "router_id", string="Lease Syncs")
    active = fields.Boolean(default=True, tracking=True)

    _name_unique = models.Constraint("UNIQUE(name)", "A router with this identity already exists.")
    _api_port_range = models.Constraint(
        "CHECK(api_port > 0 AND api_port < 65536)", "The API port must be between 1 and 65535."
    )

    def write(self, vals):
        result = super().write(vals)
        if "suspended_address_list" in vals:
            # The router's suspended customers move to the new list; the old list is left as it was.
            subscriptions = self.env["isp.subscription"].sudo().search(
                [("router_id", "in", self.ids), ("state", "=", "suspended")]
            )
            self.env["isp.provisioning.job"]._enqueue_customer_access(subscriptions)
        return result

    @api.onchange("use_tls")
    def _onchange_use_tls(self):
        # Follow RouterOS defaults unless the port was set to something custom.
        if self.use_tls and self.api_port == API_PORT:
            self.api_port = API_TLS_PORT
        elif not self.use_tls and self.api_port == API_TLS_PORT:
            self.api_port = API_PORT

    def action_test_connection(self):
        self.ensure_one()
        return self.env["isp.router.connection"]._action_test(self)

    def action_sync_leases(self):
        self.ensure_one()
        return self.env["isp.lease.reconciliation"]._action_reconcile(self)
