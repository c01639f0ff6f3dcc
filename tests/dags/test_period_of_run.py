"""The period of a run, through the DAG's own timetable: scheduled, manual and backfill runs, and
the `period` param. Never the clock: the same run always processes the same month."""

from __future__ import annotations

import pendulum
import pytest

from pipelines.errors import UsageError
from pipelines.period import Period
from pipelines.schedule import period_of_run


def wib(*args) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz="Asia/Jakarta")


@pytest.fixture
def timetable(monthly):
    from airflow.serialization.encoders import coerce_to_core_timetable

    return coerce_to_core_timetable(monthly.timetable)


def test_scheduled_run_on_the_1st_at_06_wib_processes_the_month_before(timetable):
    from airflow.timetables.base import DataInterval, TimeRestriction

    # catchup=True with explicit bounds: with catchup=False the timetable skips to the latest run
    # before the wall clock, so the expected date would move every month.
    september = DataInterval(wib(2026, 9, 1, 6), wib(2026, 10, 1, 6))
    info = timetable.next_dagrun_info(
        last_automated_data_interval=september,
        restriction=TimeRestriction(wib(2024, 1, 1), wib(2027, 12, 31), True),
    )
    assert info.run_after == wib(2026, 11, 1, 6)
    assert info.data_interval.start.in_timezone("UTC").month == 9  # 30 September 23:00 UTC
    assert period_of_run(None, info.data_interval.start) == Period(2026, 10)


def test_a_year_of_scheduled_runs_processes_each_month_once(timetable):
    from airflow.timetables.base import TimeRestriction

    restriction, last, periods = TimeRestriction(wib(2026, 1, 1), None, True), None, []
    for _ in range(12):
        info = timetable.next_dagrun_info(last_automated_data_interval=last, restriction=restriction)
        last = info.data_interval
        periods.append(str(period_of_run(None, info.data_interval.start)))
    assert periods == [f"2026-{m:02d}" for m in range(1, 13)]


def test_manual_run_processes_the_last_complete_month_or_the_param(timetable):
    mid_november = timetable.infer_manual_data_interval(run_after=wib(2026, 11, 15, 10))
    assert period_of_run(None, mid_november.start) == Period(2026, 10)
    # Before 06:00 on the 1st the month before is not complete yet.
    early = timetable.infer_manual_data_interval(run_after=wib(2026, 11, 1, 5))
    assert period_of_run(None, early.start) == Period(2026, 9)
    assert period_of_run("2025-03", mid_november.start) == Period(2025, 3)


def test_backfill_dates_select_the_periods_in_order(monthly):
    """`airflow backfill create --from-date 2026-07-01 --to-date 2026-10-31`, dates read in WIB (the
    stack's default timezone), creates the runs of July to October, oldest first."""
    from airflow.serialization.serialized_objects import DagSerialization

    scheduler_dag = DagSerialization.deserialize_dag(DagSerialization.serialize_dag(monthly))
    infos = scheduler_dag.iter_dagrun_infos_between(wib(2026, 7, 1), wib(2026, 10, 31))
    assert [str(period_of_run(None, i.data_interval.start)) for i in infos] == [
        "2026-07", "2026-08", "2026-09", "2026-10"]


def test_a_run_without_interval_or_param_is_a_usage_error():
    with pytest.raises(UsageError, match="period"):
        period_of_run(None, None)
    with pytest.raises(UsageError, match="YYYY-MM"):
        period_of_run("2026-13", None)
