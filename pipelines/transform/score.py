"""Score a staged run: materialise its calendar, then run the intermediate models in order, each
a set-based INSERT into the run's own partition (sql/intermediate/, one model a file). All in one
transaction: a failure leaves nothing behind, and the published marts are untouched."""

from __future__ import annotations

from psycopg2.extensions import AsIs

from pipelines.calendar import materialise
from pipelines.load.file_loader import staging_partition
from pipelines.load.registry import Run
from pipelines.pause import pause_point
from pipelines.resources import read_sql
from pipelines.rules.columns import sources
from pipelines.timing import step
from pipelines.transform.parameters import model_params
from pipelines.warehouse import RUN_TABLE_STORAGE

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


def run_tables(run_id: int) -> dict[str, AsIs]:
    """The run's own partitions, as the parameters %(staging.<source>)s and
    %(intermediate.<table>)s of the models. The planner keeps statistics for a partition (ANALYZEd
    once written) but none for a partitioned parent, so a model that reads the parent misjudges
    its joins and groupings (merge joins sorting a month of punches by NIP, for example); ANALYZE
    of a parent would sample every run's partition."""
    tables = {f"intermediate.{table}": partition(table, run_id) for table in TABLES}
    tables |= {f"staging.{source}": staging_partition(source, run_id) for source in sources()}
    return {name: AsIs(table) for name, table in tables.items()}


def score_run(conn, run: Run) -> None:
    with conn, conn.cursor() as cur:
        for table in TABLES:
            cur.execute(
                f"create table {partition(table, run.run_id)}"
                f" partition of intermediate.{table} for values in (%s){RUN_TABLE_STORAGE}",
                (run.run_id,),
            )
        with step("calendar"):
            materialise(conn, run)
            for table in ("calendar_day", "schedule_day"):
                cur.execute(f"analyze {partition(table, run.run_id)}")
        params = model_params(conn, run) | run_tables(run.run_id)
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
