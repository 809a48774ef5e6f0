import logging
from dataclasses import dataclass
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..lib import agent_protocol, contract
from ..lib import routeros_operations as ops
from ..lib.router_values import RouterValueRefused
from ..lib.routeros_session import RouterOsError, RouterOsTrapError

_logger = logging.getLogger(__name__)

DONE_JOB_RETENTION = timedelta(days=30)
RETRY_BASE_DELAY = timedelta(minutes=1)
RETRY_MAX_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 12  # about six hours of retries before a job waits for a person
# The records a job is about, and with its type, router and target what makes two jobs the same.
JOB_RECORDS = ("router_id", "captive_user_id", "subscription_id", "plan_id")
JOB_IDENTITY = ("job_type", "target", *JOB_RECORDS)


@dataclass(frozen=True)
class JobType:
    """A kind of job: adding one is a row of JOB_TYPES and a runner method beside the others."""

    label: str
    # The method that brings the thing in line through a writer (routeros_operations.ApiWriter,
    # or agent_protocol.AgentWriter for a router in agent mode); it answers what it did.
    runner: str
    # Methods called on the jobs after their run: a success, or a failure with its message.
    on_success: str | None = None
    on_failure: str | None = None


JOB_TYPES = {
    "hotspot_user": JobType(
        "Hotspot user", "_run_hotspot_user",
        on_success="_mark_captive_users_provisioned", on_failure="_mark_captive_users_failed",
    ),
    "customer_access": JobType("Customer access", "_run_customer_access"),
    "plan_profile": JobType("Plan rate limit", "_run_plan_profile"),
}


