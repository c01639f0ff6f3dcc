"""Every mart row names the run that published it (migrations 0015, 0016: checked once per
statement, as a foreign key would check it row by row): a row naming no run is refused, and a
published run can be neither deleted nor renumbered from under its rows, also not while another
transaction is writing them."""

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
                cur.execute(f"insert into mart.{mart} select (jsonb_populate_record(c,"
                            f" '{{\"period\": \"2027-02\", \"run_id\": 999}}')).* from copied c")
            cur.execute("rollback to savepoint before")
            cur.execute("drop table copied")
    published.rollback()


def _drop_other_lineage(cur) -> None:
    """The run's rows in meta: their foreign keys would refuse before the marts are asked."""
    cur.execute(
        "select conrelid::regclass::text from pg_constraint"
        " where contype = 'f' and confrelid = 'meta.run'::regclass"
    )
    for (table,) in cur.fetchall():
        cur.execute(f"delete from {table}")


@pytest.mark.parametrize("change", ["delete from meta.run", "update meta.run set run_id = default"])
def test_a_published_run_cannot_leave_while_any_mart_names_it(published, change):
    with published.cursor() as cur:
        _drop_other_lineage(cur)
        cur.execute("select run_id from meta.run")
        (run_id,) = cur.fetchone()
        for mart in MARTS:  # each mart in turn is the last to name the run
            cur.execute("savepoint before")
            with pytest.raises(psycopg2.errors.ForeignKeyViolation, match=f"run {run_id} is still named by mart.{mart}"):
                cur.execute(change)
            cur.execute("rollback to savepoint before")
            cur.execute(f"delete from mart.{mart}")
        cur.execute(change)  # named by nothing now
        assert cur.rowcount == 1
        cur.execute("update meta.run set outcome = outcome")  # keeps every run_id: always allowed
    published.rollback()
    assert query(published, "select count(*) from meta.run") == [(1,)]


def test_a_run_being_written_to_a_mart_cannot_be_deleted_meanwhile(published, warehouse_url):
    with published.cursor() as cur:  # a writer of mart rows, not committed yet
        cur.execute("create temp table copied as select * from mart.unit_summary limit 1")
        cur.execute("update copied set period = '2027-01'")
        cur.execute("insert into mart.unit_summary select * from copied")
    other = psycopg2.connect(warehouse_url)
    try:
        with other.cursor() as cur:
            _drop_other_lineage(cur)
            for mart in MARTS:
                cur.execute(f"delete from mart.{mart}")  # the committed rows no longer name the run
            cur.execute("set lock_timeout = '500ms'")
            with pytest.raises(psycopg2.errors.LockNotAvailable):  # the writer holds the run
                cur.execute("delete from meta.run")
    finally:
        other.rollback()
        other.close()
        published.rollback()


def test_an_update_of_runs_that_keeps_every_run_id_reads_no_mart(published):
    # Every run updates its meta.run row several times; the marts hold every period's rows.
    with published.cursor() as cur:
        cur.execute("update meta.run set outcome = outcome")
        cur.execute("select sum(pg_stat_get_xact_numscans(format('mart.%%I', m)::regclass)) from unnest(%s) m",
                    (list(MARTS),))
        assert cur.fetchone()[0] == 0
    published.rollback()


def test_every_mart_table_with_a_run_is_checked(published):
    with_run = query(published, "select table_name from information_schema.columns"
                                " where table_schema = 'mart' and column_name = 'run_id' order by 1")
    checked = query(published, "select distinct c.relname from pg_trigger t join pg_class c on c.oid = t.tgrelid"
                               " where c.relnamespace = 'mart'::regnamespace"
                               " and t.tgname in ('run_exists_on_insert', 'run_exists_on_update') order by 1")
    assert with_run == checked == sorted((m,) for m in MARTS)
