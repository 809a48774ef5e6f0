import json
import selectors
import time
from unittest.mock import patch

import psycopg2

from odoo.sql_db import connection_info_for
from odoo.tests import tagged

from odoo.addons.bus.models.bus import channel_with_db
from odoo.addons.isp_core.lib.persistent_notifier import PersistentNotifier
from odoo.addons.isp_core.models import bus_bus

from .common import IspCoreCase

# How long a notification may take to arrive, and how long to wait to be sure none came.
WAIT_SECONDS = 5
SILENCE_SECONDS = 1


def connect_to_postgres():
    return psycopg2.connect(**connection_info_for("postgres")[1])


@tagged("post_install", "-at_install")
class TestBusNotify(IspCoreCase):
    """The live feed's wake-up call (NOTIFY imbus) goes over a connection the worker keeps."""

    def setUp(self):
        super().setUp()
        # The test users' own notifications, queued by setUpClass, go out before anyone listens.
        self.commit_hooks()
        self.listener = connect_to_postgres()
        self.listener.autocommit = True
        self.addCleanup(self.listener.close)
        with self.listener.cursor() as cursor:
            cursor.execute("LISTEN imbus")
        self.notifier_connections = []

        def connect():
            connection = connect_to_postgres()
            self.notifier_connections.append(connection)
            self.addCleanup(connection.close)
            return connection

        patcher = patch.object(bus_bus, "_imbus_notifier", PersistentNotifier(connect))
        patcher.start()
        self.addCleanup(patcher.stop)
        self.staff_channel = list(channel_with_db(self.env.cr.dbname, self.env.ref("isp_core.group_isp_user")))

    def commit_hooks(self):
        """What a real commit runs around it: create the bus rows, then notify."""
        self.env.cr.precommit.run()
        self.env.cr.postcommit.run()

    def heard_channels(self, wait=WAIT_SECONDS):
        """The channels of this database announced on imbus, waiting up to ``wait`` seconds."""
        deadline = time.monotonic() + wait
        with selectors.DefaultSelector() as selector:
            selector.register(self.listener, selectors.EVENT_READ)
            while (remaining := deadline - time.monotonic()) > 0:
                if not selector.select(timeout=remaining):
                    break
                self.listener.poll()
                channels = [
                    channel
                    for notification in self.listener.notifies
                    for channel in json.loads(notification.payload)
                    if channel[0] == self.env.cr.dbname
                ]
                self.listener.notifies.clear()
                if channels:
                    return channels
        return []

    def test_staff_are_woken_for_a_new_device_after_the_commit_only(self):
        self.onboard("AA:BB:CC:00:00:01")
        self.env.cr.precommit.run()
        self.assertEqual(self.heard_channels(wait=SILENCE_SECONDS), [], "nothing may be announced before the commit")
        self.env.cr.postcommit.run()
        self.assertEqual(self.heard_channels(), [self.staff_channel])

    def test_one_connection_serves_every_transaction(self):
        for mac in ("AA:BB:CC:00:00:02", "AA:BB:CC:00:00:03", "AA:BB:CC:00:00:04"):
            self.onboard(mac)
            self.commit_hooks()
            self.assertEqual(self.heard_channels(), [self.staff_channel], mac)
        self.assertEqual(len(self.notifier_connections), 1)

    def test_a_dropped_connection_is_reopened_without_losing_the_notification(self):
        self.onboard("AA:BB:CC:00:00:05")
        self.commit_hooks()
        self.assertEqual(self.heard_channels(), [self.staff_channel])
        with self.listener.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [self.notifier_connections[0].get_backend_pid()])
        self.onboard("AA:BB:CC:00:00:06")
        self.commit_hooks()
        self.assertEqual(self.heard_channels(), [self.staff_channel])
        self.assertEqual(len(self.notifier_connections), 2)

    def test_other_modules_notifications_take_the_same_path(self):
        self.env["bus.bus"]._sendone("isp-test-channel", "isp_core/test", {})
        self.commit_hooks()
        self.assertEqual(self.heard_channels(), [[self.env.cr.dbname, "isp-test-channel"]])
        self.assertEqual(len(self.notifier_connections), 1, "sent over the kept connection, not a new one")
