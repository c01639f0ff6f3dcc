"""Deadlines and arrivals of the monthly DAG's sensors (pipelines/schedule.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pipelines.errors import UsageError
from pipelines.period import WIB, Period
from pipelines.schedule import arrival, deadline, deadlines, has_file, late_reason

OCTOBER = Period(2026, 10)


def test_default_deadline_is_the_4th_of_the_next_month_2359_wib():
    due = deadline(OCTOBER)
    assert due == datetime(2026, 11, 4, 23, 59, tzinfo=WIB)
    assert due.astimezone(timezone.utc) == datetime(2026, 11, 4, 16, 59, tzinfo=timezone.utc)
    assert deadline(Period(2026, 12)) == datetime(2027, 1, 4, 23, 59, tzinfo=WIB)


def test_deadlines_are_configurable_per_source():
    due = deadlines(OCTOBER, ["employees", "attendance"], "10 08:00", {"attendance": "2 12:30"})
    assert due == {"employees": datetime(2026, 11, 10, 8, 0, tzinfo=WIB),
                   "attendance": datetime(2026, 11, 2, 12, 30, tzinfo=WIB)}
    with pytest.raises(UsageError, match="not waited for"):
        deadlines(OCTOBER, ["employees"], overrides={"leave": "2 10:00"})


@pytest.mark.parametrize("spec", ["29 10:00", "0 10:00", "4", "4 24:00", "4 9:00", ""])
def test_a_bad_deadline_is_a_usage_error(spec):
    with pytest.raises(UsageError, match="D HH:MM"):
        deadline(OCTOBER, spec)


def test_a_source_waits_until_a_file_lands_or_its_deadline_passes(tmp_path):
    due = deadline(OCTOBER)
    assert arrival(tmp_path, OCTOBER, "attendance", due, due - timedelta(minutes=1)) is None
    assert arrival(tmp_path, OCTOBER, "attendance", due, due) == "LATE"
    folder = tmp_path / "2026-10" / "attendance"
    folder.mkdir(parents=True)
    (folder / "~$presensi.xlsx").write_bytes(b"lock")  # a spreadsheet's lock file is not an extract
    (folder / "catatan.txt").write_text("not an extract")
    assert not has_file(tmp_path, OCTOBER, "attendance")
    (folder / "presensi.CSV").write_text("nip,punched_at\n")
    assert arrival(tmp_path, OCTOBER, "attendance", due, due - timedelta(days=3)) == "ARRIVED"
    assert arrival(tmp_path, OCTOBER, "attendance", due, due + timedelta(days=30)) == "ARRIVED"


def test_a_past_period_never_waits(tmp_path):
    """Deadlines are absolute: a manual run or backfill of an old month finds them passed."""
    now = datetime(2026, 11, 28, 9, 0, tzinfo=WIB)
    assert arrival(tmp_path, Period(2025, 3), "rosters", deadline(Period(2025, 3)), now) == "LATE"


def test_late_reason_names_the_deadline_in_wib():
    reason = late_reason("attendance", deadline(OCTOBER))
    assert reason == ("berkas presensi belum diterima sampai batas waktu 2026-11-04 23:59 WIB;"
                      " jalankan ulang periode ini setelah berkasnya tiba")


def test_plan_defaults_to_the_workers_landing_and_every_coverage_source(tmp_path, monkeypatch):
    from pipelines.rules.coverage import NEEDED_BY
    from pipelines.steps import plan

    monkeypatch.setenv("KINERJA_LANDING", str(tmp_path))
    planned = plan({"period": "2026-10"}, None)
    assert planned["period"] == "2026-10" and planned["landing"] == str(tmp_path.resolve())
    assert planned["wait_for"] == list(NEEDED_BY)
    assert planned["deadlines"]["attendance"] == "2026-11-04T23:59:00+07:00"


@pytest.mark.parametrize("params, why", [
    ({"period": "2026-10"}, "KINERJA_LANDING"),
    ({"period": "2026-10", "landing": "/nowhere/at/all"}, "does not exist"),
    ({"period": "2026-10", "landing": ".", "wait_for": ["attendance", "absensi"]}, "unknown sources: absensi"),
])
def test_plan_refuses_what_it_cannot_use(params, why, monkeypatch):
    from pipelines.steps import plan

    monkeypatch.delenv("KINERJA_LANDING", raising=False)
    with pytest.raises(UsageError, match=why):
        plan(params, None)
