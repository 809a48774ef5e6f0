"""No staff login and no shared token can turn a router against its customers: what reaches a
router has the shape of its purpose, the device's address is the router's to say, and a router
that signs owns its devices. Each test is a case an attack review reproduced."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import ValidationError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, HttpCase, freeze_time, new_test_user, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

from odoo.addons.isp_core.lib import agent_protocol, contract, parameters
from odoo.addons.isp_core.models.isp_onboarding_event import MAX_REFUSAL_ROWS_PER_MINUTE

from .routeros_emulator import RouterOsEmulatorCase
from .test_preloader import REFUSALS_LOGGED_BY

TOKEN = "shared-onboarding-token-18"
MAC = "AA:BB:CC:00:18:01"


def operations(response):
    return [line.split(agent_protocol.SEPARATOR) for line in response.text.splitlines() if line.startswith("op|")]


@tagged("post_install", "-at_install")
class TestRouterTrust(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(parameters.MAC_ONBOARDING_TOKEN, TOKEN)
        cls.manager = new_test_user(cls.env, login="trust_manager", groups="isp_core.group_isp_manager")
        cls.other_manager = new_test_user(cls.env, login="trust_manager_2", groups="isp_core.group_isp_manager")
        cls.staff = new_test_user(cls.env, login="trust_staff", groups="isp_core.group_isp_user")
        cls.sector = cls.env["isp.sector"].create({"code": "SEC-918-trust", "name": "Trust Sector"})
        cls.router = cls.env["isp.router"].create({
            "name": "MK-TRUST", "sector_id": cls.sector.id, "connection_mode": "agent", "lan_networks": "10.40.0.0/24",
        })
        cls.key = cls.router.with_user(cls.manager).rotate_key()
        cls.unkeyed = cls.env["isp.router"].create({"name": "MK-BY-HAND"})
        cls.plan = cls.env["isp.service.plan"].create({"name": "Trust 20/5", "download_mbps": 20, "upload_mbps": 5})

    def customer(self, mac=MAC, ip="10.40.0.7"):
        """An active customer of MK-TRUST at ``ip``, recorded as the lease path records one."""
        profile = self.env["isp.mac.profile"].create({"mac": mac, "last_ip": ip, "router_id": self.router.id, "online": True})
        subscription = self.env["isp.subscription"].create({
            "partner_id": self.env["res.partner"].create({"name": f"Customer {mac}"}).id,
            "plan_id": self.plan.id,
            "mac_profile_id": profile.id,
            "router_id": self.router.id,
        })
        subscription.action_activate()
        return subscription

    def rpc(self, user, model, method, *args):
        """``model.method(*args)`` as ``user``, through the web client's RPC: (result, error)."""
        self.authenticate(user.login, user.login)
        body = {"params": {"model": model, "method": method, "args": list(args), "kwargs": {}}}
        with mute_logger(*REFUSALS_LOGGED_BY):
            answer = self.url_open(
                f"/web/dataset/call_kw/{model}/{method}", data=json.dumps(body), headers={"Content-Type": "application/json"}
            ).json()
        return answer.get("result"), answer.get("error", {}).get("data", {}).get("message")

    def checkin(self, body=None):
        body = body or {"agent": "isp_core-agent 1", "identity": "MK-TRUST", "version": "7.19.6", "uptime": "1d", "results": []}
        headers = {"X-Odoo-Database": self.env.cr.dbname, contract.ROUTER_KEY_HEADER: self.key}
        return self.url_open(contract.CHECKIN_PATH, data=json.dumps(body), headers=headers, method="POST")

    def report(self, lease, key=None, token=None, url=contract.WEBHOOK_PATH):
        headers = {"X-Odoo-Database": self.env.cr.dbname}
        if key:
            headers[contract.ROUTER_KEY_HEADER] = key
        if token:
            headers[contract.TOKEN_HEADER] = token
        return self.url_open(url, data=json.dumps(lease), headers=headers, method="POST")

    # The device's address is the router's to say ---------------------------------------------

    def test_no_staff_role_can_set_a_devices_address_router_or_online_state(self):
        subscription = self.customer()
        profile = subscription.mac_profile_id
        for user in (self.staff, self.manager):
            for vals in ({"last_ip": "0.0.0.0/0"}, {"router_id": self.unkeyed.id}, {"online": False}):
                with self.subTest(user=user.login, vals=vals):
                    _result, error = self.rpc(user, "isp.mac.profile", "write", [profile.id], vals)
                    self.assertIn("only the router says where a device is", error or "")
        _result, error = self.rpc(self.manager, "isp.mac.profile", "create", [{"mac": "AA:BB:CC:00:18:09", "last_ip": "0.0.0.0/0"}])
        self.assertIn("only the router says", error or "")
        self.assertEqual((profile.last_ip, profile.router_id, profile.online), ("10.40.0.7", self.router, True))

        # The lowest role suspends: the router is told to cut off that one customer, no more.
        _result, error = self.rpc(self.staff, "isp.subscription", "action_suspend", [subscription.id])
        self.assertFalse(error)
        sent = operations(self.checkin())
        [entry] = [op for op in sent if op[2] == "list-upsert"]
        self.assertEqual(entry[3:], [self.router.suspended_address_list, f"isp_core:subscription:{subscription.name}", "10.40.0.7"])
        # ... and to redirect that one address's plain-HTTP requests to its own notice page.
        [redirect] = [op for op in sent if op[2] == "redirect-upsert"]
        self.assertEqual(redirect[3:], [f"isp_core:subscription:{subscription.name}", "10.40.0.7", subscription._notice_url()])

    def test_a_redirect_to_anything_but_this_odoos_notice_page_never_reaches_the_router(self):
        subscription = self.customer()
        subscription_class = type(subscription)
        foreign = f"http://evil.example.com{contract.NOTICE_PATH}/{subscription.id}-{'0' * 16}-{'0' * 40}"
        with patch.object(subscription_class, "_notice_url", lambda _subscription: foreign):
            self.rpc(self.staff, "isp.subscription", "action_suspend", [subscription.id])
            job = subscription.provisioning_job_ids.filtered(lambda job: job.job_type == "customer_access")[0]  # the newest
            self.assertEqual(job.state, "failed", "refused before it is sent")
            self.assertIn(f"the action-data “{foreign}” is not a notice page of this Odoo", job.last_error)
            self.assertEqual(subscription.network_state, "failed", "the subscription says the router does not follow")
            self.assertFalse([op for op in operations(self.checkin()) if op[2] == "redirect-upsert"], "nothing is sent")

    def test_an_address_that_is_not_one_host_of_the_lan_never_reaches_the_router(self):
        subscription = self.customer(ip="0.0.0.0/0")  # as if recorded before these checks
        self.rpc(self.staff, "isp.subscription", "action_suspend", [subscription.id])
        jobs = subscription.provisioning_job_ids
        self.assertEqual(set(jobs.mapped("state")), {"failed"}, "refused before they are sent")
        self.assertIn("the address “0.0.0.0/0” is not one IPv4 host address", jobs[0].last_error)
        self.assertEqual(subscription.network_state, "failed", "the subscription says the router does not follow")
        self.assertFalse(operations(self.checkin()), "nothing is sent")

    def test_a_manager_releases_a_device_and_the_move_is_in_the_chatter(self):
        profile = self.customer().mac_profile_id
        _result, error = self.rpc(self.staff, "isp.mac.profile", "action_release_router", [profile.id])
        self.assertIn("Only ISP managers", error or "")
        self.rpc(self.manager, "isp.mac.profile", "action_release_router", [profile.id])
        profile.invalidate_recordset()
        self.assertFalse(profile.router_id)
        tracked = profile.message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == "router_id")
        self.assertEqual(tracked.old_value_char, "MK-TRUST")

    def test_lan_networks_are_checked_and_only_managers_set_them(self):
        routers = self.env["isp.router"].with_user(self.manager)
        for text in ("10.40.0.0/24, 10.40.0.1/24", "0.0.0.0/0", "10.40.0.7"):
            with (
                self.subTest(text=text),
                self.assertRaisesRegex(ValidationError, "is not an IPv4 network in CIDR form"),
                self.env.cr.savepoint(),
            ):
                routers.create({"name": "MK-NETWORKS", "lan_networks": text})
        _result, error = self.rpc(self.staff, "isp.router", "write", [self.router.id], {"lan_networks": "0.0.0.0/1"})
        self.assertTrue(error)
        self.assertEqual(self.router.lan_networks, "10.40.0.0/24")

    # Routers that sign own their devices ------------------------------------------------------

    def test_the_shared_token_cannot_move_re_address_or_claim_a_device_of_a_keyed_router(self):
        profile = self.customer().mac_profile_id
        moved = self.report({"mac": MAC, "ip": "10.40.0.99", "router": "MK-BY-HAND"}, token=TOKEN)
        claimed = self.report({"mac": "AA:BB:CC:00:18:02", "ip": "10.40.0.98", "router": "MK-TRUST"}, token=TOKEN)
        for response in (moved, claimed):
            self.assertEqual(response.status_code, 409, response.text)
            self.assertEqual(response.json(), {"result": "ignored", "conflict": True, "error": "This device belongs to another router."})
        self.assertEqual((profile.router_id, profile.last_ip), (self.router, "10.40.0.7"))
        self.assertFalse(self.env["isp.mac.profile"].search([("mac", "=", "AA:BB:CC:00:18:02")]))
        by_hand = self.report({"mac": "AA:BB:CC:00:18:03", "ip": "192.168.88.20", "router": "MK-BY-HAND"}, token=TOKEN)
        self.assertEqual(by_hand.status_code, 200, "a router without a key still reports with the token")

    def test_settings_show_the_routers_that_still_use_the_shared_token(self):
        settings = self.env["res.config.settings"].create({})
        self.assertIn(self.unkeyed, settings.isp_token_router_ids)
        self.assertNotIn(self.router, settings.isp_token_router_ids)

    def test_a_key_claims_a_new_device_only_inside_its_routers_networks(self):
        outside = self.report({"mac": "AA:BB:CC:00:18:04", "ip": "10.99.0.5"}, key=self.key)
        self.assertEqual(outside.status_code, 400)
        self.assertEqual(outside.json()["error"], "Invalid lease report, ip: is not one host address of the router's LAN networks")
        self.assertFalse(self.env["isp.mac.profile"].search([("mac", "=", "AA:BB:CC:00:18:04")]))
        inside = self.report({"mac": "AA:BB:CC:00:18:04", "ip": "10.40.0.5", "sector": "SEC-OTHER"}, key=self.key)
        self.assertEqual(inside.status_code, 200, inside.text)
        profile = self.env["isp.mac.profile"].search([("mac", "=", "AA:BB:CC:00:18:04")])
        self.assertEqual((profile.router_id, profile.sector_id), (self.router, self.sector))

    def test_a_mac_sent_as_a_json_number_is_refused_naming_the_field(self):
        response = self.report({"mac": 112233445566, "ip": "10.40.0.5"}, key=self.key)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"], "Invalid lease report, mac: expected a text")
        self.assertFalse(self.env["isp.mac.profile"].search([("mac", "=", "11:22:33:44:55:66")]))

    # Secrets and refusals ---------------------------------------------------------------------

    def test_a_key_shown_once_is_gone_when_the_dialog_has_read_it_and_nobody_else_reads_it(self):
        action = self.router.with_user(self.manager).action_rotate_key()
        wizard_id = action["res_id"]
        listed, _error = self.rpc(self.other_manager, "isp.router.key.wizard", "search_read", [], ["token"])
        self.assertFalse([row for row in listed or [] if row["token"]], "another manager reads no key")
        [shown], _error = self.rpc(self.manager, "isp.router.key.wizard", "web_read", [wizard_id], {"token": {}})
        self.key = shown["token"]
        self.assertEqual(self.checkin().status_code, 200, "the key shown is the router's key")
        [again], _error = self.rpc(self.manager, "isp.router.key.wizard", "read", [wizard_id], ["token"])
        self.assertFalse(again["token"], "read once: Odoo no longer has it")

    def test_a_secret_in_the_url_is_throttled_like_any_other_refusal(self):
        with mute_logger(*REFUSALS_LOGGED_BY), freeze_time("2026-12-06 06:00:10"):
            statuses = [
                self.report({"mac": MAC}, url=f"{contract.WEBHOOK_PATH}?token={TOKEN}").status_code for _call in range(22)
            ]
        self.assertEqual(statuses[0], 400)
        self.assertEqual(statuses[-1], 429)

    def test_refused_calls_from_600_sources_leave_a_bounded_number_of_rows(self):
        events = self.env["isp.onboarding.event"]
        with freeze_time("2026-12-06 06:00:10"):
            for index in range(600):
                events._count_refusal("forbidden", "wrong token", f"203.0.113.{index % 250}")
            for index in range(600):
                events._count_refusal("forbidden", "wrong token", f"10.{index // 256}.{index % 256}.7")
        rows = events.search([("window_start", "=", "2026-12-06 06:00:00")])
        self.assertLessEqual(len(rows), MAX_REFUSAL_ROWS_PER_MINUTE + 1)
        self.assertEqual(sum(rows.mapped("call_count")), 1200, "every call is counted")
        [one_network] = rows.filtered(lambda row: row.source_ip == "203.0.113.0/24")
        self.assertEqual(one_network.call_count, 600, "one network, one row")


