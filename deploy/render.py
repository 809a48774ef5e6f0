#!/usr/bin/python3
"""Renders isp_core's production configuration from deploy/templates/ into one folder.

Odoo's configuration (workers from the core count and the memory, the gevent port, the cron
threads, proxy_mode, no database listing, a database filter, a generated master password, memory
and time limits), the nginx site that terminates TLS in front of it, the systemd units that run
Odoo and the nightly backup. deploy/install.sh calls it; the production tests call it too, with
loopback ports, so what they prove is what an ISP installs.

Run again over the same folder, it keeps the master password it made the first time.
"""

import argparse
import os
import re
import secrets
import sys
from pathlib import Path

from passlib.context import CryptContext

DEPLOY_DIR = Path(__file__).resolve().parent
REPO_ROOT = DEPLOY_DIR.parent
# The addon's pure-Python lib holds the paths and body caps nginx must agree with.
sys.path.insert(0, str(REPO_ROOT / "isp_core"))
from lib import agent_protocol, contract, lease_payload  # noqa: E402

# Odoo's advice for a production server: two workers per core and one more, one cron thread. A
# worker that grows past the soft limit is recycled after its request; past the hard limit it is
# stopped at once. Each worker is counted at the soft limit when memory bounds their number.
SOFT_LIMIT_MB = 640
HARD_LIMIT_MB = 1536
RESERVED_MB = 1024  # PostgreSQL, nginx, the gevent process and the system
MIN_WORKERS = 2
# The longest a request may run, in seconds; nginx waits a little longer for Odoo's answer, so a
# stopped worker's error reaches the client instead of a proxy timeout.
TIME_REAL_S = 120
# Staff uploads (attachments, imports) go through the general cap; everything bigger, chunked or
# not, is refused by nginx before Odoo reads a byte of it.
GENERAL_BODY_CAP_MB = 25
MASTER_PASSWORD_FILE = "master-password"
# Odoo's own rounds for the hash it keeps (odoo/tools/config.py).
MASTER_PASSWORD_ROUNDS = 600_000
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")


def worker_count(cores, memory_mb):
    by_cores = 2 * cores + 1
    by_memory = (memory_mb - RESERVED_MB) // SOFT_LIMIT_MB
    return max(MIN_WORKERS, min(by_cores, by_memory))


def machine_memory_mb():
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)


def kilobytes(size):
    return f"{size // 1024}k"


def master_password_hash(output):
    """The pbkdf2 hash Odoo's configuration keeps, made once with its password beside it (0600)."""
    kept = output / MASTER_PASSWORD_FILE
    if kept.exists():
        password = kept.read_text().strip()
    else:
        password = secrets.token_urlsafe(24)
        descriptor = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(password + "\n")
    return CryptContext(schemes=["pbkdf2_sha512"], pbkdf2_sha512__rounds=MASTER_PASSWORD_ROUNDS).hash(password)


def upstream_servers(servers, port_index):
    # HOST:HTTP_PORT:GEVENT_PORT, where an IPv6 host ([::1]) holds colons of its own.
    lines = []
    for server in servers:
        host, *ports = server.rsplit(":", 2)
        lines.append(f"    server {host}:{ports[port_index - 1]};")
    return "\n".join(lines)


def listen_lines(addresses, parameters):
    return "\n".join(f"    listen {address}{parameters};" for address in addresses)


