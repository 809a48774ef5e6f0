from . import account_move
from . import isp_billing_adjustment
from . import isp_service_plan
from . import isp_subscription
from . import res_config_settings
