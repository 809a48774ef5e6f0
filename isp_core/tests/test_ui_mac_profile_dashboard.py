import base64
import os
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser

from odoo.addons.isp_core.lib import parameters

from .common import set_params

TOUR_TOKEN = "isp-ui-tour-token"
TOUR_MAC = "AA:BB:CC:00:77:01"
SCREENSHOT = Path(__file__).resolve().parent.parent / "static" / "description" / "dashboard.png"
PHONE_SCREENSHOT = Path(__file__).resolve().parents[2] / ".tmp" / "dashboard-390px.png"
# Set to 1 to refresh SCREENSHOT; other runs leave the addon's files as they are.
UPDATE_SCREENSHOT = "ISP_CORE_UPDATE_SCREENSHOT"
# Rows in the queue, figures in the tiles, history in the feed, and no request under way.
DASHBOARD_READY = (
    "!!(document.querySelector('.o_isp_core_queue_row')"
    " && document.querySelector(\".o_isp_core_kpi_pending[aria-busy='false']\")"
    " && document.querySelector(\".o_isp_core_live_feed[aria-busy='false'] .o_isp_core_feed_entry\")"
    " && !document.querySelector('.o_loading_indicator'))"
)


@tagged("post_install", "-at_install")
class TestUiMacProfileDashboard(HttpCase):
    """The MAC Profiles dashboard in a real browser, as a member of ISP User."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["isp.service.plan"].create(
            {"name": "Fibra 20/5", "download_mbps": 20, "upload_mbps": 5, "price": 1200}
        )
        cls.sector = cls.env["isp.sector"].create({"code": "SEC-077-ui", "name": "Los Cacaos"})
        cls.env["isp.router"].create({"name": "MK-UI-TOUR", "sector_id": cls.sector.id})
        set_params(cls.env, {
            parameters.MAC_ONBOARDING_TOKEN: TOUR_TOKEN,
            parameters.MAC_AUTO_CREATE: "0",
            parameters.MAC_DEFAULT_PLAN_ID: str(cls.plan.id),
            parameters.MAC_AUTO_CREATE_CAPTIVE_USER: "0",
        })
        cls.staff = new_test_user(cls.env, login="isp_ui_staff", groups="isp_core.group_isp_user", tz="UTC")

    def test_new_device_appears_live_and_converts_in_one_click(self):
        self.start_tour("/odoo", "isp_core_mac_profile_dashboard", login="isp_ui_staff")
        profile = self.env["isp.mac.profile"].search([("mac", "=", TOUR_MAC)])
        self.assertEqual(profile.state, "active")
        subscription = profile.subscription_id
        self.assertEqual(subscription.state, "active")
        self.assertEqual(subscription.plan_id, self.plan)
        self.assertEqual(subscription.partner_id.name, "onu-tour-casa", "the new customer is named after the host")
        self.assertEqual(subscription.sector_id, self.sector)

    def test_a_figure_opens_the_list_it_counts(self):
        self.env["isp.mac.profile"].create({"mac": "AA:BB:CC:00:77:09", "hostname": "onu-tour-online", "online": True})
        self.start_tour(
            "/odoo/action-isp_core.isp_mac_profile_action_dashboard", "isp_core_kpi_tile_opens_its_list", login="isp_ui_staff"
        )

    def test_settings_router_setup_checks_the_endpoint(self):
        self.start_tour(
            "/odoo/action-isp_core.res_config_settings_action_isp", "isp_core_settings_router_setup", login="admin"
        )
        token = self.env["ir.config_parameter"].sudo().get_param(parameters.MAC_ONBOARDING_TOKEN)
        self.assertNotEqual(token, TOUR_TOKEN, "the token was rotated")
        shown = self.env["isp.onboarding.token.wizard"].search([])
        self.assertTrue(shown)
        self.assertFalse(any(shown.mapped("token")), "Done forgets the token shown")

    def test_dashboard_screenshot(self):
        """Renders the dashboard over a day of a small network, for the addon's page."""
        self._create_demo_network()
        captured = {}
        wait_code_ok = ChromeBrowser._wait_code_ok

        def wait_then_capture(browser, *args, **kwargs):
            wait_code_ok(browser, *args, **kwargs)
            captured["png"] = browser._websocket_request("Page.captureScreenshot", params={"format": "png"})["data"]

        with patch.object(ChromeBrowser, "_wait_code_ok", wait_then_capture):
            self.browser_js(
                "/odoo/action-isp_core.isp_mac_profile_action_dashboard",
                "console.log('test successful')",
                ready=DASHBOARD_READY,
                login="isp_ui_staff",
            )
        image = base64.b64decode(captured["png"])
        self.assertEqual(image[:8], b"\x89PNG\r\n\x1a\n")
        if os.environ.get(UPDATE_SCREENSHOT) == "1":
            SCREENSHOT.write_bytes(image)

    def _create_demo_network(self):
        now = fields.Datetime.now()
        sectors = self.sector | self.env["isp.sector"].create(
            [
                {"code": "SEC-078-ui", "name": "Arroyo Hondo"},
                {"code": "SEC-079-ui", "name": "El Cerro"},
            ]
        )
        devices = [
            ("onu-colmado-rosa", "pending", True, 3, 0),
            ("onu-casa-perez", "pending", True, 25, 1),
            ("", "pending", False, 180, 2),
            ("onu-escuela", "pending", True, 50, 0),
            ("onu-farmacia", "approved", True, 900, 1),
            ("onu-iglesia", "active", True, 4000, 2),
            ("onu-taller", "active", False, 2900, 0),
            ("onu-panaderia", "rejected", False, 6000, 1),
        ]
        profiles = self.env["isp.mac.profile"].create(
            [
                {
                    "mac": f"AA:BB:CC:00:66:{index:02X}",
                    "hostname": hostname or False,
                    "state": state,
                    "online": online,
                    "sector_id": sectors[sector].id,
                    "last_ip": f"10.66.0.{10 + index}",
                    "first_seen": now - timedelta(minutes=age_minutes * 3),
                    "last_seen": now - timedelta(minutes=age_minutes),
                }
                for index, (hostname, state, online, age_minutes, sector) in enumerate(devices)
            ]
        )
        customer = self.env["res.partner"].create({"name": "Iglesia San Juan"})
        for profile in profiles.filtered(lambda profile: profile.state == "active"):
            subscription = self.env["isp.subscription"].create(
                {"partner_id": customer.id, "plan_id": self.plan.id, "mac_profile_id": profile.id}
            )
            subscription.action_activate()
        # The feed as after a day of traffic: each device last changed when it was last seen, and
        # no notification of this set-up left for the bus to replay as new.
        self.env.flush_all()
        self.env.cr.execute("UPDATE isp_mac_profile SET feed_changed_at = last_seen WHERE id IN %s", [tuple(profiles.ids)])
        self.env.cr.precommit.run()
        self.env["bus.bus"].sudo().search([]).unlink()


