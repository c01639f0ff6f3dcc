"""The staging steps the Airflow tasks run one by one (pipelines.ingest): each can be repeated
after a failure part-way without duplicating or losing a row, and a run that never published is
closed FAILED with its rows dropped."""

from __future__ import annotations

from pathlib import Path

from pipelines import steps
from pipelines.ingest import begin_staging, finish_staging, load_landing_file
from pipelines.land.discover import discover
from pipelines.period import Period
from pipelines.rules.columns import sources
from tests.helpers import PNS_1, PNS_2, clean_employees, employee_row, query, staff, write, write_employees

P = "2026-10"

AFTER_STAGING = """
    select (select count(*) from staging.employees where run_id = %(run)s),
           (select count(*) from staging.attendance where run_id = %(run)s),
           (select count(*) from meta.source_file where run_id = %(run)s),
           (select count(*) from meta.rejected_row where run_id = %(run)s),
           (select count(*) from meta.validation_result where run_id = %(run)s),
           (select string_agg(unit_code || ' ' || source || ' ' || status, ', ' order by unit_code, source)
            from meta.source_coverage where run_id = %(run)s),
           (select outcome from meta.run where run_id = %(run)s)
"""


def stage_in_steps(db, landing: Path):
    return begin_staging(db, discover(landing, Period.parse(P), list(sources())), "airflow test")


def test_every_staging_step_can_be_repeated(warehouse_url, db, landing):
    write_employees(landing, P, employee_row(PNS_1), staff(PNS_2, unit="MPP", role="SERVICE_COUNTER"),
                    employee_row("1.98E+17"), *clean_employees(40))
    write(landing, P, "attendance", "a.csv",
          f"nip,punched_at\n{PNS_1},2026-10-05 07:00\n{PNS_1},2026-10-05 16:00\n{PNS_2},2026-10-05 07:10\n")
    staged = stage_in_steps(db, landing)
    for file in staged.landing.files:
        load_landing_file(db, staged.run, file)
        load_landing_file(db, staged.run, file)  # a retried task
    late = {"service_tickets": "no service_tickets file by the deadline"}
    finish_staging(db, staged, late=late)
    once = query(db, AFTER_STAGING, {"run": staged.run.run_id})
    finish_staging(db, staged, late=late)  # a retried quality gate
    assert query(db, AFTER_STAGING, {"run": staged.run.run_id}) == once
    employees, attendance, files, rejected, expectations, coverage, outcome = once[0]
    assert (employees, attendance, files, rejected, outcome) == (42, 3, 2, 1, "STAGED")  # 1: the NIP as number
    assert expectations > 0
    assert "MPP service_tickets LATE" in coverage and "MPP service_surveys MISSING" in coverage


def test_closing_a_run_that_did_not_publish_marks_it_failed(warehouse_url, db, landing):
    write_employees(landing, P, employee_row(PNS_1))
    staged = stage_in_steps(db, landing)
    run = {"run_id": staged.run.run_id, "period": P, "landing": str(landing), "late": {}}
    steps.load(run, {"file_no": 1, "source": "employees", "path": str(landing / P / "employees" / "bkpp.csv"),
                     "name": "employees/bkpp.csv", "refusal": None})
    assert steps.close(run) == "FAILED"
    outcome, message = query(db, "select outcome, message from meta.run")[0]
    assert outcome == "FAILED" and "airflow" in message
    assert query(db, "select count(*) from pg_tables where schemaname in ('staging', 'raw')"
                     f" and tablename ~ 'r{staged.run.run_id}'") == [(0,)]
    assert steps.close(None) is None
