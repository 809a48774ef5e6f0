"""deploy/render.py: the production configuration it writes from the machine and the arguments."""

import contextlib
import importlib.util
import io
import os
import re
import stat
import tempfile
import unittest
from pathlib import Path

from passlib.context import CryptContext

RENDER_PATH = Path(__file__).resolve().parents[2] / "deploy" / "render.py"
_spec = importlib.util.spec_from_file_location("deploy_render", RENDER_PATH)
render = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render)

REQUIRED = ["--domain", "isp.example.com", "--cert", "/etc/ssl/isp.pem", "--key", "/etc/ssl/isp.key"]


class RenderTest(unittest.TestCase):
    def setUp(self):
        self.output = Path(tempfile.mkdtemp(prefix="isp-render-"))
        # Odoo's 600,000 rounds take a second a hash; the hash's format is what matters here.
        rounds = render.MASTER_PASSWORD_ROUNDS
        render.MASTER_PASSWORD_ROUNDS = 1000
        self.addCleanup(setattr, render, "MASTER_PASSWORD_ROUNDS", rounds)

    def run_render(self, *arguments):
        with contextlib.redirect_stderr(io.StringIO()):
            render.main(["--output", str(self.output), *REQUIRED, *arguments])
        return {path.name: path.read_text() for path in self.output.iterdir()}

    def test_workers_follow_the_cores_and_are_bounded_by_memory(self):
        self.assertEqual(render.worker_count(2, 23_000), 5, "two per core and one more")
        self.assertEqual(render.worker_count(8, 4096), 4, "each counted at the soft limit, 1 GB kept aside")
        self.assertEqual(render.worker_count(1, 1024), 2, "never fewer than two")

    def test_odoo_runs_behind_the_proxy_on_one_database_with_no_database_manager(self):
        conf = self.run_render("--cores", "2", "--memory-mb", "23000", "--database", "isp")["odoo.conf"]
        for line in ("proxy_mode = True", "list_db = False", "dbfilter = ^isp$", "workers = 5", "max_cron_threads = 1",
                     "gevent_port = 8072", "http_interface = 127.0.0.1", "limit_time_real = 120"):
            self.assertIn(f"\n{line}\n", conf)
        self.assertEqual(stat.S_IMODE(os.stat(self.output / "odoo.conf").st_mode), 0o640)

    def test_the_master_password_is_made_once_kept_private_and_stored_hashed(self):
        first = self.run_render()["odoo.conf"]
        password = (self.output / "master-password").read_text().strip()
        self.assertEqual(stat.S_IMODE(os.stat(self.output / "master-password").st_mode), 0o600)
        second = self.run_render()["odoo.conf"]
        self.assertEqual((self.output / "master-password").read_text().strip(), password, "a second run keeps it")
        context = CryptContext(schemes=["pbkdf2_sha512"])
        for conf in (first, second):
            stored = re.search(r"^admin_passwd = (\S+)$", conf, re.M).group(1)
            self.assertNotIn(password, conf)
            self.assertTrue(context.verify(password, stored))
            self.assertFalse(context.verify("admin", stored))

    def test_nginx_caps_the_routers_endpoints_at_what_odoo_reads_of_them(self):
        site = self.run_render()["nginx-site.conf"]
        self.assertRegex(site, r"location = /isp/mac_onboarding \{\s+client_max_body_size 16k;")
        self.assertRegex(site, r"location = /isp/router/checkin \{\s+client_max_body_size 64k;")
        self.assertIn("client_max_body_size 25m;", site)
        self.assertIn("proxy_set_header X-Forwarded-For $remote_addr;", site, "the client's own header is replaced")
        self.assertNotIn("$proxy_add_x_forwarded_for", site)
        self.assertNotIn("@", re.sub(r"#.*", "", site), "every placeholder is filled")

    def test_each_odoo_server_named_is_an_upstream_of_both_kinds(self):
        site = self.run_render("--odoo-server", "10.0.0.1:8069:8072", "--odoo-server", "10.0.0.2:8069:8072")["nginx-site.conf"]
        self.assertEqual(re.findall(r"server (10\.0\.0\.\d:\d+);", site), ["10.0.0.1:8069", "10.0.0.2:8069", "10.0.0.1:8072", "10.0.0.2:8072"])

    def test_an_odoo_server_may_be_named_by_its_ipv6_address(self):
        site = self.run_render("--odoo-server", "[fd00::2]:8069:8072")["nginx-site.conf"]
        self.assertEqual(re.findall(r"server (\[fd00::2\]:\d+);", site), ["[fd00::2]:8069", "[fd00::2]:8072"])

    def test_nginx_answers_on_ipv4_and_ipv6_unless_told_where(self):
        site = self.run_render()["nginx-site.conf"]
        self.assertEqual(re.findall(r"^\s*listen (.+);$", site, re.M), ["80", "[::]:80", "443 ssl http2", "[::]:443 ssl http2"])
        site = self.run_render("--https-listen", "127.0.0.1:8443", "--http-listen", "127.0.0.1:8080")["nginx-site.conf"]
        self.assertEqual(re.findall(r"^\s*listen (.+);$", site, re.M), ["127.0.0.1:8080", "127.0.0.1:8443 ssl http2"])

    def test_bad_arguments_are_named_and_nothing_is_written(self):
        for arguments, named in ((["--domain", "isp example"], "--domain"), (["--database", "isp;drop"], "--database"),
                                 (["--odoo-server", "10.0.0.1"], "--odoo-server"), (["--backup-days", "0"], "--backup-days"),
                                 (["--cert", "site.pem"], "--cert: 'site.pem' is not an absolute path"),
                                 (["--key", "site.key"], "--key: 'site.key' is not an absolute path")):
            stderr = io.StringIO()
            with self.assertRaises(SystemExit), contextlib.redirect_stderr(stderr):
                render.main(["--output", str(self.output), *REQUIRED, *arguments])
            self.assertIn(named, stderr.getvalue())
        self.assertEqual(list(self.output.iterdir()), [])


if __name__ == "__main__":
    unittest.main()
