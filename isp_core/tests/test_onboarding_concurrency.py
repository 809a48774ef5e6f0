import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from functools import partial
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, sql_db
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

PARALLEL_CALLS = 20
MAC = "AA:BB:CC:FE:ED:01"


@tagged("post_install", "-at_install")
class TestOnboardingConcurrency(BaseCase):
    """Identical lease reports arriving at once, each in its own committed transaction.

    Odoo's HTTP test server serialises requests on the test cursor, so real concurrency needs
    real connections: each thread does what an HTTP worker does (Odoo's ``retrying`` around
    ``_onboard_lease``, then commit). What the threads commit is deleted afterwards.
    """

    def setUp(self):
        super().setUp()
        self.db_registry = Registry(get_db_name())
        # The test runner holds the registry lock while tests run, and Odoo looks the registry
        # up again under that lock when it builds or resets an environment: hand threads ours.
        self.startPatcher(patch("odoo.orm.environments.Registry", lambda _dbname: self.db_registry))
        self._delete_test_records()
        self.addCleanup(self._delete_test_records)

    def _new_env(self):
        return api.Environment(sql_db.db_connect(self.db_registry.db_name).cursor(), SUPERUSER_ID, {})

    def _delete_test_records(self):
        env = self._new_env()
        with closing(env.cr):
            env["isp.onboarding.event"].search([("mac", "=", MAC)]).unlink()
            env["isp.mac.profile"].search([("mac", "=", MAC)]).unlink()
            env.cr.commit()

    def _report_lease(self, start, lease):
        env = self._new_env()
        with closing(env.cr):
            start.wait()
            return retrying(partial(env["isp.mac.profile"]._onboard_lease, lease, "127.0.0.1"), env)

    def test_parallel_identical_calls_leave_one_profile(self):
        lease = {"mac": "aa-bb-cc-fe-ed-01", "ip": "10.30.0.1", "bound": "1", "hostname": "ONU-STORM"}
        start = threading.Barrier(PARALLEL_CALLS)
        with ThreadPoolExecutor(max_workers=PARALLEL_CALLS) as pool:
            futures = [pool.submit(self._report_lease, start, lease) for _ in range(PARALLEL_CALLS)]
            answers = [future.result() for future in futures]

        self.assertEqual(sorted(answer["result"] for answer in answers), ["created"] + ["updated"] * 19)
        self.assertEqual(len({answer["profile_id"] for answer in answers}), 1)
        env = self._new_env()
        with closing(env.cr):
            profile = env["isp.mac.profile"].search([("mac", "=", MAC)])
            self.assertEqual(len(profile), 1)
            self.assertEqual(profile.lease_count, PARALLEL_CALLS)
            self.assertEqual(profile.hostname, "ONU-STORM")
            # The renewals changed nothing: the lease count holds them, the log the creation.
            events = env["isp.onboarding.event"].search([("mac", "=", MAC)])
            self.assertEqual(events.mapped("outcome"), ["created"])
