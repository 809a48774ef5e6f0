from . import mac_onboarding
from . import router_checkin
from . import notice_page