@tagged("post_install", "-at_install")
class TestApiModeTouchesOnlyItsOwn(RouterOsEmulatorCase):
    """A router Odoo connects to, as agent mode already was: Odoo changes only what isp_core made."""

    def setUp(self):
        super().setUp()
        self.staff = new_test_user(self.env, login="own_staff", groups="isp_core.group_isp_user")
        self.plan = self.env["isp.service.plan"].create(
            {"name": "Own 20/5", "download_mbps": 20, "upload_mbps": 5, "hotspot_profile": "own-20"}
        )
        with self.emulator.session() as session:
            session.add("/ip/hotspot/user/profile", {"name": "unlimited"})
            session.add("/ip/hotspot/user", {"name": "staff-wifi", "password": "staff-pass", "profile": "unlimited", "comment": "office"})

    def test_an_operators_hotspot_user_of_the_same_name_is_refused_and_left_alone(self):
        subscription = self.make_draft_subscription(self.make_profile(MAC, self.bind_lease(MAC)), self.plan)
        subscription.with_user(self.staff).action_activate()
        user = self.env["isp.captive.user"].with_user(self.staff).create({
            "login": "staff-wifi", "mac": MAC, "subscription_id": subscription.id, "router_id": self.router.id,
            "provisioning_state": "to_provision",
        })
        before = self.router_items("/ip/hotspot/user", name="staff-wifi")
        self.run_jobs(expect_failures=True)
        job = user.with_context(active_test=False).env["isp.provisioning.job"].search([("captive_user_id", "=", user.id)])
        self.assertEqual(job.state, "failed")
        self.assertIn("“staff-wifi”, which isp_core did not make", job.last_error)
        self.assertEqual(user.provisioning_state, "failed")
        user.with_user(self.staff).active = False
        self.run_jobs(expect_failures=True)
        self.assertEqual(self.router_items("/ip/hotspot/user", name="staff-wifi"), before, "neither changed nor removed")

    def test_a_hotspot_user_only_ever_gets_an_isp_core_profile(self):
        plain = self.make_plain_plan()
        subscription = self.make_draft_subscription(self.make_profile(MAC, self.bind_lease(MAC)), plain)
        subscription.with_user(self.staff).action_activate()
        user = self.env["isp.captive.user"].with_user(self.staff).create({
            "login": MAC, "mac": MAC, "hotspot_profile": "unlimited", "subscription_id": subscription.id,
            "router_id": self.router.id, "provisioning_state": "to_provision",
        })
        job = self.env["isp.provisioning.job"].search([("captive_user_id", "=", user.id)])
        self.assertEqual(job.state, "failed", "refused before it is queued")
        self.assertIn("profile “unlimited” is not one of isp_core's", job.last_error)
        self.run_jobs(expect_failures=True)
        self.assertFalse(self.router_items("/ip/hotspot/user", name=MAC))

    def test_a_refusal_is_told_in_the_staffs_language(self):
        self.env["res.lang"]._activate_lang("es_DO")
        subscription = self.make_draft_subscription(self.make_profile(MAC, self.bind_lease(MAC)), self.make_plain_plan())
        subscription.with_user(self.staff).action_activate()
        # The web client sends the staff's language with every call.
        user = self.env["isp.captive.user"].with_user(self.staff).with_context(lang="es_DO").create({
            "login": MAC, "mac": MAC, "hotspot_profile": "unlimited", "subscription_id": subscription.id,
            "router_id": self.router.id, "provisioning_state": "to_provision",
        })
        self.assertIn(
            "el perfil de usuario hotspot “unlimited” no es de isp_core", user.provisioning_error
        )

    def test_a_customer_address_outside_the_lan_never_reaches_the_router(self):
        self.router.lan_networks = "10.20.0.0/22"
        subscription = self.make_draft_subscription(self.make_profile(MAC, "10.20.0.0"), self.make_plain_plan())
        subscription.with_user(self.staff).action_activate()
        subscription.with_user(self.staff).action_suspend()
        self.run_jobs(expect_failures=True)
        self.assertIn("is not inside the router's LAN networks", subscription.provisioning_job_ids[:1].last_error)
        self.assertFalse(self.router_items("/ip/firewall/address-list"))
        self.assertFalse(self.router_items("/queue/simple"))


