"""The README's guide, end to end, as an operator follows it in a real Odoo: Step 1 in Settings,
Step 2 with the preloader and the administrator's password, then a device that takes a DHCP
lease on the (emulated) router. Its lease-script tells Odoo, Odoo gives it an active
subscription and a captive user, and the provisioning worker puts that user on the router's
hotspot; suspending the customer in Odoo then cuts them off on the router."""

from odoo.tests import Form, HttpCase, tagged

from odoo.addons.isp_core.lib import parameters

from .preloader_harness import PreloaderMixin
from .routeros_emulator import RouterOsEmulatorMixin, describe_jobs

SECTOR_CODE = "SEC-950-lease_chain"
SECTOR_NAME = "Lease Chain"
# The example names routers "{sector}-{n}".
ROUTER_IDENTITY = f"{SECTOR_CODE}-1"
DHCP_SERVER = "chain-dhcp"
MGMT_PASSWORD = "chain-Mgmt-pass-0417"

DEVICE_MAC = "AA:BB:CC:5E:00:01"
# The client chooses its host name: the lease-script must escape quotes and backslashes.
DEVICE_HOSTNAME = 'ONU "lobby" C:\\fiber'
CAPTIVE_PROFILE = "hs-residential"


class GuideMixin(RouterOsEmulatorMixin, PreloaderMixin):
    """The guide's set-up on a fresh emulated router, for an ``HttpCase``."""

    DHCP_SERVER = DHCP_SERVER

    def setUp(self):
        super().setUp()
        self.start_emulator()  # a fresh router, factory admin without password
        # An Odoo that never met a router holds no onboarding token yet.
        self.env["ir.config_parameter"].sudo().set_param(parameters.MAC_ONBOARDING_TOKEN, False)
        # The operator sets Settings too: an administrator as well as an ISP manager.
        self.operator, _api_key = self.make_operator(groups="base.group_system,isp_core.group_isp_manager")

    def step_1_settings(self):
        """ISP → Configuration: a sector and a plan; then Settings: the default plan and the four
        automatic steps, as the operator sets them. No shared token: the preloader gives the
        router its own key."""
        env = self.env(user=self.operator)
        sector = env["isp.sector"].create({"code": SECTOR_CODE, "name": SECTOR_NAME})
        plan = env["isp.service.plan"].create(
            {"name": "Chain 20/5", "download_mbps": 20, "upload_mbps": 5, "price": 1500, "hotspot_profile": "plan-20-5"}
        )
        settings = Form(env["res.config.settings"])
        settings.isp_mac_default_plan_id = plan
        settings.isp_mac_auto_create = True
        settings.isp_mac_auto_create_captive_user = True
        settings.isp_mac_auto_provision_captive = True
        settings.isp_mac_captive_default_profile = CAPTIVE_PROFILE
        settings.save().execute()
        return sector, plan

    def router_script_log(self):
        return "\n".join(
            entry.get("message", "") for entry in self.router_items("/log") if "script" in entry.get("topics", "")
        )

    def http_get(self, address, url):
        """What the router does with a plain-HTTP GET from ``address`` (the emulator's verdict)."""
        with self.emulator.session() as session:
            return session.command("/simulator/http/get", {"src-address": address, "url": url})

    def step_2_preloader(self, **config_values):
        """The preloader configures the router and registers it, with the admin password. It
        sets no shared token in Odoo: the router signs with its own key."""
        secrets = {"MIKROTIK_MGMT_PASS": MGMT_PASSWORD, "ODOO_ADMIN_PASS": self.operator.login}
        run = self.run_preloader(
            secrets,
            {"code": SECTOR_CODE, "name": SECTOR_NAME, "dhcp_server_name": DHCP_SERVER, "login": self.operator.login,
             **config_values},
        )
        output = self.assertPreloaderExit(run, 0)
        for name, secret in secrets.items():
            self.assertNotIn(secret, output, f"The preloader printed {name}")
        self.assertFalse(self.env["ir.config_parameter"].sudo().get_param(parameters.MAC_ONBOARDING_TOKEN))
        return self.env["isp.router"].search([("name", "=", ROUTER_IDENTITY)]), output


@tagged("post_install", "-at_install")
class TestLeaseChain(GuideMixin, HttpCase):

    def test_the_guide_from_settings_to_a_customer_cut_off_on_the_router(self):
        sector, plan = self.step_1_settings()

        router, _output = self.step_2_preloader()
        self.assertRouterRegistered(router, sector, MGMT_PASSWORD)

        # Step 4: a device takes a lease; the router's lease-script reports it to Odoo.
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
                "state": "active",
                "router_id": router.id,
                "sector_id": sector.id,
                "pending_reason": False,
            }],
        )
        subscription = profile.subscription_id
        self.assertRecordValues(
            subscription,
            [{"plan_id": plan.id, "state": "active", "router_id": router.id, "network_state": "pending"}],
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
        self.assertEqual(subscription.network_state, "in_sync")
        [hotspot_user] = self.router_items("/ip/hotspot/user", name=DEVICE_MAC)
        self.assertEqual(hotspot_user["mac-address"], DEVICE_MAC)
        self.assertEqual(hotspot_user["profile"], plan.hotspot_profile)
        self.assertEqual(hotspot_user.get("disabled"), "false")
        [user_profile] = self.router_items("/ip/hotspot/user/profile", name=plan.hotspot_profile)
        self.assertEqual(user_profile["rate-limit"], plan.rate_limit)

        # Suspended in Odoo: waiting until the router follows, then cut off there.
        subscription.action_suspend()
        self.assertEqual(subscription.network_state, "pending")
        self.run_jobs()
        self.assertEqual(subscription.network_state, "in_sync")
        [hotspot_user] = self.router_items("/ip/hotspot/user", name=DEVICE_MAC)
        self.assertEqual(hotspot_user["disabled"], "true")
        [entry] = self.router_items("/ip/firewall/address-list", list=router.suspended_address_list)
        self.assertEqual(entry["address"], address)
        # Its plain-HTTP requests are redirected to its notice page, by the rules the preloader
        # installed and the redirect the job added.
        with self.emulator.session() as session:
            [answer] = session.command("/simulator/http/get", {"src-address": address, "url": "http://captive.apple.com/"})
        self.assertEqual((answer["verdict"], answer["location"]), ("redirect", subscription._notice_url()))
