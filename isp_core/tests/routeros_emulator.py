"""Starts the project's RouterOS emulator (tools/routeros-emulator) for the Odoo tests.

The emulator is part of the repository, so a missing Node.js or emulator is a broken checkout:
the harness raises instead of letting tests skip.
"""

import re
import resource
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

from odoo.tests import TransactionCase

from ..lib.routeros_session import RouterOsSession, RouterSettings

REPO_ROOT = Path(__file__).resolve().parents[2]
CLI = Path("tools/routeros-emulator/cli.ts")
READY_LINE = re.compile(
    r"^routeros-emulator listening api=(?P<host>[^\s:]+):(?P<port>\d+)(?: tls=[^\s:]+:(?P<tls_port>\d+))? version=(?P<version>\S+)"
)
READY_TIMEOUT = 60


@contextmanager
def recording_commands():
    """Yields a list that receives ``(command, words)`` for every sentence any session sends
    while the context is open: the wire truth of what Odoo asked a router to do."""
    sent = []
    original = RouterOsSession._send

    def recording_send(session, command, words):
        sent.append((command, tuple(words)))
        return original(session, command, words)

    with patch.object(RouterOsSession, "_send", recording_send):
        yield sent


def _lift_address_space_limit():
    """Odoo caps its own address space (limit_memory_hard) and children inherit the cap, but
    Node reserves far more than that for WebAssembly (which tsx uses) and fails to start."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


class EmulatorError(RuntimeError):
    """The emulator could not be started."""


class RouterOsEmulator:
    """One emulator process on a free loopback port.

    Use ``with RouterOsEmulator() as emulator:`` or ``start()``/``stop()``. A test takes the
    router away with ``stop()`` and brings it back on the same address with
    ``start(port=emulator.port)``.
    """

    def __init__(self, user="admin", password="", extra_args=()):
        self.user = user
        self.password = password
        self.extra_args = tuple(extra_args)
        self.host = "127.0.0.1"
        self.port = None
        self.tls_port = None
        self.version = None
        self._process = None
        self._stderr = []

    def start(self, port=0):
        node = shutil.which("node")
        if not node:
            raise EmulatorError("Node.js is not installed: the RouterOS emulator cannot run (npm ci, then retry)")
        if not (REPO_ROOT / CLI).exists():
            raise EmulatorError(f"The RouterOS emulator is missing: {CLI} not found under the repository root")
        command = [
            node, "--import", "tsx", str(CLI),
            "--host", self.host, "--port", str(port),
            "--user", f"{self.user}={self.password}",
            *self.extra_args,
        ]
        self._process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_lift_address_space_limit,
        )
        self._stderr = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        ready = self._read_ready_line()
        self.port = int(ready["port"])
        self.tls_port = int(ready["tls_port"]) if ready.get("tls_port") else None
        self.version = ready["version"]
        return self

    def _drain_stderr(self):
        for line in self._process.stderr:
            self._stderr.append(line)

    def _read_ready_line(self):
        found = {}

        def read():
            for line in self._process.stdout:
                match = READY_LINE.match(line.strip())
                if match:
                    found.update(match.groupdict())
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(READY_TIMEOUT)
        if not found:
            self.stop()
            raise EmulatorError(
                f"The RouterOS emulator printed no ready line within {READY_TIMEOUT} s: " + "".join(self._stderr[-20:])
            )
        # Keep reading stdout so that the emulator never blocks on a full pipe.
        threading.Thread(target=self._drain_stdout, daemon=True).start()
        return found

    def _drain_stdout(self):
        for _line in self._process.stdout:
            pass

    def stop(self):
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def settings(self):
        return RouterSettings(host=self.host, port=self.port, user=self.user, password=self.password)

    def session(self):
        """A session of the test's own, to prepare the router or look at what Odoo wrote."""
        return RouterOsSession.open(self.settings())

    def router_values(self):
        """Values for an ``isp.router`` that reaches this emulator."""
        return {"host": self.host, "api_port": self.port, "api_user": self.user, "api_password": self.password}


