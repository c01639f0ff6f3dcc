"""COPY a file into an unlogged table, either parsed by PostgreSQL's own CSV parser (the fast path
for well-formed files) or as untouched lines that SQL splits later (the fallback for the rest).

Native: each record becomes a row of text columns f1..fN, numbered by an identity column, which
COPY fills in input order, starting at the record after the header.
Lines: each physical line becomes one text value numbered in file order. COPY's CSV mode with a
delimiter and quote byte that text never holds keeps every line whole and interprets no
backslash. Either way ENCODING converts Windows-1252 to UTF-8.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from pipelines.land.stream import CHUNK_BYTES, ChunkReader
from pipelines.warehouse import RUN_TABLE_STORAGE

_AS_ONE_FIELD = "format csv, delimiter E'\\x01', quote E'\\x02'"


@dataclass(frozen=True)
class CsvDialect:
    """How to read a CSV file: what the loader decides once per file (and all COPY is told)."""

    delimiter: str
    encoding: str  # PostgreSQL's name: UTF8 or WIN1252
    header_line: int = 1  # the header's line; lines above it (titles) are not data


def create_lines_table(cur, table: str) -> None:
    cur.execute(
        f"create unlogged table {table} ("
        " line_no bigint generated always as identity, line text)" + RUN_TABLE_STORAGE
    )


def copy_lines(cur, table: str, chunks: Iterable[bytes], encoding: str) -> int:
    """COPY the chunks into `table` as lines; returns how many lines arrived."""
    return _copy(cur, f"copy {table} (line) from stdin with ({_AS_ONE_FIELD}, encoding '{encoding}')", chunks)


def field_names(width: int) -> list[str]:
    return [f"f{k}" for k in range(1, width + 1)]


def copy_fields(cur, table: str, width: int, chunks: Iterable[bytes], dialect: CsvDialect) -> int:
    """Create `table` (row_number, f1..f<width>) and COPY the chunks (the header line first) into it
    as CSV; returns how many records arrived. Raises BadCopyFileFormat when a record has another
    number of fields or a quote is never closed."""
    names = field_names(width)
    cur.execute(
        f"create unlogged table {table} (row_number bigint generated always as identity"
        f" (start with %s), {', '.join(f'{n} text' for n in names)})" + RUN_TABLE_STORAGE,
        (dialect.header_line + 1,),
    )
    delimiter = dialect.delimiter.replace("'", "''")
    return _copy(
        cur,
        f"copy {table} ({', '.join(names)}) from stdin with (format csv, header,"
        f" delimiter '{delimiter}', encoding '{dialect.encoding}')",
        chunks,
    )


def _copy(cur, statement: str, chunks: Iterable[bytes]) -> int:
    cur.copy_expert(statement, ChunkReader(chunks), size=CHUNK_BYTES)
    return cur.rowcount
