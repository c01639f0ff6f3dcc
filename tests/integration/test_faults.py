"""Faults a run survives, each on a real server with `kinerja run` as a subprocess: killed (-9)
while loading, scoring or inside the publish transaction; the warehouse crashing mid-run; SIGTERM
and Ctrl-C; a second run of the same period at once. Every published period stays byte-identical,
and a plain re-run then completes with nothing left over. The kill points come from the test-only
KINERJA_PAUSE_AT hook (pipelines/pause.py): the run stops at the named step and says so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest

from pipelines import warehouse
from pipelines.monthly import run_period
from pipelines.pause import PAUSE_ENV, READY_ENV
from pipelines.period import Period
from tests.helpers import PNS_1, PNS_2, day_punches, pns_nip, employee_row, query, workdays, write_attendance, write_employees
from tests.private_server import PrivateServer

pytestmark = pytest.mark.slow
BEFORE, P = "2026-09", "2026-10"

def mart_fingerprint(conn) -> dict[str, str]:
    out = {}
    for table in ("employee_scorecard", "employee_kpi", "recommendation", "unit_summary"):
        rows = query(
            conn,
            f"select md5(coalesce(string_agg(j, ';' order by j), '')) from"
            f" (select (to_jsonb(m) - 'run_id' - 'published_at')::text as j from mart.{table} m) rows",
        )
        out[table] = rows[0][0]
    out["periods"] = query(conn, "select string_agg(period, ',' order by period) from meta.published_period")[0][0]
    return out


def leftovers(conn) -> dict[str, list]:
    """What a finished warehouse must not hold: work tables, partitions of unpublished runs,
    unfinished runs, held advisory locks."""
    current = "(select run_id from meta.published_period)"
    return {
        "raw tables": query(conn, "select tablename from pg_tables where schemaname = 'raw'"),
        "partitions of other runs": query(
            conn,
            "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname in ('staging', 'intermediate') and c.relispartition"
            f" and substring(c.relname from '__r(\\d+)$')::bigint not in {current}",
        ),
        "unfinished runs": query(conn, "select run_id, outcome from meta.run where outcome in ('RUNNING', 'STAGED')"),
        "advisory locks": query(
            conn,
            "select objid from pg_locks where locktype = 'advisory'"
            " and database = (select oid from pg_database where datname = current_database())"
            " and pid <> pg_backend_pid()",
        ),
    }


CLEAN = {"raw tables": [], "partitions of other runs": [], "unfinished runs": [], "advisory locks": []}


def write_period(landing: Path, period: str, *nips: str) -> None:
    write_employees(landing, period, *(employee_row(nip, unit="BKPP" if i % 2 else "DISHUB") for i, nip in enumerate(nips)))
    days = workdays(period)
    # two attendance files: the "loading" pause comes after the first file of the run
    write_attendance(landing, period, [r for nip in nips for r in day_punches(nip, days[:10])], name="a1.csv")
    write_attendance(landing, period, [r for nip in nips for r in day_punches(nip, days[10:])], name="a2.csv")


def kinerja(url: str, *args, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines", *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, warehouse.URL_ENV: url, **env})


def paused_run(url: str, landing: Path, step: str, tmp_path: Path) -> subprocess.Popen:
    """`kinerja run` of P stopped at `step`; returns once it is there."""
    ready = tmp_path / f"ready-{step}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "run", "--period", P, "--landing", str(landing)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, warehouse.URL_ENV: url, PAUSE_ENV: step, READY_ENV: str(ready)},
    )
    deadline = time.monotonic() + 120
    while not ready.exists():  # a readiness wait, not a guess at how long a step takes
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"the run never reached {step}"
        time.sleep(0.05)
    assert int(ready.read_text()) == proc.pid
    return proc


@pytest.fixture
def published(warehouse_url, landing):
    """Two periods published; P's landing then changed, so a re-run of P publishes other rows."""
    write_period(landing, BEFORE, PNS_1, PNS_2)
    write_period(landing, P, PNS_1, PNS_2)
    for period in (BEFORE, P):
        run_period(Period.parse(period), landing, url=warehouse_url)
    write_period(landing, P, PNS_1, PNS_2, pns_nip(5))
    return warehouse_url