def describe_jobs(jobs):
    """Provisioning jobs, one a line, for a failure message."""
    return "\n".join(f"{job.name} ({job.state}): {job.last_error}" for job in jobs)


class RouterOsEmulatorMixin:
    """The emulator for a ``TransactionCase`` or an ``HttpCase``: ``start_emulator()`` (in
    ``setUp``) gives the test a fresh one as ``self.emulator``; the other methods prepare the
    router, look at it, and run Odoo's provisioning against it. Methods that make subscriptions
    need ``self.router``, the emulator as Odoo knows it."""

    DHCP_SERVER = "dhcp-lan"

    def start_emulator(self):
        """A fresh emulator, stopped after the test: the only router Odoo may contact."""
        self.emulator = RouterOsEmulator().start()
        self.addCleanup(self.emulator.stop)
        # Only the emulator may be contacted: other routers (demo data) and their jobs step aside.
        self.env["isp.router"].search([]).active = False
        self.env["isp.provisioning.job"].search([]).unlink()
        return self.emulator

    def run_jobs(self, expect_failures=False):
        """Runs the provisioning worker once, as its cron does; unless told otherwise, no job may
        fail. Returns the jobs left undone: failed, or queued for a later try."""
        jobs = self.env["isp.provisioning.job"]
        jobs._cron_process_queue()
        undone = jobs.search([("state", "!=", "done")])
        if not expect_failures:
            failed = undone.filtered(lambda job: job.state == "failed")
            self.assertFalse(failed, describe_jobs(failed))
        return undone

    def router_items(self, menu, **where):
        """What the router holds now, as its own print shows it."""
        with self.emulator.session() as session:
            return session.print(menu, where={name.replace("_", "-"): value for name, value in where.items()})

    def bind_lease(self, mac, hostname=""):
        """A device takes a lease from DHCP_SERVER; returns the address the router gave it."""
        mac = mac.upper()
        with self.emulator.session() as session:
            session.command("/simulator/dhcp/bind", {"server": self.DHCP_SERVER, "mac-address": mac, "host-name": hostname})
            [lease] = session.print("/ip/dhcp-server/lease", where={"mac-address": mac}, proplist=["address"])
        return lease["address"]

    def unbind_lease(self, mac):
        with self.emulator.session() as session:
            session.command("/simulator/dhcp/unbind", {"mac-address": mac})

    def make_plain_plan(self):
        """A plan without a hotspot profile: its customers get a simple queue only."""
        return self.env["isp.service.plan"].create({"name": "DHCP 10/2", "download_mbps": 10, "upload_mbps": 2})

    def make_profile(self, mac, ip):
        """A device behind the emulated router, last seen at ``ip``."""
        return self.env["isp.mac.profile"].create({"mac": mac, "last_ip": ip, "router_id": self.router.id})

    def make_draft_subscription(self, profile, plan, partner=None):
        """A draft subscription of ``profile`` to ``plan`` on the emulated router, for ``partner``
        (default: a new customer)."""
        partner = partner or self.env["res.partner"].create({"name": f"Customer {profile.mac}"})
        return self.env["isp.subscription"].create({
            "partner_id": partner.id,
            "plan_id": plan.id,
            "mac_profile_id": profile.id,
            "router_id": self.router.id,
        })


class RouterOsEmulatorCase(RouterOsEmulatorMixin, TransactionCase):
    """A fresh emulator per test, known to Odoo as ``self.router``, with a DHCP server on it."""

    def setUp(self):
        super().setUp()
        self.start_emulator()
        with self.emulator.session() as session:
            session.add("/ip/pool", {"name": "lan", "ranges": "10.20.0.10-10.20.3.250"})
            session.add("/ip/dhcp-server", {"name": self.DHCP_SERVER, "interface": "ether2", "address-pool": "lan"})
        self.router = self.env["isp.router"].create({"name": "MK-TEST", **self.emulator.router_values()})
