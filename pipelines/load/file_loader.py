"""Load one landing file: COPY it (PostgreSQL's CSV parser, or its lines), map its header, stage
its rows by SQL, account for all.

The file is one transaction: either its valid rows are in staging and its rejected rows in
meta.rejected_row, or (refused) nothing of it is, and meta.source_file says why. Either way
rows_read = rows_loaded + rows_rejected.
"""

from __future__ import annotations

import zipfile

import psycopg2
import psycopg2.errors
from openpyxl.utils.exceptions import InvalidFileException

from pipelines.land.discover import LandingFile, Notice
from pipelines.land.header import Header, csv_rows, find_header, find_sheet, missing_detail
from pipelines.land.sniff import HEAD_ROWS, UTF8, WIN1252, CsvFormat, sniff_csv
from pipelines.land.stream import (
    FileDigest, csv_chunks, open_workbook, read_chunks, sheet_csv_chunks, sheet_heads, skip_lines,
)
from pipelines.load.copy import CsvDialect, copy_fields, copy_lines, create_lines_table
from pipelines.load.registry import FileRecord, Run, record_file, record_notices
from pipelines.rules.catalog import message
from pipelines.rules.columns import Source
from pipelines.rules.coverage import named_nips_sql
from pipelines.rules.date_order import month_first_detail
from pipelines.rules.staging_sql import BatchTables, FileLayout, batch_sql, raw_rows_sql, text_rows
from pipelines.timing import step


class Refused(Exception):
    def __init__(self, rule: str, detail: str = "") -> None:
        super().__init__(message(rule, detail=detail))
        self.rule, self.detail = rule, detail


def staging_partition(source: str, run_id: int) -> str:
    return f"staging.{source}__r{run_id}"


def raw_rows_view(run_id: int, file_no: int) -> str:
    """(file_no, row_number, raw_row) of one loaded file, kept until the run ends."""
    return f"raw.rows_r{run_id}_f{file_no}"


def drop_work_tables(conn, run_id: int) -> None:
    """Drop what the run left in schema raw (line tables and their views)."""
    with conn, conn.cursor() as cur:
        cur.execute(
            "select format('%%I.%%I', n.nspname, c.relname) from pg_class c"
            " join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname = 'raw' and c.relkind = 'r' and c.relname ~ %s",
            (f"(^|_)r{run_id}_f\\d+",),
        )
        for (table,) in cur.fetchall():
            cur.execute(f"drop table if exists {table} cascade")


def load_file(conn, run: Run, file: LandingFile, source: Source) -> FileRecord:
    record = FileRecord(file.file_no, file.source, file.name)
    if file.refusal:
        rule, detail = file.refusal
        if rule != "FILE_LINK_OUTSIDE":  # a link out of the tree is never read, not even hashed
            _hash_only(file, record)
        return _save_refusal(conn, run, record.refuse(rule, detail))
    try:
        with conn:  # one transaction for the file
            with conn.cursor() as cur:
                notices = _stage(cur, run, file, source, record)
                record_file(cur, run, record)
                record_notices(cur, run, notices)
        return record
    except Refused as refusal:
        return _save_refusal(conn, run, record.refuse(refusal.rule, refusal.detail))


def _hash_only(file: LandingFile, record: FileRecord) -> None:
    digest = FileDigest()
    for chunk in read_chunks(file.path):
        digest.update(chunk)
    record.sha256, record.size_bytes = digest.sha256, digest.size


def _save_refusal(conn, run: Run, record: FileRecord) -> FileRecord:
    with conn, conn.cursor() as cur:
        record_file(cur, run, record)
        cur.execute(
            "insert into meta.refused_file_employee (run_id, file_no, nip) select %s, %s, unnest(%s::text[])",
            (run.run_id, record.file_no, record.named_nips),
        )
    return record


def _name_employees(cur, record: FileRecord, records: str, column: str) -> None:
    """The NIPs a file refused before its rows load names, for coverage (its lines are rolled back
    with the refusal): as many as the employees it names, not its rows. `records`: a table or a
    parenthesised query whose text `column` holds the file's rows."""
    cur.execute(named_nips_sql(records, column))
    record.named_nips = [nip for (nip,) in cur.fetchall()]


