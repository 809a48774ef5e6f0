"""Silences the two database errors that parallel lease reports of one device cause by design.

Two routers (or a webhook and the lease sync) reporting the same new MAC at once both INSERT it:
one fails on the unique MAC. Two renewals of one device at once both UPDATE it: one fails to
serialize. Odoo retries that transaction, which then takes the renewal path, so nothing is
lost; but Odoo's SQL layer first logs each failure as an ERROR "bad query", and an operator reads
ERROR as "something is broken". Inside ``expected_races()`` those two errors, and only those, are
left out of the log of the thread that expects them; any other failing query is still logged.
"""

import logging
import threading
from contextlib import contextmanager

from psycopg2 import errors

_SQL_LOGGER = "odoo.sql_db"
_EXPECTED = (errors.UniqueViolation, errors.SerializationFailure)
_state = threading.local()


class _ExpectedRaceFilter(logging.Filter):
    def filter(self, record):
        if not getattr(_state, "active", False):
            return True
        args = record.args if isinstance(record.args, tuple) else ()
        return not any(isinstance(arg, _EXPECTED) for arg in args)


_FILTER = _ExpectedRaceFilter()


@contextmanager
def expected_races(logger_name=_SQL_LOGGER):
    """Within the block, this thread's unique violations and serialization failures are not
    logged by ``logger_name`` (Odoo's SQL layer by default): the caller retries them."""
    logger = logging.getLogger(logger_name)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    previous = getattr(_state, "active", False)
    _state.active = True
    try:
        yield
    finally:
        _state.active = previous
