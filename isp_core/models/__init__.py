from . import isp_sector
from . import isp_service_plan
from . import isp_router
from . import isp_captive_user
from . import isp_subscription
from . import isp_mac_profile
from . import isp_onboarding_event
from . import res_config_settings
