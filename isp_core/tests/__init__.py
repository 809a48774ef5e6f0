from . import test_provisioning
from . import test_provisioning_commands
from . import test_reconciliation
from . import test_ui_mac_profile_dashboard
