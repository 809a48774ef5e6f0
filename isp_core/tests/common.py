import json

from odoo.tests import TransactionCase, new_test_user

from odoo.addons.bus.models.bus import channel_with_db
from odoo.addons.isp_core.lib import parameters
from odoo.addons.isp_core.models.isp_mac_profile_staff_ui import BUS_NOTIFICATION


def set_params(env, values):
    """Sets system parameters, ``{key: value}``, as the administrator would."""
    config = env["ir.config_parameter"].sudo()
    for key, value in values.items():
        config.set_param(key, value)


class IspCoreCase(TransactionCase):
    """Sector, plan, router and one user per ISP group, independent of demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sector = cls.env["isp.sector"].create({"code": "SEC-901-test", "name": "Test Sector"})
        cls.other_sector = cls.env["isp.sector"].create({"code": "SEC-902-other", "name": "Other Sector"})
        cls.plan = cls.env["isp.service.plan"].create(
            {"name": "DHCP 20/5", "download_mbps": 20, "upload_mbps": 5, "price": 1200}
        )
        cls.router = cls.env["isp.router"].create(
            {"name": "MK-TEST", "sector_id": cls.sector.id, "host": "127.0.0.1", "api_user": "admin"}
        )
        cls.router_without_sector = cls.env["isp.router"].create({"name": "MK-NOSECTOR"})
        cls.isp_user = new_test_user(cls.env, login="isp_user", groups="isp_core.group_isp_user")
        cls.isp_manager = new_test_user(cls.env, login="isp_manager", groups="isp_core.group_isp_manager")
        cls.internal_user = new_test_user(cls.env, login="internal_user", groups="base.group_user")
        cls.profiles = cls.env["isp.mac.profile"]
        cls.set_params(
            {
                parameters.MAC_AUTO_CREATE: "0",
                parameters.MAC_DEFAULT_PLAN_ID: "",
                parameters.MAC_AUTO_CREATE_CAPTIVE_USER: "0",
                parameters.MAC_AUTO_PROVISION_CAPTIVE: "0",
                parameters.MAC_CAPTIVE_DEFAULT_PROFILE: "",
            }
        )

    @classmethod
    def set_params(cls, values):
        set_params(cls.env, values)

    @classmethod
    def lease(cls, mac="AA:BB:CC:DD:EE:01", **overrides):
        values = {
            "mac": mac,
            "ip": "10.10.0.20",
            "bound": "1",
            "server": "dhcp-lan",
            "hostname": "ONU-TEST",
            "sector": "",
            "router": "MK-TEST",
        }
        values.update(overrides)
        return values

    @classmethod
    def onboard(cls, mac="AA:BB:CC:DD:EE:01", source_ip="127.0.0.1", **overrides):
        return cls.profiles._onboard_lease(cls.lease(mac, **overrides), source_ip=source_ip)

    @classmethod
    def onboarded_profile(cls, mac="AA:BB:CC:DD:EE:01", **overrides):
        """The profile that onboarding a lease of ``mac`` records; ``overrides`` as for ``onboard``."""
        return cls.profiles.browse(cls.onboard(mac, **overrides)["profile_id"])

    @classmethod
    def subscribed_profile(cls, mac, **overrides):
        """A profile recorded from a lease of ``mac`` (reported without a source address),
        converted in one click to an active subscription to the test plan."""
        profile = cls.onboarded_profile(mac, source_ip=None, **overrides)
        profile.convert_to_subscription(plan_id=cls.plan.id)
        return profile

    @classmethod
    def draft_subscribed_profile(cls, mac, **overrides):
        """A profile recorded from a lease of ``mac``, approved, with a draft subscription to the
        test plan made in the Subscriptions form."""
        profile = cls.onboarded_profile(mac, source_ip=None, **overrides)
        profile.action_approve()
        cls.env["isp.subscription"].create({
            "partner_id": cls.env["res.partner"].create({"name": f"Customer {mac}"}).id,
            "plan_id": cls.plan.id,
            "mac_profile_id": profile.id,
            "sector_id": profile.sector_id.id,
            "router_id": profile.router_id.id,
        })
        return profile

    def events_for(self, mac):
        return self.env["isp.onboarding.event"].search([("mac", "=", mac)])

    def sent_profile_notifications(self):
        """Payloads of the profile notifications this transaction queued for the ISP user group."""
        group = self.env.ref("isp_core.group_isp_user")
        channel = list(channel_with_db(self.env.cr.dbname, group))
        messages = [
            json.loads(values["message"])
            for values in self.env.cr.precommit.data.get("bus.bus.values", [])
            if json.loads(values["channel"]) == channel
        ]
        return [message["payload"] for message in messages if message["type"] == BUS_NOTIFICATION]
