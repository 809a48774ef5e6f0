# Runs inside `odoo-bin shell` (which provides `env`) for `npm run bench:provisioning`.
# The emulator's port comes in ISP_BENCH_ROUTER_PORT; one JSON line starting with
# "BENCH_RESULT " goes to stdout.
import json
import os
import time
from unittest.mock import patch

from odoo.addons.isp_core.lib.routeros_session import RouterOsSession, RouterSettings

LEASES = int(os.environ.get("ISP_BENCH_LEASES", "5000"))
BASELINE_LEASES = 50
JOBS = int(os.environ.get("ISP_BENCH_JOBS", "1000"))
BASELINE_JOBS = 100
DHCP_SERVER = "dhcp-bench"

settings = RouterSettings(host="127.0.0.1", port=int(os.environ["ISP_BENCH_ROUTER_PORT"]), user="admin")
round_trips = 0
original_send = RouterOsSession._send


def counting_send(session, command, words):
    global round_trips
    round_trips += 1
    return original_send(session, command, words)


def mac(index, prefix="02:00"):
    return f"{prefix}:{(index >> 24) & 255:02X}:{(index >> 16) & 255:02X}:{(index >> 8) & 255:02X}:{index & 255:02X}"


def bind_leases(start, stop):
    with RouterOsSession.open(settings) as session:
        for index in range(start, stop):
            session.command("/simulator/dhcp/bind", {"server": DHCP_SERVER, "mac-address": mac(index), "host-name": f"onu-{index}"})


def measured(label, run, count):
    """Runs ``run`` and commits, counting the API round trips it makes."""
    global round_trips
    round_trips = 0
    started = time.perf_counter()
    with patch.object(RouterOsSession, "_send", counting_send):
        details = run()
    env.cr.commit()
    seconds = time.perf_counter() - started
    return {"label": label, "count": count, "seconds": round(seconds, 3), "round_trips": round_trips, **(details or {})}


def reconcile():
    report = env["isp.lease.reconciliation"]._reconcile(router)
    return {"leases_seen": report.leases_seen, "created": report.profiles_created,
            "updated": report.profiles_updated, "errors": report.error_count}


def queue_captive_users(start, stop):
    env["isp.captive.user"].create([
        {"login": f"bench-{index}", "password": f"pw-{index}", "mac": mac(index, "06:00"),
         "router_id": router.id, "provisioning_state": "to_provision"}
        for index in range(start, stop)
    ])
    env.cr.commit()


def process_jobs():
    jobs = env["isp.provisioning.job"]
    jobs._cron_process_queue()
    return {"done": jobs.search_count([("state", "=", "done")]), "failed": jobs.search_count([("state", "=", "failed")])}


env["isp.router"].search([]).active = False
router = env["isp.router"].create({"name": "MK-BENCH", "host": settings.host, "api_port": settings.port, "api_user": "admin"})
with RouterOsSession.open(settings) as session:
    session.add("/ip/pool", {"name": "bench", "ranges": "10.64.0.1-10.127.255.254"})
    session.add("/ip/dhcp-server", {"name": DHCP_SERVER, "interface": "ether2", "address-pool": "bench"})
env.cr.commit()

results = []
bind_leases(0, BASELINE_LEASES)
results.append(measured("sync, new leases (baseline)", reconcile, BASELINE_LEASES))
bind_leases(BASELINE_LEASES, LEASES)
results.append(measured("sync, new leases", reconcile, LEASES))
results.append(measured("sync, known leases", reconcile, LEASES))

queue_captive_users(0, BASELINE_JOBS)
results.append(measured("captive-user jobs (baseline)", process_jobs, BASELINE_JOBS))
queue_captive_users(BASELINE_JOBS, BASELINE_JOBS + JOBS)
results.append(measured("captive-user jobs", process_jobs, JOBS))
print("BENCH_RESULT " + json.dumps(results), flush=True)