def render(template, values):
    def substitute(match):
        if match.group(1) not in values:
            raise SystemExit(f"render.py: {template.name} names @{match.group(1)}@, which has no value")
        return str(values[match.group(1)])

    return PLACEHOLDER.sub(substitute, template.read_text())


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", required=True, type=Path, help="folder to write the files into")
    parser.add_argument("--domain", required=True, help="the name routers and staff reach Odoo by")
    parser.add_argument("--cert", required=True, help="TLS certificate chain (PEM) nginx presents")
    parser.add_argument("--key", required=True, help="its private key (PEM)")
    parser.add_argument("--database", default="isp", help="the one database this server serves (default: isp)")
    parser.add_argument("--odoo-home", default="/opt/odoo", help="the Odoo 19 tree (default: /opt/odoo)")
    parser.add_argument("--addons", default="/opt/isp-core/addons", help="the folder holding isp_core")
    parser.add_argument("--data-dir", default="/var/lib/isp-core", help="Odoo's data folder: filestore and sessions")
    parser.add_argument("--backup-dir", default="/var/backups/isp-core")
    parser.add_argument("--backup-days", type=int, default=14, help="days a backup is kept (default: 14)")
    parser.add_argument("--system-user", default="odoo", help="the account Odoo runs as (default: odoo)")
    parser.add_argument("--db-user", default="odoo", help="Odoo's PostgreSQL role (default: odoo, by peer authentication)")
    parser.add_argument("--cores", type=int, default=os.cpu_count(), help="default: this machine's")
    parser.add_argument("--memory-mb", type=int, default=None, help="default: this machine's")
    parser.add_argument("--workers", type=int, default=None, help="default: from the cores and the memory")
    parser.add_argument("--cron-threads", type=int, default=1, help="0 on every Odoo server but one")
    parser.add_argument("--http-interface", default="127.0.0.1", help="where Odoo listens; only nginx may reach it")
    parser.add_argument("--http-port", type=int, default=8069)
    parser.add_argument("--gevent-port", type=int, default=8072)
    parser.add_argument(
        "--odoo-server",
        action="append",
        dest="odoo_servers",
        metavar="HOST:HTTP_PORT:GEVENT_PORT",
        help="an Odoo server nginx sends requests to; repeat for each (default: this one)",
    )
    # Staff on a phone network and routers may reach the server over IPv6 as well as IPv4.
    parser.add_argument(
        "--https-listen",
        action="append",
        help="nginx's TLS address; repeat for each (default: 443 and [::]:443)",
    )
    parser.add_argument(
        "--http-listen",
        action="append",
        help="nginx's plain address, which only redirects; repeat for each (default: 80 and [::]:80)",
    )
    parser.add_argument("--acme-root", default="/var/www/letsencrypt", help="served at /.well-known/acme-challenge/")
    parser.add_argument("--python", default="/usr/bin/python3", help="Debian's interpreter, which sees Odoo's packages")
    arguments = parser.parse_args(argv)
    if not re.fullmatch(r"[A-Za-z0-9.-]+", arguments.domain):
        parser.error(f"--domain: {arguments.domain!r} is not a host name")
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", arguments.database):
        parser.error(f"--database: {arguments.database!r} is not a plain database name")
    # nginx reads a relative path from its own folder (/etc/nginx), not from where this ran.
    for option, value in (("--cert", arguments.cert), ("--key", arguments.key), ("--acme-root", arguments.acme_root)):
        if not os.path.isabs(value):
            parser.error(f"{option}: {value!r} is not an absolute path")
    if arguments.backup_days < 1:
        parser.error("--backup-days: keep backups for one day at least")
    for server in arguments.odoo_servers or []:
        if not re.fullmatch(r"[A-Za-z0-9.:\[\]-]+:\d+:\d+", server):
            parser.error(f"--odoo-server: {server!r} is not HOST:HTTP_PORT:GEVENT_PORT")
    return arguments


def main(argv=None):
    arguments = parse_arguments(argv)
    output = arguments.output
    output.mkdir(parents=True, exist_ok=True)
    memory_mb = arguments.memory_mb or machine_memory_mb()
    servers = arguments.odoo_servers or [f"{arguments.http_interface}:{arguments.http_port}:{arguments.gevent_port}"]
    values = {
        "DOMAIN": arguments.domain,
        "CERT": arguments.cert,
        "KEY": arguments.key,
        "DATABASE": arguments.database,
        "ODOO_HOME": arguments.odoo_home,
        "ADDONS_PATH": f"{arguments.odoo_home}/addons,{arguments.addons}",
        "DATA_DIR": arguments.data_dir,
        "BACKUP_DIR": arguments.backup_dir,
        "BACKUP_DAYS": arguments.backup_days,
        "SYSTEM_USER": arguments.system_user,
        "DB_USER": arguments.db_user,
        "WORKERS": arguments.workers or worker_count(arguments.cores, memory_mb),
        "CRON_THREADS": arguments.cron_threads,
        "HTTP_INTERFACE": arguments.http_interface,
        "HTTP_PORT": arguments.http_port,
        "GEVENT_PORT": arguments.gevent_port,
        "SOFT_LIMIT_BYTES": SOFT_LIMIT_MB * 1024 * 1024,
        "HARD_LIMIT_BYTES": HARD_LIMIT_MB * 1024 * 1024,
        "TIME_REAL_S": TIME_REAL_S,
        "PROXY_READ_TIMEOUT_S": TIME_REAL_S + 10,
        "ADMIN_PASSWD_HASH": master_password_hash(output),
        "ODOO_UPSTREAM": upstream_servers(servers, 1),
        "WEBSOCKET_UPSTREAM": upstream_servers(servers, 2),
        "HTTPS_LISTEN": listen_lines(arguments.https_listen or ["443", "[::]:443"], " ssl http2"),
        "HTTP_LISTEN": listen_lines(arguments.http_listen or ["80", "[::]:80"], ""),
        "ACME_ROOT": arguments.acme_root,
        "GENERAL_BODY_CAP": f"{GENERAL_BODY_CAP_MB}m",
        "WEBHOOK_PATH": contract.WEBHOOK_PATH,
        "WEBHOOK_BODY_CAP": kilobytes(lease_payload.MAX_BODY_BYTES),
        "CHECKIN_PATH": contract.CHECKIN_PATH,
        "CHECKIN_BODY_CAP": kilobytes(agent_protocol.MAX_CHECKIN_BYTES),
        "PYTHON": arguments.python,
    }
    for template in sorted((DEPLOY_DIR / "templates").iterdir()):
        (output / template.name).write_text(render(template, values))
    os.chmod(output / "odoo.conf", 0o640)
    print(f"render.py: wrote {output} ({values['WORKERS']} workers, {arguments.cron_threads} cron threads)", file=sys.stderr)


if __name__ == "__main__":
    main()
