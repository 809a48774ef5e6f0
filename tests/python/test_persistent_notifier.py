"""isp_core/lib/persistent_notifier.py with stand-in connections: reuse, reconnection, forks."""

import os
import unittest
from unittest import mock

import psycopg2

import _isp_core_path  # noqa: F401

from lib.persistent_notifier import PersistentNotifier


class FakeConnection:
    """Records what each cursor executes; ``drop()`` makes it fail as a lost connection does."""

    def __init__(self, log):
        self.log = log
        self.closed = 0
        self.autocommit = False
        self.dropped = False

    def drop(self):
        self.dropped = True

    def close(self):
        self.closed = 1

    def cursor(self):
        connection = self

        class Cursor:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute(self, query, params):
                if connection.dropped:
                    raise psycopg2.OperationalError("server closed the connection unexpectedly")
                connection.log.append((connection, params, connection.autocommit))

        return Cursor()


class PersistentNotifierTest(unittest.TestCase):
    def setUp(self):
        self.sent = []
        self.connections = []
        self.server_up = True

        def connect():
            if not self.server_up:
                raise psycopg2.OperationalError("could not connect to server")
            connection = FakeConnection(self.sent)
            self.connections.append(connection)
            return connection

        self.notifier = PersistentNotifier(connect)

    def test_one_connection_carries_every_notification(self):
        self.notifier.notify("pg_notify", "imbus", ["a", "b"])
        self.notifier.notify("pg_notify", "imbus", ["c"])
        self.assertEqual(len(self.connections), 1)
        self.assertEqual([params for _, params, _ in self.sent], [("imbus", "a"), ("imbus", "b"), ("imbus", "c")])
        self.assertTrue(all(autocommit for _, _, autocommit in self.sent), "each NOTIFY must be delivered at once")

    def test_a_dropped_connection_is_replaced_and_the_notification_still_sent(self):
        self.notifier.notify("pg_notify", "imbus", ["before"])
        self.connections[0].drop()
        self.notifier.notify("pg_notify", "imbus", ["after"])
        self.assertEqual(len(self.connections), 2)
        self.assertTrue(self.connections[0].closed)
        self.assertEqual(self.sent[-1][:2], (self.connections[1], ("imbus", "after")))

    def test_a_server_that_stays_down_raises(self):
        self.notifier.notify("pg_notify", "imbus", ["before"])
        self.connections[0].drop()
        self.server_up = False
        with self.assertRaises(psycopg2.OperationalError):
            self.notifier.notify("pg_notify", "imbus", ["lost"])

    def test_a_forked_child_opens_its_own_connection_and_leaves_the_parents_open(self):
        self.notifier.notify("pg_notify", "imbus", ["parent"])
        with mock.patch("lib.persistent_notifier.os.getpid", return_value=os.getpid() + 1):
            self.notifier.notify("pg_notify", "imbus", ["child"])
        self.assertEqual(len(self.connections), 2)
        self.assertFalse(self.connections[0].closed, "closing would end the parent's session")
        self.assertEqual(self.sent[-1][:2], (self.connections[1], ("imbus", "child")))


if __name__ == "__main__":
    unittest.main()
