import logging
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_datetime, split_every

from ..lib import routeros_operations as ops
from ..lib.display import SHORT_TIME
from ..lib.routeros_session import RouterOsError

_logger = logging.getLogger(__name__)

RETENTION = timedelta(days=30)
MAX_REPORTED_ERRORS = 50
BATCH_SIZE = 1000


class IspLeaseReconciliation(models.Model):
    """One run that compares a router's DHCP leases with the MAC profiles.

    A router fires its lease-script once; if Odoo missed that call, the ONU would stay unknown.
    Each run reads every lease in one request and feeds the ones Odoo does not know as they are
    to ``isp.mac.profile._onboard_leases``, the batch form of the webhook's method, so both
    paths apply the same rules.
    """

    _name = "isp.lease.reconciliation"
    _description = "DHCP Lease Reconciliation"
    _order = "id desc"
    _rec_name = "started_at"

    router_id = fields.Many2one("isp.router", required=True, index=True, ondelete="cascade", readonly=True)
    started_at = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)

    @api.depends("router_id.name", "started_at")
    @api.depends_context("lang", "tz", "uid")
    def _compute_display_name(self):
        # Named by what it is, with its time in the reader's zone and language ("Sync MK-1 6 Dec 04:11").
        for sync in self:
            sync.display_name = self.env._(
                "Lease sync %(router)s %(time)s",
                router=sync.router_id.name or "",
                time=format_datetime(self.env, sync.started_at, dt_format=SHORT_TIME, tz=self.env.tz.zone) if sync.started_at else "",
            )
    duration = fields.Float(string="Duration (s)", digits=(10, 2), readonly=True)
    state = fields.Selection(
        [("done", "Done"), ("failed", "Router unreachable")], required=True, default="done", readonly=True
    )
    leases_seen = fields.Integer(readonly=True)
    leases_unchanged = fields.Integer(
        readonly=True, help="Bound leases that matched their profile already, so nothing was written."
    )
    profiles_created = fields.Integer(readonly=True)
    profiles_updated = fields.Integer(readonly=True)
    profiles_offline = fields.Integer(
        string="Marked Offline", readonly=True, help="Online profiles whose lease the router no longer has bound."
    )
    access_repairs = fields.Integer(
        string="Access Repairs",
        readonly=True,
        help="Customers whose suspension entry or simple queue on the router differed from Odoo "
        "(an IP that changed, a hand edit): a provisioning job was queued for each.",
    )
    error_count = fields.Integer(string="Errors", readonly=True)
    errors = fields.Text(string="Error Details", readonly=True)

    @api.model
    def _cron_reconcile_routers(self):
        self = self.env.company._in_isp_language(self)  # what it writes, staff read later
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        # A router in agent mode sends its leases at its check-ins (isp.router.agent).
        for router in self.env["isp.router"].sudo().search([("host", "!=", False), ("connection_mode", "=", "api")]):
            self._reconcile(router)
            if in_cron:
                self.env["ir.cron"]._commit_progress(1)

    @api.model
    def _action_reconcile(self, router):
        """The "Sync Leases Now" button: runs a reconciliation and shows its counts; a router in
        agent mode is asked to send its leases at its next check-in."""
        connection = self.env["isp.router.connection"]
        if router.connection_mode == "agent":
            router.sudo().sync_requested = True
            return connection._notification(
                self.env._("Leases of %s requested", router.name),
                self.env._(
                    "The router sends its leases at its next check-in, within %(seconds)s seconds; "
                    "the sync then appears under Lease Syncs.",
                    seconds=router.checkin_interval,
                ),
                "info",
            )
        report = self._reconcile(router)
        if report.state == "failed":
            return connection._notification(self.env._("Cannot reach %s", router.name), report.errors, "danger")
        message = self.env._(
            "%(leases)s leases (%(unchanged)s unchanged), %(created)s new profiles, %(updated)s updated, "
            "%(offline)s offline, %(repairs)s access repairs queued, %(errors)s errors.",
            leases=report.leases_seen,
            unchanged=report.leases_unchanged,
            created=report.profiles_created,
            updated=report.profiles_updated,
            offline=report.profiles_offline,
            repairs=report.access_repairs,
            errors=report.error_count,
        )
        kind = "warning" if report.error_count else "success"
        return connection._notification(self.env._("Leases of %s synced", router.name), message, kind)

    @api.model
    def _reconcile(self, router):
        """Runs one reconciliation of ``router`` over its API and returns its report."""
        started = time.monotonic()
        try:
            with self.env["isp.router.connection"].session(router) as session:
                leases = ops.read_leases(session)
                suspended = ops.read_address_list(session, router.suspended_address_list)
                queues = ops.read_simple_queues(session)
                redirects = ops.read_proxy_redirects(session)
        except RouterOsError as error:
            return self._create_report(router, started, {"state": "failed", "error_count": 1, "errors": str(error)})
        return self._record_sync(router, leases, suspended, queues, started, redirects=redirects)

    @api.model
    def _record_sync(self, router, leases, suspended, queues, started, leases_complete=True, redirects=None):
        """Brings Odoo in line with what ``router`` holds, read over its API or sent by its agent:
        its leases (``ops.Lease``), the entries of its suspended address list, its simple queues
        and its web proxy's rules (dicts as the router prints them). Returns the report.

        :param started: the ``time.monotonic()`` at which the sync began.
        :param leases_complete: False when some bound leases were left out (an agent's sync past
            its size limit): a device missing from them is then not taken for gone.
        :param redirects: None when the sync does not carry them (an agent's): not compared then.
        """
        report = self._apply_leases(router, leases, mark_gone=leases_complete)
        # After the leases: an IP they changed must move the customer's entry, redirect and queue.
        report["access_repairs"] = self.env["isp.provisioning.job"]._enqueue_access_drift(
            router, suspended, queues, redirects
        )
        return self._create_report(router, started, report)

    @api.model
    def _create_report(self, router, started, values):
        return self.sudo().create({
            "router_id": router.id,
            "started_at": fields.Datetime.now() - timedelta(seconds=time.monotonic() - started),
            "duration": time.monotonic() - started,
            **values,
        })

    @api.model
    def _apply_leases(self, router, leases, mark_gone=True):
        """Feeds every bound lease through the webhook's rules, then (with ``mark_gone``) the
        releases of the profiles whose lease is gone. A lease that matches its profile already is
        left alone by those rules (``count_renewals=False``): counting it every few minutes would
        say nothing new."""
        bound = [lease for lease in leases if lease.bound and lease.mac]
        bound_macs = list({lease.mac.upper() for lease in bound})
        # A router that signs with its key owns its devices: no other router's sync moves them.
        signed_elsewhere = set(
            self.env["isp.mac.profile"]._served_by_others(bound_macs, router)
            .filtered(lambda profile: profile.router_id.key_set)
            .mapped("mac")
        )
        bound = [lease for lease in bound if lease.mac.upper() not in signed_elsewhere]
        gone = self.env["isp.mac.profile"].sudo()
        if mark_gone:
            gone = gone.search([("router_id", "=", router.id), ("online", "=", True), ("mac", "not in", bound_macs)])
        values_list = [self._lease_values(router, lease.mac, lease.ip, True, lease.server, lease.hostname) for lease in bound]
        values_list += [
            self._lease_values(router, profile.mac, profile.last_ip, False, profile.dhcp_server, profile.hostname)
            for profile in gone
        ]
        errors = []
        results = self._onboard_all(values_list, errors)
        return {
            "leases_seen": len(leases),
            "leases_unchanged": results.count("unchanged"),
            "profiles_created": results.count("created"),
            "profiles_updated": results.count("updated"),
            "profiles_offline": results.count("offline"),
            "error_count": len(errors),
            "errors": "\n".join(errors[:MAX_REPORTED_ERRORS]) or False,
        }

    @api.model
    def _lease_values(self, router, mac, ip, bound, server, hostname):
        return {
            "mac": mac,
            "ip": ip or "",
            "bound": bound,
            "server": server or "",
            "hostname": hostname or "",
            "sector": router.sector_id.code or "",
            "router": router.name,
        }

    @api.model
    def _onboard_all(self, values_list, errors):
        """Feeds lease reports to the webhook's rules in batches, one savepoint each; a batch
        that fails as a whole (a MAC created concurrently) is replayed one report at a time, so
        that the lease at fault is reported alone."""
        profiles = self.env["isp.mac.profile"].sudo()
        results = []
        for batch in split_every(BATCH_SIZE, values_list):
            try:
                with self.env.cr.savepoint():
                    answers = profiles._onboard_leases(batch, count_renewals=False)
            except Exception:  # noqa: BLE001 - replayed below, lease by lease
                answers = [self._onboard(values) for values in batch]
            for values, answer in zip(batch, answers, strict=True):
                if answer.get("error"):
                    _logger.info("Lease %s on %s not applied: %s", values["mac"], values["router"], answer["error"])
                    errors.append(f"{values['mac']}: {answer['error']}")
                results.append(answer["result"])
        return results

    @api.model
    def _onboard(self, values):
        """Feeds one lease report; an error is answered, not raised, so one bad lease does not
        stop the run."""
        try:
            with self.env.cr.savepoint():
                [answer] = self.env["isp.mac.profile"].sudo()._onboard_leases([values], count_renewals=False)
                return answer
        except Exception as error:  # noqa: BLE001 - one bad lease must not stop the run
            return {"result": "error", "error": str(error)}

    @api.autovacuum
    def _gc_old_reconciliations(self):
        self.search([("started_at", "<", fields.Datetime.now() - RETENTION)]).unlink()
