"""One monthly run of a period: stage the landing files, score, publish. `kinerja run` and the
Airflow DAG call these same functions, so they cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest import StageResult, drop_partitions, stage_period
from pipelines.load.registry import finish_run
from pipelines.period import Period
from pipelines.publish.publish_period import Published, publish
from pipelines.transform.score import score_run
from pipelines.warehouse import connection


@dataclass
class RunResult:
    staged: StageResult
    published: Published


def score_and_publish(staged: StageResult, url: str | None = None) -> Published:
    """Score a staged run and publish it. On any failure the run is FAILED and the marts keep
    what they had."""
    with connection(url) as conn:
        try:
            score_run(conn, staged.run)
            return publish(conn, staged.run)
        except BaseException as exc:
            conn.rollback()
            drop_partitions(conn, staged.run)
            finish_run(conn, staged.run, "FAILED", f"scoring: {type(exc).__name__}: {exc}")
            raise


def run_period(period: Period, landing: Path, url: str | None = None) -> RunResult:
    """Raises DataRefused (exit 3) when the period cannot be staged; nothing is published then."""
    staged = stage_period(period, landing, url=url)
    return RunResult(staged, score_and_publish(staged, url))
