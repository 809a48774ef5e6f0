from . import test_billing_run
from . import test_billing_concurrency
from . import test_collections
from . import test_collections_router
from . import test_browser
from . import test_collector
from . import test_translations
