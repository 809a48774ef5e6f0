import hmac
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..lib import agent_protocol, contract
from ..lib.router_values import NotANetwork, RouterScope, parse_lan_networks
from ..lib.routeros_session import DEFAULT_API_PORT as API_PORT

API_TLS_PORT = 8729
# A router in agent mode that has not checked in for this many of its intervals is shown as silent.
SILENT_INTERVALS = 3
# last_contact moves once a minute at most (isp.router.connection's CONTACT_PRECISION).
CONTACT_LAG_SECONDS = 60
# A router's clock further off than this is shown as wrong: certificates are checked against it.
CLOCK_TOLERANCE_SECONDS = 300


class IspRouter(models.Model):
    _name = "isp.router"
    _description = "ISP Router (MikroTik)"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(string="Identity", required=True, tracking=True, help="RouterOS system identity.")
    sector_id = fields.Many2one("isp.sector", index=True, tracking=True, ondelete="restrict")
    connection_mode = fields.Selection(
        [("api", "Odoo connects (API)"), ("agent", "Router checks in (agent)")],
        required=True,
        default="api",
        tracking=True,
        help="API: Odoo connects to the router's API, which must be reachable from Odoo. Agent: the "
        "router runs isp_core's agent script, which calls Odoo and applies what Odoo sends back; "
        "for a router Odoo cannot reach, such as one behind Starlink's CGNAT.",
    )
    # Only a digest: the key itself is shown once, to the manager who generated it.
    key_digest = fields.Char(groups="base.group_system", copy=False, index="btree_not_null")
    key_set = fields.Boolean(
        string="Router Key Set", compute="_compute_key_set", help="Whether the router has a key to check in with."
    )
    checkin_interval = fields.Integer(
        string="Check-in Interval (s)",
        default=30,
        help="How often the agent checks in, as the preloader set up its scheduler. A router silent "
        "for three intervals is shown as not checking in.",
    )
    sync_interval = fields.Integer(
        string="Lease Sync Interval (s)",
        default=300,
        help="How often the agent sends its leases and the items Odoo manages on it.",
    )
    sync_requested = fields.Boolean(readonly=True, copy=False, help="The next check-in carries the leases.")
    last_sync_at = fields.Datetime(string="Last Lease Sync", readonly=True, copy=False)
    agent_version = fields.Char(readonly=True, copy=False, help="The agent script's protocol, as its last check-in gave it.")
    checkin_silent = fields.Boolean(
        string="Not Checking In",
        compute="_compute_checkin_silent",
        search="_search_checkin_silent",
        help="In agent mode: the router has not checked in for three of its intervals, or never has.",
    )
    pending_operation_count = fields.Integer(
        string="Sent, Not Yet Reported",
        compute="_compute_pending_operation_count",
        help="Operations sent to the agent that it has not reported yet. Jobs still to send are on "
        "the Provisioning Jobs tab.",
    )
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
    lan_networks = fields.Char(
        string="LAN Networks",
        tracking=True,
        help="The router's customer networks, comma-separated in CIDR form (e.g. 10.10.0.0/24); the "
        "preloader registers them. A customer's address must be one host of these networks, or "
        "Odoo neither records it nor sends it to the router. Empty: any host of the private "
        "ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) is accepted.",
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
    reach_error = fields.Char(
        string="Cannot Reach Odoo",
        copy=False,
        help="The router's own words when it last failed to fetch Odoo's readiness URL, as the preloader "
        "had it check at the end of its run (a certificate, its clock, DNS, a timeout); cleared when it succeeds.",
    )
    clock_skew = fields.Integer(
        string="Clock Skew (s)",
        readonly=True,
        copy=False,
        help="The router's clock minus Odoo's, in seconds, as its agent's last check-in gave it.",
    )
    clock_wrong = fields.Boolean(compute="_compute_clock_wrong")
    provisioning_job_ids = fields.One2many("isp.provisioning.job", "router_id", string="Provisioning Jobs")
    lease_reconciliation_ids = fields.One2many("isp.lease.reconciliation", "router_id", string="Lease Syncs")
    active = fields.Boolean(default=True, tracking=True)

    _name_unique = models.Constraint("UNIQUE(name)", "A router with this identity already exists.")
    _api_port_range = models.Constraint(
        "CHECK(api_port > 0 AND api_port < 65536)", "The API port must be between 1 and 65535."
    )
    _checkin_interval_positive = models.Constraint(
        "CHECK(checkin_interval > 0 AND sync_interval > 0)", "The check-in and sync intervals must be positive."
    )

    @api.constrains("suspended_address_list")
    def _check_suspended_address_list(self):
        for router in self:
            if not agent_protocol.SAFE_VALUE.fullmatch(router.suspended_address_list or ""):
                raise ValidationError(self.env._(
                    "Suspended Address List: only letters, digits, spaces and %(punctuation)s, as RouterOS scripts "
                    "read it safely.",
                    punctuation=contract.AGENT_VALUE_PUNCTUATION,
                ))

    @api.constrains("lan_networks")
    def _check_lan_networks(self):
        for router in self:
            try:
                parse_lan_networks(router.lan_networks)
            except NotANetwork as exc:
                raise ValidationError(self.env._(
                    "LAN Networks: %(item)s is not an IPv4 network in CIDR form, such as 10.10.0.0/24. Separate "
                    "several with commas.",
                    item=exc.item,
                )) from exc

    def _scope(self):
        """What Odoo may send this router (router_values.RouterScope); for no router (a report
        naming a router Odoo does not know), the private ranges and the default list."""
        return RouterScope(
            parse_lan_networks(self.lan_networks),
            self.suspended_address_list or contract.SUSPENDED_ADDRESS_LIST,
            f"{self.get_base_url().rstrip('/')}{contract.NOTICE_PATH}/",
        )

    @api.depends("clock_skew")
    def _compute_clock_wrong(self):
        for router in self:
            router.clock_wrong = abs(router.clock_skew) > CLOCK_TOLERANCE_SECONDS

    def _compute_checkin_silent(self):
        silent = self.search([("id", "in", self.ids), ("checkin_silent", "=", True)]) if self.ids else self.browse()
        for router in self:
            router.checkin_silent = router in silent

    def _search_checkin_silent(self, operator, value):
        if operator in ("=", "!="):
            operator, value = ("in" if operator == "=" else "not in"), [value]
        if operator not in ("in", "not in"):
            return NotImplemented
        self.env.cr.execute(SQL(
            """
            SELECT id FROM isp_router
             WHERE connection_mode = 'agent'
               AND (last_contact IS NULL
                    OR last_contact < %s - make_interval(secs => %s * checkin_interval + %s))
            """,
            fields.Datetime.now(), SILENT_INTERVALS, CONTACT_LAG_SECONDS,
        ))
        silent_ids = [row[0] for row in self.env.cr.fetchall()]
        wanted = True in value if operator == "in" else True not in value
        return [("id", "in" if wanted else "not in", silent_ids)]

    def _silent_at(self, now):
        """Whether this router is one that stopped checking in, at ``now``: what
        _search_checkin_silent asks the database, for a router at hand."""
        self.ensure_one()
        if self.connection_mode != "agent":
            return False
        allowed = timedelta(seconds=SILENT_INTERVALS * self.checkin_interval + CONTACT_LAG_SECONDS)
        return not self.last_contact or self.last_contact < now - allowed

    def _compute_pending_operation_count(self):
        counts = dict(self.env["isp.router.operation"].sudo()._read_group(
            [("router_id", "in", self.ids), ("state", "=", "sent")], ["router_id"], ["__count"]
        ))
        for router in self:
            router.pending_operation_count = counts.get(router, 0)

    def _compute_key_set(self):
        for router in self:
            router.key_set = bool(router.sudo().key_digest)

    def write(self, vals):
        if "connection_mode" in vals:
            # Jobs sent to an agent wait for its report, which will not come once it is no longer
            # one: they run again through the new mode.
            leaving_agent = self.filtered(lambda router: router.connection_mode == "agent")
            if vals["connection_mode"] == "agent":
                leaving_agent = self.browse()
            self.env["isp.router.operation"].sudo().search([("router_id", "in", leaving_agent.ids)]).unlink()
            self.env["isp.provisioning.job"].sudo().search([
                ("router_id", "in", leaving_agent.ids), ("state", "in", ("queued", "failed")), ("next_attempt_at", "=", False)
            ]).write({"next_attempt_at": fields.Datetime.now()})
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
        if self.connection_mode == "agent":
            return self.env["isp.router.agent"]._action_status(self)
        return self.env["isp.router.connection"]._action_test(self)

    def action_sync_leases(self):
        self.ensure_one()
        return self.env["isp.lease.reconciliation"]._action_reconcile(self)

    def rotate_key(self):
        """Gives the router a new key and returns it; the previous one stops working at once.
        The preloader calls it to install the key in the agent script."""
        self.ensure_one()
        self._check_manager()
        key = agent_protocol.generate_key()
        self.sudo().key_digest = agent_protocol.key_digest(key)
        self.message_post(body=self.env._("A new router key was generated; the previous one no longer works."))
        return key

    @api.model
    def _from_key(self, key):
        """The active router whose key this is, or an empty recordset. A router is known by its
        key alone, never by the identity a call claims."""
        routers = self.sudo()
        if not key:
            return routers
        digest = agent_protocol.key_digest(key)
        router = routers.search([("key_digest", "=", digest)], limit=1)
        if router and hmac.compare_digest(router.key_digest, digest):
            return router
        return routers

    def key_matches(self, key):
        """Whether ``key`` is the router's current key: the preloader keeps the key it finds
        in a router's agent script only if Odoo still accepts it."""
        self.ensure_one()
        self._check_manager()
        digest = self.sudo().key_digest or ""
        return bool(key) and hmac.compare_digest(digest, agent_protocol.key_digest(key))

    def _check_manager(self):
        if not self.env.user.has_group("isp_core.group_isp_manager"):
            raise AccessError(self.env._("Only ISP managers can manage router keys."))

    def action_rotate_key(self):
        """The router form's button: a new key, shown once in a dialog."""
        self.ensure_one()
        replaced_previous = self.key_set
        wizard = self.env["isp.router.key.wizard"].create(
            {"router_id": self.id, "token": self.rotate_key(), "replaced_previous": replaced_previous}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Router Key"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
