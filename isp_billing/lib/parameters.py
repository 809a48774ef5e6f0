"""The ``ir.config_parameter`` keys of isp_billing, spelled once, and their defaults."""

DEFAULT_BILLING_CYCLE = "isp_billing.default_billing_cycle"
DEFAULT_BILLING_MODE = "isp_billing.default_billing_mode"
DEFAULT_BILLING_DAY = "isp_billing.default_billing_day"
DEFAULT_PAYMENT_TERM_ID = "isp_billing.default_payment_term_id"
LEAVE_INVOICES_IN_DRAFT = "isp_billing.leave_invoices_in_draft"
ACCRUE_WHILE_SUSPENDED_FOR_NON_PAYMENT = "isp_billing.accrue_while_suspended_for_non_payment"
PRORATE_TERMINATION = "isp_billing.prorate_termination"

FALLBACK_BILLING_CYCLE = "monthly"
FALLBACK_BILLING_MODE = "prepaid"
FALLBACK_BILLING_DAY = 1

REMINDER_DAYS_BEFORE_DUE = "isp_billing.reminder_days_before_due"
REMINDER_DAYS_AFTER_DUE = "isp_billing.reminder_days_after_due"
GRACE_DAYS = "isp_billing.grace_days"
AUTO_SUSPEND = "isp_billing.auto_suspend"

FALLBACK_GRACE_DAYS = 10


def parse_day_list(raw_value):
    """Reads a list of days such as ``"1, 5, 10"``: whole numbers from 0 to 365, sorted, each once.

    :raises ValueError: naming the first entry that is not such a number
    """
    days = set()
    for entry in str(raw_value or "").replace(";", ",").split(","):
        entry = entry.strip()
        if not entry:
            continue
        if not entry.isdigit() or int(entry) > 365:
            raise ValueError(entry)
        days.add(int(entry))
    return sorted(days)
