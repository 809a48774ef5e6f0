"""PostgreSQL NOTIFY over one connection a process keeps, instead of a new one per call."""

import os
import threading

import psycopg2
from psycopg2 import sql

# What a dropped connection raises: a server restart, an idle timeout, a terminated backend.
CONNECTION_LOST = (psycopg2.OperationalError, psycopg2.InterfaceError)


class PersistentNotifier:
    """Sends NOTIFY payloads over one autocommit connection per process.

    Starting a PostgreSQL backend for a connection costs several milliseconds, far more than
    the NOTIFY it carries. Keeping the connection open makes a notification cost one round
    trip. The connection is opened on first use, and reopened once when the server dropped
    it. A forked child opens its own: one socket shared across a fork would mix both
    processes' messages.
    """

    def __init__(self, connect):
        """:param connect: returns a new psycopg2 connection, e.g. ``lambda: psycopg2.connect(...)``."""
        self._connect = connect
        self._lock = threading.Lock()  # one connection, shared by a threaded server's requests
        self._connection = None
        self._owner_pid = None

    def notify(self, function, channel, payloads):
        """``SELECT function(channel, payload)`` for each payload, e.g. ``pg_notify``.

        :raises psycopg2.Error: when PostgreSQL cannot be reached even on a new connection.
        """
        with self._lock:
            try:
                self._send(function, channel, payloads)
            except CONNECTION_LOST:
                # A NOTIFY sent twice only wakes its listeners twice; a lost one loses an update.
                self._forget_connection()
                self._send(function, channel, payloads)

    def _send(self, function, channel, payloads):
        query = sql.SQL("SELECT {}(%s, %s)").format(sql.Identifier(function))
        with self._open_connection().cursor() as cursor:
            for payload in payloads:
                cursor.execute(query, (channel, payload))

    def _open_connection(self):
        if self._owner_pid != os.getpid():
            self._connection = None  # inherited across a fork: the parent still owns that socket
        if self._connection is None or self._connection.closed:
            self._forget_connection()
            connection = self._connect()
            connection.autocommit = True  # NOTIFY is delivered at commit: make each one its own
            self._connection, self._owner_pid = connection, os.getpid()
        return self._connection

    def _forget_connection(self):
        if self._connection is not None:
            try:
                self._connection.close()
            except psycopg2.Error:
                pass  # already gone: nothing left to release
        self._connection = None
