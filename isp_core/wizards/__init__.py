from . import isp_onboarding_token_wizard
