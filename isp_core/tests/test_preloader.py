"""The preloader's Odoo side against this real Odoo 19, with both kinds of credentials the
guide allows: an API key (JSON-2) and the administrator's password (/jsonrpc)."""

from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.isp_core.lib import parameters
from odoo.addons.isp_core.models.isp_router import IspRouter

from .preloader_harness import PreloaderMixin
from .routeros_emulator import RouterOsEmulatorMixin

ODOO_CONTRACT = "tests/mikrotik_preloader/odoo-contract.ts"
SECTOR_CODE = "SEC-960-preloader"
SECTOR_NAME = "Preloader"
ROUTER_IDENTITY = f"{SECTOR_CODE}-1"
MGMT_PASSWORD = "preloader-Mgmt-pass-0418"
HAND_SET_UP_TOKEN = "a-hand-set-up-routers-token-0123"
EXIT_ODOO = 6
EMPTY_PLAN = "plan: 0 to add, 0 to change, 0 to remove"
# Odoo logs every refused RPC call; here each refusal is the point of the test.
REFUSALS_LOGGED_BY = ("odoo.http", "odoo.addons.rpc.controllers.jsonrpc", "odoo.service.model")


@tagged("post_install", "-at_install")
class TestPreloaderAgainstOdoo(RouterOsEmulatorMixin, PreloaderMixin, HttpCase):
    def setUp(self):
        super().setUp()
        self.start_emulator()  # a fresh router, factory admin without password
        self.set_token(False)  # an Odoo that never met a router
        self.operator, self.api_key = self.make_operator()
        self.credentials = {
            "ODOO_API_KEY": {"ODOO_API_KEY": self.api_key},
            "ODOO_ADMIN_PASS": {"ODOO_ADMIN_PASS": self.operator.login},
        }

    def set_token(self, token):
        self.env["ir.config_parameter"].sudo().set_param(parameters.MAC_ONBOARDING_TOKEN, token)

    def token(self):
        return self.env["ir.config_parameter"].sudo().get_param(parameters.MAC_ONBOARDING_TOKEN)

    def secrets(self, credentials):
        return {"MIKROTIK_MGMT_PASS": MGMT_PASSWORD, **credentials}

    def preload(self, credentials, args=(), login=None):
        config = {"code": SECTOR_CODE, "name": SECTOR_NAME, "login": login or self.operator.login}
        return self.run_preloader(self.secrets(credentials), config, args)

    def sector(self):
        return self.env["isp.sector"].with_context(active_test=False).search([("code", "=", SECTOR_CODE)])

    def router_record(self):
        return self.env["isp.router"].with_context(active_test=False).search([("name", "=", ROUTER_IDENTITY)])

    def router_identity(self):
        [identity] = self.router_items("/system/identity")
        return identity["name"]

    def check_first_and_second_run(self, variable):
        credentials = self.credentials[variable]
        drift_check = ("--dry-run", "--detailed-exitcode")
        self.assertPreloaderExit(self.preload(credentials, drift_check), 2)
        first = self.preload(credentials)
        output = self.assertPreloaderExit(first, 0)
        self.assertIn(f"done: 1 router(s) configured: 127.0.0.1 as {ROUTER_IDENTITY}", first.stdout, output)
        for secret in (MGMT_PASSWORD, *credentials.values()):
            self.assertNotIn(secret, output)
        sector = self.sector()
        self.assertRecordValues(sector, [{"name": SECTOR_NAME, "active": True}])
        router = self.router_record()
        self.assertRouterRegistered(router, sector, MGMT_PASSWORD)
        self.assertFalse(self.token(), "the router signs with its own key: the preloader sets no shared token")
        self.assertEqual(self.router_identity(), ROUTER_IDENTITY)
        written = (sector.write_date, router.write_date)

        second = self.preload(credentials)
        output = self.assertPreloaderExit(second, 0)
        self.assertIn(f"\n{EMPTY_PLAN}\n", second.stdout, output)
        self.assertIn("nothing to change: 1 router(s) and Odoo already match the config", second.stdout, output)
        self.assertPreloaderExit(self.preload(credentials, drift_check), 0)
        self.assertEqual((self.sector().write_date, self.router_record().write_date), written)
        self.assertFalse(self.token())

    def test_what_a_run_writes_in_odoo_reads_in_the_operators_language(self):
        self.env["res.lang"]._activate_lang("es_DO")
        self.env["ir.module.module"]._load_module_terms(["mail", "isp_core"], ["es_DO"], overwrite=True)
        self.operator.lang = "es_DO"
        run = self.preload(self.credentials["ODOO_API_KEY"])
        output = self.assertPreloaderExit(run, 0)
        self.assertIn('odoo: connected to database "', run.stderr, output)
        self.assertIn("writing in es_DO", run.stderr, output)
        chatter = " | ".join(str(message.body) for message in self.router_record().message_ids)
        self.assertIn("Se generó una nueva clave de router; la anterior ya no funciona.", chatter)
        self.assertIn("creado", chatter)
        self.assertNotIn("created", chatter)

    def test_registers_the_router_with_an_api_key_and_a_second_run_changes_nothing(self):
        self.check_first_and_second_run("ODOO_API_KEY")

    def test_registers_the_router_with_the_admin_password_and_a_second_run_changes_nothing(self):
        self.check_first_and_second_run("ODOO_ADMIN_PASS")

    def test_the_shared_token_is_left_to_the_routers_set_up_by_hand(self):
        self.set_token(HAND_SET_UP_TOKEN)
        for variable, credentials in self.credentials.items():
            with self.subTest(credentials=variable):
                self.assertPreloaderExit(self.preload(credentials), 0)
                self.assertEqual(self.token(), HAND_SET_UP_TOKEN)
        self.assertEqual(self.router_identity(), ROUTER_IDENTITY)
        for server in self.router_items("/ip/dhcp-server"):
            self.assertNotIn(HAND_SET_UP_TOKEN, server.get("lease-script", ""))
        self.assertTrue(self.router_record().key_set)

    def test_refused_credentials_stop_the_run_before_the_router_is_touched(self):
        identity = self.router_identity()
        wrong = {
            "ODOO_API_KEY": ({"ODOO_API_KEY": f"{self.api_key}x"}, "Odoo refused the API key (ODOO_API_KEY)"),
            "ODOO_ADMIN_PASS": ({"ODOO_ADMIN_PASS": "not-the-password"}, "Odoo refused the login \"isp_preloader\" (ODOO_ADMIN_PASS)"),
        }
        for variable, (credentials, message) in wrong.items():
            with self.subTest(credentials=variable), mute_logger(*REFUSALS_LOGGED_BY):
                run = self.preload(credentials)
                output = self.assertPreloaderExit(run, EXIT_ODOO)
                self.assertIn(message, run.stderr, output)
                self.assertNotIn(credentials[variable], output)
        for variable, credentials in self.credentials.items():
            with self.subTest(database="no_such_database", credentials=variable), mute_logger(*REFUSALS_LOGGED_BY):
                config = {"code": SECTOR_CODE, "name": SECTOR_NAME, "login": self.operator.login, "database": "no_such_database"}
                run = self.run_preloader(self.secrets(credentials), config)
                output = self.assertPreloaderExit(run, EXIT_ODOO)
                self.assertRegex(run.stderr, r'"no_such_database" \(odoo\.database \(line \d+\)\)', output)
        self.assertEqual(self.router_identity(), identity)
        self.assertFalse(self.sector())

    def test_a_run_whose_odoo_side_is_refused_says_so_and_the_next_run_completes_it(self):
        def refuse(*_args, **_kwargs):
            raise UserError("Router records are frozen for the audit.")

        password = self.credentials["ODOO_ADMIN_PASS"]
        # A router's first run needs its key from Odoo, so Odoo's side goes first: refused, it
        # leaves the router as it was.
        identity = self.router_identity()
        with patch.object(IspRouter, "create", refuse), mute_logger(*REFUSALS_LOGGED_BY):
            refused = self.preload(password)
        output = self.assertPreloaderExit(refused, EXIT_ODOO)
        self.assertIn("Router records are frozen for the audit.", refused.stderr, output)
        self.assertEqual(self.router_identity(), identity)
        self.assertFalse(self.router_record())
        self.assertPreloaderExit(self.preload(password), 0)
        self.assertTrue(self.router_record().key_set)

        # Later runs write the routers first. Odoo refusing then leaves the routers configured,
        # and the summary says what Odoo lacks.
        renamed = {"code": SECTOR_CODE, "name": SECTOR_NAME, "login": self.operator.login, "suspended_address_list": "cortados"}
        with patch.object(IspRouter, "write", refuse), mute_logger(*REFUSALS_LOGGED_BY):
            partial = self.run_preloader(self.secrets(password), renamed)
        output = self.assertPreloaderExit(partial, EXIT_ODOO)
        self.assertNotIn("done:", partial.stdout, output)
        self.assertIn(
            "partial: 1 router(s) configured, but Odoo was not updated: 1 of 1 change(s) not written:\n"
            f"  ~ odoo isp.router {ROUTER_IDENTITY} #{self.router_record().id} suspended_address_list=cortados\n"
            "run the preloader again to complete Odoo's side; the routers will need no change\n",
            partial.stdout,
            output,
        )
        self.assertIn("Router records are frozen for the audit.", partial.stderr, output)
        self.assertEqual(self.router_record().suspended_address_list, "isp_suspended")

        completed = self.run_preloader(self.secrets(password), renamed)
        output = self.assertPreloaderExit(completed, 0)
        # Nothing left to do on the router: only Odoo's missing part is planned and written.
        self.assertIn(f"router 127.0.0.1 ({ROUTER_IDENTITY}):\nodoo {self.env.cr.dbname}:\n", completed.stdout, output)
        self.assertIn("\nplan: 0 to add, 1 to change, 0 to remove\n", completed.stdout, output)
        self.assertEqual(self.router_record().suspended_address_list, "cortados")

    def test_a_renamed_suspended_address_list_is_the_one_odoo_suspends_into(self):
        run = self.run_preloader(
            self.secrets(self.credentials["ODOO_API_KEY"]),
            {"code": SECTOR_CODE, "name": SECTOR_NAME, "suspended_address_list": "cortados"},
        )
        self.assertPreloaderExit(run, 0)
        router = self.router_record()
        self.assertEqual(router.suspended_address_list, "cortados")
        [rule] = self.router_items("/ip/firewall/filter", comment="isp_core:suspended-drop")
        self.assertEqual(rule["src-address-list"], "cortados")

        profile = self.env["isp.mac.profile"].create({"mac": "AA:BB:CC:96:00:01", "last_ip": "10.10.0.96", "router_id": router.id})
        plan = self.env["isp.service.plan"].create({"name": "Renamed 10/2", "download_mbps": 10, "upload_mbps": 2})
        profile.convert_to_subscription(plan_id=plan.id)
        profile.subscription_id.action_suspend()
        self.run_jobs()
        [entry] = self.router_items("/ip/firewall/address-list", comment=f"isp_core:subscription:{profile.subscription_id.name}")
        self.assertEqual((entry["list"], entry["address"]), ("cortados", "10.10.0.96"))

    def test_the_fake_odoo_of_the_preloader_tests_answers_as_this_odoo(self):
        """tests/mikrotik_preloader/odoo-contract.ts holds the answers the fake Odoo gives; this
        Odoo must give the same ones."""
        secrets = {"ODOO_ADMIN_PASS": self.operator.login, "ODOO_API_KEY": self.api_key}
        args = ["--url", self.base_url(), "--database", self.env.cr.dbname, "--login", self.operator.login]
        with mute_logger(*REFUSALS_LOGGED_BY):
            run = self.run_node(ODOO_CONTRACT, args, secrets)
        self.assertEqual(run.returncode, 0, f"{run.stdout}\n{run.stderr}")
        self.assertRegex(run.stdout, r"^(\d+) of \1 answers as Odoo 19's\n$")
