"""The whole onboarding chain in a real Odoo: the preloader sets up a fresh emulated router and
this Odoo from the example config; a device then takes a DHCP lease on the router, whose
lease-script tells Odoo; Odoo approves the device and its provisioning worker puts the device's
captive user on the router's hotspot."""

import json
import os
import re
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.isp_core.lib import parameters

from .common import set_params
from .routeros_simulator import REPO_ROOT, RouterOsSimulatorMixin, _lift_address_space_limit, describe_jobs

PRELOADER_CLI = Path("tools/mikrotik_preloader/cli.ts")
EXAMPLE_CONFIG = Path("tools/mikrotik_preloader/config.example.yaml")
PRELOADER_TIMEOUT = 300

SECTOR_CODE = "SEC-950-lease_chain"
SECTOR_NAME = "Lease Chain"
# The example names routers "{sector}-{n}".
ROUTER_IDENTITY = f"{SECTOR_CODE}-1"
DHCP_SERVER = "chain-dhcp"
MGMT_USER = "isp-core"

MGMT_PASSWORD = "chain-Mgmt-pass-0417"
MAC_TOKEN = "chain-onboarding-token-7730"
# Whatever the caller's shell holds for the preloader must not leak into its run.
PRELOADER_VARIABLES = (
    "MIKROTIK_MGMT_PASS",
    "MIKROTIK_BOOTSTRAP_PASS",
    "ODOO_API_KEY",
    "ODOO_ADMIN_PASS",
    "ISP_MAC_TOKEN",
    "ISP_ALLOWED_MGMT_IPS",
)

DEVICE_MAC = "AA:BB:CC:5E:00:01"
# The client chooses its host name: the lease-script must escape quotes and backslashes.
DEVICE_HOSTNAME = 'ONU "lobby" C:\\fiber'
PLAN_HOTSPOT_PROFILE = "plan-20-5"


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