class IspProvisioningJob(models.Model):
    """One change that must reach a router.

    A job names what to bring in line (a hotspot user, a customer's access, a plan's rate
    limit), not the values to write: it reads Odoo and the router when it runs, and writes the
    difference. Running a job twice, or an old job after a newer one, therefore converges.
    """

    _name = "isp.provisioning.job"
    _description = "Router Provisioning Job"
    _order = "id desc"

    # Read in the reader's language, not stored in the language of whoever queued the job.
    name = fields.Char(compute="_compute_name")
    router_id = fields.Many2one("isp.router", required=True, index=True, ondelete="cascade", readonly=True)
    job_type = fields.Selection(
        [(key, job_type.label) for key, job_type in JOB_TYPES.items()],
        required=True,
        readonly=True,
        help="Hotspot user: the captive user on the router's hotspot. Customer access: the "
        "suspension address list, the notice page redirect and the simple queue of a subscription's "
        "IP. Plan rate limit: the plan's hotspot user profile.",
    )
    captive_user_id = fields.Many2one("isp.captive.user", index="btree_not_null", ondelete="set null", readonly=True)
    subscription_id = fields.Many2one("isp.subscription", index="btree_not_null", ondelete="set null", readonly=True)
    plan_id = fields.Many2one("isp.service.plan", index="btree_not_null", ondelete="set null", readonly=True)
    target = fields.Char(
        readonly=True,
        help="The router-side name the job manages, kept so that a removal still finds it once the "
        "Odoo record is gone or renamed.",
    )
    state = fields.Selection(
        [("queued", "Queued"), ("done", "Done"), ("failed", "Failed")],
        default="queued",
        required=True,
        index=True,
        readonly=True,
    )
    attempts = fields.Integer(readonly=True)
    last_error = fields.Text(readonly=True)
    next_attempt_at = fields.Datetime(
        string="Next Try",
        default=fields.Datetime.now,
        index=True,
        readonly=True,
        help="When the worker runs this job (again). Empty once the job is done or has used up its "
        "attempts.",
    )
    done_at = fields.Datetime(readonly=True)
    outcome = fields.Char(
        string="Outcome Code",
        readonly=True,
        help="What the last run did on the router, as codes (suspension:created queue:absent): "
        "stored so that each reader sees it in their own language (Outcome).",
    )
    outcome_text = fields.Char(string="Outcome", compute="_compute_outcome_text", help="What the last run did on the router.")
    operation_ids = fields.One2many(
        "isp.router.operation",
        "job_id",
        string="Agent Operations",
        help="For a router in agent mode: the writes of the job's last run, as sent at a check-in.",
    )

    @api.depends("job_type", "target", "router_id.name")
    @api.depends_context("lang")
    def _compute_name(self):
        labels = dict(self._fields["job_type"]._description_selection(self.env))
        for job in self:
            job.name = f"{labels.get(job.job_type, '')}: {job.target or ''} @ {job.router_id.name or ''}"

    @api.depends("outcome")
    @api.depends_context("lang")
    def _compute_outcome_text(self):
        _ = self.env._
        things = {
            "user": _("hotspot user"),
            "suspension": _("suspension"),
            "redirect": _("notice page redirect"),
            "queue": _("simple queue"),
            "profile": _("hotspot profile"),
        }
        # Nouns rather than participles: "suspension: added" reads right in every language.
        results = {
            ops.CREATED: _("added"),
            ops.UPDATED: _("changed"),
            ops.UNCHANGED: _("no change"),
            ops.REMOVED: _("removed"),
            ops.ABSENT: _("not there"),
            ops.APPLIED: _("applied"),
        }
        for job in self:
            parts = []
            for token in (job.outcome or "").split():
                thing, _sep, result = token.partition(":")
                parts.append(f"{things.get(thing, thing)}: {results.get(result, result)}" if result else token)
            job.outcome_text = ", ".join(parts) or False

    def action_retry(self):
        """Runs the failed jobs again as soon as the worker wakes, with a fresh set of attempts.

        Staff may only read jobs, so that nobody marks one done by hand; retrying is the one
        change they make, through this method.
        """
        self.check_access("read")
        failed = self.filtered(lambda job: job.state == "failed")
        failed.sudo().write({"state": "queued", "attempts": 0, "next_attempt_at": fields.Datetime.now()})
        self._wake_worker()
        return True

    @api.autovacuum
    def _gc_done_jobs(self):
        self.search([("state", "=", "done"), ("done_at", "<", fields.Datetime.now() - DONE_JOB_RETENTION)]).unlink()

    # Queueing -----------------------------------------------------------------------------

    @api.model
    def _enqueue(self, jobs):
        """Queues jobs, once per transaction for the same thing, and wakes the worker.

        A job queued by an earlier transaction is never reused, even if it still waits: the
        worker may already have read what that job brings in line, before this transaction's
        change. The worker runs the newest job of each thing and drops the older ones instead
        (see :meth:`_process_router_jobs`).

        :param jobs: ``(job_type, router, target, records)`` tuples; ``records`` holds the ids
            of ``captive_user_id``, ``subscription_id`` or ``plan_id``. A job without a router
            is skipped.
        """
        wanted = {}
        for job_type, router, target, records in jobs:
            if router:
                values = dict.fromkeys(JOB_IDENTITY, False) | records
                values.update(job_type=job_type, router_id=router.id, target=target)
                wanted.setdefault(tuple(values[name] for name in JOB_IDENTITY), values)
        queued_here = self.env.cr.precommit.data.setdefault("isp_core.queued_jobs", {})
        fresh = {
            identity: values
            for identity, values in wanted.items()
            if identity not in queued_here or self.browse(queued_here[identity]).sudo().state != "queued"
        }
        if not fresh:
            return
        created = self.sudo().create(list(fresh.values()))
        queued_here.update(zip(fresh, created.ids, strict=True))
        created._refuse_out_of_shape()
        self._wake_worker()

    def _refuse_out_of_shape(self):
        """Fails at once the jobs that would send a router a value outside its scope (a network
        as a customer's address, a profile that is not isp_core's): the writers check it again
        when the job runs, but the subscription says now why the network does not follow."""
        for job in self:
            try:
                getattr(job, JOB_TYPES[job.job_type].runner)(agent_protocol.AgentWriter(job.router_id._scope()))
            except RouterValueRefused as refusal:
                job._record_failure(refusal)
            except (ValueError, RouterOsError):
                pass  # not a question of scope: the run itself says what is wrong

    @api.model
    def _enqueue_hotspot_user(self, captive_users):
        """Captive users without a provisioning state are not meant for the router."""
        users = captive_users.with_context(active_test=False).filtered("provisioning_state")
        self._enqueue(("hotspot_user", user.router_id, user.login, {"captive_user_id": user.id}) for user in users)

    @api.model
    def _enqueue_for_subscriptions(self, subscriptions):
        """A subscription's access (suspension, queue) and its hotspot users."""
        self._enqueue_customer_access(subscriptions)
        self._enqueue_hotspot_user(subscriptions.captive_user_ids)

    @api.model
    def _enqueue_customer_access(self, subscriptions):
        self._enqueue(
            ("customer_access", subscription.router_id, subscription.name, {"subscription_id": subscription.id})
            for subscription in subscriptions
        )

    @api.model
    def _enqueue_for_plans(self, plans, profile_changed=False):
        """A plan's new speed reaches its hotspot user profile on every router that serves it,
        and the simple queues of its customers; a new profile name reaches their hotspot users."""
        subscriptions = self.env["isp.subscription"].sudo().search(
            [("plan_id", "in", plans.ids), ("state", "in", ("active", "suspended"))]
        )
        self._enqueue(
            ("plan_profile", router, plan.hotspot_profile, {"plan_id": plan.id})
            for plan in plans.filtered("hotspot_profile")
            for router in subscriptions.filtered(lambda subscription: subscription.plan_id == plan).router_id
        )
        self._enqueue_customer_access(subscriptions)
        if profile_changed:
            self._enqueue_hotspot_user(subscriptions.captive_user_ids)

    @api.model
    def _wake_worker(self, at=None):
        """Asks the worker cron to run now (or at ``at``); once per transaction for "now"."""
        memo = self.env.cr.postcommit.data
        if at is None:
            if memo.get("isp_core.provisioning_worker_woken"):
                return
            memo["isp_core.provisioning_worker_woken"] = True
        self.env.ref("isp_core.ir_cron_provisioning_worker").sudo()._trigger(at)

    # The worker ---------------------------------------------------------------------------

    @api.model
    def _cron_process_queue(self):
        """Runs the due jobs, router by router, committing after each router. Jobs queued while
        it runs are reported as remaining, so that Odoo's cron runs it again at once: their
        wake-up came while this run held the cron, and Odoo's cron thread would otherwise not
        look at the queue again before its next poll, a minute later."""
        self = self.env.company._in_isp_language(self)  # what it writes, staff read later
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for router, jobs in self._due_jobs().grouped("router_id").items():
            self._process_router_jobs(router, jobs)
            if in_cron:
                self.env["ir.cron"]._commit_progress(len(jobs))
        if in_cron:
            self.env["ir.cron"]._commit_progress(remaining=self._due_jobs_count())

    def _due_jobs_domain(self):
        """Jobs the worker runs: a router in agent mode takes its own at its check-in."""
        return [
            ("state", "in", ("queued", "failed")),
            ("next_attempt_at", "<=", fields.Datetime.now()),
            ("router_id.active", "=", True),
            ("router_id.connection_mode", "=", "api"),
        ]

    @api.model
    def _due_jobs(self):
        """Jobs whose (next) try is due, oldest first."""
        return self.sudo().search(self._due_jobs_domain(), order="id")

    @api.model
    def _due_jobs_count(self):
        return self.sudo().search_count(self._due_jobs_domain())

    @api.model
    def _process_router_jobs(self, router, jobs):
        """Runs a router's jobs one after the other, in the order they were queued, over one
        session. Of several jobs for the same thing, only the newest runs: it reads Odoo as it is
        now, which covers what the older ones were queued for, so they are dropped. A job the
        router refuses fails alone: jobs are convergent, so a later one may safely run before the
        retry of an earlier one. A router that cannot be reached fails every job still to run,
        and they are retried together."""
        newest = {}
        for job in jobs.sorted("id"):
            newest[job._identity()] = job
        to_run = self.browse(sorted(job.id for job in newest.values()))
        to_run._drop_older_duplicates()
        ran = []
        try:
            with self.env["isp.router.connection"].session(router) as session:
                for job in to_run:
                    job._run(ops.ApiWriter(session, router._scope()))
                    ran.append(job.id)
        except RouterOsError as error:
            (to_run - to_run.browse(ran))._record_failure(error)

    # Routers in agent mode ---------------------------------------------------------------------

    @api.model
    def _agent_batch(self, router):
        """The operations to send ``router`` at this check-in, within agent_protocol's caps.

        First those it has not reported yet, sent again (they are safe to repeat); one sent
        MAX_SENDINGS times fails its job, which is retried as usual. Then the writes of its due
        jobs, the newest job of each thing. A job whose writes do not fit waits for the next
        check-in, which the answer asks for at once.

        :returns: ``(operations, more)``: the ``(id, kind, values)`` to send, and whether more wait.
        """
        if not self._agent_has_work(router):
            return [], False
        due = self.sudo().search([
            ("router_id", "=", router.id),
            ("state", "in", ("queued", "failed")),
            ("next_attempt_at", "<=", fields.Datetime.now()),
        ], order="id")
        newest = {}
        for job in due:
            newest[job._identity()] = job
        to_run = self.browse(sorted(job.id for job in newest.values()))
        to_run._drop_older_duplicates()
        pending = self.env["isp.router.operation"]._pending(router)
        lost = pending.filtered(lambda operation: operation.send_count >= agent_protocol.MAX_SENDINGS).job_id
        if lost:
            pending -= lost.operation_ids
            lost.operation_ids.unlink()
            lost._record_failure(RouterOsError(
                f"the router did not report it after {agent_protocol.MAX_SENDINGS} check-ins"
            ))
        batch = BatchSize()
        sent = self.env["isp.router.operation"]
        for operation in pending:
            if not batch.fits([(operation.id, operation.kind, operation.values)], bool(sent)):
                return sent._as_sent(), True
            sent |= operation
        for job in to_run:
            operations = job._agent_operations()
            if operations is None:
                continue
            # The ids are not known yet: counted at their widest.
            if not batch.fits([(UNKNOWN_ID, kind, values) for kind, values in operations], bool(sent)):
                return sent._as_sent(), True
            job.operation_ids.unlink()
            sent |= self.env["isp.router.operation"].sudo().create([
                {"router_id": router.id, "job_id": job.id, "kind": kind, "values": values}
                for kind, values in operations
            ])
            # Sent: the job now waits for the router's report, not for the worker.
            job.write({"state": "queued", "next_attempt_at": False})
        return sent._as_sent(), False

    @api.model
    def _agent_has_work(self, router):
        """Whether ``router`` has due jobs or unreported operations: one statement, since most
        check-ins of a router have nothing to do and routers check in every few seconds."""
        self.flush_model(["router_id", "state", "next_attempt_at"])
        self.env["isp.router.operation"].flush_model(["router_id", "state"])
        self.env.cr.execute(SQL(
            """
            SELECT EXISTS (SELECT 1 FROM isp_provisioning_job
                            WHERE router_id = %(router)s AND state IN ('queued', 'failed') AND next_attempt_at <= %(now)s)
                OR EXISTS (SELECT 1 FROM isp_router_operation WHERE router_id = %(router)s AND state = 'sent')
            """,
            router=router.id,
            now=fields.Datetime.now(),
        ))
        return self.env.cr.fetchone()[0]

    def _agent_operations(self):
        """Runs the job against an AgentWriter: the ``(kind, values)`` to send, or None when
        the job is settled without the router (nothing to write, or a value that may not go)."""
        self.ensure_one()
        writer = agent_protocol.AgentWriter(self.router_id._scope())
        try:
            with self.env.cr.savepoint():
                outcome = getattr(self, JOB_TYPES[self.job_type].runner)(writer)
        except Exception as error:  # noqa: BLE001 - one broken job must not stop the check-in
            _logger.info("Provisioning job %s not sent to router %s: %s", self.id, self.router_id.name, error)
            self._record_failure(error)
            return None
        if not writer.operations:
            self._record_success(outcome)
            return None
        return writer.operations

    @api.model
    def _record_agent_results(self, router, results):
        """Applies what ``router`` reports of the operations it was sent, and settles each job
        all of whose operations are reported: done, or failed with the router's errors (and
        retried with the usual backoff). A result for an operation that is not this router's,
        or was reported already (a check-in that died after Odoo heard it), is ignored."""
        by_id = {result.operation_id: result for result in results}
        operations = self.env["isp.router.operation"].sudo().search([
            ("id", "in", list(by_id)), ("router_id", "=", router.id), ("state", "=", "sent")
        ])
        for operation in operations:
            result = by_id[operation.id]
            operation.write({
                "state": "done" if result.outcome else "failed",
                "outcome": result.outcome,
                "error": result.error,
            })
        for job in operations.job_id:
            sent = job.operation_ids
            if any(operation.state == "sent" for operation in sent):
                continue
            errors = [operation.error for operation in sent if operation.state == "failed"]
            if errors:
                job._record_failure(RouterOsTrapError("; ".join(errors)))
            else:
                job._record_success(" ".join(
                    f"{agent_protocol.OPERATIONS[operation.kind].thing}:{operation.outcome}" for operation in sent
                ))

    def _identity(self):
        self.ensure_one()
        return tuple(self[name].id if name in JOB_RECORDS else self[name] for name in JOB_IDENTITY)

    def _drop_older_duplicates(self):
        """Deletes the jobs still open for the same things as these and queued before them:
        these bring in line what those were queued for (a failed one's retry included)."""
        if not self:
            return
        open_jobs = self.sudo().search([
            ("state", "in", ("queued", "failed")),
            ("router_id", "in", self.router_id.ids),
            ("target", "in", list(set(self.mapped("target")))),
            ("id", "not in", self.ids),
        ])
        newest = {job._identity(): job.id for job in self}
        open_jobs.filtered(lambda job: job.id < newest.get(job._identity(), 0)).unlink()

    def _run(self, writer):
        """Runs one job. A refused command or an unexpected error fails this job only; a lost
        connection is raised for the router's whole queue."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                outcome = getattr(self, JOB_TYPES[self.job_type].runner)(writer)
        except (RouterOsTrapError, RouterValueRefused) as error:
            self._record_failure(error)
            return
        except RouterOsError:
            raise  # the connection itself failed: the caller fails the router's whole queue
        except Exception as error:  # noqa: BLE001 - one broken job must not stop the queue
            _logger.exception("Provisioning job %s failed", self.id)
            self._record_failure(error)
            return
        self._record_success(outcome)

    def _record_success(self, outcome):
        now = fields.Datetime.now()
        self.write({
            "state": "done",
            "attempts": self.attempts + 1,
            "outcome": outcome,
            "last_error": False,
            "next_attempt_at": False,
            "done_at": now,
        })
        if hook := JOB_TYPES[self.job_type].on_success:
            getattr(self, hook)()
        self._send_network_update()

    def _record_failure(self, error):
        """Fails the jobs' attempt and schedules the next one with exponential backoff."""
        now = fields.Datetime.now()
        message = self._failure_text(error)
        retry_times = []
        for job in self:
            attempts = job.attempts + 1
            next_attempt_at = now + retry_delay(attempts) if attempts < MAX_ATTEMPTS else False
            job.write({
                "state": "failed",
                "attempts": attempts,
                "last_error": message,
                "next_attempt_at": next_attempt_at,
            })
            if next_attempt_at:
                retry_times.append(next_attempt_at)
        if retry_times:
            self._wake_worker(at=min(retry_times))
        for job_type, jobs in self.grouped("job_type").items():
            if hook := JOB_TYPES[job_type].on_failure:
                getattr(jobs, hook)(message)
        self._send_network_update()

    def _send_network_update(self):
        """The subscriptions these jobs serve now read differently on the staff screens."""
        subscriptions = self.subscription_id | self.captive_user_id.subscription_id
        self.env["isp.mac.profile"]._send_network_update(subscriptions=subscriptions, routers=self.router_id)

    def _failure_text(self, error):
        """What a job's error says, a refused value in the reader's words."""
        if not isinstance(error, RouterValueRefused):
            return str(error) or error.__class__.__name__
        _ = self.env._
        texts = {
            "not_a_host": _("Not sent to the router: the %(field)s %(value)s is not one IPv4 host address."),
            "outside_lan": _("Not sent to the router: the %(field)s %(value)s is not inside the router's LAN networks."),
            "not_private": _(
                "Not sent to the router: the %(field)s %(value)s is not a private address, and the router's LAN "
                "networks are not set."
            ),
            "not_suspended_list": _("Not sent to the router: %(value)s is not the router's suspended address list."),
            "not_isp_core_profile": _(
                "Not sent to the router: the hotspot user profile %(value)s is not one of isp_core's (their names "
                "start with isp_core-). Give the plan a hotspot profile."
            ),
            "not_notice_url": _(
                "Not sent to the router: the %(field)s %(value)s is not a notice page of this Odoo. Check the "
                "web.base.url system parameter: it must be the URL the router's customers reach Odoo at."
            ),
            "not_customer_access": _(
                "Not sent to the router: the %(field)s %(value)s does not mark a customer's access, and the "
                "router's other rules of that menu are not Odoo's to change."
            ),
            "not_isp_core_item": _(
                "Left alone: the router already has %(value)s, which isp_core did not make (its comment does not "
                "start with isp_core:). Rename one of them."
            ),
        }
        return texts[error.reason] % {"field": error.field, "value": f"“{error.value}”"}

    def _mark_captive_users_provisioned(self):
        users = self.captive_user_id.filtered(lambda user: user.provisioning_state != "provisioned")
        users.sudo().write({"provisioning_state": "provisioned", "provisioning_error": False})

    def _mark_captive_users_failed(self, message):
        self.captive_user_id.sudo().write({"provisioning_state": "failed", "provisioning_error": message})

    # What each kind of job brings in line --------------------------------------------------

    def _run_hotspot_user(self, writer):
        user = self.captive_user_id.with_context(active_test=False)
        wanted = (
            user.active
            and user.router_id == self.router_id
            and user.subscription_id.state != "terminated"
        )
        if not wanted:
            return f"user:{writer.remove_hotspot_user(self.target)}"
        outcomes = []
        if self.target and self.target != user.login:
            outcomes.append(f"user:{writer.remove_hotspot_user(self.target)}")
        plan = user.subscription_id.plan_id
        profile = user.router_profile
        if plan.hotspot_profile and plan.rate_limit and profile == plan.hotspot_profile:
            # The user cannot be added with a profile the router does not have yet.
            writer.upsert_user_profile_rate_limit(profile, plan.rate_limit)
        outcome = writer.upsert_hotspot_user(ops.HotspotUser(
            name=user.login,
            password=user.sudo().password or "",
            mac_address=user.mac or "",
            profile=profile,
            comment=self._odoo_link(user),
            disabled=user.subscription_id.state == "suspended",
        ))
        outcomes.append(f"user:{outcome}")
        return " ".join(outcomes)

    def _run_customer_access(self, writer):
        suspended_ip, queue = self._desired_customer_access(self.subscription_id, self.router_id)
        key = access_comment(self.target)
        address_list = self.router_id.suspended_address_list
        if suspended_ip:
            suspension = writer.upsert_address_list_entry(address_list, suspended_ip, key)
            # The router's web proxy sends this address's plain-HTTP requests to its notice page.
            redirect = writer.upsert_proxy_redirect(suspended_ip, self.subscription_id._notice_url(), key)
        else:
            suspension = writer.remove_address_list_entry(address_list, key)
            redirect = writer.remove_proxy_redirect(key)
        if queue:
            queue_outcome = writer.upsert_simple_queue(queue_name(self.target), *queue, key)
        else:
            queue_outcome = writer.remove_simple_queue(queue_name(self.target))
        return f"suspension:{suspension} redirect:{redirect} queue:{queue_outcome}"

    def _run_plan_profile(self, writer):
        plan = self.plan_id
        if plan.hotspot_profile != self.target or not plan.rate_limit:
            return f"profile:{ops.UNCHANGED}"
        return f"profile:{writer.upsert_user_profile_rate_limit(plan.hotspot_profile, plan.rate_limit)}"

    @api.model
    def _desired_customer_access(self, subscription, router):
        """What ``router`` should hold for a subscription: the address to list as suspended,
        and the simple queue as ``(target, max-limit)``; each None when it should hold none."""
        ip = subscription.mac_profile_id.last_ip if subscription.router_id == router else False
        suspended_ip = ip if ip and subscription.state == "suspended" else None
        rate_limit = subscription.plan_id.rate_limit
        serves_queue = subscription.state in ("active", "suspended") and not self._limited_by_hotspot(subscription)
        queue = (ip, rate_limit) if ip and rate_limit and serves_queue else None
        return suspended_ip, queue

    @api.model
    def _enqueue_access_drift(self, router, list_entries, queues, redirects=None):
        """Queues a customer-access job for each live subscription whose suspension entry, notice
        redirect or simple queue on the router differs from what Odoo wants: a customer whose IP
        changed, or a router someone edited by hand. ``redirects`` None: not known (an agent's
        sync does not carry them), so not compared. :returns: how many were queued."""
        listed = {entry.get("comment"): entry.get("address") for entry in list_entries}
        queues_by_name = {queue.get("name"): queue for queue in queues}
        redirected = {rule.get("comment"): (rule.get("src-address"), rule.get("action-data")) for rule in redirects or ()}

        def drifted(subscription):
            suspended_ip, queue = self._desired_customer_access(subscription, router)
            comment = access_comment(subscription.name)
            if listed.get(comment) != suspended_ip:
                return True
            wanted_redirect = (suspended_ip, subscription._notice_url()) if suspended_ip else None
            if redirects is not None and redirected.get(comment) != wanted_redirect:
                return True
            actual = queues_by_name.get(queue_name(subscription.name))
            if not queue or not actual:
                return bool(queue) != bool(actual)
            return bool(ops.changed_properties(actual, {"target": queue[0], "max-limit": queue[1]}))

        subscriptions = self.env["isp.subscription"].sudo().search(
            [("router_id", "=", router.id), ("state", "in", ("active", "suspended"))]
        )
        repairs = subscriptions.filtered(drifted)
        self._enqueue_customer_access(repairs)
        return len(repairs)

    def _limited_by_hotspot(self, subscription):
        """Whether the plan's hotspot user profile already limits this customer's speed: the
        plan has one, and the customer a captive user on the router (which gets that profile)."""
        users = subscription.captive_user_ids.filtered(lambda user: user.active and user.provisioning_state)
        return bool(subscription.plan_id.hotspot_profile and users)

    def _odoo_link(self, record):
        """A comment that marks the item as Odoo's (the prefix the preloader marks its own with)
        and links to its record."""
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return f"{contract.COMMENT_PREFIX}{record._name}:{record.id} {base_url}/odoo/{record._name}/{record.id}"


UNKNOWN_ID = 2**31 - 1


class BatchSize:
    """What an answer holds so far, against agent_protocol's caps on operations and bytes."""

    def __init__(self):
        self.count = 0
        self.bytes = 0

    def fits(self, operations, has_any):
        """Counts ``operations`` in when they fit, and says whether they did. A first job always
        fits: it could fit no later answer either."""
        size = sum(agent_protocol.operation_line_bytes(*operation) for operation in operations)
        over = (
            self.count + len(operations) > agent_protocol.MAX_OPERATIONS
            or self.bytes + size > agent_protocol.MAX_ANSWER_BYTES
        )
        if over and has_any:
            return False
        self.count += len(operations)
        self.bytes += size
        return True


def access_comment(reference):
    """The comment that marks a subscription's address-list entry, proxy redirect and queue as Odoo's."""
    return f"{contract.CUSTOMER_ACCESS_COMMENT_PREFIX}{reference}"


def queue_name(reference):
    return f"{contract.COMMENT_PREFIX}{reference}"


def retry_delay(attempts):
    """One minute after the first failure, doubling up to an hour."""
    return min(RETRY_BASE_DELAY * 2 ** (attempts - 1), RETRY_MAX_DELAY)
