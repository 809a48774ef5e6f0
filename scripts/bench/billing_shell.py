# Runs inside `odoo-bin shell` (which provides `env`) for `npm run bench:billing`. One JSON line
# starting with "BENCH_RESULT " goes to stdout.
import json
import os
import time

from odoo import fields

SUBSCRIPTIONS = int(os.environ.get("ISP_BENCH_SUBSCRIPTIONS", "10000"))
BATCH = 200

today = fields.Date.context_today(env["isp.subscription"])
config = env["ir.config_parameter"].sudo()
config.set_param("isp_billing.default_billing_day", str(today.day))
config.set_param("isp_billing.leave_invoices_in_draft", "0")
plan = env["isp.service.plan"].create({"name": "Bench 20/5", "download_mbps": 20, "upload_mbps": 5, "price": 1200})
partners = env["res.partner"].create([{"name": f"Bench customer {index}", "email": f"c{index}@example.com"} for index in range(SUBSCRIPTIONS)])
for start in range(0, SUBSCRIPTIONS, BATCH):
    env["isp.subscription"].create([
        {"partner_id": partner.id, "plan_id": plan.id, "state": "active", "start_date": today}
        for partner in partners[start:start + BATCH]
    ])
    env.cr.commit()
subscriptions = env["isp.subscription"].search([("plan_id", "=", plan.id)])


def timed(run):
    started = time.perf_counter()
    count = run()
    env.cr.commit()
    return count, time.perf_counter() - started


def bare_moves():
    """Odoo's own creation and posting of the same invoices: partner, product, price, and the
    same background email request, with nothing of billing around it."""
    count = 0
    for start in range(0, SUBSCRIPTIONS, BATCH):
        moves = env["account.move"].create([
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": today,
                "invoice_line_ids": [
                    fields.Command.create({"product_id": plan.product_id.id, "name": plan.name, "quantity": 1, "price_unit": plan.price})
                ],
            }
            for partner in partners[start:start + BATCH]
        ])
        moves.action_post()
        moves.sending_data = {"author_user_id": env.user.id, "author_partner_id": env.user.partner_id.id}
        env.cr.commit()
        count += len(moves)
    return count


def billing_run():
    count = 0
    model = env["isp.subscription"]
    due = model.search(model._due_domain(today))
    for start in range(0, len(due), BATCH):
        count += len(due[start:start + BATCH]._bill_due_periods(today))
        env.cr.commit()
    return count


baseline_count, baseline_seconds = timed(bare_moves)
billed, billing_seconds = timed(billing_run)
rerun_billed, rerun_seconds = timed(billing_run)
print("BENCH_RESULT " + json.dumps({
    "subscriptions": len(subscriptions),
    "baseline": {"count": baseline_count, "seconds": round(baseline_seconds, 3)},
    "billing": {"count": billed, "seconds": round(billing_seconds, 3)},
    "rerun": {"count": rerun_billed, "seconds": round(rerun_seconds, 3)},
}), flush=True)
