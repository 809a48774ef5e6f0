"""When collections act on an unpaid invoice, with no Odoo import.

A reminder stage is a number of days from the due date: negative before it, positive after.
Each stage is sent once; when several stages have come since the last run (the cron was down),
only the latest is sent, since the earlier ones would say less than it does.
"""

import datetime


def reminder_stages(days_before_due, days_after_due):
    return sorted({-day for day in days_before_due if day > 0} | {day for day in days_after_due if day > 0})


def stage_due(due_date, today, stages, already_sent):
    """The stage to send today for an invoice due on ``due_date``, or None."""
    reached = [stage for stage in stages if due_date + datetime.timedelta(days=stage) <= today]
    if not reached or reached[-1] in already_sent:
        return None
    # A later stage already sent makes an earlier one moot.
    if any(stage > reached[-1] for stage in already_sent):
        return None
    return reached[-1]


def suspension_date(due_date, grace_days):
    """The first day on which an invoice still unpaid suspends its subscription."""
    return due_date + datetime.timedelta(days=grace_days + 1)
