from . import mac_onboarding
from . import router_checkin
