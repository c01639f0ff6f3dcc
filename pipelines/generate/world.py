"""Everything that stays the same across the months of one run: calendar, staff, leave, random streams."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from pipelines.generate.people import Leave, Person, build_staff, plan_leave
from pipelines.generate.periods import Calendar, Month

LOOKBACK_DAYS = 62  # tickets completed early in a month were received up to ~4 weeks before
LOCAL_DAY_OFF = "Cuti bersama daerah (Keputusan Wali Kota)"


@dataclass
class World:
    seed: int
    months: list[Month]
    calendar: Calendar
    staff: list[Person]
    leave: list[Leave]
    holiday_override: Month | None  # the one month for which BKPP sends a holidays extract
    _active: dict[Month, list[Person]] = field(default_factory=dict, repr=False)

    def rng(self, month: Month, stream: str) -> random.Random:
        """An independent stream per month and purpose (string seeds hash the same in every process)."""
        return random.Random(f"{self.seed}:{month.label}:{stream}")

    def index(self, month: Month) -> int:
        """Position in the window (negative before it): drives trends."""
        return month.minus(self.months[0])

    def active(self, month: Month) -> list[Person]:
        """Employees active at any time in the month: the month's employees extract."""
        if month not in self._active:
            self._active[month] = [p for p in self.staff if p.active_in(month)]
        return self._active[month]

    def leave_in(self, month: Month) -> list[Leave]:
        return [x for x in self.leave if x.date_from <= month.last and x.date_to >= month.first]

    def days_off(self, month: Month) -> dict[str, set[date]]:
        """Leave days per NIP that fall in the month or the day before it."""
        off: dict[str, set[date]] = {}
        start = month.first - timedelta(days=1)
        for x in self.leave:
            day = max(x.date_from, start)
            while day <= min(x.date_to, month.last):
                off.setdefault(x.person.nip, set()).add(day)
                day += timedelta(days=1)
        return off


def build_world(seed: int, months: list[Month], employees: int) -> World:
    first, last = months[0].first - timedelta(days=LOOKBACK_DAYS), months[-1].last
    calendar = Calendar(first, last, {})
    override = None
    if len(months) >= 3:
        # BKPP's override: the national list plus one local day off, in the second month.
        override = months[1]
        local = calendar.workdays(override.first + timedelta(days=14), override.last)[0]
        calendar = Calendar(first, last, {local: LOCAL_DAY_OFF})
    staff = build_staff(random.Random(f"{seed}:staff"), employees, months, calendar)
    leave = plan_leave(random.Random(f"{seed}:leave"), staff, months, calendar)
    return World(seed, months, calendar, staff, leave, override)
