from datetime import timedelta

from odoo import api, fields, models

from ..lib import agent_protocol

# Check-ins closer together than this (a lease's and the scheduler's, or a router's retries) count
# as one sending: an operation fails only after MAX_SENDINGS check-ins spread over time.
SENDING_GAP = timedelta(seconds=10)
# Done and failed operations are kept as long as their job is: the job holds the outcome.
STATES = [("sent", "Sent"), ("done", "Done"), ("failed", "Failed")]


class IspRouterOperation(models.Model):
    """One write of a provisioning job, sent to a router in agent mode at its check-in.

    The router reports each operation by id at its next check-in. Until then it is sent again at
    every check-in: operations are upserts and removals keyed by name or comment, so applying
    one twice has the effect of applying it once.
    """

    _name = "isp.router.operation"
    _description = "Router Agent Operation"
    _order = "id"

    router_id = fields.Many2one("isp.router", required=True, index=True, ondelete="cascade", readonly=True)
    job_id = fields.Many2one("isp.provisioning.job", required=True, index=True, ondelete="cascade", readonly=True)
    kind = fields.Selection(
        [(key, kind.label) for key, kind in agent_protocol.OPERATIONS.items()], required=True, readonly=True
    )
    # The values as they travel, in agent_protocol.OPERATIONS order; a captive user's password
    # among them, hence readable by administrators only.
    values = fields.Json(readonly=True, groups="base.group_system")
    state = fields.Selection(STATES, default="sent", required=True, index=True, readonly=True)
    send_count = fields.Integer(string="Times Sent", readonly=True)
    last_sent_at = fields.Datetime(string="Last Counted Sending", readonly=True)
    outcome = fields.Char(readonly=True)
    error = fields.Char(readonly=True, help="The router's own error text.")

    @api.model
    def _pending(self, router):
        """The operations ``router`` has not reported yet, oldest first."""
        return self.sudo().search([("router_id", "=", router.id), ("state", "=", "sent")], order="id")

    def _as_sent(self):
        """``(id, kind, values)`` for the answer, counting one more sending unless one was
        counted less than SENDING_GAP ago."""
        now = fields.Datetime.now()
        for operation in self:
            if not operation.last_sent_at or now - operation.last_sent_at >= SENDING_GAP:
                operation.write({"send_count": operation.send_count + 1, "last_sent_at": now})
        return [(operation.id, operation.kind, operation.values) for operation in self]
