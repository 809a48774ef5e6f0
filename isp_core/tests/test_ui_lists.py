from datetime import datetime

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

LANG = "es_DO"
# Lists are ready once their rows are drawn and no request is under way.
LIST_READY = "!!(document.querySelector('.o_list_table .o_data_row') && !document.querySelector('.o_loading_indicator'))"
# Column headers and the cells of the given columns whose text the browser cut with an ellipsis.
FIND_TRUNCATED = """
const columns = %s;
const cut = (element) => element.scrollWidth > element.clientWidth + 1;
const headers = [...document.querySelectorAll('.o_list_table thead th span.text-truncate')].filter(cut);
const cells = [...document.querySelectorAll('.o_list_table td.o_data_cell')].filter(
    (cell) => columns.includes(cell.getAttribute('name')) && cut(cell)
);
const problems = [...headers, ...cells].map((element) => 'cut short: ' + JSON.stringify(element.textContent.trim()));
%s
if (problems.length) { console.error(problems.join('; ')); } else { console.log('test successful'); }
"""


class SpanishListsMixin:
    """Staff who read Spanish in Santo Domingo, and a network with something in each list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang(LANG)
        cls.env["ir.module.module"]._load_module_terms(["isp_core"], [LANG], overwrite=True)
        cls.staff = new_test_user(
            cls.env, login="isp_ui_lists", groups="isp_core.group_isp_user", lang=LANG, tz="America/Santo_Domingo"
        )
        cls.plan = cls.env["isp.service.plan"].create(
            {"name": "Fibra 20/5", "download_mbps": 20, "upload_mbps": 5, "price": 1200}
        )
        router = cls.env["isp.router"].create({"name": "MK-LOS-CACAOS"})
        # In agent mode, the longest words of the list: "El router se reporta (agente)".
        cls.env["isp.router"].create({"name": "MK-ARROYO-HONDO-NORTE", "connection_mode": "agent", "routeros_version": "7.19.6 (stable)"})
        events = cls.env["isp.onboarding.event"]
        events.create({"outcome": "invalid", "mac": "AA:BB:CC:DD:EE:01", "ip": "10.10.0.21", "router_id": router.id,
                       "error": "mac: is not a MAC address", "invalid_field": "mac", "problem": "not_a_mac"})
        events.create({"outcome": "not_configured", "mac": "AA:BB:CC:DD:EE:02", "source_ip": "100.64.12.7"})
        events.create({"outcome": "created", "mac": "AA:BB:CC:DD:EE:03", "ip": "10.10.0.23", "router_id": router.id})
        cls.env["isp.provisioning.job"].create({
            "router_id": router.id, "job_type": "customer_access", "target": "SUB/00001",
            "state": "failed", "attempts": 1, "outcome": "suspension:created queue:absent",
            "last_error": "/ip/firewall/address-list/add: failure: already have such entry",
        })
        cls.env["isp.lease.reconciliation"].create({
            "router_id": router.id, "started_at": fields.Datetime.now(), "state": "done",
            "leases_seen": 120, "leases_unchanged": 117, "profiles_created": 2, "profiles_updated": 1,
        })

    def assert_list_reads_whole(self, action, columns, extra_check=""):
        self.browser_js(
            f"/odoo/action-isp_core.{action}",
            FIND_TRUNCATED % (list(columns), extra_check),
            ready=LIST_READY,
            login="isp_ui_lists",
        )


@tagged("post_install", "-at_install")
class TestUiLists(SpanishListsMixin, HttpCase):
    """The operational lists in Spanish on a laptop screen: headers and short values read whole,
    and speeds read as numbers."""

    def test_routers_list_reads_whole(self):
        # Every header, and the router's name and how it connects.
        self.assert_list_reads_whole("isp_router_action", ["name", "connection_mode", "routeros_version"])

    def test_a_link_to_a_device_opens_under_the_isp_app(self):
        self.env["isp.mac.profile"].create({"mac": "AA:BB:CC:DD:EE:77", "state": "pending"})
        self.staff.action_id = self.env.ref("mail.action_discuss").id  # the tab first shows Discuss
        self.start_tour("/odoo", "isp_core_profile_link", login="isp_ui_lists")
        # A link in a notification or an email (/mail/view) names the ISP app too.
        menus = self.env["ir.ui.menu"].with_user(self.staff)
        self.assertEqual(
            menus._get_best_backend_root_menu_id_for_model("isp.mac.profile"), self.env.ref("isp_core.isp_root_menu").id
        )

    def test_onboarding_log_reads_whole(self):
        # The problem may be a long sentence, read whole in the form; the short values may not be cut.
        self.assert_list_reads_whole("isp_onboarding_event_action", ["mac", "outcome", "ip", "invalid_field"])

    def test_provisioning_jobs_read_whole(self):
        self.assert_list_reads_whole("isp_provisioning_job_action", ["job_type", "state"])

    def test_lease_syncs_read_whole(self):
        in_spanish = (
            "const header = document.querySelector('th[data-name=leases_seen]').textContent.trim();"
            "if (header !== 'Concesiones') { problems.push('the leases column reads ' + header); }"
        )
        self.assert_list_reads_whole("isp_lease_reconciliation_action", ["state", "leases_seen"], extra_check=in_spanish)

    def test_router_ports_read_without_separators(self):
        self.browser_js(
            "/odoo/action-isp_core.isp_router_action",
            # A router in agent mode has no port to show.
            "const ports = [...document.querySelectorAll('td[name=api_port]')].map((cell) => cell.textContent.trim()).filter(Boolean);"
            "if (ports.join() === '8728') { console.log('test successful'); } else { console.error('the port reads ' + ports.join()); }",
            ready=LIST_READY,
            login="isp_ui_lists",
        )

    def test_a_port_change_reads_without_separators_in_the_chatter(self):
        router = self.env["isp.router"].search([("name", "=", "MK-LOS-CACAOS")])
        field = self.env["ir.model.fields"]._get("isp.router", "api_port")
        message = router.message_post(body="")
        tracking = self.env["mail.tracking.value"].create({
            "field_id": field.id, "mail_message_id": message.id, "old_value_integer": 8728, "new_value_integer": 45203,
        })
        [shown] = tracking._tracking_value_format()
        self.assertEqual((shown["oldValue"], shown["newValue"], shown["fieldInfo"]["fieldType"]), ("8728", "45203", "char"))

    def test_syncs_and_log_rows_are_named_by_what_they_are_in_the_readers_time(self):
        router = self.env["isp.router"].search([("name", "=", "MK-LOS-CACAOS")])
        at = datetime(2026, 12, 6, 8, 11)  # 04:11 in Santo Domingo
        sync = self.env["isp.lease.reconciliation"].create({"router_id": router.id, "started_at": at, "state": "done"})
        event = self.env["isp.onboarding.event"].create({"outcome": "created", "mac": "AA:BB:CC:DD:EE:09", "event_time": at})
        # The staff member reads in Spanish, in Santo Domingo's time.
        self.assertEqual(sync.with_user(self.staff).with_context(lang=LANG).display_name, "Sincronización MK-LOS-CACAOS 6 dic 04:11")
        self.assertEqual(event.with_user(self.staff).with_context(lang=LANG).display_name, "Creado AA:BB:CC:DD:EE:09 6 dic 04:11")

    def test_plan_speeds_read_as_numbers(self):
        # In Spanish "20.000" reads as twenty thousand: a whole speed shows no decimals.
        speeds = (
            "const row = [...document.querySelectorAll('.o_data_row')].find("
            "    (candidate) => candidate.querySelector('td[name=name]').textContent.trim() === 'Fibra 20/5');"
            "const speeds = ['download_mbps', 'upload_mbps'].map("
            "    (name) => row.querySelector(`td[name=${name}]`).textContent.trim());"
            "if (speeds.join(' ') !== '20 5') { problems.push('speeds read ' + speeds.join(' ')); }"
        )
        self.assert_list_reads_whole("isp_service_plan_action", ["name"], extra_check=speeds)


@tagged("post_install", "-at_install")
class TestUiListsPhone(SpanishListsMixin, HttpCase):
    """The routers list on a phone, 390 px wide: it scrolls sideways, and cuts no header."""

    browser_size = "390x844"
    touch_enabled = True

    def test_routers_list_cuts_no_header(self):
        self.assert_list_reads_whole("isp_router_action", [])
