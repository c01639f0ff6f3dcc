"""One monthly run of a period: stage the landing files, score, publish. `kinerja run` and the
Airflow DAG call these same functions, so they cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest import StageResult, fail_run, stage_period
from pipelines.load.registry import Run
from pipelines.period import Period
from pipelines.publish.publish_period import Published, publish
from pipelines.transform.score import drop_partitions as drop_scoring_partitions
from pipelines.transform.score import score_run
from pipelines.warehouse import connection


@dataclass
class RunResult:
    staged: StageResult
    published: Published


def score_and_publish(staged: StageResult, url: str | None = None) -> Published:
    """Score a staged run and publish it. On any failure the run is FAILED and the marts keep
    what they had. One lock covers both: the earlier periods scoring reads cannot be re-published
    in between (their stale flags would be lost)."""
    with connection(url) as conn:
        with conn, conn.cursor() as cur:
            cur.execute("select pg_advisory_lock(hashtext('publish'))")
        try:
            score_run(conn, staged.run)
            return publish(conn, staged.run)
        except BaseException as exc:
            abandon_run(conn, staged.run, f"scoring: {type(exc).__name__}: {exc}")
            raise
        finally:
            with conn, conn.cursor() as cur:
                cur.execute("select pg_advisory_unlock(hashtext('publish'))")


def abandon_run(conn, run: Run, message: str) -> None:
    """A run that will not be published: FAILED, its staged and scoring rows dropped."""
    conn.rollback()
    with conn, conn.cursor() as cur:
        drop_scoring_partitions(cur, [run.run_id])
    fail_run(conn, run, message)


def run_period(period: Period, landing: Path, url: str | None = None) -> RunResult:
    """Raises DataRefused (exit 3) when the period cannot be staged, or another run of it is in
    progress; nothing is published then."""
    from pipelines.guard import period_run

    with period_run(period, url):
        staged = stage_period(period, landing, url=url)
        return RunResult(staged, score_and_publish(staged, url))
