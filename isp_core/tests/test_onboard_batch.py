from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.isp_core.lib import parameters
from odoo.addons.isp_core.models.isp_mac_profile_staff_ui import BUS_NOTIFICATION

from .common import IspCoreCase

PROFILE_FIELDS = ["last_ip", "hostname", "dhcp_server", "state", "online", "lease_count", "router_id", "sector_id"]


@tagged("post_install", "-at_install")
class TestOnboardBatch(IspCoreCase):
    """``_onboard_leases``: a router's leases at once, with the rules of the one-lease webhook."""

    def scenario(self, prefix):
        """A known device renewed with a new IP, one released, a new device bound then released
        in the same batch, an unknown device released, and one new device on another router."""
        return [
            self.lease(f"{prefix}:01", ip="10.10.0.101"),
            self.lease(f"{prefix}:02", bound="0", ip=""),
            self.lease(f"{prefix}:03", hostname="ONU-NEW"),
            self.lease(f"{prefix}:04", bound="0"),
            self.lease(f"{prefix}:03", bound="0", ip=""),
            self.lease(f"{prefix}:05", router="MK-NOSECTOR", sector="SEC-902-other", hostname=""),
        ]

    def prepare(self, prefix):
        """Known devices of the scenario, as earlier webhooks left them."""
        for suffix in ("01", "02"):
            self.onboard(f"{prefix}:{suffix}", ip="10.10.0.100")

    def outcome(self, prefix, answers):
        """What staff see after the scenario, with the MACs' common prefix (and the ids) left out."""

        def unprefixed(text):
            return text and text.replace(prefix, "")

        profiles = self.profiles.search([("mac", "=like", f"{prefix}:%")], order="mac")
        events = self.env["isp.onboarding.event"].search([("mac", "=like", f"{prefix}:%")])
        return {
            "answers": [(answer["result"], answer["state"]) for answer in answers],
            "profiles": [
                {
                    **profile.read(PROFILE_FIELDS)[0],
                    "id": unprefixed(profile.mac),
                    "partner": unprefixed(profile.subscription_id.partner_id.name),
                    "captive_login": unprefixed(profile.captive_user_id.login),
                }
                for profile in profiles
            ],
            "events": [
                (unprefixed(event.mac), event.outcome) for event in events.sorted(lambda event: (event.mac, event.id))
            ],
        }

    def test_a_mixed_batch_ends_as_the_same_leases_one_by_one(self):
        self.set_params({
            parameters.MAC_AUTO_CREATE: "1",
            parameters.MAC_DEFAULT_PLAN_ID: str(self.plan.id),
            parameters.MAC_AUTO_CREATE_CAPTIVE_USER: "1",
            parameters.MAC_AUTO_PROVISION_CAPTIVE: "1",
            parameters.MAC_CAPTIVE_DEFAULT_PROFILE: "isp_core-residential",
        })
        self.prepare("AA:BB:CC:70:00")
        one_by_one = [self.profiles._onboard_lease(values) for values in self.scenario("AA:BB:CC:70:00")]
        self.prepare("AA:BB:CC:71:00")
        batch = self.profiles._onboard_leases(self.scenario("AA:BB:CC:71:00"))

        expected = self.outcome("AA:BB:CC:70:00", one_by_one)
        self.assertEqual(self.outcome("AA:BB:CC:71:00", batch), expected)
        self.assertEqual(
            [answer["result"] for answer in batch], ["updated", "offline", "created", "ignored", "offline", "created"]
        )
        new_profile = self.profiles.browse(batch[2]["profile_id"])
        self.assertEqual((new_profile.online, new_profile.subscription_id.partner_id.name), (False, "ONU-NEW"))
        self.assertEqual(new_profile.captive_user_id.provisioning_state, "to_provision")
        self.assertEqual(batch[4]["profile_id"], new_profile.id)

    def test_a_batch_notifies_the_bus_once_per_profile_and_round(self):
        self.prepare("AA:BB:CC:72:00")
        groups = type(self.env["res.groups"])
        send = groups._bus_send
        payloads = []

        def recording_send(group, notification_type, message, **kwargs):
            if notification_type == BUS_NOTIFICATION and group == self.env.ref("isp_core.group_isp_user"):
                payloads.append(message)
            return send(group, notification_type, message, **kwargs)

        with patch.object(groups, "_bus_send", recording_send):
            self.profiles._onboard_leases(self.scenario("AA:BB:CC:72:00"))
        # 01, 02, 03 (bound), 05, then 03 again (released): the unknown device 04 has no profile.
        self.assertEqual(
            [(payload["mac"][-2:], payload["online"]) for payload in payloads],
            [("01", True), ("02", False), ("03", True), ("05", True), ("03", False)],
        )

    def test_an_invalid_lease_is_answered_and_the_others_are_still_recorded(self):
        leases = [
            self.lease("AA:BB:CC:73:00:01"),
            self.lease("not-a-mac"),
            self.lease("AA:BB:CC:73:00:02", ip="10.0.0.300"),
            self.lease("AA:BB:CC:73:00:03"),
        ]
        answers = self.profiles._onboard_leases(leases, source_ip="192.0.2.7")

        self.assertEqual([answer["result"] for answer in answers], ["created", "invalid", "invalid", "created"])
        self.assertIn("mac: is not a MAC address", answers[1]["error"])
        self.assertIn("ip: is not an IP address", answers[2]["error"])
        self.assertEqual(
            self.profiles.search([("mac", "=like", "AA:BB:CC:73:00:%")], order="mac").mapped("mac"),
            ["AA:BB:CC:73:00:01", "AA:BB:CC:73:00:03"],
        )
        refused = self.env["isp.onboarding.event"].search([("outcome", "=", "invalid")])
        self.assertEqual(sorted(refused.mapped("mac")), ["AA:BB:CC:73:00:02", "not-a-mac"])
        self.assertEqual(set(refused.mapped("source_ip")), {"192.0.2.7"})


