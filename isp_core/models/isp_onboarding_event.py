import ipaddress
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.sql_db import Cursor
from odoo.tools import SQL, format_datetime

from ..lib import parameters
from ..lib.display import SHORT_TIME
from ..lib.lease_payload import PROBLEMS, loggable

_logger = logging.getLogger(__name__)

# Refused calls are counted on one row per source network, outcome and minute, and a minute holds
# at most this many such rows: past it, the calls of new networks add up on one row for them all
# (OTHER_SOURCES). A flood from however many addresses costs bounded space.
MAX_REFUSAL_ROWS_PER_MINUTE = 50
OTHER_SOURCES = "*"
# A refused call is counted by its network, not its address: an attacker holds many addresses of one
# network as easily as one (an IPv6 /48 is a site's; an IPv4 /24 the smallest routed block).
SOURCE_PREFIX = {4: 24, 6: 48}

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
    source_ip = fields.Char(
        string="Source IP",
        readonly=True,
        help="Where the call came from. Refused calls are counted by network (a /24, or a /48 in IPv6); "
        "* counts the networks past the rows a minute holds.",
    )

    @api.depends("outcome", "mac", "event_time")
    @api.depends_context("lang", "tz", "uid")
    def _compute_display_name(self):
        # Named by what it is, with its time in the reader's zone and language.
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        for event in self:
            time = format_datetime(self.env, event.event_time, dt_format=SHORT_TIME, tz=self.env.tz.zone) if event.event_time else ""
            event.display_name = " ".join(part for part in (outcomes.get(event.outcome), event.mac, time) if part)
    router_id = fields.Many2one("isp.router", readonly=True, ondelete="set null", index="btree_not_null")
    router_identity = fields.Char(
        readonly=True,
        help="Router identity as reported by the call; for a refused call, nothing vouches for it.",
    )
    mac = fields.Char(
        string="MAC", readonly=True, index=True, help="For a refused call, what its body claimed: nothing vouches for it."
    )
    ip = fields.Char(string="IP", readonly=True)
    bound = fields.Boolean(readonly=True)
    outcome = fields.Selection(OUTCOMES, required=True, readonly=True, index=True)
    error = fields.Char(readonly=True, help="What the caller was answered, in the words it was answered with.")
    invalid_field = fields.Char(string="Field", readonly=True, help="The field of an invalid report that was refused.")
    problem = fields.Selection(
        list(PROBLEMS.items()), readonly=True, help="What was wrong with the field of an invalid report."
    )
    profile_id = fields.Many2one(
        "isp.mac.profile", string="MAC Profile", readonly=True, ondelete="set null", index="btree_not_null"
    )
    call_count = fields.Integer(
        string="Calls",
        default=1,
        readonly=True,
        help="Refused calls from one source with the same outcome are counted on one row a minute; "
        "the row shows the last of them.",
    )
    window_start = fields.Datetime(
        string="Minute", readonly=True, index="btree_not_null", help="The minute whose refused calls this row counts."
    )

    _refusal_window_unique = models.UniqueIndex("(source_ip, outcome, window_start) WHERE window_start IS NOT NULL")

    @api.model
    def _log_invalid_report(self, error, source_ip=None, values=None):
        """Record a report refused for ``error`` (a LeasePayloadError), with whatever could be
        read of the lease."""
        values = values or {}
        return self.sudo().create(
            {
                "outcome": "invalid",
                "error": loggable(error, limit=256),
                "invalid_field": loggable(error.field),
                "problem": error.problem,
                "source_ip": source_ip,
                "mac": loggable(values.get("mac")) or False,
                "router_identity": loggable(values.get("router")) or False,
            }
        )

    @api.model
    def _count_refusal(self, outcome, error, source_ip, claimed=None):
        """Count a call refused before its lease was read on the row of its source network,
        outcome and minute, and return how many refused calls that network made this minute,
        whatever their outcome (a secret sent in the URL included).

        ``claimed`` holds what the call's body said of itself (``mac``, ``router``): nothing
        vouches for it, but behind CGNAT the source address names the carrier, not the router.
        The row keeps the last claims made (a readiness check makes none).

        It runs in a transaction of its own, committed at once in READ COMMITTED, so that a flood
        of parallel refusals from one source adds up on one row instead of failing to serialize.
        """
        now = fields.Datetime.now()
        window = now.replace(second=0, microsecond=0)
        values = {
            "now": now,
            "window": window,
            "source": source_network(source_ip),
            "outcome": outcome,
            "error": loggable(error, limit=256),
            "mac": loggable((claimed or {}).get("mac")) or None,
            "router": loggable((claimed or {}).get("router")) or None,
            "uid": self.env.uid,
        }
        with self.env.registry.cursor() as cr:
            if isinstance(cr, Cursor):  # a test's cursor is already inside its transaction
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            # A counter may lose its last counts in a crash; a flood must not wait on the disk.
            cr.execute("SET LOCAL synchronous_commit = off")
            if not self._add_to_refusal_row(cr, values):
                cr.execute(SQL(
                    "SELECT count(*) >= %s FROM isp_onboarding_event WHERE window_start = %s",
                    MAX_REFUSAL_ROWS_PER_MINUTE, window,
                ))
                if cr.fetchone()[0]:
                    values["source"] = OTHER_SOURCES
                cr.execute(SQL(
                    """
                    INSERT INTO isp_onboarding_event
                           (event_time, window_start, source_ip, outcome, error, mac, router_identity, call_count,
                            create_uid, create_date, write_uid, write_date)
                    VALUES (%(now)s, %(window)s, %(source)s, %(outcome)s, %(error)s, %(mac)s, %(router)s, 1,
                            %(uid)s, %(now)s, %(uid)s, %(now)s)
                    ON CONFLICT (source_ip, outcome, window_start) WHERE window_start IS NOT NULL DO NOTHING
                    """,
                    **values,
                ))
                if not cr.rowcount:
                    self._add_to_refusal_row(cr, values)  # a parallel call made the row meanwhile
            cr.execute(SQL(
                "SELECT coalesce(sum(call_count), 0) FROM isp_onboarding_event WHERE source_ip = %s AND window_start = %s",
                values["source"], window,
            ))
            [count] = cr.fetchone()
        self.invalidate_model()
        return count

    @api.model
    def _add_to_refusal_row(self, cr, values):
        """Counts one more call on the row of ``values``' source, outcome and minute; False when
        there is no such row yet."""
        cr.execute(SQL(
            """
            UPDATE isp_onboarding_event
               SET call_count = call_count + 1, event_time = %(now)s, error = %(error)s,
                   mac = coalesce(%(mac)s, mac), router_identity = coalesce(%(router)s, router_identity),
                   write_date = %(now)s
             WHERE source_ip = %(source)s AND outcome = %(outcome)s AND window_start = %(window)s
            """,
            **values,
        ))
        return bool(cr.rowcount)

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


def source_network(source_ip):
    """The network a refused call is counted by (see SOURCE_PREFIX), as text; an address that
    cannot be read is counted as it came."""
    try:
        address = ipaddress.ip_address(source_ip or "")
    except ValueError:
        return source_ip or ""
    return str(ipaddress.ip_network(f"{address}/{SOURCE_PREFIX[address.version]}", strict=False))
