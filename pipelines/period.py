"""A period is a calendar month written YYYY-MM (contracts.md §1); anything else is a usage error."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from pipelines.errors import UsageError

# Periods, days and deadlines are local to Semarang: Western Indonesia Time (UTC+7, no DST).
WIB = ZoneInfo("Asia/Jakarta")

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        match = _PERIOD.match(text or "")
        if not match:
            raise UsageError(f"period {text!r} is not a month written YYYY-MM (for example 2026-10)")
        return cls(int(match[1]), int(match[2]))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def shift(self, months: int) -> "Period":
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    @property
    def end_day(self) -> date:
        """The first day of the next month (periods are half-open)."""
        return self.shift(1).first_day

    @property
    def first_instant(self) -> datetime:
        """Midnight WIB of the first day: an event at or after it, and before end_instant, is in the period."""
        return datetime.combine(self.first_day, time(), WIB)

    @property
    def end_instant(self) -> datetime:
        return self.shift(1).first_instant
