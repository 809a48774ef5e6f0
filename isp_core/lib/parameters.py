"""The ``ir.config_parameter`` keys of isp_core, spelled once."""

from . import contract

MAC_ONBOARDING_TOKEN = contract.TOKEN_PARAMETER  # the preloader writes it too
MAC_AUTO_CREATE = "isp_core.mac_auto_create"
MAC_DEFAULT_PLAN_ID = "isp_core.mac_default_plan_id"
MAC_AUTO_CREATE_CAPTIVE_USER = "isp_core.mac_auto_create_captive_user"
MAC_AUTO_PROVISION_CAPTIVE = "isp_core.mac_auto_provision_captive"
MAC_CAPTIVE_DEFAULT_PROFILE = "isp_core.mac_captive_default_profile"
ONBOARDING_EVENT_RETENTION_DAYS = "isp_core.onboarding_event_retention_days"

DEFAULT_CAPTIVE_PROFILE = "default"
DEFAULT_EVENT_RETENTION_DAYS = 30


def is_enabled(raw_value):
    """Read a 0/1 flag as stored in ``ir.config_parameter`` (also accepts True/False)."""
    return str(raw_value or "").strip().lower() in ("1", "true", "yes", "on")


def to_positive_int(raw_value, default):
    """Read an integer parameter, falling back to ``default`` when it is empty or not positive."""
    try:
        value = int(str(raw_value).strip())
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default