@tagged("post_install", "-at_install")
class TestLeaseChain(RouterOsSimulatorMixin, HttpCase):
    DHCP_SERVER = DHCP_SERVER

    def setUp(self):
        super().setUp()
        self.start_simulator()  # a fresh router, factory admin without password
        # An Odoo that never met a router holds no onboarding token yet.
        self.env["ir.config_parameter"].sudo().set_param(parameters.MAC_ONBOARDING_TOKEN, False)
        self.plan = self.env["isp.service.plan"].create(
            {"name": "Chain 20/5", "download_mbps": 20, "upload_mbps": 5, "hotspot_profile": PLAN_HOTSPOT_PROFILE}
        )
        # Registering routers writes the token, a system parameter: the operator is an administrator.
        operator = new_test_user(
            self.env, login="isp_preloader", groups="base.group_system,isp_core.group_isp_manager"
        )
        self.api_key = self.env["res.users.apikeys"].with_user(operator).sudo()._generate(None, "isp-preloader", None)

    @contextmanager
    def reachable_from_outside(self):
        """Lets processes without the test's cookie (the preloader, the router's fetch) call this
        Odoo. Their requests run in this test's transaction, through their own cache: what this
        test wrote is flushed for them, and what they wrote is read afresh afterwards."""
        self.env.cr.flush()
        with self.allow_requests(all_requests=True):
            yield
        self.env.invalidate_all()

    def run_preloader(self):
        self.assertTrue(
            (REPO_ROOT / PRELOADER_CLI).exists(),
            f"The preloader is missing: {PRELOADER_CLI} not found under the repository root",
        )
        config = preloader_config(
            (REPO_ROOT / EXAMPLE_CONFIG).read_text(encoding="utf-8"),
            {
                "mgmt_subnet": f"{self.simulator.host}/32",
                "api_port": self.simulator.port,
                "code": SECTOR_CODE,
                "name": SECTOR_NAME,
                "dhcp_server_name": DHCP_SERVER,
                "url": self.base_url(),
                "database": self.env.cr.dbname,
            },
        )
        self.assertIn("- 127.0.0.1/32", config, "Odoo reaches the router from 127.0.0.1: it must stay allowed")
        directory = tempfile.TemporaryDirectory(prefix="isp-lease-chain-")
        self.addCleanup(directory.cleanup)
        config_file = Path(directory.name, "config.yaml")
        config_file.write_text(config, encoding="utf-8")
        environment = {name: value for name, value in os.environ.items() if name not in PRELOADER_VARIABLES}
        environment.update(MIKROTIK_MGMT_PASS=MGMT_PASSWORD, ODOO_API_KEY=self.api_key, ISP_MAC_TOKEN=MAC_TOKEN)
        with self.reachable_from_outside():
            return subprocess.run(
                [shutil.which("node"), "--import", "tsx", str(PRELOADER_CLI), "--config", str(config_file)],
                cwd=REPO_ROOT,
                env=environment,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=PRELOADER_TIMEOUT,
                preexec_fn=_lift_address_space_limit,
                check=False,
            )

    def router_script_log(self):
        return "\n".join(
            entry.get("message", "") for entry in self.router_items("/log") if "script" in entry.get("topics", "")
        )

    def test_lease_on_the_router_ends_as_a_hotspot_user(self):
        sectors = self.env["isp.sector"].with_context(active_test=False)
        self.assertFalse(sectors.search([("code", "=", SECTOR_CODE)]))

        # The preloader configures the router and registers it in Odoo.
        run = self.run_preloader()
        output = run.stdout + run.stderr
        self.assertEqual(run.returncode, 0, f"The preloader failed:\n{output}")
        secrets = {"MIKROTIK_MGMT_PASS": MGMT_PASSWORD, "ODOO_API_KEY": self.api_key, "ISP_MAC_TOKEN": MAC_TOKEN}
        for name, secret in secrets.items():
            self.assertNotIn(secret, output, f"The preloader printed {name}")
        sector = sectors.search([("code", "=", SECTOR_CODE)])
        self.assertRecordValues(sector, [{"name": SECTOR_NAME, "active": True}])
        router = self.env["isp.router"].search([("name", "=", ROUTER_IDENTITY)])
        self.assertRecordValues(
            router,
            [{
                "sector_id": sector.id,
                "host": self.simulator.host,
                "api_port": self.simulator.port,
                "use_tls": False,
                "api_user": MGMT_USER,
                "api_password": MGMT_PASSWORD,
            }],
        )
        config = self.env["ir.config_parameter"].sudo()
        self.assertEqual(config.get_param(parameters.MAC_ONBOARDING_TOKEN), MAC_TOKEN)

        # Odoo approves new devices on its own and provisions their captive users.
        set_params(self.env, {
            parameters.MAC_AUTO_CREATE: "1",
            parameters.MAC_DEFAULT_PLAN_ID: str(self.plan.id),
            parameters.MAC_AUTO_CREATE_CAPTIVE_USER: "1",
            parameters.MAC_AUTO_PROVISION_CAPTIVE: "1",
        })

        # A device takes a lease; the router's lease-script reports it to Odoo.
        with self.reachable_from_outside():
            address = self.bind_lease(DEVICE_MAC, DEVICE_HOSTNAME)
        profile = self.env["isp.mac.profile"].search([("mac", "=", DEVICE_MAC)])
        self.assertTrue(profile, f"The lease never reached Odoo. The router's script log:\n{self.router_script_log()}")
        self.assertRecordValues(
            profile,
            [{
                "hostname": DEVICE_HOSTNAME,
                "last_ip": address,
                "dhcp_server": DHCP_SERVER,
                "online": True,
                "state": "approved",
                "router_id": router.id,
                "sector_id": sector.id,
                "pending_reason": False,
            }],
        )
        self.assertRecordValues(
            profile.subscription_id, [{"plan_id": self.plan.id, "mac_profile_id": profile.id, "router_id": router.id}]
        )
        captive_user = profile.captive_user_id
        self.assertRecordValues(
            captive_user,
            [{"login": DEVICE_MAC, "mac": DEVICE_MAC, "router_id": router.id, "provisioning_state": "to_provision"}],
        )

        # The provisioning worker, as its cron runs it, puts the captive user on the hotspot.
        undone = self.run_jobs()
        self.assertFalse(undone, describe_jobs(undone))
        self.assertEqual(captive_user.provisioning_state, "provisioned")
        [hotspot_user] = self.router_items("/ip/hotspot/user", name=DEVICE_MAC)
        self.assertEqual(hotspot_user["mac-address"], DEVICE_MAC)
        self.assertEqual(hotspot_user["profile"], PLAN_HOTSPOT_PROFILE)
        self.assertEqual(hotspot_user.get("disabled"), "false")
        [user_profile] = self.router_items("/ip/hotspot/user/profile", name=PLAN_HOTSPOT_PROFILE)
        self.assertEqual(user_profile["rate-limit"], self.plan.rate_limit)
