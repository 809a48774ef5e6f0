"""No secret of isp_core reaches someone who should not read it, through either RPC path a
logged-in user has: the web client's /web/dataset/call_kw and the external /jsonrpc."""

import json

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import config, mute_logger

from odoo.addons.isp_core.lib import parameters

from .test_preloader import REFUSALS_LOGGED_BY

TOKEN = "isp-secret-onboarding-token-4242"
ROUTER_PASSWORD = "isp-secret-router-password-4242"
CAPTIVE_PASSWORD = "isp-secret-captive-password-4242"


@tagged("post_install", "-at_install")
class TestSecrets(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(parameters.MAC_ONBOARDING_TOKEN, TOKEN)
        router = cls.env["isp.router"].create({"name": "MK-SECRETS", "api_password": ROUTER_PASSWORD})
        cls.env["isp.captive.user"].create({"login": "secret-user", "password": CAPTIVE_PASSWORD, "router_id": router.id})
        cls.users = [
            new_test_user(cls.env, login="secrets_portal", groups="base.group_portal"),
            new_test_user(cls.env, login="secrets_internal", groups="base.group_user"),
            new_test_user(cls.env, login="secrets_isp_user", groups="isp_core.group_isp_user"),
        ]
        # A manager generated a token: its one-time display belongs to that manager alone.
        manager = new_test_user(cls.env, login="secrets_manager", groups="isp_core.group_isp_manager")
        cls.env["res.config.settings"].with_user(manager).action_generate_mac_onboarding_token()
        cls.generated = cls.env["ir.config_parameter"].sudo().get_param(parameters.MAC_ONBOARDING_TOKEN)

    def calls(self):
        """(model, method, args, kwargs) that would show a secret to whoever may read it."""
        settings_fields = list(self.env["res.config.settings"]._fields)
        return [
            ("res.config.settings", "default_get", [settings_fields], {}),
            ("res.config.settings", "onchange", [{}, [], {}], {}),
            ("ir.config_parameter", "get_param", [parameters.MAC_ONBOARDING_TOKEN], {}),
            ("ir.config_parameter", "search_read", [[["key", "like", "isp_core"]], ["value"]], {}),
            ("isp.router", "search_read", [[], ["api_password"]], {}),
            ("isp.router", "default_get", [["api_password"]], {}),
            ("isp.captive.user", "search_read", [[], ["password"]], {}),
            ("isp.onboarding.token.wizard", "search_read", [[], ["token"]], {}),
        ]

    def answers_over_the_web_client(self, user):
        self.authenticate(user.login, user.login)
        for model, method, args, kwargs in self.calls():
            response = self.url_open(
                f"/web/dataset/call_kw/{model}/{method}",
                data=json.dumps({"params": {"model": model, "method": method, "args": args, "kwargs": kwargs}}),
                headers={"Content-Type": "application/json"},
            )
            yield f"call_kw {model}.{method}", response.text

    def answers_over_jsonrpc(self, user):
        def rpc(service, method, *args):
            body = {"jsonrpc": "2.0", "method": "call", "params": {"service": service, "method": method, "args": args}}
            return self.url_open("/jsonrpc", data=json.dumps(body), headers={"Content-Type": "application/json"}).text

        uid = json.loads(rpc("common", "login", self.env.cr.dbname, user.login, user.login))["result"]
        for model, method, args, kwargs in self.calls():
            yield f"jsonrpc {model}.{method}", rpc("object", "execute_kw", self.env.cr.dbname, uid, user.login, model, method, args, kwargs)

    def test_no_secret_reaches_a_user_without_the_right(self):
        secrets = {"token": TOKEN, "generated token": self.generated, "router password": ROUTER_PASSWORD, "captive password": CAPTIVE_PASSWORD}
        for user in self.users:
            for answers in (self.answers_over_the_web_client, self.answers_over_jsonrpc):
                with self.subTest(user=user.login, path=answers.__name__), mute_logger(*REFUSALS_LOGGED_BY):
                    for call, text in answers(user):
                        for name, secret in secrets.items():
                            self.assertNotIn(secret, text, f"{call} showed the {name} to {user.login}")


@tagged("post_install", "-at_install")
class TestTestServerExposure(HttpCase):
    def test_the_test_server_listens_on_loopback_only(self):
        # Its users log in as admin/admin: `npm test` starts it with --http-interface=127.0.0.1
        # (scripts/test/suites/odoo.mjs); Odoo would otherwise listen on every interface.
        self.assertEqual(config["http_interface"], "127.0.0.1")
