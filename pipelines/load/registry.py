"""Run and file records in schema meta (contracts.md §3): what was read, loaded, refused, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.land.discover import Notice
from pipelines.period import Period
from pipelines.rules.catalog import message
from pipelines.rules_snapshot import record_snapshot


@dataclass(frozen=True)
class Run:
    run_id: int
    period: Period


@dataclass
class FileRecord:
    """One row of meta.source_file."""

    file_no: int
    source: str
    file_name: str
    sha256: str | None = None
    size_bytes: int | None = None
    encoding: str | None = None
    delimiter: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    outcome: str = "LOADED"
    rule: str | None = None
    message: str | None = None
    detail: str | None = None
    # The NIPs named in a file refused before its rows were typed (meta.refused_file_employee).
    named_nips: list[str] = field(default_factory=list)

    def refuse(self, rule: str, detail: str = "") -> "FileRecord":
        """A refused file rejects all its rows (rows_read = rows_rejected)."""
        self.outcome, self.rule, self.detail = "REJECTED", rule, detail
        self.message = message(rule, detail=detail)
        self.rows_loaded, self.rows_rejected = 0, self.rows_read
        return self


def start_run(conn, period: Period, command: str, landing: str | None) -> Run:
    """A new run, made with the rules in force now (stored in meta.rules_snapshot)."""
    with conn, conn.cursor() as cur:
        rules_version = record_snapshot(cur)
        cur.execute(
            "insert into meta.run (period, command, landing, rules_version)"
            " values (%s, %s, %s, %s) returning run_id",
            (str(period), command, landing, rules_version),
        )
        return Run(cur.fetchone()[0], period)


def finish_run(conn, run: Run, outcome: str, message: str | None = None) -> None:
    with conn, conn.cursor() as cur:
        cur.execute(
            "update meta.run set outcome = %s, message = %s, finished_at = clock_timestamp()"
            " where run_id = %s",
            (outcome, message, run.run_id),
        )


def record_file(cur, run: Run, record: FileRecord) -> None:
    cur.execute(
        """insert into meta.source_file (run_id, file_no, period, source, file_name, sha256,
               size_bytes, encoding, delimiter, rows_read, rows_loaded, rows_rejected, outcome,
               rule, message, detail)
           values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
        (
            run.run_id, record.file_no, str(run.period), record.source, record.file_name,
            record.sha256, record.size_bytes, record.encoding, record.delimiter, record.rows_read,
            record.rows_loaded, record.rows_rejected, record.outcome, record.rule, record.message,
            record.detail,
        ),
    )


def record_notices(cur, run: Run, notices: list[Notice]) -> None:
    for notice in notices:
        cur.execute(
            "insert into meta.landing_notice (run_id, period, source, path, rule, message, detail)"
            " values (%s, %s, %s, %s, %s, %s, %s)",
            (run.run_id, str(run.period), notice.source, notice.path, notice.rule,
             message(notice.rule, detail=notice.detail), notice.detail),
        )


def file_records(conn, run: Run) -> list[FileRecord]:
    """The run's meta.source_file rows, in reading order."""
    with conn, conn.cursor() as cur:
        cur.execute(
            """select file_no, source, file_name, sha256, size_bytes, encoding, delimiter, rows_read,
                      rows_loaded, rows_rejected, outcome, rule, message, detail
               from meta.source_file where run_id = %s order by file_no""",
            (run.run_id,),
        )
        return [FileRecord(*row) for row in cur.fetchall()]
