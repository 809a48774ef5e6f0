import datetime
import unittest

from _isp_billing_lib import load

schedule = load("collections_schedule")
parameters = load("parameters")
D = datetime.date


class CollectionsScheduleTest(unittest.TestCase):
    stages = schedule.reminder_stages([3], [1, 5])

    def test_stages_run_from_before_the_due_date_to_after(self):
        self.assertEqual(self.stages, [-3, 1, 5])

    def test_each_stage_is_due_on_its_day_and_sent_once(self):
        due = D(2027, 3, 16)
        self.assertIsNone(schedule.stage_due(due, D(2027, 3, 12), self.stages, set()))
        self.assertEqual(schedule.stage_due(due, D(2027, 3, 13), self.stages, set()), -3)
        self.assertIsNone(schedule.stage_due(due, D(2027, 3, 14), self.stages, {-3}))
        self.assertEqual(schedule.stage_due(due, D(2027, 3, 17), self.stages, {-3}), 1)
        self.assertEqual(schedule.stage_due(due, D(2027, 3, 21), self.stages, {-3, 1}), 5)
        self.assertIsNone(schedule.stage_due(due, D(2027, 4, 30), self.stages, {-3, 1, 5}))

    def test_a_run_after_a_gap_sends_only_the_latest_stage(self):
        self.assertEqual(schedule.stage_due(D(2027, 3, 16), D(2027, 3, 25), self.stages, set()), 5)

    def test_suspension_comes_the_day_after_the_grace_days(self):
        self.assertEqual(schedule.suspension_date(D(2027, 3, 16), 10), D(2027, 3, 27))


class DayListTest(unittest.TestCase):
    def test_reads_sorted_unique_days(self):
        self.assertEqual(parameters.parse_day_list(" 5, 1,1 ;10"), [1, 5, 10])
        self.assertEqual(parameters.parse_day_list(""), [])

    def test_names_the_entry_it_cannot_read(self):
        with self.assertRaisesRegex(ValueError, "^-2$"):
            parameters.parse_day_list("1, -2")
        with self.assertRaisesRegex(ValueError, "^400$"):
            parameters.parse_day_list("400")


if __name__ == "__main__":
    unittest.main()
