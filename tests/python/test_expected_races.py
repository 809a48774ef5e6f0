import logging
import threading
import unittest

import _isp_core_path  # noqa: F401
from lib.expected_races import expected_races
from psycopg2 import errors

LOGGER = "isp_core.tests.expected_races"


class ExpectedRacesTest(unittest.TestCase):
    def log_failures(self):
        logger = logging.getLogger(LOGGER)
        for error in (errors.UniqueViolation(), errors.SerializationFailure(), errors.NotNullViolation()):
            logger.error("bad query: %s\nERROR: %s", "INSERT ...", error)

    def test_only_the_expected_races_are_silenced_and_only_inside_the_block(self):
        with self.assertLogs(LOGGER, level="ERROR") as outside:
            self.log_failures()
        self.assertEqual(len(outside.records), 3)
        with self.assertLogs(LOGGER, level="ERROR") as inside, expected_races(LOGGER):
            self.log_failures()
        self.assertEqual([type(record.args[1]).__name__ for record in inside.records], ["NotNullViolation"])

    def test_another_thread_still_logs_while_one_expects_races(self):
        logged = []
        handler = logging.Handler()
        handler.emit = logged.append
        logger = logging.getLogger(LOGGER)
        logger.addHandler(handler)
        try:
            with expected_races(LOGGER):
                thread = threading.Thread(target=self.log_failures)
                thread.start()
                thread.join()
        finally:
            logger.removeHandler(handler)
        self.assertEqual(len(logged), 3)
