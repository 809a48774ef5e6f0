"""The guide for a router that Odoo cannot reach, such as one behind Starlink's CGNAT: the
preloader sets it up in agent mode with a key Odoo makes, and from then on only the router calls
Odoo. A new device's lease reaches Odoo through the lease-script, which then runs the agent: it
checks in, applies the new customer's hotspot user and reports it. A suspension in Odoo waits
for the next check-in, and then the router follows."""

from odoo.tests import HttpCase, tagged

from .test_lease_chain import DEVICE_HOSTNAME, DEVICE_MAC, GuideMixin


@tagged("post_install", "-at_install")
class TestAgentChain(GuideMixin, HttpCase):
    def test_a_router_odoo_cannot_reach_gets_its_customers_through_the_agent(self):
        _sector, plan = self.step_1_settings()
        # An hour between scheduled check-ins: in this test the leases run the agent.
        router, _output = self.step_2_preloader(connection_mode="agent", agent_interval="1h")
        # Odoo is given no address: nothing it does can open a connection to the router.
        self.assertRecordValues(
            router, [{"connection_mode": "agent", "key_set": True, "checkin_interval": 3600, "host": False}]
        )

        with self.reachable_from_outside():
            address = self.bind_lease(DEVICE_MAC, DEVICE_HOSTNAME)
        profile = self.env["isp.mac.profile"].search([("mac", "=", DEVICE_MAC)])
        self.assertTrue(profile, f"The lease never reached Odoo. The router's script log:\n{self.router_script_log()}")
        subscription, captive_user = profile.subscription_id, profile.captive_user_id
        self.assertEqual(
            captive_user.provisioning_state, "provisioned", f"The router's script log:\n{self.router_script_log()}"
        )
        self.assertEqual(subscription.network_state, "in_sync")
        [hotspot_user] = self.router_items("/ip/hotspot/user", name=DEVICE_MAC)
        self.assertEqual((hotspot_user["profile"], hotspot_user["disabled"]), (plan.hotspot_profile, "false"))
        [user_profile] = self.router_items("/ip/hotspot/user/profile", name=plan.hotspot_profile)
        self.assertEqual(user_profile["rate-limit"], plan.rate_limit)
        self.assertTrue(router.last_contact)
        self.assertTrue(router.routeros_version.startswith("7."))
        self.assertFalse(router.last_failure)
        [sync] = router.lease_reconciliation_ids
        self.assertEqual((sync.leases_seen, sync.state), (1, "done"), "the first check-in sends the leases")

        # The worker never connects to a router in agent mode: the change waits for its check-in.
        subscription.action_suspend()
        self.run_jobs()
        self.assertEqual(subscription.network_state, "pending")
        self.assertIn("next check-in", subscription.network_message)
        with self.reachable_from_outside():
            self.bind_lease(DEVICE_MAC, DEVICE_HOSTNAME)  # a renewal runs the agent too
        self.assertEqual(subscription.network_state, "in_sync", self.router_script_log())
        [hotspot_user] = self.router_items("/ip/hotspot/user", name=DEVICE_MAC)
        self.assertEqual(hotspot_user["disabled"], "true")
        [entry] = self.router_items("/ip/firewall/address-list", list=router.suspended_address_list)
        self.assertEqual(entry["address"], address)
        # Its plain-HTTP requests go to the router's proxy (the preloader's dst-nat), which
        # redirects them to this customer's notice page, above the rule that denies all else.
        redirect, deny = self.router_items("/ip/proxy/access")
        self.assertEqual(
            (redirect["src-address"], redirect["action"], redirect["action-data"]),
            (address, "redirect", subscription._notice_url()),
        )
        self.assertEqual((deny["action"], deny["comment"]), ("deny", "isp_core:proxy-deny"))
        # The phone's own captive-portal check meets the redirect, which opens its notice page.
        [answer] = self.http_get(address, "http://connectivitycheck.gstatic.com/generate_204")
        self.assertEqual((answer["verdict"], answer["location"]), ("redirect", subscription._notice_url()))
        notice = self.url_open(answer["location"])
        self.assertEqual(notice.status_code, 200)
        self.assertIn(subscription.name, notice.text)
        # Odoo itself stays reachable; the rest of the web does not.
        self.assertEqual(self.http_get(address, f"{self.base_url()}/isp/notice")[0]["verdict"], "forwarded")

        # Reactivated: the next check-in undoes all three.
        subscription.action_reactivate()
        self.assertEqual(subscription.network_state, "pending")
        with self.reachable_from_outside():
            self.bind_lease(DEVICE_MAC, DEVICE_HOSTNAME)
        self.assertEqual(subscription.network_state, "in_sync", self.router_script_log())
        [hotspot_user] = self.router_items("/ip/hotspot/user", name=DEVICE_MAC)
        self.assertEqual(hotspot_user["disabled"], "false")
        self.assertFalse(self.router_items("/ip/firewall/address-list", list=router.suspended_address_list))
        self.assertEqual([rule["action"] for rule in self.router_items("/ip/proxy/access")], ["deny"])
        self.assertEqual(self.http_get(address, "http://captive.apple.com/hotspot-detect.html")[0]["verdict"], "forwarded")
        self.assertFalse(router.last_failure, "Odoo never tried to connect")
