import threading
from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

from odoo.addons.isp_billing.lib import parameters
from odoo.addons.isp_billing.models import isp_subscription

CUSTOMER = "Billing Concurrency Customer"
DAY = "2027-03-01"


@tagged("post_install", "-at_install")
class TestBillingConcurrency(BaseCase):
    """Two workers billing the same subscriptions, each on its own committed transaction, as two
    cron workers (or a cron and a staff member's Bill Now) would. What they commit is deleted
    afterwards."""

    def setUp(self):
        super().setUp()
        self.db_registry = Registry(get_db_name())
        # The test runner holds the registry lock; hand threads the registry Odoo would look up.
        self.startPatcher(patch("odoo.orm.environments.Registry", lambda _dbname: self.db_registry))
        self.addCleanup(self._delete_test_records)
        with self._env() as env, freeze_time(DAY):
            previous = env["ir.config_parameter"].get_param(parameters.LEAVE_INVOICES_IN_DRAFT)
            self.addCleanup(self._set_draft_setting, previous or "0")
            env["ir.config_parameter"].set_param(parameters.LEAVE_INVOICES_IN_DRAFT, "1")
            partner = env["res.partner"].create({"name": CUSTOMER})
            plan = env["isp.service.plan"].create({"name": CUSTOMER, "download_mbps": 20, "upload_mbps": 5, "price": 1000})
            subscriptions = env["isp.subscription"].create(
                [{"partner_id": partner.id, "plan_id": plan.id, "billing_day": 1} for _ in range(5)]
            )
            subscriptions.action_activate()
            self.subscription_ids = subscriptions.ids
            env.cr.commit()

    @contextmanager
    def _env(self):
        """An environment on a connection of its own, closed (rolling back what it did not commit) after."""
        cr = sql_db.db_connect(self.db_registry.db_name).cursor()
        try:
            yield api.Environment(cr, SUPERUSER_ID, {})
        finally:
            cr.close()

    def _set_draft_setting(self, value):
        with self._env() as env:
            env["ir.config_parameter"].set_param(parameters.LEAVE_INVOICES_IN_DRAFT, value)
            env.cr.commit()

    def _delete_test_records(self):
        with self._env() as env:
            subscriptions = env["isp.subscription"].search([("partner_id.name", "=", CUSTOMER)])
            env["account.move"].search([("isp_subscription_id", "in", subscriptions.ids)]).unlink()
            plans = subscriptions.plan_id
            products = plans.product_id
            partners = subscriptions.partner_id
            subscriptions.unlink()
            plans.unlink()
            products.unlink()
            partners.unlink()
            env.cr.commit()

    def _invoice_count(self):
        with self._env() as env:
            return env["account.move"].search_count([("isp_subscription_id", "in", self.subscription_ids)])

    def _bill(self, env):
        # The day is given, not frozen: freezegun's clock is shared by every thread and not thread-safe.
        return env["isp.subscription"].browse(self.subscription_ids)._bill_due_periods(fields.Date.to_date(DAY))

    def test_a_worker_leaves_alone_what_another_is_billing(self):
        with self._env() as first, self._env() as second:
            self.assertEqual(len(self._bill(first)), 5)  # not committed yet: it holds the subscriptions
            self.assertFalse(self._bill(second), "the second worker skips what the first is billing")
            second.cr.commit()
            first.cr.commit()
        self.assertEqual(self._invoice_count(), 5)

    def test_a_worker_that_started_before_another_committed_bills_nothing(self):
        with self._env() as first, self._env() as second:
            second.cr.execute("SELECT 1 FROM isp_subscription LIMIT 1")  # its snapshot starts now
            self.assertEqual(len(self._bill(first)), 5)
            first.cr.commit()
            self.assertFalse(self._bill(second), "billed since its snapshot: the second worker sees it and stops")
            second.cr.commit()
        self.assertEqual(self._invoice_count(), 5)

    def test_two_workers_at_once_bill_each_period_once(self):
        start = threading.Barrier(2)
        counts = []

        def worker():
            with self._env() as env:
                start.wait()
                counts.append(len(self._bill(env)))
                env.cr.commit()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sum(counts), 5)
        self.assertEqual(self._invoice_count(), 5)

    def test_a_cron_run_that_crashes_keeps_the_batches_it_committed_and_the_next_run_bills_the_rest(self):
        bill = self.db_registry["isp.subscription"]._bill_periods
        calls = []

        def crash_in_the_second_batch(model, bills):
            invoices = bill(model, bills)
            calls.append(len(invoices))
            if len(calls) == 2:
                raise RuntimeError("worker killed")
            return invoices

        with (
            patch.object(isp_subscription, "BILLING_BATCH_SIZE", 2),
            freeze_time(DAY),
            patch.object(self.db_registry["isp.subscription"], "_bill_periods", crash_in_the_second_batch),
            self._env() as env,
            self.assertRaises(RuntimeError),
        ):
            env["isp.subscription"].search([("id", "in", self.subscription_ids)])._cron_bill_due_subscriptions()
        self.assertEqual(calls, [2, 2])
        self.assertEqual(self._invoice_count(), 2, "the first batch was committed, the second rolled back whole")
        with freeze_time(DAY), self._env() as env:
            env["isp.subscription"]._cron_bill_due_subscriptions()
        with self._env() as env:
            subscriptions = env["isp.subscription"].browse(self.subscription_ids)
            self.assertEqual([len(subscription.invoice_ids) for subscription in subscriptions], [1] * 5)
