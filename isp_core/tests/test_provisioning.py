import json
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.isp_core.lib import parameters
from odoo.addons.isp_core.lib.contract import NETWORK_BUS_NOTIFICATION
from odoo.addons.isp_core.lib.routeros_operations import ApiWriter

from .routeros_emulator import RouterOsEmulator, RouterOsEmulatorCase, recording_commands

HOTSPOT_USER = "/ip/hotspot/user"
USER_PROFILE = "/ip/hotspot/user/profile"
QUEUE = "/queue/simple"
ADDRESS_LIST = "/ip/firewall/address-list"
PROXY_ACCESS = "/ip/proxy/access"
MAC = "AA:BB:CC:00:10:01"


@tagged("post_install", "-at_install")
class TestProvisioning(RouterOsEmulatorCase):
    def setUp(self):
        super().setUp()
        self.manager = new_test_user(self.env, login="isp_prov_manager", groups="isp_core.group_isp_manager")
        self.staff = new_test_user(self.env, login="isp_prov_staff", groups="isp_core.group_isp_user")
        self.plan = self.env["isp.service.plan"].create(
            {"name": "DHCP 20/5", "download_mbps": 20, "upload_mbps": 5, "hotspot_profile": "plan-20"}
        )
        self.partner = self.env["res.partner"].create({"name": "Ana Pérez"})
        self.jobs = self.env["isp.provisioning.job"]

    def make_subscription(self, mac=MAC, plan=None):
        profile = self.make_profile(mac, self.bind_lease(mac, "onu"))
        subscription = self.make_draft_subscription(profile, plan or self.plan, self.partner)
        subscription.with_user(self.staff).action_activate()
        return subscription

    def make_draft_subscription_without_lease(self):
        return self.make_draft_subscription(self.make_profile(MAC, "10.20.0.99"), self.plan, self.partner)

    def make_captive_user(self, subscription, mac=MAC):
        return self.env["isp.captive.user"].with_user(self.manager).create({
            "login": mac,
            "password": mac,
            "mac": mac,
            "subscription_id": subscription.id,
            "router_id": self.router.id,
            "provisioning_state": "to_provision",
        })

    def test_captive_user_is_created_changed_and_removed_on_the_router(self):
        subscription = self.make_subscription()
        captive_user = self.make_captive_user(subscription)
        job = self.jobs.search([("captive_user_id", "=", captive_user.id)])
        self.assertEqual(job.state, "queued")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", self.env.ref("isp_core.ir_cron_provisioning_worker").id)]),
            "queuing a job wakes the worker cron",
        )

        self.run_jobs()
        self.assertEqual(job.state, "done")
        self.assertEqual(captive_user.provisioning_state, "provisioned")
        [router_user] = self.router_items(HOTSPOT_USER, name=MAC)
        self.assertEqual(router_user["mac-address"], MAC)
        self.assertEqual(router_user["profile"], "isp_core-plan-20")
        self.assertEqual(router_user["disabled"], "false")
        self.assertIn(f"/odoo/isp.captive.user/{captive_user.id}", router_user["comment"])

        captive_user.with_user(self.manager).write({"login": "ana-perez", "hotspot_profile": "vip"})
        self.run_jobs()
        self.assertFalse(self.router_items(HOTSPOT_USER, name=MAC), "the old login is gone")
        [renamed] = self.router_items(HOTSPOT_USER, name="ana-perez")
        self.assertEqual(renamed["profile"], "isp_core-plan-20", "the plan's profile carries its rate limit")

        subscription.with_user(self.staff).action_terminate()
        self.run_jobs()
        self.assertFalse(self.router_items(HOTSPOT_USER), "termination removes the hotspot user")

    def test_running_a_job_again_changes_nothing_on_the_router(self):
        self.make_captive_user(self.make_subscription())
        self.run_jobs()
        before = self.router_items(HOTSPOT_USER)
        job = self.jobs.search([("job_type", "=", "hotspot_user")])
        with self.emulator.session() as session:
            job._run_hotspot_user(ApiWriter(session, job.router_id._scope()))
            job._run_hotspot_user(ApiWriter(session, job.router_id._scope()))
        self.assertEqual(self.router_items(HOTSPOT_USER), before)

    def test_hotspot_customer_gets_the_plan_rate_limit_on_the_user_profile(self):
        user = self.make_captive_user(self.make_subscription())
        user.hotspot_profile = "default"
        self.run_jobs()
        [profile] = self.router_items(USER_PROFILE, name="isp_core-plan-20")
        self.assertEqual(profile["rate-limit"], "5M/20M")
        [router_user] = self.router_items(HOTSPOT_USER, name=MAC)
        self.assertEqual(
            (user.router_profile, router_user["profile"]), ("isp_core-plan-20", "isp_core-plan-20"), "the record shows what the router has"
        )
        self.assertFalse(self.router_items(QUEUE), "a hotspot customer needs no simple queue")

        self.plan.write({"download_mbps": 50, "upload_mbps": 10})
        self.run_jobs()
        [profile] = self.router_items(USER_PROFILE, name="isp_core-plan-20")
        self.assertEqual(profile["rate-limit"], "10M/50M")

    def test_a_plan_never_changes_a_hotspot_profile_odoo_did_not_create(self):
        [factory_default] = self.router_items(USER_PROFILE, name="default")
        self.plan.hotspot_profile = "default"
        self.assertEqual(self.plan.hotspot_profile, "isp_core-default")
        self.make_captive_user(self.make_subscription())
        self.run_jobs()
        self.assertEqual(self.router_items(USER_PROFILE, name="default"), [factory_default])
        [own] = self.router_items(USER_PROFILE, name="isp_core-default")
        self.assertEqual(own["rate-limit"], "5M/20M")
        [router_user] = self.router_items(HOTSPOT_USER, name=MAC)
        self.assertEqual(router_user["profile"], "isp_core-default")

    def test_dhcp_customer_gets_a_simple_queue_on_its_ip(self):
        plain_plan = self.make_plain_plan()
        subscription = self.make_subscription(plan=plain_plan)
        self.run_jobs()
        [queue] = self.router_items(QUEUE)
        self.assertEqual(queue["name"], f"isp_core:{subscription.name}")
        self.assertEqual(queue["target"].split("/")[0], subscription.mac_profile_id.last_ip)
        self.assertEqual(queue["max-limit"], "2M/10M")

        subscription.with_user(self.staff).action_terminate()
        self.run_jobs()
        self.assertFalse(self.router_items(QUEUE))

    def test_suspension_disables_the_user_lists_the_ip_and_redirects_it_then_reactivation_undoes_all(self):
        subscription = self.make_subscription()
        self.make_captive_user(subscription)
        self.run_jobs()

        subscription.with_user(self.staff).action_suspend()
        self.run_jobs()
        [router_user] = self.router_items(HOTSPOT_USER, name=MAC)
        self.assertEqual(router_user["disabled"], "true")
        [entry] = self.router_items(ADDRESS_LIST, list="isp_suspended")
        self.assertEqual(entry["address"], subscription.mac_profile_id.last_ip)
        # The router's web proxy redirects that address's plain-HTTP requests to its notice page.
        [redirect] = self.router_items(PROXY_ACCESS)
        self.assertEqual(
            (redirect["src-address"], redirect["action"], redirect["action-data"]),
            (subscription.mac_profile_id.last_ip, "redirect", subscription._notice_url()),
        )
        token = redirect["action-data"].rsplit("/", 1)[1]
        subscriptions = self.env["isp.subscription"]
        self.assertEqual(subscriptions._from_notice_token(token), subscription, "the redirect opens this customer's own notice")

        subscription.with_user(self.staff).action_reactivate()
        self.run_jobs()
        [router_user] = self.router_items(HOTSPOT_USER, name=MAC)
        self.assertEqual(router_user["disabled"], "false")
        self.assertFalse(self.router_items(ADDRESS_LIST, list="isp_suspended"))
        self.assertFalse(self.router_items(PROXY_ACCESS))
        self.assertFalse(subscriptions._from_notice_token(token), "the old link went stale")

    def test_a_change_made_after_a_job_was_queued_gets_its_own_job_and_the_newest_runs_alone(self):
        """The worker may already have read what a waiting job brings in line: a change committed
        after it must not count on that job. It queues its own, and the worker runs the newest."""
        subscription = self.make_subscription()
        self.make_captive_user(subscription)
        self.run_jobs()

        subscription.with_user(self.staff).action_suspend()
        first = self.jobs.search([("state", "=", "queued")])
        subscription.with_user(self.staff).action_reactivate()
        self.assertEqual(self.jobs.search([("state", "=", "queued")]), first, "one transaction, one job per thing")

        self.env.cr.precommit.clear()  # as a commit does: the next change is another transaction
        subscription.with_user(self.staff).action_suspend()
        second = self.jobs.search([("state", "=", "queued")]) - first
        self.assertEqual(sorted(second.mapped("job_type")), sorted(first.mapped("job_type")))

        self.run_jobs()
        self.assertFalse(first.exists(), "the newer jobs covered what the older ones were queued for")
        self.assertEqual(set(second.mapped("state")), {"done"})
        [router_user] = self.router_items(HOTSPOT_USER, name=MAC)
        self.assertEqual(router_user["disabled"], "true")

    def test_the_worker_reports_jobs_queued_while_it_ran_so_that_odoo_runs_it_again_at_once(self):
        subscription = self.make_subscription()
        progress = []
        process = type(self.jobs)._process_router_jobs

        def process_while_staff_act(jobs, router, router_jobs):
            process(jobs, router, router_jobs)
            if not progress:
                self.env.cr.precommit.clear()
                subscription.with_user(self.staff).action_suspend()  # meanwhile, in another transaction

        def record_progress(_cron, processed=0, *, remaining=None, deactivate=False):
            progress.append((processed, remaining))
            return 60.0

        with (
            patch.object(type(self.jobs), "_process_router_jobs", process_while_staff_act),
            patch.object(type(self.env["ir.cron"]), "_commit_progress", record_progress),
        ):
            self.jobs.with_context(ir_cron_progress_id=1)._cron_process_queue()
        self.assertEqual(progress, [(1, None), (0, 1)], "the suspension's job is reported as remaining")

    def test_unreachable_router_fails_the_job_and_a_later_retry_succeeds(self):
        subscription = self.make_subscription()
        self.run_jobs()
        port = self.emulator.port
        self.emulator.stop()

        captive_user = self.make_captive_user(subscription)
        self.run_jobs(expect_failures=True)
        job = self.jobs.search([("captive_user_id", "=", captive_user.id)])
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.attempts, 1)
        self.assertIn(f"Cannot connect to 127.0.0.1:{port}", job.last_error)
        self.assertGreater(job.next_attempt_at, fields.Datetime.now())
        self.assertEqual(captive_user.provisioning_state, "failed")
        self.assertEqual(self.router.last_failure, "unreachable")
        self.assertIn("Cannot connect", self.router.last_error)
        self.assertEqual(subscription.network_state, "failed")
        self.assertIn(f"Router MK-TEST did not apply it: Cannot connect to 127.0.0.1:{port}", subscription.network_message)
        self.assertIn("It is tried again in", subscription.network_message)
        self.assertIn(subscription, self.env["isp.subscription"].search([("network_state", "=", "failed")]))

        with freeze_time(job.next_attempt_at + timedelta(seconds=1)):
            self.run_jobs(expect_failures=True)
        self.assertEqual(job.attempts, 2)
        self.assertGreater(job.next_attempt_at - job.write_date, timedelta(minutes=1), "the delay grows")

        self.emulator.start(port=port)
        self.run_jobs(expect_failures=True)
        self.assertEqual(job.state, "failed", "the retry is not due yet")
        with freeze_time(job.next_attempt_at + timedelta(seconds=1)):
            self.run_jobs()
        self.assertEqual(job.state, "done")
        self.assertEqual(captive_user.provisioning_state, "provisioned")
        self.assertFalse(self.router.last_failure)
        self.assertFalse(self.router.last_error)
        self.assertTrue(self.router_items(HOTSPOT_USER, name=MAC))

    def test_open_staff_screens_hear_that_the_network_changed(self):
        bus = self.env["bus.bus"].sudo()

        def network_notifications_of(action):
            """What staff screens are told of the network when ``action`` is done and committed."""
            last_id = bus.search([], order="id desc", limit=1).id
            action()
            self.env.cr.precommit.run()  # as a commit does
            messages = [json.loads(row.message) for row in bus.search([("id", ">", last_id)])]
            return [message["payload"] for message in messages if message["type"] == NETWORK_BUS_NOTIFICATION]

        def told_subscriptions(payloads):
            return {subscription for payload in payloads for subscription in payload["subscription_ids"]}

        first = self.make_subscription()
        second = self.make_subscription(mac="AA:BB:CC:DD:EE:02")
        self.make_captive_user(first)
        self.make_captive_user(second, mac="AA:BB:CC:DD:EE:02")
        self.env.cr.precommit.clear()
        self.assertGreater(len(self.jobs.search([("state", "=", "queued")])), 2)
        told = network_notifications_of(self.run_jobs)
        self.assertEqual(
            (told_subscriptions(told), {router for payload in told for router in payload["router_ids"]}),
            (set((first | second).ids), {self.router.id}),
        )

        self.emulator.stop()
        first.with_user(self.staff).action_suspend()
        self.env.cr.precommit.clear()
        told = network_notifications_of(lambda: self.run_jobs(expect_failures=True))
        self.assertEqual(first.network_state, "failed")
        self.assertRegex(first.network_message, r"It is tried again in \d+ min\.$")
        self.assertEqual(told_subscriptions(told), {first.id})

    def test_what_the_worker_writes_reads_in_the_companys_language(self):
        self.env["res.lang"]._activate_lang("es_DO")
        self.env["ir.module.module"]._load_module_terms(["isp_core"], ["es_DO"], overwrite=True)
        self.env.company.partner_id.lang = "es_DO"
        user = self.make_captive_user(self.make_subscription())
        self.run_jobs()  # as the cron runs it: in no one's language
        self.env.cr.flush()  # tracking is written at the commit
        tracking = user.sudo().message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == "provisioning_state")
        self.assertEqual(
            [(value.old_value_char, value.new_value_char) for value in tracking], [("Por aprovisionar", "Aprovisionado")]
        )

    def test_staff_retry_runs_a_failed_job_at_once(self):
        self.emulator.stop()
        captive_user = self.make_captive_user(self.make_draft_subscription_without_lease())
        self.run_jobs(expect_failures=True)
        job = self.jobs.search([("captive_user_id", "=", captive_user.id)])
        self.assertEqual(job.state, "failed")

        with self.assertRaises(AccessError):
            job.with_user(self.staff).write({"state": "done"})
        job.with_user(self.staff).action_retry()
        self.assertEqual((job.state, job.attempts), ("queued", 0))
        self.assertLessEqual(job.next_attempt_at, fields.Datetime.now())

    def test_test_connection_shows_identity_and_version_and_never_raises(self):
        action = self.router.with_user(self.staff).action_test_connection()
        message = action["params"]["message"]
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("MikroTik", message)
        self.assertIn(self.emulator.version, message)
        self.assertTrue(self.router.routeros_version.startswith(self.emulator.version))

        self.emulator.stop()
        action = self.router.with_user(self.staff).action_test_connection()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(action["params"]["title"], "Cannot reach MK-TEST: Cannot connect")
        self.assertIn("Cannot connect", action["params"]["message"])
        self.assertIn("Cannot connect", self.router.last_error)

    def test_a_refused_login_is_named_and_never_repeats_the_password(self):
        self.router.api_password = "not-the-password"
        action = self.router.with_user(self.staff).action_test_connection()
        self.assertEqual(action["params"]["title"], "Cannot reach MK-TEST: Login refused")
        self.assertEqual(self.router.last_failure, "login")
        self.assertNotIn("not-the-password", self.router.last_error + action["params"]["message"])

    def test_test_connection_over_tls(self):
        self.emulator.stop()
        self.emulator = RouterOsEmulator(extra_args=("--tls-port", "0")).start()
        self.addCleanup(self.emulator.stop)
        self.router.write({"use_tls": True, "api_port": self.emulator.tls_port})
        action = self.router.action_test_connection()
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        self.assertIn(self.emulator.version, action["params"]["message"])

    def test_a_routers_jobs_run_in_queue_order_and_a_refused_one_fails_alone(self):
        plain_plan = self.make_plain_plan()
        # Without a plan profile, captive users get the default one, which must be isp_core's.
        with self.emulator.session() as session:
            session.add(USER_PROFILE, {"name": "isp_core-residential"})
        self.env["ir.config_parameter"].set_param(parameters.MAC_CAPTIVE_DEFAULT_PROFILE, "isp_core-residential")
        macs = ["AA:BB:CC:00:10:11", "AA:BB:CC:00:10:12", "AA:BB:CC:00:10:13"]
        users = self.env["isp.captive.user"]
        for mac in macs:
            users |= self.make_captive_user(self.make_subscription(mac=mac, plan=plain_plan), mac=mac)
        self.run_jobs()
        self.jobs.search([]).unlink()
        users[1].with_user(self.manager).hotspot_profile = "isp_core-no-such-profile"
        users[0].with_user(self.manager).password = "first"
        users[2].with_user(self.manager).password = "third"

        with recording_commands() as sent:
            self.run_jobs(expect_failures=True)

        queries = [words[-1] for command, words in sent if command == "/ip/hotspot/user/print"]
        self.assertEqual(queries, [f"?=name={macs[1]}", f"?=name={macs[0]}", f"?=name={macs[2]}"])
        failed = self.jobs.search([("state", "=", "failed")])
        self.assertEqual(failed.captive_user_id, users[1])
        self.assertIn("profile", failed.last_error)
        self.assertEqual(users[2].provisioning_state, "provisioned")
