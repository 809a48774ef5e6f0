# Runs inside `odoo-bin shell` (which provides `env`) for `npm run bench:billing`. One JSON line
# starting with "BENCH_RESULT " goes to stdout.
import json
import os
import time

from odoo import fields
from odoo.addons.isp_billing.models import isp_subscription

SUBSCRIPTIONS = int(os.environ.get("ISP_BENCH_SUBSCRIPTIONS", "10000"))
# The billing cron's own batch size, so that both sides create and post as many invoices per call.
BATCH = isp_subscription.BILLING_BATCH_SIZE
WARM_UP = 20

today = fields.Date.context_today(env["isp.subscription"])
config = env["ir.config_parameter"].sudo()
config.set_param("isp_billing.default_billing_day", str(today.day))
config.set_param("isp_billing.leave_invoices_in_draft", "0")


def subscribe(plan_name, count):
    plan = env["isp.service.plan"].create({"name": plan_name, "download_mbps": 20, "upload_mbps": 5, "price": 1200})
    partners = env["res.partner"].create([{"name": f"{plan_name} customer {index}", "email": f"c{index}@example.com"} for index in range(count)])
    for start in range(0, count, BATCH):
        env["isp.subscription"].create([
            {"partner_id": partner.id, "plan_id": plan.id, "state": "active", "start_date": today}
            for partner in partners[start:start + BATCH]
        ])
        env.cr.commit()
    return plan, partners


def bare_moves(plan, partners):
    """Odoo's own creation and posting of the same invoices: partner, product, price, and the
    same background email request, with nothing of billing around it."""
    moves = env["account.move"].create([
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": today,
            "invoice_line_ids": [
                fields.Command.create({"product_id": plan.product_id.id, "name": plan.name, "quantity": 1, "price_unit": plan.price})
            ],
        }
        for partner in partners
    ])
    moves.action_post()
    moves.sending_data = {"author_user_id": env.user.id, "author_partner_id": env.user.partner_id.id}
    env.cr.commit()
    return len(moves)


def bill(subscriptions):
    count = len(subscriptions._bill_due_periods(today))
    env.cr.commit()
    return count


def timed(run, *args, **kwargs):
    started = time.perf_counter()
    result = run(*args, **kwargs)
    return result, time.perf_counter() - started


# Both paths run once untimed first: Odoo builds its caches (field triggers, views, sequences)
# on first use, which would otherwise count against whichever runs first.
warm_up_plan, warm_up_partners = subscribe("Warm-up", WARM_UP)
bare_moves(warm_up_plan, warm_up_partners)
bill(env["isp.subscription"].search([("plan_id", "=", warm_up_plan.id)]))

plan, partners = subscribe("Bench 20/5", SUBSCRIPTIONS)
model = env["isp.subscription"]
due, search_seconds = timed(model.search, model._due_domain(today), order="next_invoice_date, id")

# The two sides alternate batch by batch, so that both meet the same database size and the same
# load from anything else running on the machine.
baseline = {"count": 0, "seconds": 0.0}
billing = {"count": 0, "seconds": search_seconds}
for start in range(0, SUBSCRIPTIONS, BATCH):
    count, seconds = timed(bare_moves, plan, partners[start:start + BATCH])
    baseline["count"] += count
    baseline["seconds"] += seconds
    count, seconds = timed(bill, due[start:start + BATCH])
    billing["count"] += count
    billing["seconds"] += seconds


def billing_run():
    """The run again, whole, as the cron does it: its search, then batch by batch."""
    count = 0
    subscriptions = model.search(model._due_domain(today))
    for start in range(0, len(subscriptions), BATCH):
        count += bill(subscriptions[start:start + BATCH])
    return count


rerun_count, rerun_seconds = timed(billing_run)
print("BENCH_RESULT " + json.dumps({
    "subscriptions": len(model.search([("plan_id", "=", plan.id)])),
    "baseline": {"count": baseline["count"], "seconds": round(baseline["seconds"], 3)},
    "billing": {"count": billing["count"], "seconds": round(billing["seconds"], 3)},
    "rerun": {"count": rerun_count, "seconds": round(rerun_seconds, 3)},
}), flush=True)
