"""Score a staged run: materialise its calendar, then run the intermediate models in order, each
a set-based INSERT into the run's own partition (sql/intermediate/, one model a file). All in one
transaction: a failure leaves nothing behind, and the published marts are untouched."""

from __future__ import annotations

from pipelines.calendar import materialise
from pipelines.load.registry import Run
from pipelines.pause import pause_point
from pipelines.resources import read_sql
from pipelines.timing import step
from pipelines.transform.parameters import model_params

# In dependency order; each is sql/intermediate/<name>.sql and writes intermediate.<name>.
MODELS = (
    "employee",
    "duty_day",
    "attendance_day",
    "attendance_summary",
    "ticket_sla",
    "survey_response",
    "officer_ikm",
    "field_rate",
    "scorecard",
)
TABLES = ("calendar_day", "schedule_day", *MODELS)


def partition(table: str, run_id: int) -> str:
    return f"intermediate.{table}__r{run_id}"


def score_run(conn, run: Run) -> None:
    with conn, conn.cursor() as cur:
        for table in TABLES:
            cur.execute(
                f"create table {partition(table, run.run_id)}"
                f" partition of intermediate.{table} for values in (%s)",
                (run.run_id,),
            )
        with step("calendar"):
            materialise(conn, run)
            for table in ("calendar_day", "schedule_day"):
                cur.execute(f"analyze {partition(table, run.run_id)}")
        params = model_params(conn, run)
        for model in MODELS:
            with step(f"model {model}"):
                cur.execute(read_sql("intermediate", f"{model}.sql"), params)
                # fresh partitions have no statistics: the next models' joins need them
                cur.execute(f"analyze {partition(model, run.run_id)}")
            pause_point("scoring")


def drop_partitions(cur, run_ids: list[int]) -> None:
    """Drop the intermediate partitions of runs (those whose results are not published)."""
    for run_id in run_ids:
        for table in TABLES:
            cur.execute(f"drop table if exists {partition(table, run_id)}")
