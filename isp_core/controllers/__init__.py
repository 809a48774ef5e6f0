from . import mac_onboarding
