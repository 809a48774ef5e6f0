from . import isp_mac_profile_convert_wizard
from . import isp_onboarding_token_wizard
from . import isp_router_key_wizard
