import psycopg2

from odoo import models
from odoo.sql_db import connection_info_for
from odoo.tools.misc import OrderedSet

from odoo.addons.bus.models.bus import ODOO_NOTIFY_FUNCTION, get_notify_payloads

from ..lib.persistent_notifier import PersistentNotifier

# Where bus._sendone gathers the channels a transaction notifies after its commit.
POSTCOMMIT_CHANNELS = "bus.bus.channels"
# The websocket dispatcher LISTENs to this channel on the `postgres` database.
IMBUS_CHANNEL = "imbus"

_imbus_notifier = PersistentNotifier(lambda: psycopg2.connect(**connection_info_for("postgres")[1]))


class BusBus(models.Model):
    _inherit = "bus.bus"

    def _ensure_hooks(self):
        """Send this transaction's NOTIFY over a connection the worker keeps open.

        The bus opens a new connection to the `postgres` database for every transaction that
        notifies (Odoo never pools those), and starting that PostgreSQL backend costs more than
        recording a new device: it bounded a DHCP storm at ~30 leases/s. Setting up the
        channels first keeps the bus from adding its own hook; what is notified, and when
        (after the commit), stay the same.
        """
        postcommit = self.env.cr.postcommit
        if POSTCOMMIT_CHANNELS not in postcommit.data:
            postcommit.data[POSTCOMMIT_CHANNELS] = OrderedSet()

            @postcommit.add
            def notify_imbus():
                channels = list(postcommit.data.pop(POSTCOMMIT_CHANNELS))
                _imbus_notifier.notify(ODOO_NOTIFY_FUNCTION, IMBUS_CHANNEL, get_notify_payloads(channels))

        super()._ensure_hooks()