# Whether every action button of the first pending row is on screen and the topmost element at its
# centre (so a tap reaches it), and the dashboard does not scroll sideways.
PHONE_CHECK = """
const row = document.querySelector('.o_isp_core_queue_row');
const buttons = [...row.querySelectorAll('.o_isp_core_actions button')];
const width = window.innerWidth;
const problems = [];
if (buttons.length !== 3) problems.push(`expected Approve, Reject and Convert, found ${buttons.length} buttons`);
for (const button of buttons) {
    const box = button.getBoundingClientRect();
    button.scrollIntoView({block: 'center'});
    const shown = button.getBoundingClientRect();
    const top = document.elementFromPoint(shown.left + shown.width / 2, shown.top + shown.height / 2);
    if (box.left < 0 || box.right > width) problems.push(`${button.textContent.trim()} is cut off (${box.left}-${box.right} of ${width})`);
    if (!(top === button || button.contains(top))) problems.push(`${button.textContent.trim()} is covered`);
}
const page = document.querySelector('.o_isp_core_dashboard');
if (page.scrollWidth > page.clientWidth + 1) problems.push(`the dashboard scrolls sideways (${page.scrollWidth} > ${page.clientWidth})`);
if (problems.length) { console.error(problems.join('; ')); } else { console.log('test successful'); }
"""


@tagged("post_install", "-at_install")
class TestUiPhone(HttpCase):
    """The MAC Profiles dashboard on a field technician's phone, 390 px wide."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sector = cls.env["isp.sector"].create({"code": "SEC-080-phone", "name": "Los Cacaos"})
        cls.env["isp.mac.profile"].create([
            {"mac": f"AA:BB:CC:00:88:{index:02X}", "hostname": f"onu-campo-{index}", "state": "pending",
             "online": True, "sector_id": sector.id, "last_ip": f"10.88.0.{10 + index}"}
            for index in range(3)
        ])
        new_test_user(cls.env, login="isp_phone_staff", groups="isp_core.group_isp_user", tz="UTC")

    def test_every_action_of_a_row_is_visible_and_tappable_at_390_px(self):
        captured = {}
        wait_code_ok = ChromeBrowser._wait_code_ok

        def wait_then_capture(browser, *args, **kwargs):
            captured["png"] = browser._websocket_request("Page.captureScreenshot", params={"format": "png"})["data"]
            wait_code_ok(browser, *args, **kwargs)

        with patch.object(ChromeBrowser, "_wait_code_ok", wait_then_capture):
            self.browser_js(
                "/odoo/action-isp_core.isp_mac_profile_action_dashboard",
                PHONE_CHECK,
                ready="!!document.querySelector('.o_isp_core_queue_row .o_isp_core_convert')",
                login="isp_phone_staff",
            )
        image = base64.b64decode(captured["png"])
        self.assertEqual(image[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(int.from_bytes(image[16:20], "big"), 390, "the screenshot is 390 px wide")
        # For a person to look at; outside the addon.
        PHONE_SCREENSHOT.parent.mkdir(exist_ok=True)
        PHONE_SCREENSHOT.write_bytes(image)
