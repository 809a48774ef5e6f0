import time
from datetime import timedelta

from babel.dates import format_timedelta

from odoo import api, fields, models
from odoo.sql_db import Cursor
from odoo.tools.misc import babel_locale_parse, get_lang

from ..lib import agent_protocol

# The check-ins of one router take turns on a PostgreSQL advisory lock of this class (the router's id
# is the object): asking for it never fails a query, so a collision logs no ERROR. A check-in that
# does not get its turn within TURN_WAIT_SECONDS is answered busy; the agent keeps its results.
TURN_LOCK_CLASS = 0x15C0
TURN_WAIT_SECONDS = 3.0
TURN_POLL_SECONDS = 0.02

# How far the router's clock skew must move before a check-in records it.
CLOCK_SKEW_PRECISION_SECONDS = 30


class IspRouterAgent(models.AbstractModel):
    """How Odoo serves a router in agent mode, which Odoo cannot reach: the router checks in,
    reports what it applied, and is answered with what to apply next.

    The jobs, their retries and order, and the lease sync's rules are those of the API mode;
    only the transport differs (see isp.provisioning.job._agent_batch).
    """

    _name = "isp.router.agent"
    _description = "RouterOS Agent Check-in"

    @api.model
    def _checkin(self, router, checkin):
        """Records one check-in of ``router`` (an agent_protocol.CheckIn) and returns the answer's
        text: the operations to apply, and whether to send the leases next time."""
        started = time.monotonic()
        reported = {"routeros_version": checkin.version, "agent_version": checkin.agent}
        changed = {name: value for name, value in reported.items() if value and router[name] != value}
        if checkin.clock is not None:
            skew = round((checkin.clock - fields.Datetime.now()).total_seconds())
            # Seconds of transit and scheduling are no news: the router is written when the skew moved.
            if abs(skew - router.clock_skew) >= CLOCK_SKEW_PRECISION_SECONDS:
                changed["clock_skew"] = skew
        if checkin.leases is not None:
            changed.update(last_sync_at=fields.Datetime.now(), sync_requested=False)
        self.env["isp.router.connection"]._record_contact(router, changed)
        jobs = self.env["isp.provisioning.job"]
        if checkin.results:
            jobs._record_agent_results(router, checkin.results)
        if checkin.leases is not None:
            self.env["isp.lease.reconciliation"]._record_sync(
                router,
                self._own_leases(router, checkin.leases),
                checkin.list_entries,
                checkin.queues,
                started,
                leases_complete=checkin.leases_complete,
            )
        operations, more = jobs._agent_batch(router)
        return agent_protocol.encode_answer(
            operations, more=more, sync=self._sync_due(router), suspended_list=router.suspended_address_list
        )

    @api.model
    def _take_turn(self, router):
        """Takes ``router``'s check-in turn, waiting up to TURN_WAIT_SECONDS: True once taken,
        False when the router stayed busy. Nothing is recorded either way.

        The lock belongs to the database session, not the transaction, so that the check-in can
        then start a new transaction, whose snapshot sees what the previous check-in committed
        (the one that authenticated it may predate that commit): what this transaction read or
        set before is gone. The lock is released once the transaction commits or rolls back.
        """
        cr = self.env.cr
        deadline = time.monotonic() + TURN_WAIT_SECONDS
        while True:
            cr.execute("SELECT pg_try_advisory_lock(%s, %s)", [TURN_LOCK_CLASS, router.id])
            if cr.fetchone()[0]:
                break
            if time.monotonic() >= deadline:
                return False
            time.sleep(TURN_POLL_SECONDS)
        cr.rollback()

        unlock = ("SELECT pg_advisory_unlock(%s, %s)", [TURN_LOCK_CLASS, router.id])

        def release():
            if isinstance(cr, Cursor) and "_obj" not in vars(cr):
                # The cursor is closing (an error ended the request): its connection is left.
                with cr._cnx.cursor() as raw:
                    raw.execute(*unlock)
                cr._cnx.rollback()
            else:
                cr.execute(*unlock)

        cr.postcommit.add(release)
        cr.postrollback.add(release)
        return True

    @api.model
    def _own_leases(self, router, leases):
        """The reported leases but those of devices another router serves: as a signed webhook
        report, a router's sync must not move another router's customer (staff do, by changing
        the device's router)."""
        served_elsewhere = set(self.env["isp.mac.profile"]._served_by_others({lease.mac for lease in leases}, router).mapped("mac"))
        return [lease for lease in leases if lease.mac not in served_elsewhere]

    @api.model
    def _sync_due(self, router):
        if router.sync_requested or not router.last_sync_at:
            return True
        return fields.Datetime.now() - router.last_sync_at >= timedelta(seconds=router.sync_interval)

    @api.model
    def _action_status(self, router):
        """"Test Connection" for a router Odoo cannot reach: when it last checked in, or why it
        cannot yet."""
        connection = self.env["isp.router.connection"]
        if not router.key_set:
            return connection._notification(
                self.env._("%s has no router key", router.name),
                self.env._("Generate one, or run the preloader with routeros.connection_mode: agent."),
                "warning",
            )
        if not router.last_contact:
            return connection._notification(
                self.env._("%s has not checked in yet", router.name),
                self.env._("Check that its agent script has the current key and reaches Odoo's URL."),
                "warning",
            )
        # How long ago, not a clock time: the server cannot format a time in the reader's zone,
        # and the form beside it shows the check-in's time in the browser's.
        message = self.env._(
            "Last check-in %(elapsed)s ago, RouterOS %(version)s.",
            elapsed=format_timedelta(
                fields.Datetime.now() - router.last_contact, threshold=1, locale=babel_locale_parse(get_lang(self.env).code)
            ),
            version=router.routeros_version or "?",
        )
        if router.checkin_silent:
            return connection._notification(self.env._("%s has stopped checking in", router.name), message, "danger")
        return connection._notification(self.env._("%s checks in", router.name), message, "success")
