from . import account_move
from . import isp_billing_adjustment
from . import isp_billing_reminder
from . import isp_service_plan
from . import isp_subscription
from . import isp_subscription_collections
from . import isp_subscription_collector
from . import res_config_settings
