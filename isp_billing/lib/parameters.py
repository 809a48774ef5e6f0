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
