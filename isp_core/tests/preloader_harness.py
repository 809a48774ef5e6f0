"""Runs the project's preloader (tools/mikrotik_preloader) against an emulated router and this
Odoo, as an operator runs it: the example config with the test's router, sector and Odoo filled
in, the secrets in the environment, and the real CLI."""

import json
import os
import re
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from odoo.tests import new_test_user

from .routeros_emulator import REPO_ROOT, _lift_address_space_limit

PRELOADER_CLI = Path("tools/mikrotik_preloader/cli.ts")
EXAMPLE_CONFIG = Path("tools/mikrotik_preloader/config.example.yaml")
NODE_TIMEOUT = 300
MGMT_USER = "isp-core"
# Whatever the caller's shell holds for the preloader must not leak into its run.
PRELOADER_VARIABLES = (
    "MIKROTIK_MGMT_PASS",
    "MIKROTIK_BOOTSTRAP_PASS",
    "ODOO_API_KEY",
    "ODOO_ADMIN_PASS",
    "ISP_ALLOWED_MGMT_IPS",
)


def preloader_config(example, values):
    """The example config with each key of ``values`` (set exactly once in it) given a new value."""
    for key, value in values.items():
        example, count = re.subn(
            rf"^(\s*{re.escape(key)}:) .*$",
            lambda match, value=value: f"{match.group(1)} {json.dumps(value)}",
            example,
            flags=re.MULTILINE,
        )
        if count != 1:
            raise AssertionError(f"{EXAMPLE_CONFIG} should set {key!r} once, it sets it {count} times")
    return example


class PreloaderMixin:
    """For an ``HttpCase`` with ``RouterOsEmulatorMixin``: ``make_operator()`` gives the Odoo
    user the preloader logs in as, ``run_preloader()`` runs the CLI against ``self.emulator``
    and this Odoo."""

    def make_operator(self, login="isp_preloader", groups="isp_core.group_isp_manager"):
        """An Odoo user for the preloader, with its password (its login) and an API key. It
        registers sectors and routers and asks for their keys: an ISP manager, not an Odoo
        administrator (it sets no system parameter)."""
        operator = new_test_user(self.env, login=login, groups=groups)
        api_key = self.env["res.users.apikeys"].with_user(operator).sudo()._generate(None, "isp-preloader", None)
        return operator, api_key

    @contextmanager
    def reachable_from_outside(self):
        """Lets processes without the test's cookie (the preloader, the router's fetch) call this
        Odoo. Their requests run in this test's transaction, through their own cache: what this
        test wrote is flushed for them, and what they wrote is read afresh afterwards."""
        self.env.cr.flush()
        with self.allow_requests(all_requests=True):
            yield
        self.env.invalidate_all()

    def run_node(self, script, args, environment):
        """Runs a TypeScript file of the repository with ``environment`` added to a clean one."""
        self.assertTrue((REPO_ROOT / script).exists(), f"{script} not found under the repository root")
        env = {name: value for name, value in os.environ.items() if name not in PRELOADER_VARIABLES}
        env.update(environment)
        with self.reachable_from_outside():
            return subprocess.run(
                [shutil.which("node"), "--import", "tsx", str(script), *args],
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=NODE_TIMEOUT,
                preexec_fn=_lift_address_space_limit,
                check=False,
            )

    def run_preloader(self, secrets, config_values, args=()):
        """Runs the preloader with ``secrets`` as its environment, on the example config whose
        keys ``config_values`` replaces (the emulator, this Odoo and its database are filled
        in). Returns the finished process."""
        values = {
            "mgmt_subnet": f"{self.emulator.host}/32",
            "api_port": self.emulator.port,
            "url": self.base_url(),
            "database": self.env.cr.dbname,
            **config_values,
        }
        config = preloader_config((REPO_ROOT / EXAMPLE_CONFIG).read_text(encoding="utf-8"), values)
        self.assertIn("- 127.0.0.1/32", config, "Odoo reaches the router from 127.0.0.1: it must stay allowed")
        directory = tempfile.TemporaryDirectory(prefix="isp-preloader-")
        self.addCleanup(directory.cleanup)
        config_file = Path(directory.name, "config.yaml")
        config_file.write_text(config, encoding="utf-8")
        return self.run_node(PRELOADER_CLI, ["--config", str(config_file), *args], secrets)

    def assertRouterRegistered(self, router, sector, mgmt_password):
        """``router`` is the emulator as the preloader registers it in Odoo, in ``sector``."""
        self.assertRecordValues(router, [{
            "active": True,
            "sector_id": sector.id,
            "host": self.emulator.host,
            "api_port": self.emulator.port,
            "use_tls": False,
            "api_user": MGMT_USER,
            "api_password": mgmt_password,
            "suspended_address_list": "isp_suspended",
        }])

    def assertPreloaderExit(self, run, code):
        output = f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}"
        self.assertEqual(run.returncode, code, f"The preloader exited with {run.returncode}, not {code}:\n{output}")
        return output
