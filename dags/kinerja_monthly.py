"""
### kinerja_monthly — score and publish one month of ASN performance

**Purpose.** Loads the month's department extracts from the landing folder, validates them,
computes every KPI, rating and predikat, and publishes them to the warehouse's `mart` tables HR
reads — the same functions as `kinerja run`, so both publish the same rows.

**Grain.** One DAG run = one period (`YYYY-MM`). Scheduled on the 1st at 06:00 WIB for the month
before; the `period` param overrides. Runs one at a time: a period reads earlier published ones.

**Tasks.** `plan` (period, landing, deadlines) → `wait_for_source` (one per source: until a file
lands or its deadline passes — default the 4th of the next month, 23:59 WIB — then LATE) →
`start_staging` → `load_file` (one per landing file) → `quality_gate` (expectations, rules,
refusals, coverage) → `score_and_publish` (emits the `kinerja_mart` asset) → `prune_runs`
(retention, `keep_runs`) → `close_run`.

**Triage.**
- `quality_gate` failed with *no usable employees file*: nothing was published; the log names the
  refused files and why. Fix the file, trigger the period again.
- A source LATE: the run went on; its units' ratings that need it are withheld
  (`meta.source_coverage` status LATE). When the file lands, trigger the period again.
- Refused files and rejected rows: the `quality_gate` log, `meta.source_file`, `meta.rejected_row`.
- Any other failure: the run is marked FAILED and the published marts are unchanged; trigger the
  period again (or clear the whole DAG run).
- Backfill in order, one period at a time:
  `airflow backfill create --dag-id kinerja_monthly --from-date 2026-07-01 --to-date 2026-10-31 --max-active-runs 1`
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pendulum
from airflow.sdk import (
    Asset,
    CronDataIntervalTimetable,
    Param,
    PokeReturnValue,
    dag,
    get_current_context,
    task,
    teardown,
)
from airflow.sdk.exceptions import AirflowFailException

from pipelines import schedule

# Downstream DAGs (exports, reports) can be scheduled on it; each event's extra names the period.
MART = Asset(name="kinerja_mart", uri="x-kinerja://warehouse/mart", group="kinerja")
POKE_INTERVAL = timedelta(minutes=30)
# The deadline ends every wait (at most 28 days after the month); this only bounds a stuck sensor.
SENSOR_TIMEOUT = timedelta(days=31)


@contextmanager
def _not_retried():
    """A usage error or refused data is not transient: fail at once instead of retrying."""
    from pipelines.errors import DataRefused, UsageError

    try:
        yield
    except (UsageError, DataRefused) as exc:
        raise AirflowFailException(str(exc)) from exc


# Mapping reads a task's return value only: the sources to wait for are returned, the rest of the
# plan (period, landing, deadlines) is the XCom "plan"; likewise the files and the XCom "run".
@task
def plan() -> list[str]:
    from pipelines import steps

    context = get_current_context()
    with _not_retried():
        planned = steps.plan(dict(context["params"]), context.get("data_interval_start"))
    context["ti"].xcom_push(key="plan", value=planned)
    return planned["wait_for"]


@task.sensor(
    mode="reschedule", poke_interval=POKE_INTERVAL, timeout=SENSOR_TIMEOUT,
    map_index_template="{{ task.op_kwargs['source'] }}",
)
def wait_for_source(plan: dict, source: str) -> PokeReturnValue:
    from pipelines import steps

    state = steps.arrival(plan, source, pendulum.now("UTC"))
    return PokeReturnValue(is_done=state is not None, xcom_value=state)


@task
def start_staging(plan: dict, arrivals: list[dict]) -> list[dict]:
    from pipelines import steps

    context = get_current_context()
    with _not_retried():
        # By index: iterating reads one past the end and logs that miss as an error.
        states = [arrivals[i] for i in range(len(arrivals))]
        started = steps.start(plan, states, f"airflow {context['run_id']}")
    context["ti"].xcom_push(key="run", value=started["run"])
    return started["files"]


@task(map_index_template="{{ task.op_kwargs['file']['name'] }}", max_active_tis_per_dagrun=4)
def load_file(run: dict, file: dict) -> dict:
    from pipelines import steps

    return steps.load(run, file)


# none_failed: a period without any file skips every load, and the gate then refuses it.
@task(trigger_rule="none_failed")
def quality_gate(run: dict) -> dict:
    from pipelines import steps

    with _not_retried():
        steps.quality_gate(run)
    return run


# Not retried: a failure here marks the run FAILED and drops its rows (as `kinerja run` does),
# so only a new run of the period can help.
@task(outlets=[MART], retries=0)
def score_and_publish(run: dict) -> dict:
    from pipelines import steps

    published = steps.score_and_publish(run)
    get_current_context()["outlet_events"][MART].extra = {
        "period": published["period"], "run_id": published["run_id"], "stale": published["stale"],
    }
    return published


# Retention: superseded runs of every period lose their rows beyond the newest `keep_runs`.
@task
def prune_runs() -> str:
    from pipelines.prune import prune
    from pipelines.warehouse import connection

    with connection() as conn:
        return prune(conn, get_current_context()["params"]["keep_runs"])


@teardown
def close_run() -> str | None:
    from pipelines import steps

    run = get_current_context()["ti"].xcom_pull(task_ids="start_staging", key="run")
    return steps.close(run)


@dag(
    dag_id="kinerja_monthly",
    schedule=CronDataIntervalTimetable("0 6 1 * *", timezone="Asia/Jakarta"),
    start_date=pendulum.datetime(2024, 1, 1, tz="Asia/Jakarta"),
    # Missed months are not run on their own: backfill them in order (see the doc above).
    catchup=False,
    max_active_runs=1,
    default_args={
        "owner": "kinerja-data",
        "retries": 2,
        "retry_delay": timedelta(minutes=5),
    },
    params={
        "period": Param(
            None, type=["null", "string"], pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
            description="The month to process, YYYY-MM. Empty: the month of the run's data interval (WIB).",
        ),
        "landing": Param(
            None, type=["null", "string"],
            description="Landing folder holding <YYYY-MM>/<source>/ files. Empty: KINERJA_LANDING of the workers.",
        ),
        "wait_for": Param(
            None, type=["null", "array"], items={"type": "string"}, minItems=1,
            description="Sources to wait for. Empty: every source meta.source_coverage records.",
        ),
        "deadline": Param(
            schedule.DEFAULT_DEADLINE, type="string", pattern=schedule.DEADLINE_PATTERN,
            description="When a source still without a file is LATE: 'D HH:MM', day 1-28 of the month after the period, WIB.",
        ),
        "keep_runs": Param(
            3, type="integer", minimum=0,
            description="Superseded runs per period that keep their rejected rows and results (kinerja prune).",
        ),
        "source_deadlines": Param(
            {}, type="object", additionalProperties={"type": "string", "pattern": schedule.DEADLINE_PATTERN},
            description='Deadlines of single sources, e.g. {"attendance": "2 12:00"}.',
        ),
    },
    tags=["kinerja", "monthly", "hr"],
    doc_md=__doc__,
)
def kinerja_monthly():
    waited = plan()
    arrivals = wait_for_source.partial(plan=waited["plan"]).expand(source=waited)
    files = start_staging(waited["plan"], arrivals)
    loads = load_file.partial(run=files["run"]).expand(file=files)
    gated = quality_gate(files["run"])
    loads >> gated
    score_and_publish(gated) >> prune_runs() >> close_run()


kinerja_monthly()
