"""The calendar of recurring billing, with no Odoo import: periods, billing days and proration.

A subscription is billed in periods of one, three or twelve months that start on its billing
day. The first period runs from the day service starts to the day before the next billing day,
and is charged for its days only; so is any period that starts off the billing day (a service
that comes back from a suspension that does not accrue). A billing day past a month's end falls
on that month's last day.
"""

import calendar
import datetime
from dataclasses import dataclass
from fractions import Fraction

CYCLE_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
ONE_DAY = datetime.timedelta(days=1)


def billing_date(year, month, billing_day):
    """The billing day of ``month``, or the month's last day when it is shorter."""
    return datetime.date(year, month, min(billing_day, calendar.monthrange(year, month)[1]))


def add_months(date, months, billing_day):
    """The billing day ``months`` after (or before, when negative) the month of ``date``."""
    index = date.year * 12 + date.month - 1 + months
    return billing_date(index // 12, index % 12 + 1, billing_day)


def is_billing_day(date, billing_day):
    return date == billing_date(date.year, date.month, billing_day)


def next_billing_day(date, billing_day):
    """The first billing day after ``date`` (not ``date`` itself)."""
    this_month = billing_date(date.year, date.month, billing_day)
    return this_month if this_month > date else add_months(date, 1, billing_day)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    # The whole cycle the period belongs to: a partial period is charged days / full_days of it.
    full_start: datetime.date
    full_end: datetime.date

    @property
    def days(self):
        return (self.end - self.start).days + 1

    @property
    def full_days(self):
        return (self.full_end - self.full_start).days + 1

    @property
    def is_full(self):
        return self.start == self.full_start and self.end == self.full_end

    @property
    def fraction(self):
        """The share of a whole cycle's price that this period costs."""
        return Fraction(self.days, self.full_days)

    def next_start(self):
        return self.end + ONE_DAY


def period_starting(start, cycle, billing_day):
    """The period that starts on ``start``: a whole cycle when ``start`` is a billing day, else the
    days up to the next billing day, as a part of the cycle that ends there."""
    months = CYCLE_MONTHS[cycle]
    if is_billing_day(start, billing_day):
        end = add_months(start, months, billing_day) - ONE_DAY
        return Period(start, end, start, end)
    anchor = next_billing_day(start, billing_day)
    return Period(start, anchor - ONE_DAY, add_months(anchor, -months, billing_day), anchor - ONE_DAY)


def invoice_date(period, mode):
    """When a period is billed: on its first day when prepaid, the day after it when postpaid."""
    return period.start if mode == "prepaid" else period.next_start()


def days_between(first, last):
    """The days from ``first`` to ``last``, both included (0 when ``last`` is before ``first``)."""
    return max((last - first).days + 1, 0)