def _stage(cur, run: Run, file: LandingFile, source: Source, record: FileRecord) -> list[Notice]:
    work = f"raw.r{run.run_id}_f{file.file_no}"
    with step("COPY"):
        native = _copy_native(cur, file, source, f"{work}_fields", record) if file.kind == "csv" else None
    if native:
        layout, header = native
    else:
        with step("COPY (lines: fallback)"):
            layout, header = _copy_lines(cur, file, source, f"raw.lines_r{run.run_id}_f{file.file_no}", record)
    source = header.source  # as this file's layout reads it
    multiline = layout.multiline
    tables = BatchTables(f"{work}_text", f"{work}_typed", f"{work}_failures")
    for part, statement in batch_sql(source, layout, tables):
        with step(f"typing: {part}"):
            cur.execute(statement)
    rows = text_rows(layout, tables)
    cur.execute(
        f"select (select count(*) from {rows}),"
        f" (select count(distinct row_number) from {tables.failures})"
    )
    record.rows_read, record.rows_rejected = cur.fetchone()
    record.rows_loaded = record.rows_read - record.rows_rejected
    if record.rows_read == 0:
        raise Refused("FILE_EMPTY")
    month_first = month_first_detail(cur, source, layout, rows, run.period)
    if month_first:
        _name_employees(cur, record, f"({raw_rows_sql(layout, tables)})", "raw_row")
        raise Refused("FILE_DATE_ORDER", month_first)
    with step("write staging"):
        _write_rows(cur, run, file, source, layout, tables)
    # The raw rows stay readable until the run ends: set-level rules reject rows later.
    cur.execute(
        f"create view {raw_rows_view(run.run_id, file.file_no)} as"
        f" select {file.file_no} as file_no, row_number, raw_row from ({raw_rows_sql(layout, tables)}) r"
    )
    for table in {tables.text, tables.typed, tables.failures} - ({rows} if multiline else set()):
        cur.execute(f"drop table if exists {table}")  # no text table when it was made with the types
    return _layout_notices(file, header)


def csv_dialect(header: Header, encoding: str) -> CsvDialect:
    """How a CSV file is COPYed: its header's line and delimiter (as found among its first
    rows, pipelines.land.header), in `encoding`."""
    return CsvDialect(header.delimiter, encoding, header.row)


def _copy_native(
    cur, file: LandingFile, source: Source, table: str, record: FileRecord
) -> tuple[FileLayout, Header] | None:
    """COPY a well-formed CSV file through PostgreSQL's own CSV parser into `table`. None when it
    cannot be read so (no usable header, a record with another number of fields, a quote never
    closed or inside a value, an encoding to retry): nothing of the attempt is kept and the line
    path reads the file, rejecting or refusing what it must."""
    sniffed = sniff_csv(file.path)
    header = find_header(source, csv_rows(list(sniffed.head)))
    if header is None or header.columns.duplicated or header.columns.missing:
        return None
    for encoding in _encodings(sniffed):
        dialect = csv_dialect(header, encoding)
        digest = FileDigest()
        chunks = csv_chunks(file.path, digest, skip_bom=sniffed.bom, delimiter=dialect.delimiter)
        cur.execute("savepoint native_copy")
        try:
            copy_fields(cur, table, header.columns.width, skip_lines(chunks, dialect.header_line - 1), dialect)
        except (psycopg2.errors.CharacterNotInRepertoire, psycopg2.errors.UntranslatableCharacter):
            cur.execute("rollback to savepoint native_copy")
            continue
        except psycopg2.errors.BadCopyFileFormat:
            cur.execute("rollback to savepoint native_copy")
            return None
        if digest.stray_quotes:
            cur.execute("rollback to savepoint native_copy")
            return None
        cur.execute("release savepoint native_copy")
        record.sha256, record.size_bytes = digest.sha256, digest.size
        record.encoding, record.delimiter = encoding, dialect.delimiter
        layout = FileLayout(table, header.delimiter, False, header.columns, header.row, header.day, native=True)
        return layout, header
    return None


def _encodings(sniffed: CsvFormat) -> list[str]:
    # A file whose first 64 KiB are UTF-8 may still turn out to be Windows-1252 further on.
    return [UTF8, WIN1252] if sniffed.encoding == UTF8 and not sniffed.bom else [sniffed.encoding]


def _copy_lines(cur, file: LandingFile, source: Source, lines: str, record: FileRecord) -> tuple[FileLayout, Header]:
    """COPY the file's lines into `lines` and check its header (the path for XLSX and for CSV
    files PostgreSQL's parser cannot read)."""
    digest, header = _copy_file(cur, file, source, lines, record)
    record.sha256, record.size_bytes = digest.sha256, digest.size
    try:
        multiline = _check_header(cur, lines, source, header, digest.quotes)
    except Refused:
        # The file is refused whole: its rows, counted as non-blank lines, are all rejected.
        first = header.row if header else 1
        cur.execute(f"select count(*) filter (where line_no > %s and line !~ '^[\\s,;\"]*$') from {lines}", (first,))
        record.rows_read = cur.fetchone()[0]
        _name_employees(cur, record, lines, "line")  # a title or header line names no NIP
        raise
    return FileLayout(lines, header.delimiter, multiline, header.columns, header.row, header.day), header


def _layout_notices(file: LandingFile, header: Header) -> list[Notice]:
    """What was read other than as the contract's plain layout, and the columns not read."""
    found = [
        ("NOTICE_SHEET", header.sheet if len(header.sheets) > 1 else None),
        ("NOTICE_HEADER_ROW", str(header.row) if header.row > 1 else None),
        ("NOTICE_LAYOUT", header.layout.name if header.layout else None),
        ("WARN_UNKNOWN_COLUMN", ", ".join(header.columns.unknown) or None),
    ]
    return [Notice(file.source, file.name, rule, detail) for rule, detail in found if detail]


