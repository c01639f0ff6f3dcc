"""Retention (`kinerja prune --keep-runs N`): superseded runs lose their rows, the published run
never does, and re-running a period does not grow the warehouse."""

from __future__ import annotations

import psycopg2
import pytest

from pipelines.cli import main
from pipelines.generate import generate
from pipelines.monthly import run_period
from pipelines.period import Period
from tests.helpers import PNS_1, day_punches, employee_row, query, workdays, write_attendance, write_employees

P = "2026-10"


def per_run(conn, table: str) -> list[tuple]:
    return query(conn, f"select run_id, count(*) from meta.{table} group by 1 order by 1")


def test_prune_keeps_the_published_and_the_newest_runs_and_every_runs_lineage(warehouse_url, db, landing, capsys):
    write_employees(landing, P, employee_row(PNS_1))
    write_attendance(landing, P, ["198501012010011001,31/02/2026 07:00,IN"] + day_punches(PNS_1, workdays(P)))
    for _ in range(4):
        run_period(Period.parse(P), landing, url=warehouse_url)
    assert per_run(db, "rejected_row") == [(1, 1), (2, 1), (3, 1), (4, 1)]

    assert main(["prune", "--keep-runs", "1"]) == 0
    assert "pruned 2 superseded run(s)" in capsys.readouterr().out
    assert per_run(db, "rejected_row") == [(3, 1), (4, 1)]  # the newest superseded one and the published
    assert [r for r, _ in per_run(db, "validation_result")] == [3, 4]
    assert [r for r, _ in per_run(db, "source_coverage")] == [3, 4]
    assert [r for r, _ in per_run(db, "source_file")] == [1, 2, 3, 4]  # lineage of every run stays
    assert query(db, "select count(*) from meta.run") == [(4,)]

    assert main(["prune", "--keep-runs", "0"]) == 0
    assert per_run(db, "rejected_row") == [(4, 1)]
    assert query(db, "select run_id from meta.published_period") == [(4,)]
    assert query(db, "select count(*) from mart.employee_scorecard") == [(1,)]
    assert main(["prune", "--keep-runs", "-1"]) == 2


def _pipeline_bytes(conn) -> int:
    """Bytes of every table of the pipeline's schemas, indexes and TOAST included."""
    return int(query(
        conn,
        "select sum(pg_total_relation_size(c.oid)) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname in ('raw', 'staging', 'meta', 'intermediate', 'mart', 'access') and c.relkind = 'r'",
    )[0][0])


def _vacuum(url: str) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("vacuum")
    conn.close()


@pytest.mark.slow
def test_ten_reruns_of_a_period_with_prune_stay_within_1_2x_of_one(warehouse_url, db, tmp_path):
    landing = tmp_path / "city"
    generate(P, landing, months=1, employees=100, seed=3)
    run_period(Period.parse(P), landing, url=warehouse_url)
    _vacuum(warehouse_url)
    one_run, database_one = _pipeline_bytes(db), query(db, "select pg_database_size(current_database())")[0][0]
    for _ in range(9):
        run_period(Period.parse(P), landing, url=warehouse_url)
        assert main(["prune", "--keep-runs", "1"]) == 0  # as the monthly DAG does after publishing
    _vacuum(warehouse_url)
    ten_runs, database_ten = _pipeline_bytes(db), query(db, "select pg_database_size(current_database())")[0][0]
    assert query(db, "select count(*) from meta.run") == [(10,)]
    assert ten_runs <= 1.2 * one_run, (one_run, ten_runs)
    assert database_ten <= 1.2 * database_one, (database_one, database_ten)
