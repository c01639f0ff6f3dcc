"""Every mart row names the run that published it (migration 0015: checked once per statement, as
a foreign key would check it row by row): a row naming no run is refused, and a published run
cannot be deleted from under its rows."""

from __future__ import annotations

import psycopg2
import pytest

from pipelines.monthly import run_period
from pipelines.period import Period
from pipelines.publish.publish_period import MARTS
from tests.helpers import PNS_1, day_punches, employee_row, query, workdays, write_attendance, write_employees

P = "2026-10"


@pytest.fixture
def published(warehouse_url, db, landing):
    write_employees(landing, P, employee_row(PNS_1))
    write_attendance(landing, P, day_punches(PNS_1, workdays(P)[5:]))  # five days absent: a recommendation
    run_period(Period.parse(P), landing, url=warehouse_url)
    return db


def test_a_mart_row_naming_no_run_is_refused(published):
    with published.cursor() as cur:
        for mart in MARTS:
            # A published row copied to another period: allowed under its own run, refused under none.
            cur.execute(f"create temp table copied as select * from mart.{mart} limit 1")
            cur.execute("update copied set period = '2027-01'")
            cur.execute(f"insert into mart.{mart} select * from copied")
            assert cur.rowcount == 1, f"mart.{mart} has no published row to copy"
            cur.execute("savepoint before")
            with pytest.raises(psycopg2.errors.ForeignKeyViolation, match=f"mart.{mart}: run_id 999 is not a run"):
                cur.execute(f"update mart.{mart} set run_id = 999 where period = '2027-01'")
            cur.execute("rollback to savepoint before")
            with pytest.raises(psycopg2.errors.ForeignKeyViolation, match=f"mart.{mart}: run_id 999 is not a run"):
                cur.execute(f"insert into mart.{mart} select * from copied where false union all"
                            f" select (jsonb_populate_record(c, '{{\"period\": \"2027-02\", \"run_id\": 999}}')).* from copied c")
            cur.execute("rollback to savepoint before")
            cur.execute("drop table copied")
    published.rollback()


def test_a_published_run_cannot_be_deleted(published):
    with published.cursor() as cur:
        # The run's other lineage goes first: its foreign keys would refuse before the marts are asked.
        cur.execute(
            "select conrelid::regclass::text from pg_constraint"
            " where contype = 'f' and confrelid = 'meta.run'::regclass"
        )
        for (table,) in cur.fetchall():
            cur.execute(f"delete from {table}")
        with pytest.raises(psycopg2.errors.ForeignKeyViolation, match="a deleted run is still named by mart.employee_scorecard"):
            cur.execute("delete from meta.run")
    published.rollback()
    assert query(published, "select count(*) from meta.run") == [(1,)]
