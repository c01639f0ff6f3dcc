"""Retention (`kinerja prune --keep-runs N`): personal data is kept no longer than needed. Per
period, the published run and the N newest other finished runs keep their details; older runs
keep only their lineage (meta.run, meta.source_file: what was read, when, with which outcome) and
lose their partitions, work tables, rejected rows, validation results and other per-run rows."""

from __future__ import annotations

from psycopg2 import sql

from pipelines.errors import UsageError
from pipelines.ingest import drop_partitions as drop_staging_partitions
from pipelines.load.file_loader import drop_work_tables
from pipelines.load.registry import Run
from pipelines.period import Period
from pipelines.transform.score import drop_partitions as drop_scoring_partitions

# Lineage kept for every run; the period pointers name current runs only.
_KEPT = ("run", "source_file", "published_period", "staged_period")

# Finished runs that are neither the published nor the staged one of their period, newest first.
_SUPERSEDED = """
select run_id, period from (
    select r.run_id, r.period,
           row_number() over (partition by r.period order by r.run_id desc) as newer
    from meta.run r
    where r.outcome in ('PUBLISHED', 'FAILED', 'REFUSED')
      and not exists (select from meta.published_period p where p.run_id = r.run_id)
      and not exists (select from meta.staged_period s where s.run_id = r.run_id)
) ranked
where newer > %s
order by run_id
"""


def prune(conn, keep_runs: int) -> str:
    """Drop the details of superseded runs beyond the newest `keep_runs` per period; a summary."""
    if keep_runs < 0:
        raise UsageError("--keep-runs must be 0 or more")
    with conn, conn.cursor() as cur:
        cur.execute(_SUPERSEDED, (keep_runs,))
        runs = [Run(run_id, Period.parse(period)) for run_id, period in cur.fetchall()]
        tables = _per_run_tables(cur)
        deleted = 0
        for table in tables:
            cur.execute(
                sql.SQL("delete from meta.{} where run_id = any(%s)").format(sql.Identifier(table)),
                ([run.run_id for run in runs],),
            )
            deleted += cur.rowcount
        drop_scoring_partitions(cur, [run.run_id for run in runs])
    for run in runs:
        drop_staging_partitions(conn, run)
        drop_work_tables(conn, run.run_id)
    _vacuum(conn)
    return f"pruned {len(runs)} superseded run(s), {deleted} per-run row(s); kept {keep_runs} per period"


def _per_run_tables(cur) -> list[str]:
    """meta tables holding rows per run (every one with a run_id column but the lineage)."""
    cur.execute(
        "select table_name from information_schema.columns"
        " where table_schema = 'meta' and column_name = 'run_id' and not (table_name = any(%s))"
        " and table_name in (select table_name from information_schema.tables"
        "                    where table_schema = 'meta' and table_type = 'BASE TABLE')"
        " order by 1",
        (list(_KEPT),),
    )
    return [row[0] for row in cur.fetchall()]


def _vacuum(conn) -> None:
    """Deleted rows, re-published periods and the run's dropped tables (their catalog rows)
    leave dead rows: make their space reusable for the next run. Tables the role may not
    vacuum are skipped by PostgreSQL itself."""
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("vacuum (analyze)")
    finally:
        conn.autocommit = False
