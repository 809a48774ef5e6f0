"""What staff see follows the router live, in a real browser, in Spanish, on a laptop and on a
phone: the preloader sets up the emulated router in agent mode, a new ONU takes a lease, and staff
convert it in one click and then suspend it (live_network_tour.js). Each time the page says the
router has still to apply it, and then, without a reload, that it has: within 2 s of the router's
report that finished the job."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.isp_core.lib import parameters

from .test_lease_chain import GuideMixin

LANG = "es_DO"
MAC = "AA:BB:CC:5E:00:20"


class LiveNetworkMixin(GuideMixin):
    def test_a_conversion_and_a_suspension_follow_the_router_live(self):
        self.env["res.lang"]._activate_lang(LANG)
        self.env["ir.module.module"]._load_module_terms(["isp_core"], [LANG], overwrite=True)
        _sector, plan = self.step_1_settings()
        # New devices wait for staff, who convert them with the default plan in one click.
        self.env["ir.config_parameter"].sudo().set_param(parameters.MAC_AUTO_CREATE, "0")
        # The router checks in every 5 s by itself, as the demo's does.
        router, _output = self.step_2_preloader(connection_mode="agent", agent_interval="5s")
        with self.reachable_from_outside():
            self.bind_lease(MAC, "onu-casa-live")
        profile = self.env["isp.mac.profile"].search([("mac", "=", MAC)])
        self.assertEqual(profile.state, "pending", self.router_script_log())
        new_test_user(
            self.env, login="isp_live_staff", groups="isp_core.group_isp_user", lang=LANG, tz="America/Santo_Domingo"
        )

        # The router's check-ins carry no test cookie: this Odoo answers them while the tour runs.
        self.http_request_allow_all = True
        self.start_tour(
            "/odoo/action-isp_core.isp_mac_profile_action_dashboard", "isp_core_live_network", login="isp_live_staff"
        )
        self.env.invalidate_all()

        subscription = profile.subscription_id
        self.assertEqual((subscription.state, subscription.network_state), ("suspended", "in_sync"))
        self.assertEqual(subscription.plan_id, plan)
        [hotspot_user] = self.router_items("/ip/hotspot/user", name=MAC)
        self.assertEqual(hotspot_user["disabled"], "true", "the router cut the customer off, as the page said")
        self.assertEqual(router.name, "SEC-950-lease_chain-1", "the name the tour reads in the banner")


@tagged("post_install", "-at_install")
class TestUiLiveNetwork(LiveNetworkMixin, HttpCase):
    """On a laptop, 1366 px wide."""

    allow_inherited_tests_method = True  # the mixin's test, at this screen size


@tagged("post_install", "-at_install")
class TestUiLiveNetworkPhone(LiveNetworkMixin, HttpCase):
    """On a field technician's phone, 390 px wide."""

    allow_inherited_tests_method = True
    browser_size = "390x844"
    touch_enabled = True
