import itertools

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.isp_core.lib import parameters

from .common import IspCoreCase


@tagged("post_install", "-at_install")
class TestOnboardLease(IspCoreCase):
    def test_new_mac_without_auto_create_waits_as_pending(self):
        for captive, provision in itertools.product("01", "01"):
            with self.subTest(captive=captive, provision=provision):
                self.set_params(
                    {
                        parameters.MAC_DEFAULT_PLAN_ID: str(self.plan.id),
                        parameters.MAC_AUTO_CREATE_CAPTIVE_USER: captive,
                        parameters.MAC_AUTO_PROVISION_CAPTIVE: provision,
                    }
                )
                mac = f"AA:BB:CC:00:0{captive}:0{provision}"
                answer = self.onboard(mac)
                profile = self.profiles.browse(answer["profile_id"])
                self.assertEqual(answer, {"result": "created", "profile_id": profile.id, "state": "pending"})
                self.assertEqual(profile.mac, mac)
                self.assertFalse(profile.subscription_id)
                self.assertFalse(profile.captive_user_id)
                self.assertFalse(profile.pending_reason)
                self.assertTrue(profile.online)
                self.assertEqual(profile.lease_count, 1)

    def test_auto_create_approves_with_subscription_on_default_plan(self):
        combinations = itertools.product("01", "01", ["", "isp_core-residential"])
        for index, (captive, provision, captive_profile) in enumerate(combinations):
            with self.subTest(captive=captive, provision=provision, captive_profile=captive_profile):
                self.set_params(
                    {
                        parameters.MAC_AUTO_CREATE: "1",
                        parameters.MAC_DEFAULT_PLAN_ID: str(self.plan.id),
                        parameters.MAC_AUTO_CREATE_CAPTIVE_USER: captive,
                        parameters.MAC_AUTO_PROVISION_CAPTIVE: provision,
                        parameters.MAC_CAPTIVE_DEFAULT_PROFILE: captive_profile,
                    }
                )
                mac = f"AA:BB:CC:11:00:{index:02d}"
                answer = self.onboard(mac, hostname=f"ONU-{index}")
                profile = self.profiles.browse(answer["profile_id"])
                # The device is online at once: its subscription is active, not a draft.
                self.assertEqual(answer["state"], "active")
                subscription = profile.subscription_id
                self.assertEqual(subscription.plan_id, self.plan)
                self.assertEqual(subscription.state, "active")
                self.assertTrue(subscription.start_date)
                self.assertEqual(subscription.partner_id.name, f"ONU-{index}")
                self.assertEqual(subscription.sector_id, self.sector)
                self.assertEqual(subscription.router_id, self.router)
                self.assertTrue(subscription.name.startswith("SUB/"))
                captive_user = profile.captive_user_id
                if captive == "1":
                    self.assertEqual(captive_user.login, mac)
                    self.assertEqual(captive_user.password, mac)
                    self.assertEqual(captive_user.mac, mac)
                    self.assertEqual(captive_user.subscription_id, subscription)
                    self.assertEqual(captive_user.router_id, self.router)
                    self.assertEqual(captive_user.hotspot_profile, captive_profile or "default")
                    # Only an isp_core- profile reaches a router: the factory "default" is refused at once.
                    sendable = captive_profile.startswith("isp_core-")
                    self.assertEqual(
                        captive_user.provisioning_state,
                        ("to_provision" if sendable else "failed") if provision == "1" else False,
                    )
                else:
                    self.assertFalse(captive_user)
                    self.assertFalse(self.env["isp.captive.user"].search([("login", "=", mac)]))

    def test_auto_create_names_the_partner_after_the_mac_without_hostname(self):
        self.set_params({parameters.MAC_AUTO_CREATE: "1", parameters.MAC_DEFAULT_PLAN_ID: str(self.plan.id)})
        answer = self.onboard("AA:BB:CC:11:11:11", hostname="")
        profile = self.profiles.browse(answer["profile_id"])
        self.assertEqual(profile.subscription_id.partner_id.name, "AA:BB:CC:11:11:11")

    def test_auto_create_without_valid_default_plan_stays_pending_with_reason(self):
        archived_plan = self.env["isp.service.plan"].create(
            {"name": "Old", "download_mbps": 1, "upload_mbps": 1, "active": False}
        )
        invalid_values = {
            "missing": "",
            "not a number": "abc",
            "deleted plan": "999999",
            "archived plan": str(archived_plan.id),
        }
        for index, (case, value) in enumerate(invalid_values.items()):
            with self.subTest(case=case):
                self.set_params(
                    {
                        parameters.MAC_AUTO_CREATE: "1",
                        parameters.MAC_DEFAULT_PLAN_ID: value,
                        parameters.MAC_AUTO_CREATE_CAPTIVE_USER: "1",
                    }
                )
                answer = self.onboard(f"AA:BB:CC:22:00:{index:02d}")
                profile = self.profiles.browse(answer["profile_id"])
                self.assertEqual(answer["result"], "created")
                self.assertEqual(profile.state, "pending")
                self.assertEqual(profile.pending_reason, "no_default_plan")
                self.assertFalse(profile.subscription_id)
                self.assertFalse(profile.captive_user_id)

    def test_a_device_that_waited_for_a_default_plan_is_approved_at_its_next_lease(self):
        self.set_params({parameters.MAC_AUTO_CREATE: "1", parameters.MAC_DEFAULT_PLAN_ID: ""})
        profile = self.onboarded_profile("AA:BB:CC:22:01:01")
        self.assertRecordValues(profile, [{"state": "pending", "pending_reason": "no_default_plan"}])

        self.set_params({parameters.MAC_DEFAULT_PLAN_ID: str(self.plan.id)})
        self.assertEqual(self.onboard("AA:BB:CC:22:01:01")["state"], "active")
        self.assertRecordValues(profile, [{"state": "active", "pending_reason": False}])
        self.assertRecordValues(profile.subscription_id, [{"plan_id": self.plan.id, "state": "active"}])

    def test_a_waiting_reason_goes_when_devices_are_no_longer_approved_automatically(self):
        self.set_params({parameters.MAC_AUTO_CREATE: "1", parameters.MAC_DEFAULT_PLAN_ID: ""})
        profile = self.onboarded_profile("AA:BB:CC:22:01:02")
        self.set_params({parameters.MAC_AUTO_CREATE: "0"})
        self.onboard("AA:BB:CC:22:01:02")
        self.assertRecordValues(profile, [{"state": "pending", "pending_reason": False}])
        self.assertFalse(profile.subscription_id)

    def test_same_mac_again_updates_and_creates_nothing(self):
        first = self.onboard("aa-bb-cc-dd-ee-02", ip="10.10.0.2", hostname="")
        partners_before = self.env["res.partner"].search_count([])
        second = self.onboard("AABB.CCDD.EE02", ip="10.10.0.3", hostname="ONU-LATE-NAME")
        self.assertEqual(second, {"result": "updated", "profile_id": first["profile_id"], "state": "pending"})
        profile = self.profiles.browse(first["profile_id"])
        self.assertEqual(self.profiles.search_count([("mac", "=", "AA:BB:CC:DD:EE:02")]), 1)
        self.assertEqual(profile.last_ip, "10.10.0.3")
        self.assertEqual(profile.hostname, "ONU-LATE-NAME")
        profile.hostname = "Casa Pérez"
        self.onboard("AA:BB:CC:DD:EE:02", hostname="ONU-LATE-NAME")
        self.assertEqual(profile.hostname, "Casa Pérez")
        self.assertEqual(profile.lease_count, 3)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        self.assertEqual(
            self.events_for("AA:BB:CC:DD:EE:02").mapped("outcome"), ["updated", "updated", "created"]
        )

    def test_unbound_marks_offline_and_deletes_nothing(self):
        self.set_params({parameters.MAC_AUTO_CREATE: "1", parameters.MAC_DEFAULT_PLAN_ID: str(self.plan.id)})
        created = self.onboard("AA:BB:CC:DD:EE:03")
        profile = self.profiles.browse(created["profile_id"])
        subscription = profile.subscription_id
        for bound in ("0", 0, False, "false"):
            with self.subTest(bound=bound):
                answer = self.onboard("AA:BB:CC:DD:EE:03", bound=bound, ip="")
                self.assertEqual(answer, {"result": "offline", "profile_id": profile.id, "state": "active"})
                self.assertFalse(profile.online)
                self.assertEqual(profile.last_ip, "10.10.0.20")
                self.assertEqual(profile.lease_count, 1)
                self.assertTrue(subscription.exists())
        self.onboard("AA:BB:CC:DD:EE:03", bound="true")
        self.assertTrue(profile.online)

    def test_the_log_holds_every_change_and_the_profile_counts_the_rest(self):
        profile = self.onboarded_profile("AA:BB:CC:DD:EE:05")
        for _renewal in range(3):
            self.assertEqual(self.onboard("AA:BB:CC:DD:EE:05")["result"], "updated")
        self.assertEqual(self.events_for("AA:BB:CC:DD:EE:05").mapped("outcome"), ["created"], "renewals that change nothing")
        self.assertEqual(profile.lease_count, 4)
        self.onboard("AA:BB:CC:DD:EE:05", ip="10.10.0.99")
        self.onboard("AA:BB:CC:DD:EE:05", bound="0")
        self.assertEqual(self.events_for("AA:BB:CC:DD:EE:05").mapped("outcome"), ["offline", "updated", "created"])

    def test_unbound_unknown_mac_is_logged_and_ignored(self):
        answer = self.onboard("AA:BB:CC:DD:EE:04", bound="0")
        self.assertEqual(answer, {"result": "ignored", "profile_id": False, "state": False})
        self.assertFalse(self.profiles.search([("mac", "=", "AA:BB:CC:DD:EE:04")]))
        self.assertEqual(self.events_for("AA:BB:CC:DD:EE:04").outcome, "ignored")

    def test_sector_from_code_then_router_then_flagged(self):
        cases = [
            ("AA:BB:CC:33:00:01", {"sector": "SEC-902-other", "router": "MK-TEST"}, self.other_sector),
            ("AA:BB:CC:33:00:02", {"sector": "", "router": "MK-TEST"}, self.sector),
            ("AA:BB:CC:33:00:03", {"sector": "SEC-404-unknown", "router": "MK-TEST"}, self.sector),
            ("AA:BB:CC:33:00:04", {"sector": "", "router": "MK-NOSECTOR"}, self.env["isp.sector"]),
            ("AA:BB:CC:33:00:05", {"sector": "", "router": "MK-UNKNOWN"}, self.env["isp.sector"]),
        ]
        for mac, overrides, expected_sector in cases:
            with self.subTest(mac=mac, **overrides):
                profile = self.onboarded_profile(mac, **overrides)
                self.assertEqual(profile.sector_id, expected_sector)
                self.assertEqual(profile.sector_missing, not expected_sector)

    def test_setting_the_sector_clears_the_flag(self):
        profile = self.onboarded_profile("AA:BB:CC:33:00:06", router="")
        self.assertTrue(profile.sector_missing)
        self.onboard("AA:BB:CC:33:00:06", sector="SEC-901-test")
        self.assertEqual(profile.sector_id, self.sector)
        self.assertFalse(profile.sector_missing)

    def test_router_and_event_are_recorded(self):
        answer = self.onboard("AA:BB:CC:DD:EE:05", source_ip="192.0.2.1", router="MK-TEST")
        event = self.events_for("AA:BB:CC:DD:EE:05")
        self.assertRecordValues(
            event,
            [
                {
                    "outcome": "created",
                    "source_ip": "192.0.2.1",
                    "router_id": self.router.id,
                    "router_identity": "MK-TEST",
                    "ip": "10.10.0.20",
                    "bound": True,
                    "profile_id": answer["profile_id"],
                    "error": False,
                }
            ],
        )
        profile = self.profiles.browse(answer["profile_id"])
        self.assertEqual(profile.router_id, self.router)
        self.assertEqual(profile.dhcp_server, "dhcp-lan")

    def test_mac_formats_are_normalised(self):
        notations = ["aa:bb:cc:44:00:0{}", "aa-bb-cc-44-00-0{}", "AABB.CC44.000{}", "aabbcc44000{}"]
        for index, notation in enumerate(notations):
            with self.subTest(notation=notation):
                answer = self.onboard(notation.format(index))
                self.assertEqual(self.profiles.browse(answer["profile_id"]).mac, f"AA:BB:CC:44:00:0{index}")

    def test_invalid_input_names_the_field_writes_only_an_event(self):
        cases = {
            "mac": {"mac": "not-a-mac"},
            "ip": {"ip": "10.0.0.300"},
            "bound": {"bound": "maybe"},
        }
        for field, overrides in cases.items():
            with self.subTest(field=field):
                profile_count = self.profiles.search_count([])
                values = {**self.lease("AA:BB:CC:55:00:01"), **overrides}
                with self.assertRaisesRegex(ValidationError, f"{field}:"):
                    self.profiles._onboard_lease(values)
                self.assertEqual(self.profiles.search_count([]), profile_count)
        missing = self.lease()
        del missing["mac"]
        with self.assertRaisesRegex(ValidationError, "mac: is required"):
            self.profiles._onboard_lease(missing)
        refused = self.env["isp.onboarding.event"].search([("outcome", "=", "invalid")])
        self.assertEqual(len(refused), 4)

    def test_hostname_loses_control_characters_and_is_capped(self):
        answer = self.onboard("AA:BB:CC:DD:EE:06", hostname="ONU\x00-\x1b[31mred\n" + "x" * 100)
        hostname = self.profiles.browse(answer["profile_id"]).hostname
        self.assertEqual(hostname, "ONU-[31mred" + "x" * 52)
        self.assertEqual(len(hostname), 63)

    def test_a_renewal_that_changes_nothing_visible_sends_no_notification(self):
        self.onboard("AA:BB:CC:DD:EE:08")
        self.onboard("AA:BB:CC:DD:EE:08")
        self.assertEqual(len(self.sent_profile_notifications()), 1)
        self.onboard("AA:BB:CC:DD:EE:08", ip="10.10.0.99")
        payloads = self.sent_profile_notifications()
        self.assertEqual(len(payloads), 2)
        self.assertEqual(payloads[-1]["last_ip"], "10.10.0.99")

    def test_every_profile_change_reaches_the_isp_user_group_bus(self):
        answer = self.onboard("AA:BB:CC:DD:EE:07", sector="SEC-901-test")
        self.onboard("AA:BB:CC:DD:EE:07", bound="0")
        payloads = self.sent_profile_notifications()
        self.assertEqual(len(payloads), 2)
        self.assertEqual([payload["online"] for payload in payloads], [True, False])
        profile = self.profiles.browse(answer["profile_id"])
        last = payloads[-1]
        self.assertEqual(
            {key: last[key] for key in ("id", "mac", "state", "online", "sector_id", "sector_name", "hostname")},
            {
                "id": profile.id,
                "mac": "AA:BB:CC:DD:EE:07",
                "state": "pending",
                "online": False,
                "sector_id": self.sector.id,
                "sector_name": "Test Sector",
                "hostname": "ONU-TEST",
            },
        )
        self.assertEqual(last["last_ip"], "10.10.0.20")
        self.assertTrue(last["time"].endswith("+00:00"))
