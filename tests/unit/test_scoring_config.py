"""The rules file: hours per day, and the version stamped on results."""

from datetime import date, time

from pipelines import resources
from pipelines.calendar import regular_hours


def test_regular_hours_per_weekday_and_ramadan():
    assert regular_hours(date(2026, 10, 5)) == {"*": (time(7, 30), time(16, 0))}  # Monday
    assert regular_hours(date(2026, 10, 9)) == {"*": (time(7, 30), time(16, 30))}  # Friday
    assert regular_hours(date(2026, 3, 2)) == {"*": (time(8, 0), time(15, 0))}  # Ramadan, Monday
    assert regular_hours(date(2026, 3, 6)) == {"*": (time(8, 0), time(15, 30))}  # Ramadan, Friday


def test_rules_version_names_the_version_and_the_content(monkeypatch):
    version = resources.rules_version()
    assert version.startswith("rules-v1-") and len(version.split("-")[-1]) == 8
    original = resources.read_config("rules.yml")
    monkeypatch.setattr(resources, "read_config", lambda name: {**original, "version": 2})
    assert resources.rules_version().startswith("rules-v2-")
