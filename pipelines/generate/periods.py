"""Months and the working-day calendar (domain-rules R1) the synthetic city lives by."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta

import holidays

from pipelines.period import Period


class Month(Period):
    """A period with the day arithmetic the generator needs."""

    def shift(self, months: int) -> Month:
        period = super().shift(months)
        return Month(period.year, period.month)

    @property
    def label(self) -> str:
        return str(self)

    @property
    def tag(self) -> str:
        """YYMM, as departments put it into ticket and record numbers."""
        return f"{self.year % 100:02d}{self.month:02d}"

    @property
    def first(self) -> date:
        return self.first_day

    @property
    def last(self) -> date:
        return self.end_day - timedelta(days=1)

    def minus(self, other: Month) -> int:
        """How many months this one lies after `other`."""
        return (self.year - other.year) * 12 + self.month - other.month

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.last.day)]


class Calendar:
    """Monday-Friday minus national holidays and cuti bersama, plus the city's own extra days off."""

    def __init__(self, first: date, last: date, local_days: dict[date, str]):
        national = holidays.country_holidays(
            "ID", categories=("public", "government"), years=range(first.year, last.year + 1), language="id"
        )
        self.national = {day: national[day] for day in sorted(national)}
        self.local_days = dict(local_days)
        # Every working day of the span, in order, so "n working days before" is one index step.
        span = (last - first).days + 1
        self._workdays = [d for d in (first + timedelta(n) for n in range(span)) if self.is_workday(d)]

    def is_workday(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.national and day not in self.local_days

    def workdays(self, start: date, end: date) -> list[date]:
        return self._workdays[bisect_left(self._workdays, start) : bisect_left(self._workdays, end + timedelta(1))]

    def before(self, day: date, n: int) -> date:
        """The working day with exactly n working days in (it, day]; `day` must be a working day."""
        return self._workdays[bisect_left(self._workdays, day) - n]
