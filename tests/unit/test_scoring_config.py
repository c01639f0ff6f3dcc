"""The rules file: hours per day, and the version stamped on results."""

from datetime import date, time

from pipelines.calendar import regular_hours


def test_regular_hours_per_weekday_and_ramadan():
    assert regular_hours(date(2026, 10, 5)) == {"*": (time(7, 30), time(16, 0))}  # Monday
    assert regular_hours(date(2026, 10, 9)) == {"*": (time(7, 30), time(16, 30))}  # Friday
    assert regular_hours(date(2026, 3, 2)) == {"*": (time(8, 0), time(15, 0))}  # Ramadan, Monday
    assert regular_hours(date(2026, 3, 6)) == {"*": (time(8, 0), time(15, 30))}  # Ramadan, Friday


def test_ramadan_1447_starts_on_the_governments_date():
    # 1 Ramadan 1447 H was Thursday 19 February 2026: the day before keeps the regular hours.
    assert regular_hours(date(2026, 2, 18)) == {"*": (time(7, 30), time(16, 0))}
    assert regular_hours(date(2026, 2, 19)) == {"*": (time(8, 0), time(15, 0))}
    assert regular_hours(date(2026, 3, 19)) == {"*": (time(8, 0), time(15, 0))}
