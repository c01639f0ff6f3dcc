"""Sources load, and their suites run, on several connections at once (KINERJA_WORKERS): what is
stored does not depend on how many, a failing file stops the others and fails the run, and a bad
setting is refused before a run starts."""

from __future__ import annotations

import time

import pytest

from pipelines import ingest
from pipelines.errors import UsageError
from pipelines.generate import generate
from pipelines.ingest import stage_period
from pipelines.period import Period
from pipelines.rules.columns import sources
from pipelines.workers import WORKERS_ENV
from tests.helpers import query

P = "2026-10"

# Everything a run stores of its files, without the run's own id.
_STORED = [
    *(f"select * from (select to_jsonb(s) - 'run_id' as r from staging.{name} s where run_id = %(run)s) x"
      for name in sources()),
    "select to_jsonb(r) - 'run_id' from meta.rejected_row r where run_id = %(run)s",
    "select to_jsonb(f) - 'run_id' from meta.source_file f where run_id = %(run)s",
    "select to_jsonb(c) - 'run_id' from meta.source_coverage c where run_id = %(run)s",
    # The suites' queries name the run.
    "select regexp_replace((to_jsonb(v) - 'run_id')::text, 'run_id = \\d+', 'run_id = N', 'g')"
    " from meta.validation_result v where run_id = %(run)s",
    "select to_jsonb(e) - 'run_id' from meta.refused_file_employee e where run_id = %(run)s",
]


def _stored(db, run_id: int) -> list[list[str]]:
    return [sorted(str(row[0]) for row in query(db, sql, {"run": run_id})) for sql in _STORED]


@pytest.fixture(scope="module")
def faulty_month(tmp_path_factory):
    """A generated month with every kind of planted bad input."""
    landing = tmp_path_factory.mktemp("parallel")
    generate(P, landing, employees=120, seed=3, faults=True)
    return landing


def test_one_or_three_connections_store_the_same(warehouse_url, db, faulty_month, monkeypatch):
    runs = []
    for workers in ("1", "3"):
        monkeypatch.setenv(WORKERS_ENV, workers)
        runs.append(stage_period(Period.parse(P), faulty_month, url=warehouse_url).run.run_id)
    serial, parallel = (_stored(db, run) for run in runs)
    assert [len(rows) for rows in serial] == [len(rows) for rows in parallel]
    assert serial == parallel
    assert serial[len(sources())], "the planted faults reject rows"


def test_a_failing_file_fails_the_run_and_leaves_no_connection(warehouse_url, db, faulty_month, monkeypatch):
    monkeypatch.setenv(WORKERS_ENV, "2")
    real = ingest.load_landing_file

    def load(conn, run, file):
        if file.source == "service_tickets":
            raise RuntimeError("disk full")  # an error that is not the file's fault
        return real(conn, run, file)

    monkeypatch.setattr(ingest, "load_landing_file", load)
    with pytest.raises(RuntimeError, match="disk full"):
        stage_period(Period.parse(P), faulty_month, url=warehouse_url)
    [(outcome, message, staged)] = query(
        db,
        "select outcome, message, (select count(*) from pg_inherits i join pg_class c on c.oid = i.inhrelid"
        " where c.relname like '%%__r' || r.run_id) from meta.run r",
    )
    assert (outcome, message, staged) == ("FAILED", "RuntimeError: disk full", 0)
    # The loading connections are closed; their server processes end a moment after.
    for _ in range(200):
        [(others,)] = query(db, "select count(*) from pg_stat_activity where datname = current_database()"
                                " and pid <> pg_backend_pid()")
        if not others:
            break
        time.sleep(0.05)
    assert others == 0


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_number_of_connections_is_refused_before_a_run_starts(warehouse_url, db, landing, monkeypatch, value):
    monkeypatch.setenv(WORKERS_ENV, value)
    with pytest.raises(UsageError, match=f"{WORKERS_ENV}='{value}'"):
        stage_period(Period.parse(P), landing, url=warehouse_url)
    assert query(db, "select count(*) from meta.run") == [(0,)]
