"""The monthly run cut into the Airflow DAG's tasks (dags/kinerja_monthly.py).

Each step takes and returns plain values (they travel between tasks as XCom) and calls the very
functions `kinerja run` calls — `pipelines.ingest`'s staging steps, then
`pipelines.monthly.score_and_publish` — so the DAG and the command cannot drift apart. Every step
can be retried: a file's load replaces that file's rows, the quality gate is safe to repeat, and
publishing replaces the period in one transaction.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path

from pipelines import schedule
from pipelines.errors import KinerjaError, UsageError
from pipelines.land.discover import Landing, LandingFile, discover
from pipelines.load.registry import Run
from pipelines.period import Period
from pipelines.warehouse import connection

LANDING_ENV = "KINERJA_LANDING"
log = logging.getLogger(__name__)


def plan(params: dict, data_interval_start: datetime | None) -> dict:
    """What a run does: its period, landing folder, and the sources it waits for with their
    deadlines. Params: period, landing, wait_for, deadline, source_deadlines (see the DAG)."""
    from pipelines.rules.columns import sources
    from pipelines.rules.coverage import NEEDED_BY

    period = schedule.period_of_run(params.get("period"), data_interval_start)
    landing = params.get("landing") or os.environ.get(LANDING_ENV)
    if not landing:
        raise UsageError(f"no landing folder: set the landing param or {LANDING_ENV}")
    if not Path(landing).is_dir():
        raise UsageError(f"landing folder {landing} does not exist")
    waited = list(params.get("wait_for") or NEEDED_BY)
    unknown = sorted(set(waited) - set(sources()))
    if unknown:
        raise UsageError(f"wait_for names unknown sources: {', '.join(unknown)}")
    due = schedule.deadlines(
        period, waited, params.get("deadline") or schedule.DEFAULT_DEADLINE, params.get("source_deadlines")
    )
    return {
        "period": str(period),
        "landing": str(Path(landing).resolve()),
        "wait_for": waited,
        "deadlines": {source: when.isoformat() for source, when in due.items()},
    }


def arrival(plan: dict, source: str, now: datetime) -> dict | None:
    """The source's state for a sensor: None while it may still come, else ARRIVED or LATE."""
    due = datetime.fromisoformat(plan["deadlines"][source])
    status = schedule.arrival(Path(plan["landing"]), Period.parse(plan["period"]), source, due, now)
    if status == schedule.LATE:
        log.warning("%s %s: %s", plan["period"], source, schedule.late_reason(source, due))
    return None if status is None else {"source": source, "status": status, "deadline": plan["deadlines"][source]}


def start(plan: dict, arrivals: list[dict], command: str) -> dict:
    """Start the run: discover the landing files now, create the run's partitions. Returns the
    run (with its late sources and why) and its files, one load task each."""
    from pipelines.ingest import begin_staging
    from pipelines.rules.columns import sources

    period = Period.parse(plan["period"])
    landing = discover(Path(plan["landing"]), period, list(sources()))
    with connection() as conn:
        staged = begin_staging(conn, landing, command)
    late = {
        a["source"]: schedule.late_reason(a["source"], datetime.fromisoformat(a["deadline"]))
        for a in arrivals if a["status"] == schedule.LATE
    }
    run = {"run_id": staged.run.run_id, "period": plan["period"], "landing": plan["landing"], "late": late}
    files = [
        {"file_no": f.file_no, "source": f.source, "path": str(f.path), "name": f.name,
         "refusal": list(f.refusal) if f.refusal else None}
        for f in landing.files
    ]
    log.info("run %s of %s: %d file(s); late: %s", run["run_id"], period, len(files), ", ".join(late) or "none")
    return {"run": run, "files": files}


def load(run: dict, file: dict) -> dict:
    """Load one landing file into the run (replacing what an earlier attempt left)."""
    from pipelines.ingest import load_landing_file

    landing_file = LandingFile(
        file["file_no"], file["source"], Path(file["path"]), file["name"],
        tuple(file["refusal"]) if file["refusal"] else None,
    )
    with connection() as conn:
        record = load_landing_file(conn, _run(run), landing_file)
    if record.outcome == "REJECTED":
        log.warning("%s refused [%s]: %s", record.file_name, record.rule, record.message)
    else:
        log.info("%s: %d row(s) read, %d loaded, %d rejected", record.file_name, record.rows_read,
                 record.rows_loaded, record.rows_rejected)
    return {"file": record.file_name, "outcome": record.outcome, "rows_loaded": record.rows_loaded,
            "rows_rejected": record.rows_rejected, "rule": record.rule}


def quality_gate(run: dict) -> None:
    """Expectations, the rules across rows and files, refusal and coverage (late sources LATE);
    logs the run summary. Raises DataRefused when the run has no usable employees file: nothing
    is published then."""
    from pipelines.errors import DataRefused
    from pipelines.ingest import finish_staging
    from pipelines.load.file_loader import drop_work_tables
    from pipelines.report import summary_text

    # Quiet before the suites import it: its import logs hundreds of INFO lines into the task log.
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    result = _staged(run)
    with connection() as conn:
        try:
            finish_staging(conn, result, late=run["late"])
        except DataRefused:
            log.error("%s", summary_text(result, conn))
            drop_work_tables(conn, result.run.run_id)
            raise
        # Kept after any other failure: a retry's rules still read the rejected rows' raw text.
        drop_work_tables(conn, result.run.run_id)
        log.info("%s", summary_text(result, conn))


def score_and_publish(run: dict) -> dict:
    """Score the staged run and publish it (the same function as `kinerja run`)."""
    from pipelines.monthly import score_and_publish as score_and_publish_run
    from pipelines.report import published_text

    with connection() as conn:
        outcome = _outcome(conn, run["run_id"])
    if outcome != "STAGED":
        # A failure in scoring marks the run FAILED and drops its rows: only a new run can help.
        raise KinerjaError(f"run {run['run_id']} is {outcome}, not STAGED: trigger the period again")
    published = score_and_publish_run(_staged(run))
    with connection() as conn:
        log.info("%s", published_text(published, conn))
    return {"period": published.period, "run_id": published.run_id,
            "rules_version": published.rules_version, "stale": published.stale}


def close(run: dict | None) -> str | None:
    """At the end of every DAG run: drop the run's work tables, and when it was not published
    (a task failed) mark it FAILED and drop its rows, as `kinerja run` does on a fault. Returns
    the run's outcome."""
    if run is None:  # the run never started (a sensor or the plan failed)
        return None
    from pipelines.load.file_loader import drop_work_tables
    from pipelines.monthly import abandon_run

    with connection() as conn:
        drop_work_tables(conn, run["run_id"])
        outcome = _outcome(conn, run["run_id"])
        if outcome in ("RUNNING", "STAGED"):
            abandon_run(conn, _run(run), "airflow: a task failed before the run was published (see the DAG run)")
            outcome = "FAILED"
    return outcome


def _run(run: dict) -> Run:
    return Run(run["run_id"], Period.parse(run["period"]))


def _staged(run: dict):
    from pipelines.ingest import StageResult

    return StageResult(_run(run), Landing(Path(run["landing"]), Period.parse(run["period"])))


def _outcome(conn, run_id: int) -> str:
    with conn, conn.cursor() as cur:
        cur.execute("select outcome from meta.run where run_id = %s", (run_id,))
        return cur.fetchone()[0]