@pytest.mark.parametrize("step", ["loading", "scoring", "publishing"])
def test_kill_9_leaves_published_periods_identical_and_a_rerun_completes(published, db, landing, tmp_path, step):
    before = mart_fingerprint(db)
    proc = paused_run(published, landing, step, tmp_path)
    proc.kill()
    proc.wait()
    assert mart_fingerprint(db) == before

    run_period(Period.parse(P), landing, url=published)  # a plain re-run, in this process
    assert leftovers(db) == CLEAN
    assert query(db, "select count(*) from mart.employee_scorecard where period = %s", (P,)) == [(3,)]
    killed = query(db, "select outcome, message from meta.run where run_id = 3")[0]
    assert killed[0] == "FAILED" and "abandoned" in killed[1]
    after = mart_fingerprint(db)
    assert after["periods"] == before["periods"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_sigint_mark_the_run_failed_and_exit_cleanly(published, db, landing, tmp_path, signum):
    before = mart_fingerprint(db)
    proc = paused_run(published, landing, "loading", tmp_path)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 4
    assert "interrupted; nothing half-written was published" in err and "Traceback" not in err
    assert query(db, "select outcome from meta.run where run_id = 3") == [("FAILED",)]
    assert mart_fingerprint(db) == before
    assert leftovers(db) == CLEAN


def test_a_second_run_of_the_same_period_is_refused_while_one_is_in_progress(published, db, landing, tmp_path):
    first = paused_run(published, landing, "scoring", tmp_path)
    try:
        second = kinerja(published, "run", "--period", P, "--landing", str(landing))
        assert second.returncode == 3, second.stderr
        assert f"another run of {P} is in progress (run 3" in second.stderr
        assert "The published results are unchanged" in second.stderr
        assert query(db, "select run_id, outcome from meta.run where run_id > 2") == [(3, "STAGED")]
    finally:
        first.kill()
        first.wait()
    run_period(Period.parse(P), landing, url=published)
    assert query(db, "select run_id, outcome from meta.run where run_id > 2") == [(3, "FAILED"), (4, "PUBLISHED")]


def test_the_warehouse_crashing_mid_run_is_exit_4_and_survived(tmp_path, landing):
    server = PrivateServer(tmp_path)
    try:
        url = server.url()
        write_period(landing, P, PNS_1, PNS_2)
        assert kinerja(url, "run", "--period", P, "--landing", str(landing)).returncode == 0
        with warehouse.connection(url) as conn:
            before = mart_fingerprint(conn)
        write_period(landing, P, PNS_1, PNS_2, pns_nip(5))

        proc = paused_run(url, landing, "publishing", tmp_path)
        server.crash()
        proc.send_signal(signal.SIGUSR1)  # go on: the next statement finds the server gone
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 4, err
        assert "lost the connection to the warehouse" in err and "Traceback" not in err

        server.restart()
        with warehouse.connection(url) as conn:
            assert mart_fingerprint(conn) == before
        done = kinerja(url, "run", "--period", P, "--landing", str(landing))
        assert done.returncode == 0, done.stderr
        with warehouse.connection(url) as conn:
            assert leftovers(conn) == CLEAN
            assert query(conn, "select outcome from meta.run order by run_id") == [
                ("PUBLISHED",), ("FAILED",), ("PUBLISHED",)]
    finally:
        server.stop()


def test_a_wrong_password_is_refused_without_printing_it(tmp_path):
    server = PrivateServer(tmp_path)
    try:
        with psycopg2.connect(server.url()) as conn, conn.cursor() as cur:
            cur.execute("create role kinerja_pw login password 'the-right-one'")
        server.require_passwords()
        wrong = "Wr0ng-p%40ss-9f3"  # percent-encoded in the URL: the server sees Wr0ng-p@ss-9f3
        done = kinerja(server.url(user="kinerja_pw", password=wrong), "prune", "--keep-runs", "1")
        assert done.returncode == 4
        assert "password authentication failed" in done.stderr
        assert "cannot connect to the warehouse" in done.stderr
        for shown in (wrong, "Wr0ng-p@ss-9f3"):
            assert shown not in done.stderr and shown not in done.stdout
        with psycopg2.connect(server.url(user="kinerja_pw", password="the-right-one")) as conn, \
                conn.cursor() as cur:  # the right one is let in: the refusal was the password's
            cur.execute("select session_user")
            assert cur.fetchone() == ("kinerja_pw",)
    finally:
        server.stop()
