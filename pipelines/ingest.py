"""Stage one period: every landing file loaded or refused with its reason into the run's own
staging partitions. Publishing the run switches the period's staged data to it, in the same
transaction as the marts (a source now absent is emptied; other periods kept).

The same functions serve `kinerja run` and the Airflow tasks, so they cannot drift apart.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.calendar import period_holidays
from pipelines.errors import DataRefused
from pipelines.land.discover import Landing, LandingFile, discover
from pipelines.load.file_loader import drop_work_tables, load_file, staging_partition
from pipelines.load.registry import FileRecord, Run, file_records, finish_run, record_notices, start_run
from pipelines.pause import pause_point
from pipelines.period import Period
from pipelines.progress import progress
from pipelines.rules.columns import sources
from pipelines.rules.coverage import record_coverage, row_count_warnings
from pipelines.rules.gx_validation import validate_staged
from pipelines.rules.validate import validate_run
from pipelines.timing import step
from pipelines.warehouse import RUN_TABLE_STORAGE, connection, migrate
from pipelines.workers import Connections, workers

@dataclass(frozen=True)
class StageOptions:
    """What a run may assume. `kinerja run` uses the defaults; `kinerja check` stages one
    department file in a throwaway warehouse and relaxes what it cannot know."""

    # False (`check`): no usable employees file does not refuse the run, and a rule whose
    # reference source (employees, catalog, tickets) has no rows is reported "not checked".
    require_employees: bool = True
    period_rules: bool = True  # False: the period is unknown; period rules are not checked
    history: bool = True  # False: no earlier periods exist; rules needing them are not checked
    expectations: bool = True  # False: skip recording the expectation suites
    keep_refused_rows: bool = False  # True: a file refused by a 5 % rule keeps its rejected rows


@dataclass
class StageResult:
    run: Run
    landing: Landing
    files: list[FileRecord] = field(default_factory=list)
    outcome: str = "STAGED"
    message: str | None = None
    not_checked: list[tuple[str, str]] = field(default_factory=list)  # (rule, why)


def stage_period(
    period: Period, landing_root: Path, *, url: str | None = None, options: StageOptions = StageOptions()
) -> StageResult:
    """Load and stage a period. Raises DataRefused (exit 3) when nothing can be used.

    The steps below are also the Airflow DAG's tasks (one file a task there); here they run in
    this process, the sources on workers() connections at once."""
    count = workers()
    with step("discover"):
        landing = discover(landing_root, period, list(sources()))
    with connection(url) as conn:
        result = begin_staging(conn, landing)
        try:
            with step("load files"):
                load_files(result.run, result.landing.files, count, url)
            finish_staging(conn, result, url=url, options=options)
        except DataRefused:
            raise
        except BaseException as exc:
            fail_run(conn, result.run, f"{type(exc).__name__}: {exc}")
            raise
        finally:
            drop_work_tables(conn, result.run.run_id)
    return result


def begin_staging(conn, landing: Landing, command: str = "run") -> StageResult:
    """Start a run of the discovered landing files: its staging partitions and the landing
    notices. A failure here marks the run FAILED (a retry starts a new run)."""
    migrate(conn)
    run = start_run(conn, landing.period, command, str(landing.root))
    try:
        create_partitions(conn, run)
        with conn, conn.cursor() as cur:
            record_notices(cur, run, landing.notices)
    except BaseException as exc:
        fail_run(conn, run, f"{type(exc).__name__}: {exc}")
        raise
    return StageResult(run, landing)


def load_files(run: Run, files: list[LandingFile], count: int, url: str | None = None) -> None:
    """Load every file of the run, the sources `count` at once, each on its own connection. A
    source's files load one after the other in file order, so its rows are stored as a serial
    load stores them (the suites list a failing expectation's first rows in that order); the
    largest sources start first. The progress and the pause point stay in this thread (signals
    are delivered here); when anything fails or the run is interrupted, the files being loaded
    are cancelled (their transactions roll back) and no other starts."""
    loaded: queue.Queue = queue.Queue()  # each file as it is loaded, or what stopped its source
    stop, connections = threading.Event(), Connections(url)

    def load_source(group: list[LandingFile]) -> None:
        try:
            for file in group:
                if stop.is_set():
                    return
                load_landing_file(connections.get(), run, file)
                loaded.put(file)
        except BaseException as exc:
            loaded.put(exc)

    pool = ThreadPoolExecutor(count, thread_name_prefix="load")
    try:
        for group in _by_source(files):
            pool.submit(load_source, group)
        with progress(f"{run.period}: loading files", len(files)) as bar:
            for _ in files:
                file = loaded.get()
                if isinstance(file, BaseException):
                    raise file
                bar.step(f"{file.source}/{file.name}")
                pause_point("loading")
    except BaseException:
        stop.set()
        connections.cancel()
        raise
    finally:
        pool.shutdown(wait=True)
        connections.close()


def _by_source(files: list[LandingFile]) -> list[list[LandingFile]]:
    """Each source's files in file order, the sources with the most bytes first."""
    groups: dict[str, list[LandingFile]] = {}
    for file in sorted(files, key=lambda f: f.file_no):
        groups.setdefault(file.source, []).append(file)
    return sorted(groups.values(), key=lambda group: sum(map(_size, group)), reverse=True)


def _size(file: LandingFile) -> int:
    try:
        return file.path.lstat().st_size  # lstat: a link out of the tree is never followed
    except OSError:
        return 0


def load_landing_file(conn, run: Run, file: LandingFile) -> FileRecord:
    """Load one file into the run's partitions (one transaction). What an earlier attempt at the
    same file left is removed first, so a retried task never duplicates a row."""
    forget_file(conn, run, file)
    return load_file(conn, run, file, sources()[file.source])


def forget_file(conn, run: Run, file: LandingFile) -> None:
    with conn, conn.cursor() as cur:
        # A file's rows, work tables and notices commit with its meta.source_file row: without
        # it there is nothing to forget (and no scan of the source's partition for its rows).
        cur.execute("select from meta.source_file where run_id = %s and file_no = %s", (run.run_id, file.file_no))
        if cur.fetchone() is None:
            return
        cur.execute(
            "select format('%%I.%%I', n.nspname, c.relname), c.relkind = 'v' from pg_class c"
            " join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname = 'raw' and c.relkind in ('r', 'v') and c.relname ~ %s order by 2",
            (f"(^|_)r{run.run_id}_f{file.file_no}(_|$)",),
        )
        for name, is_view in cur.fetchall():
            cur.execute(f"drop {'view' if is_view else 'table'} if exists {name} cascade")
        args = {"run": run.run_id, "file_no": file.file_no}
        cur.execute(f"delete from {staging_partition(file.source, run.run_id)} where file_no = %(file_no)s", args)
        for table in ("rejected_row", "refused_file_employee", "source_file"):
            cur.execute(f"delete from meta.{table} where run_id = %(run)s and file_no = %(file_no)s", args)
        cur.execute("delete from meta.landing_notice where run_id = %s and path = %s", (run.run_id, file.name))


def finish_staging(
    conn, result: StageResult, *, url: str | None = None, options: StageOptions = StageOptions(),
    late: dict[str, str] | None = None,
) -> StageResult:
    """Once every file is loaded: statistics, the expectation suites, the rules across rows and
    files, the refusal of a run without a usable employees file (DataRefused; the run's rows are
    dropped), then coverage. `late`: sources whose deadline passed before any file came, with
    why; their units without rows are recorded LATE instead of MISSING.

    Safe to repeat after a failure part-way: the suites are recorded once per run, the rules only
    move rows that break them (none are left the second time) and coverage replaces its rows."""
    run = result.run
    with step("analyze staging"):
        analyze_partitions(conn, run)
    if options.expectations and not expectations_recorded(conn, run):
        with step("expectations"):
            validate_staged(url, run.run_id, run.period)
    with step("set rules"):
        result.not_checked = validate_run(
            conn, run, period_rules=options.period_rules, history=options.history,
            references_optional=not options.require_employees,
            keep_refused_rows=options.keep_refused_rows,
        )
    result.files = file_records(conn, run)
    refusal = _run_refusal(result) if options.require_employees else None
    if refusal:
        drop_partitions(conn, run)
        result.outcome, result.message = "REFUSED", refusal
        finish_run(conn, run, "REFUSED", refusal)
        raise DataRefused(refusal)
    with step("coverage"):
        record_coverage(conn, run, period_holidays(conn, run), late)
        row_count_warnings(conn, run)
    finish_run(conn, run, "STAGED")
    return result


def expectations_recorded(conn, run: Run) -> bool:
    """Whether the run's suites already ran (on its rows as loaded, before the rules moved any)."""
    with conn, conn.cursor() as cur:
        cur.execute("select exists (select from meta.validation_result where run_id = %s)", (run.run_id,))
        return cur.fetchone()[0]


def fail_run(conn, run: Run, message: str) -> None:
    """The run failed: its staged rows are dropped and the published marts keep what they had."""
    conn.rollback()
    drop_partitions(conn, run)
    finish_run(conn, run, "FAILED", message)


def _run_refusal(result: StageResult) -> str | None:
    """R13: no usable employees file refuses the run."""
    required = [name for name, s in sources().items() if s.required_for_run]
    for name in required:
        if not any(f.source == name and f.rows_loaded > 0 for f in result.files):
            refused = [f"{f.file_name}: {f.message}" for f in result.files if f.source == name]
            why = "; ".join(refused) if refused else f"no file in {result.landing.period}/{name}/"
            return f"no usable {name} file ({why}); nothing was staged or published"
    return None


def create_partitions(conn, run: Run) -> None:
    with conn, conn.cursor() as cur:
        for name in sources():
            cur.execute(
                f"create table {staging_partition(name, run.run_id)}"
                f" partition of staging.{name} for values in (%s){RUN_TABLE_STORAGE}",
                (run.run_id,),
            )


def analyze_partitions(conn, run: Run) -> None:
    """Fresh partitions have no statistics; without them the planner picks nested loops that turn
    the cross-source rules and suites from milliseconds into minutes."""
    with conn, conn.cursor() as cur:
        for name in sources():
            cur.execute(f"analyze {staging_partition(name, run.run_id)}")


def _partitions(cur, where: str, params: tuple) -> list[str]:
    cur.execute(
        f"""select format('%%I.%%I', n.nspname, c.relname)
            from pg_inherits i
            join pg_class c on c.oid = i.inhrelid
            join pg_namespace n on n.oid = c.relnamespace
            join meta.run r on r.run_id = substring(c.relname from '__r(\\d+)$')::bigint
            where n.nspname = 'staging' and {where}""",
        params,
    )
    return [row[0] for row in cur.fetchall()]


def drop_partitions(conn, run: Run) -> None:
    with conn, conn.cursor() as cur:
        for table in _partitions(cur, "r.run_id = %s", (run.run_id,)):
            cur.execute(f"drop table {table}")


def switch_staging(cur, run: Run) -> None:
    """Make this run's rows the period's staged data (inside the caller's transaction)."""
    cur.execute("select pg_advisory_xact_lock(hashtext('staging ' || %s))", (str(run.period),))
    for table in _partitions(cur, "r.period = %s and r.run_id <> %s", (str(run.period), run.run_id)):
        cur.execute(f"drop table {table}")
    cur.execute(
        """insert into meta.staged_period (period, run_id) values (%s, %s)
           on conflict (period) do update set run_id = excluded.run_id, staged_at = clock_timestamp()""",
        (str(run.period), run.run_id),
    )
