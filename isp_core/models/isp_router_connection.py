import logging
from contextlib import contextmanager
from datetime import timedelta

from odoo import api, fields, models

from ..lib.routeros_session import RouterOsError, RouterOsSession, RouterOsTrapError, RouterSettings

_logger = logging.getLogger(__name__)

CONTACT_PRECISION = timedelta(minutes=1)


class IspRouterConnection(models.AbstractModel):
    """The one way Odoo talks to a router: jobs, reconciliation and buttons all come here, so
    timeouts, TLS and how failures are recorded on the router are decided in one place."""

    _name = "isp.router.connection"
    _description = "RouterOS API Connection"

    @api.model
    def _settings(self, router):
        router = router.sudo()  # the API password is readable by managers only
        return RouterSettings(
            host=router.host or "",
            port=router.api_port,
            user=router.api_user or "",
            password=router.api_password or "",
            use_tls=router.use_tls,
        )

    @contextmanager
    def session(self, router):
        """Yields an open ``RouterOsSession`` to ``router``.

        Not reaching the router, a refused login or a broken connection is stored on the router
        (``last_error``) and raised again as the ``RouterOsError`` it is. A command the router
        refused (``RouterOsTrapError``) is the caller's business: the router itself answered.
        """
        router.ensure_one()
        if not router.host:
            error = RouterOsError(self.env._("The router %s has no API host.", router.name))
            self._record_error(router, error)
            raise error
        try:
            with RouterOsSession.open(self._settings(router)) as session:
                yield session
        except RouterOsTrapError:
            self._record_contact(router)
            raise
        except RouterOsError as error:
            self._record_error(router, error)
            raise
        self._record_contact(router)

    @api.model
    def test(self, router):
        """Reads the router's identity and RouterOS version and stores the version.

        :returns: ``{"ok": True, "identity", "version"}`` or ``{"ok": False, "error", "failure"}``,
            ``failure`` being the error's ``kind``; never raises a router error, so a button can
            always show the outcome.
        """
        try:
            with self.session(router) as session:
                identity, version = session.identity(), session.version()
        except RouterOsError as error:
            return {"ok": False, "error": str(error), "failure": error.kind}
        if router.routeros_version != version:
            router.sudo().routeros_version = version
        return {"ok": True, "identity": identity, "version": version}

    @api.model
    def _action_test(self, router):
        """The "Test Connection" button: a notification with the identity and version, or why not."""
        result = self.test(router)
        if not result["ok"]:
            failure = dict(router._fields["last_failure"]._description_selection(self.env))[result["failure"]]
            return self._notification(
                self.env._("Cannot reach %(router)s: %(failure)s", router=router.name, failure=failure),
                result["error"],
                "danger",
            )
        message = self.env._(
            "Identity %(identity)s, RouterOS %(version)s.", identity=result["identity"], version=result["version"]
        )
        if result["identity"] != router.name:
            message += " " + self.env._(
                "The identity differs from this record's name, so lease reports naming %s will not match it.",
                result["identity"],
            )
        return self._notification(self.env._("Connected to %s", router.name), message, "success")

    @api.model
    def _notification(self, title, message, kind):
        """A toast for a router button; the form reloads to show what was stored on the router."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": kind,
                "sticky": kind == "danger",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _record_contact(self, router, values=None):
        """Records that ``router`` answered, with ``values`` it reported that changed (one write).

        The worker, the lease sync, the buttons and the check-ins all report contacts from their
        own transactions: writing the router row only when it visibly changes keeps them from
        colliding on it (a serialization failure would undo a whole sync).
        """
        now = fields.Datetime.now()
        values = dict(values or {})
        # Staff see a router that failed, or stopped checking in, among those that do not answer.
        answers_again = bool(router.last_error) or router._silent_at(now)
        if router.last_error:
            values.update(last_failure=False, last_error=False)
        if not router.last_contact or now - router.last_contact >= CONTACT_PRECISION:
            values["last_contact"] = now
        if values:
            router.sudo().write(values)
        if answers_again:
            self.env["isp.mac.profile"]._send_network_update(routers=router)

    @api.model
    def _record_error(self, router, error):
        _logger.info("Router %s: %s", router.name, error)
        values = {"last_failure": error.kind, "last_error": str(error)}
        if (router.last_failure, router.last_error) != (values["last_failure"], values["last_error"]):
            router.sudo().write(values)
            self.env["isp.mac.profile"]._send_network_update(routers=router)