def _check_header(cur, lines: str, source: Source, header: Header | None, quotes: int) -> bool:
    """Refuses a file without a usable header; returns whether quoted values span lines."""
    if header is None:
        raise Refused("FILE_EMPTY")
    if header.columns.duplicated:
        raise Refused("FILE_DUPLICATE_COLUMN", ", ".join(header.columns.duplicated))
    if header.columns.missing:
        raise Refused("FILE_MISSING_COLUMN", missing_detail(source, header))
    multiline = quotes > 0 and _has_unbalanced_line(cur, lines)
    if multiline and quotes % 2:
        raise Refused("FILE_UNREADABLE", "CSV: a quoted value is never closed (a \" is missing)")
    return multiline


def _copy_file(
    cur, file: LandingFile, source: Source, lines: str, record: FileRecord
) -> tuple[FileDigest, Header | None]:
    """COPY the file's lines into `lines`; sets the record's encoding and delimiter. Returns the
    header found in the first rows (None: they are blank)."""
    create_lines_table(cur, lines)
    digest = FileDigest()
    if file.kind == "xlsx":
        record.encoding, record.delimiter = "XLSX", ","
        try:
            workbook = open_workbook(file.path, digest)
            header = find_sheet(source, sheet_heads(workbook, HEAD_ROWS))
            sheet = header.sheet if header else workbook.sheetnames[0]
            # Columns that must hold text (NIPs): a numeric cell there is reported, not converted.
            text_columns = {
                i - 1 for name, i in header.columns.positions.items() if header.source.column(name).type == "nip"
            } if header else set()
            width = header.columns.width if header else 0
            copy_lines(cur, lines, sheet_csv_chunks(workbook, digest, sheet, width, text_columns), UTF8)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
            raise Refused("FILE_UNREADABLE", f"XLSX ({exc})") from exc
        except psycopg2.errors.QueryCanceled as exc:  # the sheet broke while being streamed
            raise Refused("FILE_UNREADABLE", f"XLSX ({_pg_message(exc)})") from exc
        return digest, header

    sniffed = sniff_csv(file.path)
    header = find_header(source, csv_rows(list(sniffed.head)))
    record.delimiter = header.delimiter if header else sniffed.delimiter
    encodings = _encodings(sniffed)
    for attempt, encoding in enumerate(encodings):
        digest = FileDigest()
        cur.execute("savepoint copy_attempt")
        try:
            copy_lines(cur, lines, csv_chunks(file.path, digest, skip_bom=sniffed.bom), encoding)
        except (psycopg2.errors.CharacterNotInRepertoire, psycopg2.errors.UntranslatableCharacter) as exc:
            cur.execute("rollback to savepoint copy_attempt")
            if attempt == len(encodings) - 1:
                raise Refused("FILE_ENCODING", _pg_message(exc)) from exc
            continue
        except psycopg2.errors.BadCopyFileFormat as exc:
            raise Refused("FILE_UNREADABLE", f"CSV: {_pg_message(exc)}") from exc
        record.encoding = encoding
        return digest, header
    raise AssertionError("unreachable: every attempt either returns or raises")


def _pg_message(exc: psycopg2.Error) -> str:
    return (exc.diag.message_primary or str(exc)).strip()


def _has_unbalanced_line(cur, lines: str) -> bool:
    cur.execute(
        f"select exists (select 1 from {lines}"
        f" where (length(line) - length(replace(line, '\"', ''))) % 2 = 1)"
    )
    return cur.fetchone()[0]


def _write_rows(
    cur, run: Run, file: LandingFile, source: Source, layout: FileLayout, tables: BatchTables
) -> None:
    """Valid rows into the run's staging partition, failed ones into meta.rejected_row."""
    names = [c.name for c in source.columns]
    values = [
        f"coalesce(v_{c.name}, '{c.default}')" if c.default else f"v_{c.name}" for c in source.columns
    ]
    cur.execute(
        f"""insert into {staging_partition(source.name, run.run_id)}
                (run_id, file_no, row_number, period, {", ".join(names)})
            select %s, %s, t.row_number, %s, {", ".join(values)}
            from {tables.typed} t
            where not exists (select from {tables.failures} f where f.row_number = t.row_number)""",
        (run.run_id, file.file_no, str(run.period)),
    )
    cur.execute(
        f"""insert into meta.rejected_row (run_id, file_no, period, source, file_name, row_number,
               column_name, value, rule, reason, detail, raw_row)
           select %s, %s, %s, %s, %s, f.row_number, f.column_name, f.value, f.rule, f.reason,
                  f.detail, t.raw_row
           from {tables.failures} f join ({raw_rows_sql(layout, tables)}) t using (row_number)""",
        (run.run_id, file.file_no, str(run.period), file.source, file.name),
    )
