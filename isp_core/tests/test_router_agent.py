import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from odoo.addons.isp_core.lib import agent_protocol, contract, parameters
from odoo.addons.isp_core.models.isp_router_operation import SENDING_GAP

ROUTE = contract.CHECKIN_PATH
MAC = "AA:BB:CC:00:20:01"


def answer_lines(response):
    """The answer's lines, split into fields."""
    return [line.split(agent_protocol.SEPARATOR) for line in response.text.splitlines()]


def operations(response):
    return [line for line in answer_lines(response) if line[0] == "op"]


@tagged("post_install", "-at_install")
class TestRouterAgent(HttpCase):
    """A router in agent mode, as its agent script sees Odoo: over HTTP, with its own key."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="isp_agent_manager", groups="isp_core.group_isp_manager")
        cls.staff = new_test_user(cls.env, login="isp_agent_staff", groups="isp_core.group_isp_user")
        cls.sector = cls.env["isp.sector"].create({"code": "SEC-931-agent", "name": "Agent Sector"})
        cls.router = cls.env["isp.router"].create(
            {"name": "MK-AGENT", "sector_id": cls.sector.id, "connection_mode": "agent", "checkin_interval": 30}
        )
        cls.key = cls.router.with_user(cls.manager).rotate_key()
        cls.plan = cls.env["isp.service.plan"].create(
            {"name": "Agent 20/5", "download_mbps": 20, "upload_mbps": 5, "hotspot_profile": "agent-20"}
        )
        cls.jobs = cls.env["isp.provisioning.job"]

    def checkin(self, body=None, key=None, url=ROUTE, **kwargs):
        headers = {"X-Odoo-Database": self.env.cr.dbname}
        if key is not False:
            headers[contract.ROUTER_KEY_HEADER] = key or self.key
        if body is None:
            body = {"agent": "isp_core-agent 1", "identity": "MK-AGENT", "version": "7.19.6", "uptime": "1d2h", "results": []}
        return self.url_open(url, data=json.dumps(body), headers=headers, method="POST", **kwargs)

    def make_customer(self, mac=MAC, login=None):
        profile = self.env["isp.mac.profile"].create({"mac": mac, "last_ip": "10.30.0.7", "router_id": self.router.id})
        partner = self.env["res.partner"].create({"name": f"Customer {mac}"})
        subscription = self.env["isp.subscription"].create({
            "partner_id": partner.id, "plan_id": self.plan.id, "mac_profile_id": profile.id, "router_id": self.router.id,
        })
        subscription.with_user(self.staff).action_activate()
        user = self.env["isp.captive.user"].with_user(self.manager).create({
            "login": login or mac, "password": "s3cret-pass", "mac": mac, "subscription_id": subscription.id,
            "router_id": self.router.id, "provisioning_state": "to_provision",
        })
        return subscription, user

    # The key ---------------------------------------------------------------------------------

    def test_odoo_keeps_only_a_digest_of_the_key_and_only_managers_make_one(self):
        stored = self.router.sudo().key_digest
        self.assertNotIn(self.key, stored)
        self.assertEqual(stored, agent_protocol.key_digest(self.key))
        with self.assertRaises(AccessError):
            self.router.with_user(self.manager).read(["key_digest"])
        with self.assertRaises(AccessError):
            self.router.with_user(self.staff).rotate_key()
        self.assertTrue(self.router.with_user(self.staff).key_set)

    def test_the_form_shows_a_new_key_once_and_the_old_one_stops_working(self):
        action = self.router.with_user(self.manager).action_rotate_key()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        new_key = wizard.with_user(self.manager).token
        self.assertTrue(wizard.replaced_previous)
        self.assertEqual(self.checkin().status_code, 403, "the previous key is refused at once")
        self.assertEqual(self.checkin(key=new_key).status_code, 200)
        with self.assertRaises(AccessError):
            wizard.with_user(self.staff).read(["token"])
        wizard.with_user(self.manager).action_done()
        self.assertFalse(wizard.token, "Done forgets the key")

    # Refusals --------------------------------------------------------------------------------

    def test_a_missing_wrong_or_misplaced_key_is_refused_and_a_flood_is_throttled(self):
        self.assertEqual(self.checkin(key=False).status_code, 401)
        self.assertEqual(self.checkin(key="not-the-key").status_code, 403)
        self.assertEqual(self.checkin(url=f"{ROUTE}?key=a-key-in-the-url").status_code, 400)
        with freeze_time(fields.Datetime.now().replace(second=5)):  # within one minute
            statuses = [self.checkin(key="guess-%d" % attempt).status_code for attempt in range(25)]
        self.assertEqual(statuses[-1], 429)
        self.assertEqual(self.checkin().status_code, 200, "a valid key is never throttled")
        self.assertLessEqual(self.env["isp.onboarding.event"].search_count([("outcome", "=", "forbidden")]), 2)

    def test_a_router_in_api_mode_cannot_check_in_with_its_key(self):
        self.router.connection_mode = "api"
        self.assertEqual(self.checkin().status_code, 403)

    def test_options_writes_nothing(self):
        response = self.url_open(ROUTE, method="OPTIONS", headers={"X-Odoo-Database": self.env.cr.dbname})
        self.assertEqual(response.status_code, 204)
        self.assertFalse(self.router.last_contact)

    def test_bad_input_is_answered_400_naming_the_field_and_recorded_on_the_router(self):
        response = self.checkin({"identity": "MK-AGENT", "results": [{"id": "1", "outcome": "created"}]})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"], "results[0]: expected an operation id with an outcome or an error")
        self.assertEqual(self.router.last_failure, "protocol")
        response = self.checkin({"results": [], "leases": [["not-a-mac", "10.0.0.1", "dhcp1", ""]]})
        self.assertEqual(response.json()["error"], "leases[0][0]: is not a MAC address (use e.g. AA:BB:CC:DD:EE:FF)")
        too_large = {"results": [], "identity": "x" * agent_protocol.MAX_CHECKIN_BYTES}
        self.assertEqual(self.checkin(too_large).status_code, 413)

    # Jobs travel as operations ---------------------------------------------------------------

    def test_a_customers_jobs_reach_the_agent_and_its_results_settle_them(self):
        subscription, user = self.make_customer()
        self.jobs._cron_process_queue()
        self.assertEqual(set(subscription.provisioning_job_ids.mapped("state")), {"queued"}, "the worker leaves them")
        self.assertIn("next check-in", subscription.network_message)

        first = self.checkin()
        self.assertEqual(first.status_code, 200)
        self.assertEqual(first.text.splitlines()[0], "isp_core-agent 1")
        self.assertIn(["list", "isp_suspended"], answer_lines(first))
        sent = operations(first)
        kinds = [op[2] for op in sent]
        self.assertEqual(sorted(kinds), ["list-remove", "profile-rate", "queue-remove", "redirect-remove", "user-upsert"])
        upsert = next(op for op in sent if op[2] == "user-upsert")
        self.assertEqual(upsert[3:9], [MAC, "s3cret-pass", MAC, "isp_core-agent-20", "no", upsert[8]])
        self.assertTrue(upsert[8].startswith(f"isp_core:isp.captive.user:{user.id} "))
        self.assertEqual(self.router.routeros_version, "7.19.6")
        self.assertTrue(self.router.last_contact)

        again = self.checkin()
        self.assertEqual([op[1] for op in operations(again)], [op[1] for op in sent], "unreported: sent again as they were")

        results = [{"id": int(op[1]), "outcome": "absent" if op[2] in ("list-remove", "redirect-remove") else "created"} for op in sent]
        settled = self.checkin({"identity": "MK-AGENT", "results": results})
        self.assertEqual(operations(settled), [])
        self.assertEqual(set(subscription.provisioning_job_ids.mapped("state")), {"done"})
        self.assertEqual(user.provisioning_state, "provisioned")
        self.assertEqual(subscription.network_state, "in_sync")
        job = self.jobs.search([("captive_user_id", "=", user.id)])
        self.assertEqual(job.with_context(lang="en_US").outcome_text, "hotspot profile: added, hotspot user: added")

        replayed = self.checkin({"identity": "MK-AGENT", "results": results})
        self.assertEqual(replayed.status_code, 200, "a result heard twice is ignored")

    def test_a_refused_operation_fails_its_job_with_the_routers_words_and_is_retried(self):
        subscription, _user = self.make_customer()
        sent = operations(self.checkin())
        results = [
            {"id": int(op[1]), "error": "input does not match any value of profile"} if op[2] == "user-upsert"
            else {"id": int(op[1]), "outcome": "applied"}
            for op in sent
        ]
        self.checkin({"results": results})
        failed = subscription.captive_user_ids.with_context(active_test=False)
        job = self.jobs.search([("captive_user_id", "in", failed.ids)])
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.last_error, "input does not match any value of profile")
        self.assertEqual(subscription.network_state, "failed")
        self.assertEqual(operations(self.checkin()), [], "not before its retry time")
        job.sudo().next_attempt_at = fields.Datetime.now() - timedelta(seconds=1)
        retried = operations(self.checkin())
        self.assertEqual(sorted(op[2] for op in retried), ["profile-rate", "user-upsert"])
        self.assertFalse(set(op[1] for op in retried) & set(op[1] for op in sent), "a retry sends new operations")

    def test_results_for_another_routers_operations_are_ignored(self):
        self.make_customer()
        sent = operations(self.checkin())
        other = self.env["isp.router"].create({"name": "MK-OTHER", "connection_mode": "agent"})
        other_key = other.with_user(self.manager).rotate_key()
        self.checkin({"results": [{"id": int(op[1]), "outcome": "created"} for op in sent]}, key=other_key)
        self.assertEqual([op[1] for op in operations(self.checkin())], [op[1] for op in sent])

    def test_a_value_that_could_become_a_command_never_leaves_odoo(self):
        _subscription, user = self.make_customer(login="pc$[/system reset-configuration]")
        sent = operations(self.checkin())
        self.assertNotIn("user-upsert", [op[2] for op in sent])
        job = self.jobs.search([("captive_user_id", "=", user.id)])
        self.assertEqual(job.state, "failed")
        self.assertIn("name (user-upsert)", job.last_error)

    def test_a_batch_is_capped_and_the_agent_is_asked_back_at_once(self):
        self.plan.hotspot_profile = False  # a customer's jobs then write three items: user, entry, queue
        self.env["ir.config_parameter"].sudo().set_param(parameters.MAC_CAPTIVE_DEFAULT_PROFILE, "isp_core-basic")
        for index in range(20):
            self.make_customer(mac=f"AA:BB:CC:00:21:{index:02X}")
        first = self.checkin()
        sent = self.env["isp.router.operation"].browse(int(op[1]) for op in operations(first))
        self.assertLessEqual(len(sent), agent_protocol.MAX_OPERATIONS)
        self.assertGreater(len(sent), agent_protocol.MAX_OPERATIONS - 3)
        self.assertEqual(sent.job_id.operation_ids, sent, "whole jobs only")
        self.assertIn(["more", "yes"], answer_lines(first))

    def test_leaving_agent_mode_hands_the_sent_jobs_back_to_the_worker(self):
        subscription, _user = self.make_customer()
        self.checkin()
        self.router.connection_mode = "api"
        self.assertTrue(all(subscription.provisioning_job_ids.mapped("next_attempt_at")))
        self.assertFalse(self.env["isp.router.operation"].search([("router_id", "=", self.router.id)]))

    # The webhook, signed with the router's key -----------------------------------------------

    def report(self, lease, key=None):
        headers = {"X-Odoo-Database": self.env.cr.dbname, contract.ROUTER_KEY_HEADER: key or self.key}
        return self.url_open(contract.WEBHOOK_PATH, data=json.dumps(lease), headers=headers, method="POST")

    def test_a_report_signed_with_a_router_key_speaks_for_that_router_whatever_it_names(self):
        response = self.report({"mac": "aa:bb:cc:00:22:01", "ip": "10.30.0.50", "router": "MK-ELSEWHERE", "sector": "SEC-X"})
        self.assertEqual(response.status_code, 200, response.text)
        profile = self.env["isp.mac.profile"].search([("mac", "=", "AA:BB:CC:00:22:01")])
        self.assertEqual((profile.router_id, profile.sector_id), (self.router, self.sector))
        self.assertEqual(self.report({"mac": "aa:bb:cc:00:22:02"}, key="not-a-router-key").status_code, 403)

    def test_a_router_key_cannot_move_another_routers_customer(self):
        other = self.env["isp.router"].create({"name": "MK-NEIGHBOUR", "sector_id": self.sector.id})
        other_key = other.with_user(self.manager).rotate_key()
        subscription, _user = self.make_customer()
        response = self.report({"mac": MAC, "ip": "10.30.0.66"}, key=other_key)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json(), {"result": "ignored", "conflict": True, "error": "This device belongs to another router."})
        profile = subscription.mac_profile_id
        self.assertEqual((profile.router_id, profile.last_ip), (self.router, "10.30.0.7"), "neither moved nor re-addressed")
        event = self.env["isp.onboarding.event"].search([("mac", "=", MAC), ("router_id", "=", other.id)])
        self.assertEqual(event.outcome, "ignored")
        self.assertIn("is served by router MK-AGENT", event.error, "staff read the details in the log")
        other.connection_mode = "agent"
        sync = {"results": [], "leases": [[MAC, "10.30.0.66", "dhcp1", ""]], "suspended": [], "queues": []}
        self.checkin(sync, key=other_key)
        self.assertEqual((profile.router_id, profile.last_ip), (self.router, "10.30.0.7"), "nor by its sync")

    # Leases ----------------------------------------------------------------------------------

    def test_a_sync_feeds_the_leases_through_the_webhooks_rules_and_repairs_drift(self):
        subscription, _user = self.make_customer()
        self.assertIn(["sync", "yes"], answer_lines(self.checkin()), "a router never synced is asked to")
        body = {
            "identity": "MK-AGENT",
            "results": [],
            "leases": [["aa:bb:cc:00:20:99", "10.30.0.99", "dhcp1", "ONU-Nueva"], [MAC, "10.30.0.8", "dhcp1", ""]],
            "suspended": [],
            # A queue Odoo no longer wants (the plan's hotspot profile limits this customer).
            "queues": [[f"isp_core:{subscription.name}", "10.30.0.7/32", "5M/20M"]],
        }
        answer = self.checkin(body)
        self.assertIn(["sync", "no"], answer_lines(answer))
        new_profile = self.env["isp.mac.profile"].search([("mac", "=", "AA:BB:CC:00:20:99")])
        self.assertEqual((new_profile.router_id, new_profile.last_ip, new_profile.hostname), (self.router, "10.30.0.99", "ONU-Nueva"))
        self.assertEqual(subscription.mac_profile_id.last_ip, "10.30.0.8")
        [report] = self.router.lease_reconciliation_ids
        self.assertEqual((report.leases_seen, report.profiles_created, report.access_repairs), (2, 1, 1))
        self.assertTrue(self.router.last_sync_at)

        self.router.with_user(self.staff).action_sync_leases()
        self.assertIn(["sync", "yes"], answer_lines(self.checkin()), "Sync Leases Now asks the next check-in")

    def test_a_router_that_misses_three_check_ins_is_shown_offline_and_counted_on_the_dashboard(self):
        routers = self.env["isp.router"].with_user(self.staff)
        self.assertTrue(self.router.checkin_silent, "a router that never checked in is silent")
        self.checkin()
        self.router.invalidate_recordset()
        self.assertFalse(self.router.checkin_silent)
        self.assertEqual(self.router.agent_version, "isp_core-agent 1")
        self.assertNotIn(self.router, routers.search([("checkin_silent", "=", True)]))
        dashboard = self.env["isp.mac.profile"].with_user(self.staff)
        down_before = dashboard.get_dashboard_kpis()["routers_down"]
        with freeze_time(fields.Datetime.now() + timedelta(seconds=3 * 30 + 61)):
            self.router.invalidate_recordset()
            self.assertTrue(self.router.checkin_silent)
            self.assertIn(self.router, routers.search([("checkin_silent", "=", True)]))
            self.assertEqual(dashboard.get_dashboard_kpis()["routers_down"], down_before + 1)
            action = self.router.with_user(self.staff).action_test_connection()
            self.assertEqual(action["params"]["type"], "danger")

    def test_the_router_form_counts_the_operations_it_has_not_reported(self):
        self.make_customer()
        sent = operations(self.checkin())
        self.assertEqual(self.router.pending_operation_count, len(sent))
        self.checkin({"results": [{"id": int(op[1]), "outcome": "applied"} for op in sent]})
        self.router.invalidate_recordset()
        self.assertEqual(self.router.pending_operation_count, 0)

    @freeze_time("2026-12-06 09:00:00")
    def test_the_router_form_warns_when_the_routers_clock_is_wrong(self):
        # The agent sends /system clock as the router prints it: local date and time, and its offset.
        base = {"agent": "isp_core-agent 1", "identity": "MK-AGENT", "version": "7.19.6", "uptime": "1d2h", "results": []}
        self.checkin({**base, "clock": "2026-12-06 04:48:00 -04:00"})
        self.router.invalidate_recordset()
        self.assertEqual(self.router.clock_skew, -720, "twelve minutes behind Odoo")
        self.assertTrue(self.router.clock_wrong, "the form's warning shows past five minutes")
        self.checkin({**base, "clock": "2026-12-06 05:00:10 -04:00"})
        self.router.invalidate_recordset()
        self.assertEqual(self.router.clock_skew, 10)
        self.assertFalse(self.router.clock_wrong)
        self.assertEqual(self.checkin({**base, "clock": "06/12/2026 05:00"}).status_code, 400, "a clock in no router's format")

    def test_an_incomplete_sync_takes_no_device_for_gone(self):
        subscription, _user = self.make_customer()
        profile = subscription.mac_profile_id
        profile.online = True
        partial = {"results": [], "leases": [], "suspended": [], "queues": [], "leases_complete": False}
        self.checkin(partial)
        self.assertTrue(profile.online, "a lease left out of the sync is not a lease gone")
        self.checkin({**partial, "leases_complete": True})
        self.assertFalse(profile.online)

    def test_an_operation_the_router_never_reports_fails_its_job_which_is_retried(self):
        subscription, user = self.make_customer()
        start = fields.Datetime.now()
        for sending in range(agent_protocol.MAX_SENDINGS + 1):
            with freeze_time(start + sending * SENDING_GAP):
                self.checkin()
        job = self.jobs.search([("captive_user_id", "=", user.id)])
        self.assertEqual(job.state, "failed")
        self.assertIn("did not report it after", job.last_error)
        self.assertTrue(job.next_attempt_at, "retried with the usual back-off")
        self.assertEqual(subscription.network_state, "failed")

    def test_test_connection_tells_when_the_router_last_checked_in(self):
        action = self.router.with_user(self.staff).action_test_connection()
        self.assertEqual(action["params"]["type"], "warning")
        self.checkin()
        action = self.router.with_user(self.staff).action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("RouterOS 7.19.6", action["params"]["message"])
        # How long ago, never a clock time the server would format in its own zone.
        self.assertRegex(action["params"]["message"], r"^Last check-in \d+ seconds? ago, RouterOS 7\.19\.6\.$")
