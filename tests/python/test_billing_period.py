import datetime
import unittest
from fractions import Fraction

from _isp_billing_lib import load

billing_period = load("billing_period")

D = datetime.date


class BillingPeriodTest(unittest.TestCase):
    def test_a_start_off_the_billing_day_is_prorated_to_the_day(self):
        period = billing_period.period_starting(D(2027, 1, 17), "monthly", 1)
        self.assertEqual((period.start, period.end), (D(2027, 1, 17), D(2027, 1, 31)))
        self.assertEqual(period.fraction, Fraction(15, 31))
        self.assertFalse(period.is_full)
        self.assertEqual(period.next_start(), D(2027, 2, 1))

    def test_a_start_on_the_billing_day_is_a_whole_cycle(self):
        period = billing_period.period_starting(D(2027, 2, 1), "monthly", 1)
        self.assertEqual((period.end, period.fraction, period.is_full), (D(2027, 2, 28), 1, True))
        quarter = billing_period.period_starting(D(2027, 2, 1), "quarterly", 1)
        self.assertEqual(quarter.end, D(2027, 4, 30))
        year = billing_period.period_starting(D(2027, 2, 1), "yearly", 1)
        self.assertEqual(year.end, D(2028, 1, 31))

    def test_the_31st_falls_on_each_month_end(self):
        self.assertEqual(billing_period.billing_date(2027, 2, 31), D(2027, 2, 28))
        self.assertEqual(billing_period.billing_date(2028, 2, 31), D(2028, 2, 29))
        february = billing_period.period_starting(D(2028, 2, 29), "monthly", 31)
        self.assertEqual((february.end, february.is_full), (D(2028, 3, 30), True))
        self.assertEqual(billing_period.period_starting(february.next_start(), "monthly", 31).end, D(2028, 4, 29))

    def test_a_partial_quarter_is_a_share_of_the_quarter_it_ends(self):
        period = billing_period.period_starting(D(2027, 1, 17), "quarterly", 5)
        self.assertEqual((period.start, period.end), (D(2027, 1, 17), D(2027, 2, 4)))
        self.assertEqual((period.full_start, period.full_end), (D(2026, 11, 5), D(2027, 2, 4)))
        self.assertEqual(period.fraction, Fraction(19, 92))

    def test_prepaid_bills_on_the_first_day_postpaid_the_day_after(self):
        period = billing_period.period_starting(D(2027, 3, 1), "monthly", 1)
        self.assertEqual(billing_period.invoice_date(period, "prepaid"), D(2027, 3, 1))
        self.assertEqual(billing_period.invoice_date(period, "postpaid"), D(2027, 4, 1))

    def test_a_year_of_months_chains_without_gaps(self):
        start = D(2027, 1, 17)
        periods = []
        while start < D(2028, 1, 1):
            periods.append(billing_period.period_starting(start, "monthly", 1))
            start = periods[-1].next_start()
        self.assertEqual(len(periods), 12)
        self.assertEqual(sum(period.days for period in periods), 349)

    def test_days_between_counts_both_ends(self):
        self.assertEqual(billing_period.days_between(D(2027, 3, 10), D(2027, 3, 31)), 22)
        self.assertEqual(billing_period.days_between(D(2027, 3, 10), D(2027, 3, 9)), 0)


if __name__ == "__main__":
    unittest.main()