@tagged("post_install", "-at_install")
class TestCheckinTurns(BaseCase):
    """Check-ins of one router arriving at once, each in its own committed transaction, as HTTP
    workers run them (Odoo's HTTP test server serialises requests on the test cursor)."""

    PARALLEL = 16

    def setUp(self):
        super().setUp()
        self.db_registry = Registry(get_db_name())
        self.startPatcher(patch("odoo.orm.environments.Registry", lambda _dbname: self.db_registry))
        env = self.new_env()
        with closing(env.cr):
            router = env["isp.router"].create({"name": "MK-TURNS", "connection_mode": "agent"})
            plan = env["isp.service.plan"].create({"name": "Turns 20/5", "download_mbps": 20, "upload_mbps": 5})
            partner = env["res.partner"].create({"name": "Turns customer"})
            profiles = env["isp.mac.profile"].create([
                {"mac": f"AA:BB:CC:00:19:{index:02X}", "last_ip": f"10.19.0.{index + 10}", "router_id": router.id}
                for index in range(5)
            ])
            env["isp.subscription"].create([
                {"partner_id": partner.id, "plan_id": plan.id, "mac_profile_id": profile.id, "router_id": router.id}
                for profile in profiles
            ]).action_activate()
            env.cr.commit()
            self.router_id, self.plan_id, self.partner_id = router.id, plan.id, partner.id
        self.addCleanup(self.delete_records)

    def new_env(self):
        return api.Environment(sql_db.db_connect(self.db_registry.db_name).cursor(), SUPERUSER_ID, {})

    def delete_records(self):
        env = self.new_env()
        with closing(env.cr):
            subscriptions = env["isp.subscription"].search([("router_id", "=", self.router_id)])
            profiles = subscriptions.mac_profile_id
            subscriptions.unlink()
            profiles.unlink()
            env["isp.router"].browse(self.router_id).unlink()
            env["isp.service.plan"].browse(self.plan_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()
            env.cr.commit()

    def check_in(self, start):
        """One check-in, as the controller runs it: its turn, then the check-in; None when busy."""
        env = self.new_env()
        checkin = agent_protocol.parse_checkin({"agent": "isp_core-agent 1", "identity": "MK-TURNS", "results": []})
        agent = env["isp.router.agent"]
        router = env["isp.router"].browse(self.router_id)

        def run():
            return agent._checkin(router, checkin) if agent._take_turn(router) else None

        with closing(env.cr):
            start.wait()
            return retrying(run, env)

    def test_parallel_check_ins_of_one_router_take_turns_and_fail_no_job(self):
        start = threading.Barrier(1)
        first = self.check_in(start)
        self.assertEqual(first.count("\nop|"), 5 * 3, "a customer's suspension entry, notice redirect and queue")
        start = threading.Barrier(self.PARALLEL)
        with self.assertNoLogs(level="ERROR"), ThreadPoolExecutor(max_workers=self.PARALLEL) as pool:
            answers = list(pool.map(lambda _index: self.check_in(start), range(self.PARALLEL)))
        self.assertNotIn(None, answers, "each got its turn within the wait")
        self.assertTrue(all(answer.count("\nop|") == 5 * 3 for answer in answers), "unreported operations are sent again")
        env = self.new_env()
        with closing(env.cr):
            jobs = env["isp.provisioning.job"].search([("router_id", "=", self.router_id)])
            self.assertEqual(set(jobs.mapped("state")), {"queued"}, "no job failed")
            self.assertEqual(set(jobs.operation_ids.mapped("send_count")), {1}, "check-ins at once count as one sending")
