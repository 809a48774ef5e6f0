import http.client
import time
from unittest.mock import patch

from odoo.sql_db import db_connect
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.isp_core.lib import parameters

ROUTE = "/isp/mac_onboarding"
TOKEN = "router-shared-secret"
LEASE = {"mac": "aa:bb:cc:dd:00:60", "ip": "10.20.0.60", "bound": 1}


@tagged("post_install", "-at_install")
class TestMacOnboardingHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(parameters.MAC_ONBOARDING_TOKEN, TOKEN)
        cls.sector = cls.env["isp.sector"].create({"code": "SEC-911-http", "name": "HTTP Sector"})
        cls.env["isp.router"].create({"name": "MK-HTTP", "sector_id": cls.sector.id})

    def post(self, body=None, token=TOKEN, url=ROUTE, database=True, **kwargs):
        headers = kwargs.pop("headers", {})
        if token is not None:
            headers["X-ISP-Token"] = token
        if database:
            headers["X-Odoo-Database"] = self.env.cr.dbname
        if body is not None:
            kwargs["json"] = body
        return self.url_open(url, headers=headers, method="POST", **kwargs)

    def get(self, token=TOKEN):
        headers = {"X-Odoo-Database": self.env.cr.dbname}
        if token is not None:
            headers["X-ISP-Token"] = token
        return self.url_open(ROUTE, headers=headers)

    def events(self, outcome):
        return self.env["isp.onboarding.event"].search([("outcome", "=", outcome)])

    def profile(self, mac):
        return self.env["isp.mac.profile"].search([("mac", "=", mac)])

    def test_json_lease_creates_then_updates_then_goes_offline(self):
        lease = {
            "mac": "aa:bb:cc:dd:00:01",
            "ip": "10.20.0.5",
            "bound": 1,
            "server": "dhcp-lan",
            "hostname": "ONU-HTTP",
            "router": "MK-HTTP",
        }
        created = self.post(lease)
        self.assertEqual(created.status_code, 200)
        profile = self.profile("AA:BB:CC:DD:00:01")
        self.assertEqual(created.json(), {"result": "created", "profile_id": profile.id, "state": "pending"})
        self.assertEqual(profile.sector_id, self.sector)
        self.assertEqual(self.post(lease).json()["result"], "updated")
        offline = self.post({**lease, "bound": False})
        self.assertEqual(offline.json(), {"result": "offline", "profile_id": profile.id, "state": "pending"})
        self.assertFalse(profile.online)
        self.assertEqual(len(self.profile("AA:BB:CC:DD:00:01")), 1)

    def test_form_encoded_lease(self):
        response = self.post(
            data={"mac": "aabb.ccdd.0002", "bound": "true", "ip": "10.20.0.6", "sector": "SEC-911-http"}
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["result"], "created")
        self.assertEqual(self.profile("AA:BB:CC:DD:00:02").last_ip, "10.20.0.6")

    def test_mac_formats(self):
        notations = {
            "AA:BB:CC:DD:00:10": "aa:bb:cc:dd:00:10",
            "AA:BB:CC:DD:00:11": "AA-BB-CC-DD-00-11",
            "AA:BB:CC:DD:00:12": "aabb.ccdd.0012",
            "AA:BB:CC:DD:00:13": "aabbccdd0013",
        }
        for expected, notation in notations.items():
            with self.subTest(notation=notation):
                response = self.post({"mac": notation})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(self.profile(expected).id, response.json()["profile_id"])
        for notation in ("aa:bb:cc:dd:00", "gg:bb:cc:dd:00:01", "aa:bb-cc:dd:00:01", "", 12):
            with self.subTest(notation=notation):
                response = self.post({"mac": notation})
                self.assertEqual(response.status_code, 400)
                self.assertIn("mac:", response.json()["error"])

    def test_bad_input_answers_400_naming_the_field(self):
        cases = [
            ({"mac": "aa:bb:cc:dd:00:20", "ip": "999.1.1.1"}, "ip:"),
            ({"mac": "aa:bb:cc:dd:00:21", "bound": "perhaps"}, "bound:"),
            ({"ip": "10.0.0.1"}, "mac: is required"),
        ]
        for body, message in cases:
            with self.subTest(body=body):
                response = self.post(body)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.json()["error"])
        for raw in ("{not json", "[1, 2]"):
            with self.subTest(raw=raw):
                response = self.post(data=raw, headers={"Content-Type": "application/json"})
                self.assertEqual(response.status_code, 400)
                self.assertIn("body:", response.json()["error"])
        self.assertFalse(self.profile("AA:BB:CC:DD:00:20") | self.profile("AA:BB:CC:DD:00:21"))
        logged = sorted((event.invalid_field, event.problem) for event in self.events("invalid"))
        self.assertEqual(
            logged,
            [
                ("body", "not_a_body"),
                ("body", "not_an_object"),
                ("bound", "not_a_boolean"),
                ("ip", "not_an_ip"),
                ("mac", "missing"),
            ],
        )

    def test_broken_text_and_deep_nesting_get_400_naming_the_field(self):
        cases = [
            ('{"mac": "aa:bb:cc:dd:00:71\\u0000"}', "mac: contains a NUL character"),
            ('{"mac": "aa:bb:cc:dd:00:72", "router": "MK\\u0000X"}', "router: contains a NUL character"),
            ('{"mac": "aa:bb:cc:dd:00:73", "sector": "\\ud800"}', "sector: is not valid text"),
            ('{"mac": "\\udfff"}', "mac: is not valid text"),
            ('{"mac": "aa:bb:cc:dd:00:74", "x": ' + "[" * 3000 + "]" * 3000 + "}", "body: is nested too deeply"),
        ]
        for raw, message in cases:
            with self.subTest(message=message):
                response = self.post(data=raw, headers={"Content-Type": "application/json"})
                self.assertEqual(response.status_code, 400, response.text)
                self.assertIn(message, response.json()["error"])
        self.assertFalse(self.env["isp.mac.profile"].search([("mac", "like", "AA:BB:CC:DD:00:7")]))
        # The refusals are logged, their bad characters written as escapes.
        self.assertIn("MK\\u0000X", self.events("invalid").mapped("router_identity"))
        self.assertIn("\\udfff", self.events("invalid").mapped("mac"))

    def test_a_latin_1_host_name_keeps_the_device(self):
        raw = '{"mac": "aa:bb:cc:dd:00:75", "hostname": "José-PC", "ip": "10.20.0.75"}'.encode("latin-1")
        response = self.post(data=raw, headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.profile("AA:BB:CC:DD:00:75").hostname, "José-PC")
        form = self.post(
            data=b"mac=aa:bb:cc:dd:00:76&hostname=Jos%E9-PC", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        self.assertEqual(form.status_code, 200, form.text)
        self.assertTrue(self.profile("AA:BB:CC:DD:00:76"), "a form keeps the device, its odd byte replaced")

    def post_chunked(self, body, chunk_size=4096):
        """POSTs ``body`` with Transfer-Encoding: chunked (no Content-Length), and returns the
        answer's status. The server may answer and stop reading before the body ends: the rest
        is then not sent."""
        connection = http.client.HTTPConnection("127.0.0.1", self.http_port(), timeout=30)
        try:
            connection.putrequest("POST", ROUTE)
            for name, value in (
                ("Content-Type", "application/json"),
                ("Transfer-Encoding", "chunked"),
                ("X-ISP-Token", TOKEN),
                ("X-Odoo-Database", self.env.cr.dbname),
            ):
                connection.putheader(name, value)
            connection.endheaders()
            try:
                for start in range(0, len(body), chunk_size):
                    chunk = body[start:start + chunk_size]
                    connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                connection.send(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            return connection.getresponse().status
        finally:
            connection.close()

    def test_a_chunked_body_over_16_kb_gets_413_without_being_read_whole(self):
        with self.allow_requests(all_requests=True):
            for size in (40 * 1024, 1024 * 1024, 8 * 1024 * 1024):
                with self.subTest(size=size):
                    body = ('{"mac": "aa:bb:cc:dd:00:77", "hostname": "' + "x" * size + '"}').encode()
                    self.assertEqual(self.post_chunked(body), 413)
            self.assertEqual(self.post_chunked(b'{"mac": "aa:bb:cc:dd:00:79"}'), 200, "a small chunked body is read")
        self.assertFalse(self.profile("AA:BB:CC:DD:00:77"))
        self.assertTrue(self.profile("AA:BB:CC:DD:00:79"))

    @mute_logger("odoo.sql_db")  # PostgreSQL's cancelled statement, logged by Odoo: the point here
    def test_a_locked_table_gets_503_with_retry_after_in_seconds(self):
        with db_connect(self.env.cr.dbname).cursor() as maintenance:
            maintenance.execute("SET lock_timeout = '10s'")
            maintenance.execute("LOCK TABLE isp_mac_profile IN ACCESS EXCLUSIVE MODE")
            started = time.monotonic()
            response = self.post({"mac": "aa:bb:cc:dd:00:78"}, timeout=30)
            waited = time.monotonic() - started
            maintenance.rollback()
        self.assertEqual(response.status_code, 503, response.text)
        self.assertEqual(response.headers["Retry-After"], "30")
        self.assertLess(waited, 10)
        self.assertEqual(self.post({"mac": "aa:bb:cc:dd:00:78"}).status_code, 200, "once the lock is gone")

    def test_body_over_16_kb_gets_413(self):
        padding = "x" * (16 * 1024)
        self.assertEqual(self.post({"mac": "aa:bb:cc:dd:00:30", "hostname": padding}).status_code, 413)
        self.assertEqual(self.post(data={"mac": "aa:bb:cc:dd:00:31", "hostname": padding}).status_code, 413)
        self.assertFalse(self.profile("AA:BB:CC:DD:00:30") | self.profile("AA:BB:CC:DD:00:31"))
        self.assertEqual(self.post({"mac": "aa:bb:cc:dd:00:32", "hostname": "x" * 15000}).status_code, 200)

    def test_authentication_answers(self):
        lease = {"mac": "aa:bb:cc:dd:00:40"}
        missing = self.post(lease, token=None)
        self.assertEqual(missing.status_code, 401)
        self.assertIn("X-ISP-Token", missing.json()["error"])
        wrong = self.post(lease, token="guess")
        self.assertEqual(wrong.status_code, 403)
        in_url = self.post(lease, url=f"{ROUTE}?token={TOKEN}")
        self.assertEqual(in_url.status_code, 400)
        self.assertIn("header", in_url.json()["error"])
        self.assertFalse(self.profile("AA:BB:CC:DD:00:40"))
        self.assertEqual(len(self.events("unauthorized")), 1)
        self.assertEqual(len(self.events("forbidden")), 1)
        logged = self.env["isp.onboarding.event"].search([]).mapped("error")
        self.assertFalse([error for error in logged if error and (TOKEN in error or "guess" in error)])

    def test_no_configured_token_fails_closed(self):
        self.env["ir.config_parameter"].sudo().set_param(parameters.MAC_ONBOARDING_TOKEN, "")
        for token in (None, "", TOKEN):
            with self.subTest(token=token):
                response = self.post({"mac": "aa:bb:cc:dd:00:50"}, token=token)
                self.assertEqual(response.status_code, 503)
        self.assertEqual(self.get().status_code, 503)
        self.assertFalse(self.profile("AA:BB:CC:DD:00:50"))
        self.assertEqual(sum(self.events("not_configured").mapped("call_count")), 4)

    def test_a_stored_token_that_is_blank_or_weak_counts_as_none(self):
        # Stored before the rule existed, or behind Odoo's back: the endpoint still fails closed.
        for stored in (" " * 20, "\u00a0" * 20, "abc"):
            with self.subTest(stored=stored):
                self.env.cr.execute(
                    "UPDATE ir_config_parameter SET value = %s WHERE key = %s", [stored, parameters.MAC_ONBOARDING_TOKEN]
                )
                self.env.registry.clear_cache("stable")
                # The stored value as a router could send it (raw bytes included), and a real token.
                sent = [TOKEN] + [stored.encode(codec) for codec in ("utf-8", "latin-1") if stored.strip(" ")]
                for token in sent:
                    self.assertEqual(self.post(LEASE, token=token).status_code, 503)
        self.assertFalse(self.profile("AA:BB:CC:DD:00:60"))

    def test_options_onboards_nothing(self):
        for method in ("OPTIONS", "HEAD", "PUT"):
            with self.subTest(method=method):
                response = self.url_open(
                    ROUTE,
                    method=method,
                    json=LEASE,
                    headers={"X-ISP-Token": TOKEN, "X-Odoo-Database": self.env.cr.dbname},
                )
                self.assertNotEqual(response.status_code, 200)
        self.assertFalse(self.profile("AA:BB:CC:DD:00:60"))
        self.assertFalse(self.env["isp.onboarding.event"].search([("mac", "=", "AA:BB:CC:DD:00:60")]))
        self.assertEqual(self.post(LEASE).status_code, 200, "POST still onboards")

    def test_a_flood_of_refused_calls_costs_a_few_rows_and_is_throttled_but_the_token_never_is(self):
        answers = [self.post(LEASE, token=None if index % 2 else f"guess-{index:04d}-token") for index in range(200)]
        answers += [self.get(token="guess-via-readiness-check") for _index in range(20)]
        statuses = [answer.status_code for answer in answers]
        self.assertEqual(set(statuses[:20]), {401, 403}, "the first refusals say why")
        self.assertGreaterEqual(statuses.count(429), 150)
        throttled = next(answer for answer in answers if answer.status_code == 429)
        self.assertTrue(1 <= int(throttled.headers["Retry-After"]) <= 60)
        refused = self.env["isp.onboarding.event"].search([("outcome", "in", ("unauthorized", "forbidden"))])
        # Behind CGNAT the address names the carrier: the row keeps what the body claimed.
        self.assertEqual(set(refused.mapped("mac")), {"aa:bb:cc:dd:00:60"})
        self.assertLessEqual(len(refused), 4, "one row per outcome and minute")
        self.assertEqual(sum(refused.mapped("call_count")), 220)
        self.assertNotIn("guess-", " ".join(refused.mapped("error")))
        # Behind CGNAT, good routers share the flooder's address: the valid token still works.
        self.assertEqual(self.post(LEASE).status_code, 200)
        self.assertEqual(self.get().status_code, 200)

    def test_readiness_check_authenticates_and_records_only_refusals(self):
        events = self.env["isp.onboarding.event"]
        before = events.search([])
        ready = self.get()
        self.assertEqual(ready.status_code, 200)
        self.assertEqual(ready.json(), {"result": "ready"})
        self.assertEqual(events.search([]), before, "an accepted check writes nothing")
        self.assertEqual(self.get(token=None).status_code, 401)
        self.assertEqual(self.get(token="guess").status_code, 403)
        # Guessing through the check counts like guessing through a report.
        self.assertEqual(sorted((events.search([]) - before).mapped("outcome")), ["forbidden", "unauthorized"])

    def test_single_database_selected_by_dbfilter(self):
        dbname = self.env.cr.dbname
        with patch("odoo.http.db_list", return_value=[dbname]):
            response = self.post({"mac": "aa:bb:cc:dd:00:60"}, database=False)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertTrue(self.profile("AA:BB:CC:DD:00:60"))
        with patch("odoo.http.db_filter", return_value=[]):
            refused = self.post({"mac": "aa:bb:cc:dd:00:61"})
        self.assertEqual(refused.status_code, 404)
        self.assertFalse(self.profile("AA:BB:CC:DD:00:61"))
