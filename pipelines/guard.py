"""One `kinerja run` of a period at a time, and what a killed one left behind cleaned up.

A run holds a session advisory lock on its period for its whole life. PostgreSQL frees it when
the session ends, also when the process is killed (kill -9) or the server restarts, so a run of a
period that holds no lock and is still RUNNING or STAGED was abandoned: the next run of the
period marks it FAILED and drops its work tables and partitions before it starts. Airflow runs
span many task sessions; their own teardown (`steps.close`) cleans them, so they are left alone.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import psycopg2.errors

from pipelines.errors import DataRefused
from pipelines.load.file_loader import drop_work_tables
from pipelines.load.registry import Run
from pipelines.period import Period
from pipelines.warehouse import connect, migrate

_PERIOD_LOCK = 4_711_002  # advisory lock class of "a run of this period is in progress"
# A killed run's session may take a moment to end on the server; wait that long, not forever.
_LOCK_WAIT = "10s"


class RunInProgress(DataRefused):
    """Another run of the period holds it: nothing is done, the published results are unchanged."""


@contextmanager
def period_run(period: Period, url: str | None = None) -> Iterator[None]:
    """Hold the period for one run; raises RunInProgress when another run has it."""
    conn = connect(url)
    try:
        migrate(conn)
        conn.autocommit = True  # the lock is the session's, not a transaction's
        with conn.cursor() as cur:
            cur.execute("set lock_timeout = %s", (_LOCK_WAIT,))
            try:
                cur.execute("select pg_advisory_lock(%s, hashtext(%s))", (_PERIOD_LOCK, str(period)))
            except psycopg2.errors.LockNotAvailable:
                raise RunInProgress(_in_progress(conn, period)) from None
            cur.execute("reset lock_timeout")
        conn.autocommit = False
        recover_abandoned(conn, period)
        yield
    finally:
        conn.close()  # frees the lock


def _in_progress(conn, period: Period) -> str:
    with conn, conn.cursor() as cur:
        cur.execute(
            "select run_id, to_char(started_at, 'YYYY-MM-DD HH24:MI') from meta.run"
            " where period = %s and outcome in ('RUNNING', 'STAGED') order by run_id desc limit 1",
            (str(period),),
        )
        row = cur.fetchone()
    since = f" (run {row[0]}, started {row[1]} WIB)" if row else ""
    return (f"another run of {period} is in progress{since}; nothing was done. "
            "Wait for it to finish, then run again if needed")


def recover_abandoned(conn, period: Period) -> list[int]:
    """Mark the period's abandoned runs FAILED and drop what they left; returns their run_ids.
    Only called while holding the period's lock, so none of them is alive."""
    from pipelines.monthly import abandon_run  # monthly imports this module

    with conn, conn.cursor() as cur:
        cur.execute(
            "select run_id from meta.run where period = %s and outcome in ('RUNNING', 'STAGED')"
            " and command not like 'airflow %%' order by run_id",
            (str(period),),
        )
        run_ids = [row[0] for row in cur.fetchall()]
    for run_id in run_ids:
        drop_work_tables(conn, run_id)
        abandon_run(conn, Run(run_id, period),
                    "abandoned: its process ended before the run finished (killed, or the warehouse"
                    " went away); its rows were dropped by the next run of the period")
    return run_ids
