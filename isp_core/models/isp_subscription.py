import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

# The subscription states that the network must enforce: access while active, a cut while suspended.
LIVE_STATES = ("active", "suspended")


class IspSubscription(models.Model):
    _name = "isp.subscription"
    _description = "ISP Subscription"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True)
    plan_id = fields.Many2one("isp.service.plan", required=True, tracking=True, ondelete="restrict")
    mac_profile_id = fields.Many2one("isp.mac.profile", string="MAC Profile", index=True, tracking=True)
    sector_id = fields.Many2one("isp.sector", index=True, tracking=True)
    router_id = fields.Many2one("isp.router", index=True, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("suspended", "Suspended"),
            ("terminated", "Terminated"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    start_date = fields.Date(tracking=True, copy=False)
    # Why a suspended subscription is cut. Other addons add their own reasons (selection_add), and
    # only the one that suspended for its reason lifts that suspension on its own.
    suspension_reason = fields.Selection(
        [("staff", "Staff decision")],
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="Why the subscription is suspended: staff's own decision, or a reason an addon adds "
        "(such as non-payment). Empty while it is not suspended.",
    )
    captive_user_ids = fields.One2many("isp.captive.user", "subscription_id", string="Captive Users")
    captive_user_count = fields.Integer(compute="_compute_captive_user_count")
    provisioning_job_ids = fields.One2many("isp.provisioning.job", "subscription_id", string="Provisioning Jobs")
    network_state = fields.Selection(
        [
            ("in_sync", "On the network"),
            ("pending", "Waiting for the router"),
            ("failed", "Not applied"),
            ("no_router", "No router"),
        ],
        string="Network",
        compute="_compute_network_state",
        search="_search_network_state",
        help="Whether the router already does what this subscription's state says: a job that "
        "still waits or failed, or a live subscription without a router, means it does not yet.",
    )
    network_message = fields.Char(compute="_compute_network_state", string="Network Status")

    # The customer, completed in place: an automatically onboarded one is only a name (a host name
    # or a MAC) until staff fill in the rest.
    customer_phone = fields.Char(related="partner_id.phone", readonly=False, string="Phone")
    customer_vat = fields.Char(
        related="partner_id.vat", readonly=False, string="Cédula / RNC", help="The customer's Dominican ID or tax number."
    )
    customer_street = fields.Char(related="partner_id.street", readonly=False, string="Address")
    customer_city = fields.Char(related="partner_id.city", readonly=False, string="City")
    location = fields.Char(
        tracking=True,
        help="How to find the premises the service reaches: landmarks, or GPS coordinates such as 19.4517, -70.6970.",
    )
    customer_incomplete = fields.Boolean(
        string="Customer to Complete",
        compute="_compute_customer_incomplete",
        search="_search_customer_incomplete",
        help="The customer has no phone, no cédula or RNC, or no address.",
    )
    # What the device and the plan are, at a glance.
    device_ip = fields.Char(related="mac_profile_id.last_ip", string="Device IP")
    device_online = fields.Boolean(related="mac_profile_id.online", string="Device Online")
    plan_speed = fields.Char(
        string="Speed", compute="_compute_plan_speed", help="The plan's download / upload speed."
    )
    plan_price = fields.Monetary(related="plan_id.price", string="Monthly Price", currency_field="plan_currency_id")
    plan_currency_id = fields.Many2one(related="plan_id.currency_id", string="Plan Currency")

    # The dashboard counts the subscriptions of devices by state, router (none: not on the network)
    # and customer (incomplete) from this index alone, without reading the table's rows.
    _device_state_index = models.Index("(state, router_id, partner_id) WHERE mac_profile_id IS NOT NULL")

    @api.depends("plan_id.download_mbps", "plan_id.upload_mbps")
    def _compute_plan_speed(self):
        for subscription in self:
            plan = subscription.plan_id
            subscription.plan_speed = (
                self.env._("%(download)s / %(upload)s Mbit/s", download=f"{plan.download_mbps:g}", upload=f"{plan.upload_mbps:g}")
                if plan
                else False
            )

    @api.depends("partner_id.phone", "partner_id.vat", "partner_id.street")
    def _compute_customer_incomplete(self):
        for subscription in self:
            partner = subscription.partner_id
            subscription.customer_incomplete = not (partner.phone and partner.vat and partner.street)

    def _search_customer_incomplete(self, operator, value):
        if operator in ("=", "!="):
            operator, value = ("in" if operator == "=" else "not in"), [value]
        if operator not in ("in", "not in"):
            return NotImplemented
        incomplete = (
            Domain("partner_id.phone", "=", False) | Domain("partner_id.vat", "=", False) | Domain("partner_id.street", "=", False)
        )
        wanted = (True in value) == (operator == "in")
        return incomplete if wanted else ~incomplete

    @api.depends("captive_user_ids")
    def _compute_captive_user_count(self):
        for subscription in self:
            subscription.captive_user_count = len(subscription.captive_user_ids)

    def _open_jobs(self):
        """The jobs still to bring these subscriptions' access and hotspot users in line, by
        subscription."""
        jobs = self.env["isp.provisioning.job"].sudo().search([
            ("state", "in", ("queued", "failed")),
            "|",
            ("subscription_id", "in", self.ids),
            ("captive_user_id.subscription_id", "in", self.ids),
        ])
        by_subscription = {subscription.id: jobs.browse() for subscription in self}
        for job in jobs:
            subscription = job.subscription_id or job.captive_user_id.subscription_id
            by_subscription[subscription.id] |= job
        return by_subscription

    @api.depends("state", "router_id", "provisioning_job_ids.state", "captive_user_ids.provisioning_state")
    def _compute_network_state(self):
        jobs_by_subscription = self._open_jobs()
        for subscription in self:
            jobs = jobs_by_subscription.get(subscription.id, self.env["isp.provisioning.job"])
            failed = jobs.filtered(lambda job: job.state == "failed")
            if subscription.state in LIVE_STATES and not subscription.router_id:
                subscription.network_state = "no_router"
                subscription.network_message = self.env._(
                    "No router: the network does not apply this subscription. Set its router."
                )
            elif failed:
                job = failed[0]
                subscription.network_state = "failed"
                # A delay, not a clock time: the server cannot format a time in the reader's zone.
                subscription.network_message = (
                    self.env._(
                        "Router %(router)s did not apply it: %(error)s. It is tried again in %(minutes)s min.",
                        router=job.router_id.name,
                        error=job.last_error,
                        minutes=max(1, math.ceil((job.next_attempt_at - fields.Datetime.now()).total_seconds() / 60)),
                    )
                    if job.next_attempt_at
                    else self.env._(
                        "Router %(router)s did not apply it: %(error)s. No more automatic tries: "
                        "retry it from Provisioning Jobs.",
                        router=job.router_id.name,
                        error=job.last_error,
                    )
                )
            elif jobs:
                router = jobs[0].router_id
                subscription.network_state = "pending"
                subscription.network_message = (
                    self.env._(
                        "Waiting for router %(router)s to apply it at its next check-in (every %(seconds)s s).",
                        router=router.name,
                        seconds=router.checkin_interval,
                    )
                    if router.connection_mode == "agent"
                    else self.env._("Waiting to be applied on router %(router)s.", router=router.name)
                )
            else:
                subscription.network_state = "in_sync"
                subscription.network_message = False

    def _search_network_state(self, operator, value):
        if operator in ("=", "!="):
            operator, value = ("in" if operator == "=" else "not in"), [value]
        if operator not in ("in", "not in"):
            return NotImplemented
        # "No router" stays a condition on the subscription: given as ids, it would put every
        # subscription of a router-less network into the query (80,000 ids for the dashboard).
        no_router = Domain("state", "in", LIVE_STATES) & Domain("router_id", "=", False)
        failed, waiting = self._with_open_job("failed"), self._with_open_job("queued")
        by_state = {
            "no_router": no_router,
            "failed": ~no_router & failed,
            "pending": ~no_router & waiting & ~failed,
            "in_sync": ~no_router & ~failed & ~waiting,
        }
        domain = Domain.OR(by_state[state] for state in value if state in by_state)
        return domain if operator == "in" else ~domain

    @api.model
    def _with_open_job(self, job_state):
        """The subscriptions with a job in ``job_state``, their own or their captive users', as a
        sub-query the database answers: the dashboard counts them among 100,000 devices without
        reading a job into Python. Every job is counted, whoever may read it (as _open_jobs)."""
        return Domain(
            "id",
            "any!",
            SQL(
                """SELECT COALESCE(job.subscription_id, captive_user.subscription_id)
                     FROM isp_provisioning_job job
                LEFT JOIN isp_captive_user captive_user ON captive_user.id = job.captive_user_id
                    WHERE job.state = %s
                      AND COALESCE(job.subscription_id, captive_user.subscription_id) IS NOT NULL""",
                job_state,
            ),
        )

    @api.constrains("mac_profile_id", "state")
    def _check_one_live_subscription_per_device(self):
        """A device has one subscription at a time that is not terminated; it may get a new one
        once the last is terminated."""
        for profile in self.filtered(lambda subscription: subscription.state != "terminated").mac_profile_id.sudo():
            live = profile.subscription_ids.filtered(lambda subscription: subscription.state != "terminated")
            if len(live) > 1:
                raise ValidationError(
                    self.env._(
                        "MAC profile %(mac)s already has subscription %(subscription)s.",
                        mac=profile.mac,
                        subscription=(live - self)[:1].name or live[0].name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("isp.subscription") or "/"
        return super().create(vals_list)

    def write(self, vals):
        jobs = self.env["isp.provisioning.job"]
        if "router_id" in vals:
            jobs._enqueue_for_subscriptions(self)  # cleans up the router it leaves
        result = super().write(vals)
        if {"state", "plan_id", "mac_profile_id", "router_id"} & vals.keys():
            jobs._enqueue_for_subscriptions(self)
        return result

    def action_activate(self):
        self._check_state_transition(("draft",), self.env._("Only draft subscriptions can be activated."))
        self.write({"state": "active", "start_date": fields.Date.context_today(self)})
        self.mac_profile_id.filtered(lambda profile: profile.state == "approved").write({"state": "active"})
        return True

    def action_suspend(self):
        return self._suspend("staff")

    def action_reactivate(self):
        self._check_state_transition(
            ("suspended",), self.env._("Only suspended subscriptions can be reactivated.")
        )
        self.write({"state": "active", "suspension_reason": False})
        return True

    def action_terminate(self):
        self._check_state_transition(
            ("draft", "active", "suspended"), self.env._("This subscription is already terminated.")
        )
        self.write({"state": "terminated", "suspension_reason": False})
        # The device keeps its approval; staff may convert it again.
        self.mac_profile_id.filtered(lambda profile: profile.state == "active").write({"state": "approved"})
        return True

    def action_open_captive_users(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("isp_core.isp_captive_user_action")
        action["domain"] = [("subscription_id", "=", self.id)]
        action["context"] = {
            "default_subscription_id": self.id,
            "default_router_id": self.router_id.id,
            "default_mac": self.mac_profile_id.mac,
        }
        return action

    def _suspend(self, reason):
        """Suspends these active subscriptions for ``reason`` (a value of ``suspension_reason``):
        the one way to suspend, for staff's button and for any automatic suspension, so that every
        suspension reaches the router by the same provisioning path."""
        self._check_state_transition(("active",), self.env._("Only active subscriptions can be suspended."))
        self.write({"state": "suspended", "suspension_reason": reason})
        return True

    def _check_state_transition(self, allowed_states, message):
        self.check_access("write")
        if any(subscription.state not in allowed_states for subscription in self):
            raise UserError(message)
