import logging
from datetime import timedelta

from odoo import api, fields, models

from ..lib import parameters
from ..lib.lease_payload import loggable

_logger = logging.getLogger(__name__)

OUTCOMES = [
    ("created", "Created"),
    ("updated", "Updated"),
    ("offline", "Offline"),
    ("ignored", "Ignored"),
    ("invalid", "Invalid Input"),
    ("unauthorized", "No Token"),
    ("forbidden", "Wrong Token"),
    ("not_configured", "Endpoint Not Configured"),
]


class IspOnboardingEvent(models.Model):
    _name = "isp.onboarding.event"
    _description = "ISP Onboarding Event"
    _order = "event_time desc, id desc"
    _rec_name = "event_time"

    event_time = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True, index=True)
    source_ip = fields.Char(string="Source IP", readonly=True)
    router_id = fields.Many2one("isp.router", readonly=True, ondelete="set null", index="btree_not_null")
    router_identity = fields.Char(readonly=True, help="Router identity as reported by the call.")
    mac = fields.Char(string="MAC", readonly=True, index=True)
    ip = fields.Char(string="IP", readonly=True)
    bound = fields.Boolean(readonly=True)
    outcome = fields.Selection(OUTCOMES, required=True, readonly=True, index=True)
    error = fields.Char(readonly=True)
    profile_id = fields.Many2one(
        "isp.mac.profile", string="MAC Profile", readonly=True, ondelete="set null", index="btree_not_null"
    )

    @api.model
    def _log_rejected_call(self, outcome, error, source_ip=None, values=None):
        """Record a call the endpoint refused, with whatever it could read of the lease."""
        values = values or {}
        return self.sudo().create(
            {
                "outcome": outcome,
                "error": loggable(error, limit=256),
                "source_ip": source_ip,
                "mac": loggable(values.get("mac")) or False,
                "router_identity": loggable(values.get("router")) or False,
            }
        )

    @api.model
    def _gc_old_events(self):
        """Cron: delete events older than the configured retention."""
        days = parameters.to_positive_int(
            self.env["ir.config_parameter"].sudo().get_param(parameters.ONBOARDING_EVENT_RETENTION_DAYS),
            parameters.DEFAULT_EVENT_RETENTION_DAYS,
        )
        old_events = self.sudo().search([("event_time", "<", fields.Datetime.now() - timedelta(days=days))])
        old_events.unlink()
        _logger.info("Deleted %s onboarding events older than %s days", len(old_events), days)
        return len(old_events)