@tagged("post_install", "-at_install")
class TestOnboardingMovesRouterAccess(IspCoreCase):
    """A customer whose device gets a new IP: the router's suspension entry and simple queue
    must follow at once, through a provisioning job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profile = cls.draft_subscribed_profile("AA:BB:CC:74:00:01")
        cls.subscription = cls.profile.subscription_id

    def access_jobs(self):
        return self.env["isp.provisioning.job"].search([
            ("job_type", "=", "customer_access"),
            ("subscription_id", "=", self.subscription.id),
            ("state", "=", "queued"),
        ])

    def run_queue_away(self):
        """As if the worker had brought the router in line with the state changes so far."""
        self.access_jobs().write({"state": "done"})

    def test_a_new_ip_of_a_suspended_customer_queues_the_router_change(self):
        self.subscription.action_activate()
        self.subscription.action_suspend()
        self.run_queue_away()
        self.onboard("AA:BB:CC:74:00:01", ip="10.10.0.20")
        self.assertFalse(self.access_jobs(), "the same IP changes nothing on the router")

        self.onboard("AA:BB:CC:74:00:01", ip="10.10.0.77")
        job = self.access_jobs()
        self.assertEqual((len(job), job.router_id, job.target), (1, self.router, self.subscription.name))

    def test_a_new_ip_of_a_customer_with_a_rate_limit_queues_the_router_change(self):
        self.assertEqual(self.plan.rate_limit, "5M/20M")
        self.subscription.action_activate()
        self.run_queue_away()
        self.onboard("AA:BB:CC:74:00:01", ip="10.10.0.78")
        self.assertEqual(len(self.access_jobs()), 1)

    def test_a_new_ip_of_a_customer_without_router_access_queues_nothing(self):
        self.run_queue_away()
        self.onboard("AA:BB:CC:74:00:01", ip="10.10.0.79")  # the subscription is still a draft
        self.assertFalse(self.access_jobs())
